/* The virtual PCI host bridge (hv/papr/phb.c) and config space
 * (hv/papr/pci_config.c), against recording hooks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "hv/papr/phb.h"

static struct {
	unsigned int maps, unmaps, mem_maps, mem_unmaps, msis, locks;
	uint64_t last_gpa, last_size, last_host;
	bool last_ro;
	const struct mmio_ops *ops;
	void *dev;
	uint32_t msi[16];
	uint32_t lsi;
	bool lsi_level;
	int fail_maps;
} rec;

static int map_registers(void *ctx, uint64_t gpa, uint64_t size, const struct mmio_ops *ops, void *dev)
{
	(void)ctx;
	if (rec.fail_maps)
		return -1;
	rec.maps++;
	rec.last_gpa = gpa;
	rec.last_size = size;
	rec.ops = ops;
	rec.dev = dev;
	return 0;
}

static void unmap_registers(void *ctx, uint64_t gpa, const void *dev)
{
	(void)ctx;
	(void)dev;
	rec.unmaps++;
	rec.last_gpa = gpa;
}

static int map_memory(void *ctx, uint64_t gpa, uint64_t size, uint64_t host, bool ro)
{
	(void)ctx;
	rec.mem_maps++;
	rec.last_gpa = gpa;
	rec.last_size = size;
	rec.last_host = host;
	rec.last_ro = ro;
	return 0;
}

static void unmap_memory(void *ctx, uint64_t gpa)
{
	(void)ctx;
	rec.mem_unmaps++;
	rec.last_gpa = gpa;
}

static void raise_msi(void *ctx, uint32_t irq)
{
	(void)ctx;
	assert_true(rec.locks & 1); /* under the interrupt-state lock */
	if (rec.msis < 16)
		rec.msi[rec.msis] = irq;
	rec.msis++;
}

static void set_lsi(void *ctx, uint32_t irq, bool level)
{
	(void)ctx;
	rec.lsi = irq;
	rec.lsi_level = level;
}

static void irq_lock(void *ctx, bool take)
{
	(void)ctx;
	assert_int_equal(rec.locks & 1, !take); /* never nested */
	rec.locks++;
}

static const struct phb_hooks hooks = {
	NULL, map_registers, unmap_registers, map_memory, unmap_memory, raise_msi, set_lsi, irq_lock,
};

/* A device like ivshmem: BAR0 registers (256 B), BAR1 MSI-X (4 KiB), BAR2 64-bit prefetchable memory. */
static uint32_t reg_value;
static unsigned int reg_reads, reg_writes;

static uint64_t dev_read(void *dev, unsigned int bar, uint64_t off, unsigned int size)
{
	(void)dev;
	(void)size;
	reg_reads++;
	return bar == 0 && off == 8 ? reg_value : 0;
}

static void dev_write(void *dev, unsigned int bar, uint64_t off, unsigned int size, uint64_t value)
{
	(void)dev;
	(void)size;
	reg_writes++;
	if (bar == 0 && off == 8)
		reg_value = (uint32_t)value;
}

/* BAR2: 1 MiB read-only, then 3 MiB read-write. */
static unsigned int dev_memory(void *dev, unsigned int bar, struct pci_memory_segment seg[PCI_MAX_SEGMENTS])
{
	(void)dev;
	(void)bar;
	seg[0] = (struct pci_memory_segment){ 0, 1 << 20, 0x123400000ull, true };
	seg[1] = (struct pci_memory_segment){ 1 << 20, 3 << 20, 0x123500000ull, false };
	return 2;
}

static const struct pci_device_ops dev_ops = { dev_read, dev_write, dev_memory };

static struct phb b;
static struct pci_function *f;

#define CFG(slot, reg) ((uint32_t)(slot) << 11 | (uint32_t)(reg))

