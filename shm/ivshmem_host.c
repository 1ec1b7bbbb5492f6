/*
 * The bundle's shared-memory regions: their memory, allocated once and
 * kept across partition restarts, and one ivshmem function per peer on its
 * partition's PCI host bridge. Joins the core as a device provider.
 */
#include <string.h>
#include "hv/devices.h"
#include "hv/lib/log.h"
#include "hv/mm/memory.h"
#include "hv/partition.h"
#include "hv/pci_host.h"
#include "shm/ivshmem.h"

static struct ivshmem_region regions[CONFIG_MAX_SHM];
static const char *names[CONFIG_MAX_SHM];
static unsigned int nregions;

static bool peer_running(void *owner)
{
	const struct partition *p = owner;
	return p && __atomic_load_n(&p->state, __ATOMIC_ACQUIRE) == PART_RUNNING;
}

static int init(const struct hv_config *cfg)
{
	for (unsigned int i = 0; i < cfg->nshm; i++) {
		const struct shm_config *c = &cfg->shm[i];
		struct ivshmem_region *r = &regions[i];
		memset(r, 0, sizeof(*r));
		names[i] = c->name;
		r->size = c->size;
		r->output_size = c->output_size;
		r->npeers = c->npeers;
		r->alive = peer_running;
		r->host = hv_alloc_pages(c->size, c->size);
		if (!r->host) {
			log_error("shared memory %s: not enough memory for %llu KiB", c->name,
				  (unsigned long long)(c->size >> 10));
			return -1;
		}
		memset((void *)(uintptr_t)r->host, 0, c->size);
		if (ivshmem_region_check(r)) {
			log_error("shared memory %s: bad layout", c->name);
			return -1;
		}
		log_info("shared memory %s: %llu KiB at 0x%llx, %u peers", c->name, (unsigned long long)(c->size >> 10),
			 (unsigned long long)r->host, c->npeers);
	}
	nregions = cfg->nshm;
	return 0;
}

static int attach(struct partition *p, const struct hv_config *cfg)
{
	for (unsigned int i = 0; i < nregions; i++)
		for (unsigned int k = 0; k < cfg->shm[i].npeers; k++) {
			const struct shm_peer_config *pc = &cfg->shm[i].peer[k];
			if (pc->partition != p->index)
				continue;
			struct ivshmem *d = &regions[i].peer[pc->id];
			d->owner = p;
			d->read_only = pc->read_only;
			int slot = pci_host_free_slot(p, pc->bridge);
			if (slot < 0 ||
			    !ivshmem_plug(&regions[i], pc->id, pci_host_phb(p, pc->bridge), (unsigned int)slot)) {
				partition_log(p, "cannot plug ivshmem '%s'", cfg->shm[i].name);
				return -1;
			}
			log_info("%s: ivshmem '%s' as peer %u%s in PCI slot %d of bridge %u", p->name, cfg->shm[i].name,
				 pc->id, pc->read_only ? " (read-only)" : "", slot, pc->bridge);
		}
	return 0;
}

static void event(struct partition *p, enum device_event e)
{
	for (unsigned int i = 0; i < nregions; i++)
		for (unsigned int id = 0; id < regions[i].npeers; id++)
			if (regions[i].peer[id].owner == p && regions[i].peer[id].fn)
				ivshmem_peer_state(&regions[i].peer[id], e == DEVICES_STARTED);
}

/* Doorbells per peer, for the operator: dropped ones went to a peer or
 * vector that does not exist, or to a partition that was not running. */
static void stats(const struct partition *p)
{
	for (unsigned int i = 0; i < nregions; i++)
		for (unsigned int id = 0; id < regions[i].npeers; id++) {
			const struct ivshmem *d = &regions[i].peer[id];
			if (d->owner == p)
				hvprint("monitor: %s: ivshmem '%s' as peer %u: %llu doorbells rung, %llu dropped, %llu "
					"received",
					p->name, names[i], id, (unsigned long long)d->rung,
					(unsigned long long)d->dropped,
					(unsigned long long)__atomic_load_n(&d->received, __ATOMIC_RELAXED));
		}
}

DEVICE_PROVIDER(ivshmem, "ivshmem", init, attach, event, stats);
