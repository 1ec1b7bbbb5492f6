#include <stdio.h>
#include <string.h>
#include "drivers/opal/opal.h"
#include "drivers/pci/bar_plan.h"
#include "drivers/pci/host_pci.h"
#include "hv/lib/log.h"
#include "hv/mm/memory.h"
#include "arch/io.h"

#define HOST_PCI_MAX_DEVS     32
/* Each device's DMA window: 512 MiB of 4 KiB pages (a 1 MiB table). */
#define DMA_WINDOW_PAGE_SHIFT 12
#define DMA_WINDOW_ENTRIES    (1u << 17)
/* The bypass window's base: PCI address bit 59 selects a PE's second TVE. */
#define BYPASS_BASE           (1ull << 59)

REGISTRY_DECLARE(host_pci_drivers, struct host_pci_driver);

struct host_pci_options host_pci_opts;
static struct host_pci_topology topo;
static struct host_pci_dev devs[HOST_PCI_MAX_DEVS];
static unsigned int ndevs;

uint32_t host_pci_cfg_read32(const struct host_pci_dev *d, unsigned int off)
{
	uint32_t v = ~0u;
	if (opal_call(OPAL_PCI_CONFIG_READ_WORD, d->phb->opal_id, d->fn->bdfn, off, (uint64_t)(uintptr_t)&v, 0, 0, 0))
		return ~0u;
	return v;
}

uint16_t host_pci_cfg_read16(const struct host_pci_dev *d, unsigned int off)
{
	uint16_t v = 0xffff;
	if (opal_call(OPAL_PCI_CONFIG_READ_HALF_WORD, d->phb->opal_id, d->fn->bdfn, off, (uint64_t)(uintptr_t)&v, 0, 0,
		      0))
		return 0xffff;
	return v;
}

void host_pci_cfg_write32(const struct host_pci_dev *d, unsigned int off, uint32_t v)
{
	opal_call(OPAL_PCI_CONFIG_WRITE_WORD, d->phb->opal_id, d->fn->bdfn, off, v, 0, 0, 0);
}

void host_pci_cfg_write16(const struct host_pci_dev *d, unsigned int off, uint16_t v)
{
	opal_call(OPAL_PCI_CONFIG_WRITE_HALF_WORD, d->phb->opal_id, d->fn->bdfn, off, v, 0, 0, 0);
}

/* ---- BARs ---- */

static unsigned int size_bars(struct host_pci_dev *d, struct bar_req *req)
{
	unsigned int n = 0;
	for (unsigned int i = 0; i < 6; i++) {
		unsigned int off = 0x10 + 4 * i;
		uint32_t orig = host_pci_cfg_read32(d, off);
		if (orig & 1) { /* I/O space: PHB4 has none */
			d->bar[i].io = true;
			continue;
		}
		bool is64 = (orig >> 1 & 3) == 2 && i < 5, prefetch = orig & 8;
		host_pci_cfg_write32(d, off, ~0u);
		uint64_t mask = host_pci_cfg_read32(d, off) & ~0xfull;
		host_pci_cfg_write32(d, off, orig);
		if (is64) {
			uint32_t orig_hi = host_pci_cfg_read32(d, off + 4);
			host_pci_cfg_write32(d, off + 4, ~0u);
			mask |= (uint64_t)host_pci_cfg_read32(d, off + 4) << 32;
			host_pci_cfg_write32(d, off + 4, orig_hi);
		} else if (mask) {
			mask |= 0xffffffff00000000ull;
		}
		uint64_t size = mask ? ~mask + 1 : 0; /* no bit sticks: not implemented */
		if (size) {
			d->bar[i].size = size;
			d->bar[i].is64 = is64;
			d->bar[i].prefetch = prefetch;
			req[n++] = (struct bar_req){ i, size };
		}
		if (is64)
			i++;
	}
	return n;
}

static void print_dev(const struct host_pci_dev *d)
{
	char bars[160] = "";
	size_t used = 0;
	for (unsigned int i = 0; i < 6 && used < sizeof(bars); i++) {
		const struct host_pci_bar *b = &d->bar[i];
		if (!b->size || !b->cpu)
			continue;
		uint64_t sz = b->size;
		const char *unit = "";
		if (sz >= (1 << 20) && !(sz & ((1 << 20) - 1))) {
			sz >>= 20;
			unit = "M";
		} else if (sz >= 1024 && !(sz & 1023)) {
			sz >>= 10;
			unit = "K";
		}
		used += (size_t)snprintf(bars + used, sizeof(bars) - used, ", BAR%u %llu%s at 0x%llx", i,
					 (unsigned long long)sz, unit, (unsigned long long)b->cpu);
	}
	char where[40] = "";
	if (d->fn->loc[0])
		snprintf(where, sizeof(where), " [%s]", d->fn->loc);
	char pe[16] = "";
	if (!d->fn->bridge)
		snprintf(pe, sizeof(pe), ", PE %u", d->pe);
	hvprint("pci: %s %s [%04x]: %04x:%04x (rev %02x)%s%s%s", d->name, host_pci_class_name(d->fn->class_code),
		d->fn->class_code >> 8, d->fn->vendor, d->fn->device, d->revision, where, bars, pe);
}