static int setup(void **state)
{
	(void)state;
	memset(&rec, 0, sizeof(rec));
	phb_init(&b, 0, &hooks);
	struct pci_identity id = { 0x1af4, 0x1110, 0x1af4, 0x1100, 0x050000, 1, 1 };
	struct pci_bar_def bars[PCI_NUM_BARS] = {
		{ 256, 0 },
		{ 4096, 0 },
		{ 4 << 20, PCI_BAR_MEM64 | PCI_BAR_PREFETCH },
	};
	struct pci_config cfg;
	if (pci_config_init(&cfg, &id, bars) || pci_config_add_msix(&cfg, 4, 1, 0, 0x800))
		return -1;
	f = phb_plug(&b, 3, "memory", &cfg, 1u << 2, &dev_ops, NULL);
	return f ? 0 : -1;
}

static uint32_t cfg_read(uint32_t reg, unsigned int size)
{
	uint32_t v = 0xdeadbeef;
	assert_int_equal(phb_config_read(&b, CFG(3, reg), size, &v), 0);
	return v;
}

static void cfg_write(uint32_t reg, unsigned int size, uint32_t v)
{
	assert_int_equal(phb_config_write(&b, CFG(3, reg), size, v), 0);
}

static void identity_and_read_only_fields(void **state)
{
	(void)state;
	assert_string_equal(f->node_name, "memory@3");
	assert_int_equal(cfg_read(PCI_VENDOR_ID, 4), 0x11101af4);
	assert_int_equal(cfg_read(PCI_CLASS_PROG, 1), 0x00);
	assert_int_equal(cfg_read(PCI_CLASS_PROG + 2, 1), 0x05);
	assert_int_equal(cfg_read(PCI_SUBSYSTEM_ID, 2), 0x1100);
	assert_int_equal(cfg_read(PCI_INTERRUPT_PIN, 1), 1);
	cfg_write(PCI_VENDOR_ID, 4, 0);
	cfg_write(PCI_INTERRUPT_PIN, 1, 3);
	cfg_write(PCI_REVISION_ID, 4, 0);
	assert_int_equal(cfg_read(PCI_VENDOR_ID, 4), 0x11101af4);
	assert_int_equal(cfg_read(PCI_INTERRUPT_PIN, 1), 1);
	assert_int_equal(cfg_read(PCI_REVISION_ID, 1), 1);
	/* Command: only memory, master, SERR, INTx disable stick. */
	cfg_write(PCI_COMMAND, 2, 0xffff);
	assert_int_equal(cfg_read(PCI_COMMAND, 2), 0x0506);
	/* Status: capabilities listed; error bits write-1-to-clear, never set. */
	assert_int_equal(cfg_read(PCI_STATUS, 2) & PCI_STATUS_CAP_LIST, PCI_STATUS_CAP_LIST);
	cfg_write(PCI_STATUS, 2, 0xffff);
	assert_int_equal(cfg_read(PCI_STATUS, 2), PCI_STATUS_CAP_LIST);
	/* Interrupt line is the OS's scratch byte. */
	cfg_write(PCI_INTERRUPT_LINE, 1, 0x42);
	assert_int_equal(cfg_read(PCI_INTERRUPT_LINE, 1), 0x42);
	/* MSI-X capability: 4 vectors, table in BAR1 at 0, PBA at 0x800. */
	assert_int_equal(cfg_read(PCI_CAPABILITY_LIST, 1), 0x40);
	assert_int_equal(cfg_read(0x40, 4), 0x00030011);
	assert_int_equal(cfg_read(0x44, 4), 0x1);
	assert_int_equal(cfg_read(0x48, 4), 0x801);
	cfg_write(0x40, 4, 0xffffffff); /* only enable and mask-all stick */
	assert_int_equal(cfg_read(0x40, 4), 0xc0030011);
}

