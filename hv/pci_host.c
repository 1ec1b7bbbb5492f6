#include <string.h>
#include "hv/pci_host.h"
#include "hv/devices.h"
#include "hv/lib/log.h"
#include "hv/mm/memory.h"
#include "hv/partition.h"
#include "arch/spr.h"

/* The hooks run with the partition's MMIO lock held (config writes, BAR
 * accesses) or its interrupt-state lock (interrupts). */
static int map_registers(void *ctx, uint64_t gpa, uint64_t size, const struct mmio_ops *ops, void *dev)
{
	struct partition *p = ctx;
	return mmio_bus_add(&p->mmio, gpa, size, ops, dev);
}

static void unmap_registers(void *ctx, uint64_t gpa, const void *dev)
{
	struct partition *p = ctx;
	mmio_bus_remove(&p->mmio, dev, gpa);
}

static int map_memory(void *ctx, uint64_t gpa, uint64_t size, uint64_t host, bool read_only)
{
	struct partition *p = ctx;
	spin_lock(&p->hpt_lock);
	int rc = hpt_add_range(&p->hpt, gpa, size, host, read_only);
	spin_unlock(&p->hpt_lock);
	return rc;
}

static void unmap_memory(void *ctx, uint64_t gpa)
{
	struct partition *p = ctx;
	spin_lock(&p->hpt_lock);
	hpt_remove_range(&p->hpt, gpa, true);
	spin_unlock(&p->hpt_lock);
}

/* An interrupt now presented to a vCPU reaches it soon: a kick ends its
 * guest entry (or wakes it from H_CEDE). */
static void after(struct partition *p, int server)
{
	if (server >= 0 && (unsigned int)server < p->nvcpus && xics_pending(&p->xics, (unsigned int)server))
		vcpu_kick(&p->vcpus[server]);
}

static void raise_msi(void *ctx, uint32_t irq)
{
	struct partition *p = ctx;
	spin_lock(&p->xics_lock);
	int server = xics_raise(&p->xics, irq);
	spin_unlock(&p->xics_lock);
	after(p, server);
}

static void set_lsi(void *ctx, uint32_t irq, bool level)
{
	struct partition *p = ctx;
	spin_lock(&p->xics_lock);
	int server = xics_set_level(&p->xics, irq, level);
	spin_unlock(&p->xics_lock);
	after(p, server);
}

static void irq_lock(void *ctx, bool take)
{
	struct partition *p = ctx;
	if (take)
		spin_lock(&p->irq_lock);
	else
		spin_unlock(&p->irq_lock);
}

_Static_assert(CONFIG_MAX_BRIDGES == PHB_MAX, "the bundle's bridges are the model's");

struct phb *pci_host_phb(struct partition *p, unsigned int index)
{
	if (index >= PHB_MAX)
		return NULL;
	if (p->phb[index])
		return p->phb[index];
	uint64_t size = (sizeof(struct phb) + sizeof(struct phb_hooks) + 4095) & ~4095ull;
	uint64_t tces = (PHB_DMA_WINDOW >> TCE_PAGE_SHIFT) * 8;
	uint64_t mem = hv_alloc_pages(size, 4096), table = hv_alloc_pages(tces, 4096);
	if (!mem || !table)
		return NULL;
	struct phb_hooks *h = (struct phb_hooks *)(uintptr_t)(mem + sizeof(struct phb));
	*h = (struct phb_hooks){ p,         map_registers, unmap_registers, map_memory, unmap_memory,
				 raise_msi, set_lsi,       irq_lock };
	struct phb *b = (struct phb *)(uintptr_t)mem;
	phb_init(b, index, h);
	b->dma.entry = (uint64_t *)(uintptr_t)table;
	b->dma.nentries = PHB_DMA_WINDOW >> TCE_PAGE_SHIFT;
	b->dma.ram_size = p->mem_size;
	p->phb[index] = b;
	return b;
}

int pci_host_free_slot(struct partition *p, unsigned int index)
{
	struct phb *b = pci_host_phb(p, index);
	for (unsigned int s = 1; b && s < PHB_SLOTS; s++)
		if (!b->fn[s].present)
			return (int)s;
	return -1;
}

/* At each boot of p, after its HPT was set up: its bridges back to their
 * power-on state and their windows declared. */
static void boot(struct partition *p, enum device_event e)
{
	if (e != DEVICES_BOOTING)
		return;
	for (unsigned int i = 0; i < PHB_MAX; i++) {
		struct phb *b = p->phb[i];
		if (!b)
			continue;
		spin_lock(&p->mmio_lock);
		phb_reset(b);
		memset(b->dma.entry, 0, b->dma.nentries * 8); /* no DMA mapping survives a reboot */
		spin_unlock(&p->mmio_lock);
		spin_lock(&p->hpt_lock);
		int rc = hpt_add_range(&p->hpt, b->mem32_cpu, PHB_MEM32_SIZE, 0, false) ||
			 hpt_add_range(&p->hpt, b->mem64_cpu, PHB_MEM64_SIZE, 0, false);
		spin_unlock(&p->hpt_lock);
		if (rc)
			partition_log(p, "cannot declare the windows of PCI bridge %u: its devices will not decode", i);
		p->lpcr |= LPCR_VPM1; /* guest hash misses come to us: emulated pages are absent */
	}
}

DEVICE_PROVIDER(pci_host, "pci-host", NULL, NULL, boot, NULL);