/* ---- PE and DMA ---- */

static int setup_dma(struct host_pci_dev *d)
{
	uint64_t phb = d->phb->opal_id;
	int64_t rc;
	if (host_pci_opts.bypass) {
		uint64_t top = 1ull << 24;
		/* the whole of memory, rounded to a power of two, as Linux's bypass does */
		while (top < hv_palloc.total + (1ull << 30) && top < (1ull << 50))
			top <<= 1;
		rc = opal_call(OPAL_PCI_MAP_PE_DMA_WINDOW_REAL, phb, d->pe, d->pe * 2 + 1, BYPASS_BASE, top, 0, 0);
		d->bypass = rc == OPAL_SUCCESS;
		return rc == OPAL_SUCCESS ? 0 : -1;
	}
	uint64_t table_bytes = (uint64_t)DMA_WINDOW_ENTRIES * 8, bitmap_bytes = DMA_WINDOW_ENTRIES / 8;
	uint64_t table = hv_alloc_pages(table_bytes, table_bytes);
	uint64_t bitmap = hv_alloc_pages(bitmap_bytes < 4096 ? 4096 : bitmap_bytes, 4096);
	if (!table || !bitmap) {
		log_error("pci: %s: no memory for its DMA window", d->name);
		return -1;
	}
	tce_window_init(&d->dma, (uint64_t *)(uintptr_t)table, (uint64_t *)(uintptr_t)bitmap, DMA_WINDOW_ENTRIES,
			DMA_WINDOW_PAGE_SHIFT, 0);
	rc = opal_call(OPAL_PCI_MAP_PE_DMA_WINDOW, phb, d->pe, d->pe * 2, 1, table, table_bytes,
		       1ull << DMA_WINDOW_PAGE_SHIFT);
	return rc == OPAL_SUCCESS ? 0 : -1;
}

/* The PE: RID -> PE, its M32 segments, and its M64 region if it has one
 * (the M64 BAR set to single-PE mode for it, then enabled). */
static int setup_pe(struct host_pci_dev *d, unsigned int seg_first, unsigned int seg_count, uint64_t m64_cpu,
		    uint64_t m64_size)
{
	uint64_t phb = d->phb->opal_id;
	int64_t rc = opal_call(OPAL_PCI_SET_PE, phb, d->pe, d->fn->bdfn, OPAL_PCI_BUS_ALL,
			       OPAL_COMPARE_RID_DEVICE_NUMBER, OPAL_COMPARE_RID_FUNCTION_NUMBER, OPAL_MAP_PE);
	if (rc == OPAL_SUCCESS)
		rc = opal_call(OPAL_PCI_SET_PELTV, phb, d->pe, d->pe, OPAL_ADD_PE_TO_DOMAIN, 0, 0, 0);
	for (unsigned int s = seg_first; rc == OPAL_SUCCESS && s < seg_first + seg_count; s++)
		rc = opal_call(OPAL_PCI_MAP_PE_MMIO_WINDOW, phb, d->pe, OPAL_M32_WINDOW_TYPE, 0, s, 0, 0);
	if (rc == OPAL_SUCCESS && d->m64_bar >= 0) {
		uint64_t bar = (uint64_t)d->m64_bar;
		rc = opal_call(OPAL_PCI_SET_PHB_MEM_WINDOW, phb, OPAL_M64_WINDOW_TYPE, bar, m64_cpu, 0, m64_size, 0);
		if (rc == OPAL_SUCCESS)
			rc = opal_call(OPAL_PCI_MAP_PE_MMIO_WINDOW, phb, d->pe, OPAL_M64_WINDOW_TYPE, bar, 0, 0, 0);
		if (rc == OPAL_SUCCESS)
			rc = opal_call(OPAL_PCI_PHB_MMIO_ENABLE, phb, OPAL_M64_WINDOW_TYPE, bar,
				       OPAL_ENABLE_M64_NON_SPLIT, 0, 0, 0);
	}
	if (rc != OPAL_SUCCESS) {
		log_error("pci: %s: the firmware refused its PE %u set-up (%lld)", d->name, d->pe, (long long)rc);
		return -1;
	}
	return 0;
}

/* What is left of a PHB's windows while its functions are set up. */
struct phb_windows {
	struct bar_window m32, m64;
	unsigned int m64_bars_used;
};

