/*
 * Fuzzes the virtual PCI host bridge (hv/papr/phb.c, hv/papr/pci_config.c)
 * with what a guest controls: config reads and writes through RTAS,
 * ibm,change-msi and the source-number query, MSI-X table and PBA
 * accesses, and device-side notifications. Checks, through recording
 * hooks: decoded BARs lie in the windows and never overlap; every unmap
 * matches a live mapping; MSIs are raised only for sources of the
 * bridge's block allocated to the function; the lock is balanced.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hv/papr/phb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define MAX_MAPS 64
struct mapping {
	uint64_t gpa, size;
	const void *dev;
	bool memory;
};
static struct mapping maps[MAX_MAPS];
static unsigned int nmaps;
static bool locked;
static struct phb b;

static int find(uint64_t gpa, bool memory)
{
	for (unsigned int i = 0; i < nmaps; i++)
		if (maps[i].gpa == gpa && maps[i].memory == memory)
			return (int)i;
	return -1;
}

static void add(uint64_t gpa, uint64_t size, const void *dev, bool memory)
{
	CHECK(nmaps < MAX_MAPS);
	for (unsigned int i = 0; i < nmaps; i++)
		CHECK(gpa >= maps[i].gpa + maps[i].size || maps[i].gpa >= gpa + size);
	bool in32 = gpa >= b.mem32_cpu && gpa + size <= b.mem32_cpu + PHB_MEM32_SIZE;
	bool in64 = gpa >= b.mem64_cpu && gpa + size <= b.mem64_cpu + PHB_MEM64_SIZE;
	CHECK(in32 || in64);
	maps[nmaps++] = (struct mapping){ gpa, size, dev, memory };
}

static int map_registers(void *ctx, uint64_t gpa, uint64_t size, const struct mmio_ops *ops, void *dev)
{
	(void)ctx;
	(void)ops;
	add(gpa, size, dev, false);
	return 0;
}

static void unmap_registers(void *ctx, uint64_t gpa, const void *dev)
{
	(void)ctx;
	int i = find(gpa, false);
	CHECK(i >= 0 && maps[i].dev == dev);
	maps[i] = maps[--nmaps];
}

static int map_memory(void *ctx, uint64_t gpa, uint64_t size, uint64_t host, bool ro)
{
	(void)ctx;
	(void)host;
	(void)ro;
	add(gpa, size, NULL, true);
	return 0;
}

static void unmap_memory(void *ctx, uint64_t gpa)
{
	(void)ctx;
	int i = find(gpa, true);
	CHECK(i >= 0);
	maps[i] = maps[--nmaps];
}

static void raise_msi(void *ctx, uint32_t irq)
{
	(void)ctx;
	CHECK(locked);
	bool owned = false;
	for (unsigned int s = 0; s < PHB_SLOTS; s++) {
		const struct pci_function *f = &b.fn[s];
		if (f->present && irq >= f->msi_first && irq < f->msi_first + f->msi_count)
			owned = true;
	}
	CHECK(owned);
	CHECK(irq >= PHB_MSI_BASE && irq < PHB_MSI_BASE + PHB_MSI_BLOCK);
}

static void set_lsi(void *ctx, uint32_t irq, bool level)
{
	(void)ctx;
	(void)level;
	CHECK(irq >= PHB_LSI_BASE && irq < PHB_LSI_BASE + 4);
}

static void irq_lock(void *ctx, bool take)
{
	(void)ctx;
	CHECK(locked != take);
	locked = take;
}

static const struct phb_hooks hooks = {
	NULL, map_registers, unmap_registers, map_memory, unmap_memory, raise_msi, set_lsi, irq_lock,
};

static uint64_t dev_read(void *dev, unsigned int bar, uint64_t off, unsigned int size)
{
	(void)dev;
	(void)bar;
	(void)off;
	(void)size;
	return 0;
}

static void dev_write(void *dev, unsigned int bar, uint64_t off, unsigned int size, uint64_t value)
{
	(void)dev;
	(void)bar;
	(void)off;
	(void)size;
	(void)value;
}

static unsigned int dev_memory(void *dev, unsigned int bar, struct pci_memory_segment seg[PCI_MAX_SEGMENTS])
{
	(void)dev;
	(void)bar;
	seg[0] = (struct pci_memory_segment){ 0, 4096, 0x100000000ull, true };
	seg[1] = (struct pci_memory_segment){ 8192, 8192, 0x100002000ull, false };
	return 2;
}

static const struct pci_device_ops dev_ops = { dev_read, dev_write, dev_memory };

struct input {
	const uint8_t *p;
	size_t n;
};

static uint64_t take(struct input *in, unsigned int bytes)
{
	uint64_t x = 0;
	for (unsigned int i = 0; i < bytes && in->n; i++, in->n--)
		x = x << 8 | *in->p++;
	return x;
}

/* A config address: mostly a present slot and a real register. */
static uint32_t pick_cfgaddr(struct input *in)
{
	uint8_t m = (uint8_t)take(in, 1);
	if (m >= 0xf0)
		return (uint32_t)take(in, 4);
	static const unsigned int slots[] = { 1, 2, 7 };
	return (uint32_t)slots[m % 3] << 11 | (uint32_t)(take(in, 1) & 0xfc) | (m & 0x30 ? 0 : (m & 3));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	nmaps = 0;
	locked = false;
	phb_init(&b, 0, &hooks);
	struct pci_identity id = { 0x1af4, 0x1110, 0x1af4, 0x1100, 0x050000, 1, 1 };
	struct pci_bar_def a[PCI_NUM_BARS] = { { 256, 0 }, { 4096, 0 }, { 1 << 20, PCI_BAR_MEM64 | PCI_BAR_PREFETCH } };
	struct pci_bar_def c[PCI_NUM_BARS] = { { 4096, 0 }, { 0 }, { 0 }, { 0 }, { 1 << 14, PCI_BAR_MEM64 } };
	struct pci_config ca, cc;
	CHECK(pci_config_init(&ca, &id, a) == 0 && pci_config_add_msix(&ca, 4, 1, 0, 0x800) == 0);
	CHECK(pci_config_init(&cc, &id, c) == 0 && pci_config_add_msix(&cc, 64, 4, 0, 0x2000) == 0);
	struct pci_function *fa = phb_plug(&b, 1, "memory", &ca, 1u << 2, &dev_ops, NULL);
	struct pci_function *fb = phb_plug(&b, 2, "memory", &ca, 1u << 2, &dev_ops, NULL);
	struct pci_function *fc = phb_plug(&b, 7, "ethernet", &cc, 0, &dev_ops, NULL);
	CHECK(fa && fb && fc);
	struct pci_function *fns[3] = { fa, fb, fc };

	for (int step = 0; step < 256 && in.n; step++) {
		uint8_t op = (uint8_t)take(&in, 1);
		uint32_t v = 0, rets[4];
		struct pci_function *f = fns[(op >> 4) % 3];
		switch (op % 9) {
		case 0:
		case 1: { /* config write, biased to command and BARs */
			uint32_t addr = pick_cfgaddr(&in);
			unsigned int sz = 1u << (take(&in, 1) % 4);
			uint32_t value = (uint32_t)take(&in, 4);
			if (op & 8)
				value = (op & 4) ? (uint32_t)(b.mem32_cpu ? 0x80000000u | (value & 0x7ffff000u) : value)
						 : (uint32_t)((b.mem64_cpu >> 32) & 0xffffffff);
			int rc = phb_config_write(&b, addr, sz, value);
			CHECK(rc == PHB_RTAS_OK || rc == PHB_RTAS_HW_ERROR);
			break;
		}
		case 2: {
			int rc = phb_config_read(&b, pick_cfgaddr(&in), 1u << (take(&in, 1) % 4), &v);
			CHECK(rc == PHB_RTAS_OK || rc == PHB_RTAS_HW_ERROR);
			break;
		}
		case 3: {
			uint32_t func = (uint32_t)take(&in, 1) % 6, num = (uint32_t)take(&in, 1) % 80;
			unsigned int n = phb_change_msi(&b, pick_cfgaddr(&in), func, num, (uint32_t)take(&in, 4), rets);
			CHECK(n >= 1 && n <= 4);
			if (n == 4)
				CHECK(rets[0] == 0 && rets[1] <= 64);
			break;
		}
		case 4: {
			uint32_t irq, edge;
			int rc = phb_query_irq(&b, pick_cfgaddr(&in), (uint32_t)take(&in, 1), &irq, &edge);
			if (rc == PHB_RTAS_OK)
				CHECK(irq >= PHB_MSI_BASE && irq < PHB_MSI_BASE + PHB_MSI_BLOCK && edge == 1);
			break;
		}
		case 5: { /* an MSI-X BAR access through the bar ops */
			unsigned int bar = f->cfg.msix_bar;
			uint64_t off = take(&in, 2) % (f->cfg.bar[bar].size + 16);
			unsigned int sz = 1u << (take(&in, 1) % 4);
			off &= ~(uint64_t)(sz - 1);
			if (off + sz > f->cfg.bar[bar].size)
				break;
			uint64_t value = take(&in, 8);
			if (take(&in, 1) & 1)
				phb_bar_ops.write(&f->bar_ref[bar], off, sz, value);
			else
				(void)phb_bar_ops.read(&f->bar_ref[bar], off, sz);
			break;
		}
		case 6:
			pci_msix_notify(f, (unsigned int)take(&in, 1) % 80);
			break;
		case 8: { /* a plausible BAR placement, memory space on */
			unsigned int bar = (unsigned int)take(&in, 1) % PCI_NUM_BARS;
			uint32_t reg = (uint32_t)f->slot << 11 | (PCI_BAR0 + 4 * bar);
			uint64_t addr = (op & 0x80) ? PHB_MEM32_PCI + (take(&in, 2) << 12)
						    : b.mem64_cpu + (take(&in, 3) << 20);
			CHECK(phb_config_write(&b, reg, 4, (uint32_t)addr) == PHB_RTAS_OK);
			if (bar < PCI_NUM_BARS - 1)
				CHECK(phb_config_write(&b, reg + 4, 4, (uint32_t)(addr >> 32)) == PHB_RTAS_OK);
			CHECK(phb_config_write(&b, (uint32_t)f->slot << 11 | PCI_COMMAND, 2, PCI_COMMAND_MEMORY) ==
			      PHB_RTAS_OK);
			break;
		}
		default:
			if (op & 8)
				phb_reset(&b);
			else
				pci_set_intx(f, take(&in, 1) & 1);
			break;
		}
		CHECK(!locked);
		for (unsigned int s = 0; s < 3; s++)
			for (unsigned int i = 0; i < PCI_NUM_BARS; i++)
				if (fns[s]->decoded[i])
					CHECK(find(fns[s]->decoded_gpa[i], fns[s]->memory_bar[i]) >= 0);
	}
	phb_reset(&b);
	CHECK(nmaps == 0);
	return 0;
}