static void bars_size_like_hardware(void **state)
{
	(void)state;
	cfg_write(PCI_BAR0, 4, 0xffffffff);
	assert_int_equal(cfg_read(PCI_BAR0, 4), 0xffffff00);
	cfg_write(PCI_BAR0 + 4, 4, 0xffffffff);
	assert_int_equal(cfg_read(PCI_BAR0 + 4, 4), 0xfffff000);
	cfg_write(PCI_BAR0 + 8, 4, 0xffffffff);
	cfg_write(PCI_BAR0 + 12, 4, 0xffffffff);
	assert_int_equal(cfg_read(PCI_BAR0 + 8, 4), 0xffc0000c); /* 4 MiB, 64-bit, prefetchable */
	assert_int_equal(cfg_read(PCI_BAR0 + 12, 4), 0xffffffff);
	assert_int_equal(cfg_read(PCI_BAR0 + 16, 4), 0); /* no BAR 4, 5 */
	cfg_write(PCI_BAR0 + 16, 4, 0xffffffff);
	assert_int_equal(cfg_read(PCI_BAR0 + 16, 4), 0);
	/* Byte writes merge. */
	cfg_write(PCI_BAR0, 4, 0);
	cfg_write(PCI_BAR0 + 3, 1, 0x81);
	assert_int_equal(cfg_read(PCI_BAR0, 4), 0x81000000);
	/* Bad definitions are refused. */
	struct pci_config c;
	struct pci_identity id = { 0 };
	struct pci_bar_def odd[PCI_NUM_BARS] = { { 300, 0 } };
	struct pci_bar_def last64[PCI_NUM_BARS] = { [5] = { 4096, PCI_BAR_MEM64 } };
	struct pci_bar_def tiny[PCI_NUM_BARS] = { { 8, 0 } };
	assert_int_equal(pci_config_init(&c, &id, odd), -1);
	assert_int_equal(pci_config_init(&c, &id, last64), -1);
	assert_int_equal(pci_config_init(&c, &id, tiny), -1);
	struct pci_bar_def one[PCI_NUM_BARS] = { { 4096, 0 } };
	assert_int_equal(pci_config_init(&c, &id, one), 0);
	assert_int_equal(pci_config_add_msix(&c, 300, 0, 0, 0x800), -1); /* table beyond the BAR */
	assert_int_equal(pci_config_add_msix(&c, 4, 1, 0, 0x800), -1);   /* no BAR 1 */
}