static void program_bar(struct host_pci_dev *d, unsigned int index, uint64_t pci, bool m64)
{
	struct host_pci_bar *b = &d->bar[index];
	unsigned int off = 0x10 + 4 * index;
	uint32_t flags = host_pci_cfg_read32(d, off) & 0xf;
	host_pci_cfg_write32(d, off, (uint32_t)pci | flags);
	if (b->is64)
		host_pci_cfg_write32(d, off + 4, (uint32_t)(pci >> 32));
	b->pci = pci;
	b->m64 = m64;
	b->cpu = m64 ? d->phb->m64_cpu + (pci - d->phb->m64_pci) : d->phb->m32_cpu + (pci - d->phb->m32_pci);
}

/* BARs, PE, DMA, then memory decoding and bus mastering on. */
static int setup_function(struct host_pci_dev *d, struct phb_windows *pw, uint32_t pe)
{
	const struct host_phb_desc *phb = d->phb;
	host_pci_cfg_write16(d, 0x04, 0); /* decoding off while the BARs move */
	struct bar_req req[6], low[6], high[6];
	uint64_t low_addr[6], high_addr[6], region = 0, region_size = 0;
	unsigned int n = size_bars(d, req), nlow = 0, nhigh = 0, seg_first = 0, seg_count = 0;
	bool m64_free = phb->m64_size && pw->m64_bars_used < phb->m64_bar_count;
	for (unsigned int k = 0; k < n; k++) {
		const struct host_pci_bar *b = &d->bar[req[k].index];
		if (m64_free && b->is64 && b->prefetch)
			high[nhigh++] = req[k];
		else
			low[nlow++] = req[k];
	}
	d->m64_bar = -1;
	if (nhigh && bar_plan_region(&pw->m64, high, nhigh, high_addr, &region, &region_size)) {
		/* no room in the 64-bit window: try them in the 32-bit one */
		for (unsigned int k = 0; k < nhigh; k++)
			low[nlow++] = high[k];
		nhigh = 0;
	}
	if (nlow && bar_plan_function(&pw->m32, low, nlow, low_addr, &seg_first, &seg_count)) {
		log_error("pci: %s: its BARs do not fit in the PHB's memory windows; not used", d->name);
		return -1;
	}
	if (nhigh)
		d->m64_bar = (int)(phb->m64_bar_first + pw->m64_bars_used++);
	for (unsigned int k = 0; k < nlow; k++)
		program_bar(d, low[k].index, low_addr[k], false);
	for (unsigned int k = 0; k < nhigh; k++)
		program_bar(d, high[k].index, high_addr[k], true);
	d->pe = pe;
	if (setup_pe(d, seg_first, seg_count, phb->m64_cpu + (region - phb->m64_pci), region_size))
		return -1;
	if (setup_dma(d)) {
		log_error("pci: %s: the firmware refused its DMA window", d->name);
		return -1;
	}
	/* memory space, bus master, INTx off (drivers poll or use MSI-X) */
	host_pci_cfg_write16(d, 0x04, 0x0406);
	return 0;
}

/* hvtest=host-bar-pattern: "hvbar<N>" and its complement at the start and
 * in the last 8 bytes of each BAR in the 64-bit window of a function no
 * driver took, read back. */
static void write_bar_patterns(const struct host_pci_dev *d)
{
	for (unsigned int i = 0; i < 6; i++) {
		const struct host_pci_bar *b = &d->bar[i];
		if (!b->m64 || !b->size)
			continue;
		uint64_t head = 0x6876626172300000ull | (uint64_t)i << 16, tail = ~head; /* "hvbar0" + BAR */
		ci_write64(b->cpu, head);
		ci_write64(b->cpu + b->size - 8, tail);
		bool ok = ci_read64(b->cpu) == head && ci_read64(b->cpu + b->size - 8) == tail;
		hvprint("pci: %s: BAR%u pattern at 0x%llx and +0x%llx: %s", d->name, i, (unsigned long long)b->cpu,
			(unsigned long long)(b->size - 8), ok ? "read back" : "NOT read back");
	}
}

static void probe(struct host_pci_dev *d)
{
	REGISTRY_FOREACH (host_pci_drivers, struct host_pci_driver, drv) {
		if (!drv->match(d))
			continue;
		d->driver = drv;
		if (drv->probe(d))
			d->driver = NULL;
		return;
	}
}

