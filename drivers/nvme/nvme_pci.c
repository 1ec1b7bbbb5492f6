/*
 * The NVMe driver on a host PCI function: its registers in BAR0 through
 * caching-inhibited accesses, its DMA through the function's TCE window,
 * its memory from the hypervisor's allocator, time from the timebase.
 * Each namespace becomes a block device.
 */
#include <stdio.h>
#include "arch/io.h"
#include "drivers/nvme/nvme.h"
#include "drivers/nvme/nvme_defs.h"
#include "drivers/pci/host_pci.h"
#include "drivers/timebase.h"
#include "hv/lib/log.h"
#include "hv/mm/memory.h"

#define NVME_MAX_CTRLS 8

static struct nvme_ctrl ctrls[NVME_MAX_CTRLS];
static struct host_pci_dev *ctrl_dev[NVME_MAX_CTRLS];
static unsigned int nctrls;

static struct host_pci_dev *dev_of(void *ctx)
{
	return ctx;
}

/* Injected faults (host_pci_opts.faults), on the first controller only. */
static unsigned int io_doorbells;
static bool fatal_shown;

static bool faulty(void *ctx, unsigned int fault)
{
	return (host_pci_opts.faults & fault) && ctx == ctrl_dev[0];
}

static uint32_t reg_read(void *ctx, uint32_t reg)
{
	uint32_t v = ci_read32_le(dev_of(ctx)->bar[0].cpu + reg);
	if (reg == NVME_REG_CSTS && faulty(ctx, HOST_FAULT_NVME_NEVER_READY))
		v &= ~NVME_CSTS_RDY;
	if (reg == NVME_REG_CSTS && faulty(ctx, HOST_FAULT_NVME_FATAL) && io_doorbells >= 20 && !fatal_shown &&
	    (v & NVME_CSTS_RDY)) {
		v |= NVME_CSTS_CFS;
		fatal_shown = true; /* once: the reset that follows brings it back */
	}
	return v;
}

static void reg_write(void *ctx, uint32_t reg, uint32_t v)
{
	/* I/O submission doorbells: 0x1008, 0x1018, ... (stride 4) */
	if (reg > NVME_REG_DBS + 4 && !(reg & 4) && ctx == ctrl_dev[0] && ++io_doorbells == 20 &&
	    faulty(ctx, HOST_FAULT_NVME_LOST_DOORBELL))
		return;
	ci_write32_le(dev_of(ctx)->bar[0].cpu + reg, v);
}

static void *mem_alloc(void *ctx, uint64_t size, uint64_t align)
{
	(void)ctx;
	uint64_t sz = (size + 4095) & ~4095ull, a = align < 4096 ? 4096 : align;
	uint64_t addr = hv_alloc_pages(sz, a);
	if (addr)
		__builtin_memset((void *)(uintptr_t)addr, 0, sz);
	return (void *)(uintptr_t)addr;
}

static int dma_map(void *ctx, uint64_t addr, uint64_t len, bool device_writes, uint64_t *bus)
{
	return host_pci_dma_map(dev_of(ctx), addr, len, device_writes, bus);
}

static void dma_unmap(void *ctx, uint64_t bus, uint64_t len)
{
	host_pci_dma_unmap(dev_of(ctx), bus, len);
}

static void dma_sync(void *ctx)
{
	host_pci_dma_sync(dev_of(ctx));
}

static uint64_t now_us(void *ctx)
{
	(void)ctx;
	return tb_to_us(tb_now());
}

static void delay_us(void *ctx, uint64_t us)
{
	(void)ctx;
	udelay(us);
}

static unsigned int thread_index(void *ctx)
{
	(void)ctx;
	return host_pci_opts.thread_index ? host_pci_opts.thread_index() : 0;
}

static bool recover(void *ctx)
{
	return host_pci_recover(dev_of(ctx));
}

/* hvtest=nvme-stray-dma: the drive is told to read into device addresses
 * that are not mapped (one mapped and unmapped again, as a finished
 * request's; one never mapped). The TCE window must stop both: the memory
 * behind the old mapping stays untouched. */