static void bars_decode_in_the_windows(void **state)
{
	(void)state;
	cfg_write(PCI_BAR0, 4, 0x80001000);
	cfg_write(PCI_BAR0 + 4, 4, 0x80002000);
	uint64_t pci64 = b.mem64_cpu + 0x400000;
	cfg_write(PCI_BAR0 + 8, 4, (uint32_t)pci64);
	cfg_write(PCI_BAR0 + 12, 4, (uint32_t)(pci64 >> 32));
	assert_int_equal(rec.maps + rec.mem_maps, 0); /* memory space still off */
	cfg_write(PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	assert_int_equal(rec.maps, 2);
	assert_int_equal(rec.mem_maps, 2); /* its two segments */
	assert_int_equal(rec.last_gpa, pci64 + (1 << 20));
	assert_int_equal(rec.last_size, 3 << 20);
	assert_int_equal(rec.last_host, 0x123500000ull);
	assert_false(rec.last_ro);
	assert_int_equal(f->decoded_gpa[0], b.mem32_cpu + 0x1000);
	assert_int_equal(f->decoded_gpa[1], b.mem32_cpu + 0x2000);
	/* BAR0's registers reach the device; offsets as the BAR sees them. */
	struct pci_bar_ref *r0 = &f->bar_ref[0];
	rec.ops = NULL;
	/* Moving BAR0 unmaps the old place and maps the new one. */
	cfg_write(PCI_BAR0, 4, 0x80003000);
	assert_int_equal(rec.unmaps, 1);
	assert_int_equal(rec.maps, 3);
	assert_int_equal(rec.last_gpa, b.mem32_cpu + 0x3000);
	assert_ptr_equal(rec.dev, r0);
	rec.ops->write(rec.dev, 8, 4, 0x5a5a);
	assert_int_equal(reg_value, 0x5a5a);
	assert_int_equal(rec.ops->read(rec.dev, 8, 4), 0x5a5a);
	/* Over BAR1: refused, counted, not decoded. */
	uint64_t refused = b.refused;
	cfg_write(PCI_BAR0, 4, 0x80002000);
	assert_false(f->decoded[0]);
	assert_int_equal(b.refused, refused + 1);
	/* Outside the windows: not decoded. */
	cfg_write(PCI_BAR0, 4, 0x10000000);
	assert_false(f->decoded[0]);
	/* The 64-bit BAR just past the window: not decoded. */
	uint64_t end = b.mem64_cpu + PHB_MEM64_SIZE;
	cfg_write(PCI_BAR0 + 8, 4, (uint32_t)end);
	cfg_write(PCI_BAR0 + 12, 4, (uint32_t)(end >> 32));
	assert_false(f->decoded[2]);
	/* Memory space off: everything goes. */
	cfg_write(PCI_BAR0, 4, 0x80004000);
	assert_true(f->decoded[0]);
	cfg_write(PCI_COMMAND, 2, 0);
	assert_false(f->decoded[0] || f->decoded[1] || f->decoded[2]);
	/* A mapping the partition refuses leaves the BAR undecoded. */
	rec.fail_maps = 1;
	cfg_write(PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	assert_false(f->decoded[0]);
	rec.fail_maps = 0;
	phb_reset(&b);
	assert_int_equal(cfg_read(PCI_COMMAND, 2), 0);
	assert_int_equal(cfg_read(PCI_BAR0, 4), 0);
}

static void bad_config_accesses(void **state)
{
	(void)state;
	uint32_t v;
	uint64_t refused = b.refused;
	assert_int_equal(phb_config_read(&b, CFG(3, 0), 3, &v), PHB_RTAS_HW_ERROR);              /* size */
	assert_int_equal(phb_config_read(&b, CFG(3, 2), 4, &v), PHB_RTAS_HW_ERROR);              /* alignment */
	assert_int_equal(phb_config_read(&b, CFG(4, 0), 4, &v), PHB_RTAS_HW_ERROR);              /* empty slot */
	assert_int_equal(phb_config_read(&b, CFG(3, 0) | 0x100, 4, &v), PHB_RTAS_HW_ERROR);      /* function 1 */
	assert_int_equal(phb_config_read(&b, CFG(3, 0) | 0x10000, 4, &v), PHB_RTAS_HW_ERROR);    /* bus 1 */
	assert_int_equal(phb_config_read(&b, CFG(3, 0) | 0x10000000, 4, &v), PHB_RTAS_HW_ERROR); /* reg 0x100 */
	assert_int_equal(phb_config_read(&b, CFG(3, 0) | 0x1000000, 4, &v), PHB_RTAS_HW_ERROR);  /* bits 24:27 */
	assert_int_equal(phb_config_write(&b, CFG(3, 0) | 0xf0000000, 4, 0), PHB_RTAS_HW_ERROR);
	assert_int_equal(phb_config_write(&b, CFG(3, 1), 2, 0), PHB_RTAS_HW_ERROR);
	assert_int_equal(phb_config_write(&b, CFG(3, 0), 8, 0), PHB_RTAS_HW_ERROR);
	assert_int_equal(b.refused, refused + 10);
}

static void msi_allocation(void **state)
{
	(void)state;
	uint32_t rets[4] = { 0 }, irq = 0, edge = 0;
	assert_int_equal(phb_change_msi(&b, CFG(3, 0), 3, 1, 0, rets), 1); /* plain MSI: none */
	assert_int_equal((int32_t)rets[0], PHB_RTAS_PARAM_ERR);
	assert_int_equal(phb_change_msi(&b, CFG(5, 0), 4, 1, 0, rets), 1); /* no device */
	assert_int_equal(phb_change_msi(&b, CFG(3, 0), 4, 0, 0, rets), 1); /* nothing to release */
	assert_int_equal((int32_t)rets[0], PHB_RTAS_HW_ERROR);
	assert_int_equal(phb_change_msi(&b, CFG(3, 0), 4, 8, 5, rets), 4); /* more than it has */
	assert_int_equal(rets[0], 0);
	assert_int_equal(rets[1], 4);
	assert_int_equal(rets[2], 6);
	assert_int_equal(f->msi_count, 0);
	assert_int_equal(phb_change_msi(&b, CFG(3, 0), 1, 2, 6, rets), 4);
	assert_int_equal(rets[1], 2);
	assert_int_equal(rets[3], 2); /* MSI-X */
	assert_int_equal(f->msi_first, PHB_MSI_BASE);
	assert_int_equal(phb_query_irq(&b, CFG(3, 0), 1, &irq, &edge), 0);
	assert_int_equal(irq, PHB_MSI_BASE + 1);
	assert_int_equal(edge, 1);
	assert_int_equal(phb_query_irq(&b, CFG(3, 0), 2, &irq, &edge), PHB_RTAS_HW_ERROR);
	/* The table holds QEMU's message: address 0x40000000000, data = source. */
	uint64_t lo = f->msix_table[1][0] | (uint64_t)f->msix_table[1][1] << 8;
	assert_int_equal(f->msix_table[1][8] | f->msix_table[1][9] << 8, PHB_MSI_BASE + 1);
	assert_int_equal(lo, 0);
	assert_int_equal(f->msix_table[1][5], 0x04); /* 0x400_0000_0000: byte 5 */
	/* Asking again replaces the block; releasing frees it. */
	assert_int_equal(phb_change_msi(&b, CFG(3, 0), 4, 4, 0, rets), 4);
	assert_int_equal(f->msi_first, PHB_MSI_BASE);
	assert_int_equal(f->msi_count, 4);
	assert_int_equal(phb_change_msi(&b, CFG(3, 0), 4, 0, 0, rets), 2);
	assert_int_equal(rets[0], 0);
	assert_int_equal(f->msi_count, 0);
	assert_int_equal(phb_query_irq(&b, CFG(3, 0), 0, &irq, &edge), PHB_RTAS_HW_ERROR);
}

static uint64_t table_io(unsigned int size, uint64_t off, bool store, uint64_t v)
{
	/* BAR1 through the bar ops, as the MMIO bus would call them. */
	cfg_write(PCI_BAR0 + 4, 4, 0x80002000);
	cfg_write(PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	const struct mmio_ops *ops = rec.ops;
	void *dev = &f->bar_ref[1];
	if (store) {
		ops->write(dev, off, size, v);
		return 0;
	}
	return ops->read(dev, off, size);
}

static void msix_masking_and_pending(void **state)
{
	(void)state;
	uint32_t rets[4];
	assert_int_equal(phb_change_msi(&b, CFG(3, 0), 4, 2, 0, rets), 4);
	pci_msix_notify(f, 0); /* MSI-X not enabled: nothing */
	assert_int_equal(rec.msis, 0);
	cfg_write(0x42, 2, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	pci_msix_notify(f, 0);
	assert_int_equal(rec.msis, 0);
	assert_int_equal(table_io(4, 0x800, false, 0), 1); /* pending bit 0 */
	cfg_write(0x42, 2, PCI_MSIX_FLAGS_ENABLE);         /* function mask off: vector 0 still masked */
	assert_int_equal(rec.msis, 0);
	table_io(4, 12, true, 0); /* unmask vector 0: the pending one goes */
	assert_int_equal(rec.msis, 1);
	assert_int_equal(rec.msi[0], PHB_MSI_BASE);
	assert_int_equal(table_io(4, 0x800, false, 0), 0);
	pci_msix_notify(f, 0);
	assert_int_equal(rec.msis, 2);
	pci_msix_notify(f, 1); /* masked vector: pending */
	assert_int_equal(table_io(8, 0x800, false, 0), 2);
	table_io(4, 0x800, true, 0); /* PBA is read-only */
	assert_int_equal(table_io(8, 0x800, false, 0), 2);
	table_io(4, 16 + 12, true, 0);
	assert_int_equal(rec.msis, 3);
	assert_int_equal(rec.msi[2], PHB_MSI_BASE + 1);
	/* Vectors it has but got no source for, and beyond its count: dropped. */
	pci_msix_notify(f, 3);
	table_io(4, 48 + 12, true, 0);
	pci_msix_notify(f, 3);
	pci_msix_notify(f, 99);
	assert_int_equal(rec.msis, 3);
	/* Table reads back what was written, in any size. */
	table_io(4, 16, true, 0x11223344);
	assert_int_equal(table_io(2, 18, false, 0), 0x1122);
	assert_int_equal(table_io(1, 16, false, 0), 0x44);
	/* An offset in BAR1 beyond table and PBA goes to the device. */
	unsigned int reads = reg_reads;
	table_io(4, 0x400, false, 0);
	assert_int_equal(reg_reads, reads + 1);
}

static void intx_follows_level_and_disable(void **state)
{
	(void)state;
	/* slot 3, pin A: swizzle (3 + 1 - 1) % 4 = 3. */
	assert_int_equal(pci_intx_source(f), PHB_LSI_BASE + 3);
	pci_set_intx(f, true);
	assert_true(rec.lsi_level);
	assert_int_equal(rec.lsi, PHB_LSI_BASE + 3);
	assert_int_equal(cfg_read(PCI_STATUS, 2) & PCI_STATUS_INTERRUPT, PCI_STATUS_INTERRUPT);
	cfg_write(PCI_COMMAND, 2, PCI_COMMAND_INTX_DISABLE);
	assert_false(rec.lsi_level);
	assert_int_equal(cfg_read(PCI_STATUS, 2) & PCI_STATUS_INTERRUPT, PCI_STATUS_INTERRUPT); /* still shown */
	cfg_write(PCI_COMMAND, 2, 0);
	assert_true(rec.lsi_level);
	pci_set_intx(f, false);
	assert_false(rec.lsi_level);
	assert_int_equal(cfg_read(PCI_STATUS, 2) & PCI_STATUS_INTERRUPT, 0);
	assert_int_equal(rec.locks % 2, 0);
}

static void slots_and_names(void **state)
{
	(void)state;
	struct pci_config cfg = f->cfg;
	assert_null(phb_plug(&b, 3, "x", &cfg, 0, &dev_ops, NULL)); /* taken */
	assert_null(phb_plug(&b, 32, "x", &cfg, 0, &dev_ops, NULL));
	struct pci_function *g = phb_plug(&b, 17, "ethernet", &cfg, 0, &dev_ops, NULL);
	assert_non_null(g);
	assert_string_equal(g->node_name, "ethernet@11");
	assert_int_equal(pci_intx_source(g), PHB_LSI_BASE + 1); /* (17 + 0) % 4 */
	struct phb b1;
	phb_init(&b1, 1, &hooks);
	assert_int_equal(b1.buid, PHB_BUID_BASE + 1);
	assert_int_equal(b1.mem32_cpu, PHB_WINDOW_BASE + 2 * PHB_MEM32_SIZE);
	assert_int_equal(b1.mem64_cpu, PHB_WINDOW_BASE + 2 * PHB_MEM64_SIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(identity_and_read_only_fields, setup),
		cmocka_unit_test_setup(bars_size_like_hardware, setup),
		cmocka_unit_test_setup(bars_decode_in_the_windows, setup),
		cmocka_unit_test_setup(bad_config_accesses, setup),
		cmocka_unit_test_setup(msi_allocation, setup),
		cmocka_unit_test_setup(msix_masking_and_pending, setup),
		cmocka_unit_test_setup(intx_follows_level_and_disable, setup),
		cmocka_unit_test_setup(slots_and_names, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