void host_pci_init(const void *fdt, const struct host_pci_options *opts)
{
	char warn[160], err[160];
	host_pci_opts = *opts;
	if (host_pci_fdt_parse(fdt, &topo, warn, sizeof(warn), err, sizeof(err)) < 0) {
		log_error("%s", err);
		return;
	}
	if (warn[0])
		log_warn("%s", warn);
	for (unsigned int p = 0; p < topo.nphbs; p++) {
		const struct host_phb_desc *phb = &topo.phb[p];
		struct phb_windows pw = {
			.m32 = { phb->m32_pci, phb->m32_size, phb->m32_segment, phb->m32_pci },
			.m64 = { phb->m64_pci, phb->m64_size, phb->m64_size, phb->m64_pci },
		};
		uint32_t next_pe = 1;
		for (unsigned int f = 0; f < phb->nfns; f++) {
			if (ndevs == HOST_PCI_MAX_DEVS) {
				log_warn("pci: more than %d functions; the rest are not used", HOST_PCI_MAX_DEVS);
				break;
			}
			struct host_pci_dev *d = &devs[ndevs];
			memset(d, 0, sizeof(*d));
			d->phb = phb;
			d->fn = &phb->fn[f];
			snprintf(d->name, sizeof(d->name), "%04x:%02x:%02x.%u", (unsigned int)(phb->opal_id & 0xffff),
				 d->fn->bdfn >> 8, d->fn->bdfn >> 3 & 0x1f, d->fn->bdfn & 7);
			uint32_t id = host_pci_cfg_read32(d, 0);
			if (id == ~0u) {
				log_warn("pci: %s does not answer configuration reads; not used", d->name);
				continue;
			}
			d->revision = (uint8_t)host_pci_cfg_read32(d, 0x08);
			ndevs++;
			bool usable = true;
			if (!d->fn->bridge) {
				if (next_pe >= phb->reserved_pe)
					usable = false;
				else
					usable = setup_function(d, &pw, next_pe++) == 0;
			}
			print_dev(d);
			if (usable && !d->fn->bridge)
				probe(d);
			if (usable && !d->driver && (opts->faults & HOST_TEST_BAR_PATTERN))
				write_bar_patterns(d);
		}
		if (phb->fns_ignored)
			log_warn("pci: %s: %u functions beyond the first %d are not used", phb->path, phb->fns_ignored,
				 HOST_PCI_MAX_FNS);
	}
}

void host_pci_shutdown(void)
{
	for (unsigned int i = 0; i < ndevs; i++)
		if (devs[i].driver && devs[i].driver->shutdown)
			devs[i].driver->shutdown(&devs[i]);
}

/* ---- DMA mappings ---- */

int host_pci_dma_map(struct host_pci_dev *d, uint64_t real, uint64_t len, bool device_writes, uint64_t *bus)
{
	if (d->bypass) {
		*bus = BYPASS_BASE | real;
		return 0;
	}
	uint64_t perm = HOST_TCE_READ | (device_writes ? HOST_TCE_WRITE : 0);
	spin_lock(&d->dma_lock);
	int rc = tce_window_map(&d->dma, real, len, perm, bus);
	spin_unlock(&d->dma_lock);
	return rc;
}

void host_pci_dma_unmap(struct host_pci_dev *d, uint64_t bus, uint64_t len)
{
	if (d->bypass)
		return;
	spin_lock(&d->dma_lock);
	if (tce_window_unmap(&d->dma, bus, len))
		log_error("pci: %s: unmapping 0x%llx+0x%llx, which is not mapped", d->name, (unsigned long long)bus,
			  (unsigned long long)len);
	d->dma_dirty = true;
	spin_unlock(&d->dma_lock);
}

void host_pci_dma_sync(struct host_pci_dev *d)
{
	if (d->bypass || !d->dma_dirty)
		return;
	d->dma_dirty = false;
	opal_call(OPAL_PCI_TCE_KILL, d->phb->opal_id, OPAL_PCI_TCE_KILL_PE, d->pe, 1u << DMA_WINDOW_PAGE_SHIFT, 0, 0,
		  0);
}

bool host_pci_recover(struct host_pci_dev *d)
{
	uint8_t state = 0;
	uint16_t pci_error = 0;
	int64_t rc = opal_call(OPAL_PCI_EEH_FREEZE_STATUS, d->phb->opal_id, d->pe, (uint64_t)(uintptr_t)&state,
			       (uint64_t)(uintptr_t)&pci_error, 0, 0, 0);
	if (rc != OPAL_SUCCESS || state == OPAL_EEH_STOPPED_NOT_FROZEN)
		return false;
	d->freezes++;
	log_warn("pci: %s: its PE %u is frozen (EEH state %u); thawing it", d->name, d->pe, state);
	rc = opal_call(OPAL_PCI_EEH_FREEZE_CLEAR, d->phb->opal_id, d->pe, OPAL_EEH_ACTION_CLEAR_FREEZE_ALL, 0, 0, 0, 0);
	if (rc != OPAL_SUCCESS) {
		log_error("pci: %s: the firmware could not thaw its PE (%lld)", d->name, (long long)rc);
		return false;
	}
	return true;
}