static void stray_dma_check(struct nvme_ctrl *c, struct host_pci_dev *d)
{
	if (!c->nns)
		return;
	uint8_t *page = mem_alloc(d, 4096, 4096);
	uint64_t bus;
	if (!page || host_pci_dma_map(d, (uint64_t)(uintptr_t)page, 4096, true, &bus))
		return;
	host_pci_dma_unmap(d, bus, 4096);
	host_pci_dma_sync(d);
	__builtin_memset(page, 0x5a, 4096);
	uint32_t nblocks = 4096 / c->ns[0].bd.block_size;
	const struct {
		const char *what;
		uint64_t bus;
	} tries[] = { { "a page unmapped after use", bus }, { "a page never mapped", bus + 0x1000000 } };
	/* With hostdma=bypass only the first: the second would land 16 MiB on. */
	for (unsigned int i = 0; i < (d->bypass ? 1u : 2u); i++) {
		int st = nvme_ctrl_raw_io(c, NVME_CMD_READ, c->ns[0].nsid, 0, nblocks, tries[i].bus, 0);
		bool untouched = true;
		for (unsigned int k = 0; k < 4096; k++)
			untouched &= page[k] == 0x5a;
		/* QEMU's drive reports success for a transfer its PHB refused; a real one
		 * gets an error (and the PE may freeze). The memory is what matters. */
		hvprint("%s: DMA check: a read aimed at %s (device address 0x%llx): status 0x%x, the page is %s",
			c->name, tries[i].what, (unsigned long long)tries[i].bus, (unsigned int)st,
			untouched ? "untouched" : "WRITTEN");
	}
}

static bool nvme_match(const struct host_pci_dev *d)
{
	return d->fn->class_code == 0x010802 && d->bar[0].cpu && d->bar[0].size >= 0x2000;
}

static int nvme_probe(struct host_pci_dev *d)
{
	if (nctrls == NVME_MAX_CTRLS) {
		log_warn("nvme: more than %d controllers; %s is not used", NVME_MAX_CTRLS, d->name);
		return -1;
	}
	struct nvme_ctrl *c = &ctrls[nctrls];
	char name[16];
	snprintf(name, sizeof(name), "nvme%u", nctrls);
	struct nvme_ops ops = { d,        reg_read, reg_write, mem_alloc,    dma_map, dma_unmap,
				dma_sync, now_us,   delay_us,  thread_index, recover };
	nvme_ctrl_init(c, name, &ops, host_pci_opts.threads);
	if (host_pci_opts.faults && !nctrls)
		c->io_timeout_us = c->admin_timeout_us = 2000000; /* the tests wait for timeouts */
	ctrl_dev[nctrls] = d;
	d->driver_data = c;
	nctrls++;
	if (nvme_ctrl_start(c))
		return 0; /* stays bound, failed: its namespaces are not registered */
	hvprint("%s: %s, serial %s, firmware %s, NVMe %u.%u, %u I/O queue pair(s), %u KiB per command, %s", c->name,
		c->model, c->serial, c->firmware, c->vs >> 16, c->vs >> 8 & 0xff, c->nioq, c->max_transfer >> 10,
		d->bypass ? "DMA to all memory (bypass)" : "DMA through its TCE window");
	for (unsigned int i = 0; i < c->nns; i++) {
		struct blockdev *bd = &c->ns[i].bd;
		hvprint("%s: %llu blocks of %u bytes (%llu MiB)%s%s%s", bd->name, (unsigned long long)bd->nblocks,
			bd->block_size, (unsigned long long)((bd->nblocks * bd->block_size) >> 20),
			bd->volatile_cache ? ", volatile write cache" : "", bd->can_discard ? ", discard" : "",
			bd->can_write_zeroes ? ", write-zeroes" : "");
		blockdev_register(bd);
	}
	if (faulty(d, HOST_FAULT_NVME_STRAY_DMA))
		stray_dma_check(c, d);
	return 0;
}

static void nvme_shutdown(struct host_pci_dev *d)
{
	struct nvme_ctrl *c = d->driver_data;
	if (c)
		nvme_ctrl_shutdown(c);
}

HOST_PCI_DRIVER(nvme, "nvme", nvme_match, nvme_probe, nvme_shutdown);
