/* ivshmem (shm/ivshmem.c): registers, doorbells by MSI-X and by INTx, the
 * shared memory's segments and the state table. Two peers, each on its own
 * bridge with recording hooks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "shm/ivshmem.h"

struct side {
	unsigned int msis;
	uint32_t last_msi;
	bool lsi;
	bool locked;
	bool alive;
};

static struct side sides[2];

static int map_registers(void *ctx, uint64_t gpa, uint64_t size, const struct mmio_ops *ops, void *dev)
{
	(void)ctx, (void)gpa, (void)size, (void)ops, (void)dev;
	return 0;
}
static void unmap_registers(void *ctx, uint64_t gpa, const void *dev)
{
	(void)ctx, (void)gpa, (void)dev;
}
static struct pci_memory_segment mapped[2][8];
static unsigned int nmapped[2];
static int map_memory(void *ctx, uint64_t gpa, uint64_t size, uint64_t host, bool ro)
{
	struct side *s = ctx;
	unsigned int k = (unsigned int)(s - sides);
	mapped[k][nmapped[k]++] = (struct pci_memory_segment){ gpa, size, host, ro };
	return 0;
}
static uint64_t unmapped[2][8];
static unsigned int nunmapped[2];
static void unmap_memory(void *ctx, uint64_t gpa)
{
	struct side *s = ctx;
	unsigned int k = (unsigned int)(s - sides);
	if (nunmapped[k] < 8)
		unmapped[k][nunmapped[k]] = gpa;
	nunmapped[k]++;
}
static void raise_msi(void *ctx, uint32_t irq)
{
	struct side *s = ctx;
	assert_true(s->locked);
	s->msis++;
	s->last_msi = irq;
}
static void set_lsi(void *ctx, uint32_t irq, bool level)
{
	struct side *s = ctx;
	(void)irq;
	assert_true(s->locked);
	s->lsi = level;
}
static void irq_lock(void *ctx, bool take)
{
	struct side *s = ctx;
	assert_true(s->locked != take);
	s->locked = take;
}

static const struct phb_hooks hooks0 = { &sides[0],    map_registers, unmap_registers, map_memory,
					 unmap_memory, raise_msi,     set_lsi,         irq_lock };
static const struct phb_hooks hooks1 = { &sides[1],    map_registers, unmap_registers, map_memory,
					 unmap_memory, raise_msi,     set_lsi,         irq_lock };

static bool alive(void *owner)
{
	return ((struct side *)owner)->alive;
}

static struct phb b0, b1;
static struct ivshmem_region r;
static uint8_t *mem;

#define CFG(slot, reg) ((uint32_t)(slot) << 11 | (uint32_t)(reg))

static int setup_with(uint64_t output_size)
{
	memset(sides, 0, sizeof(sides));
	memset(nmapped, 0, sizeof(nmapped));
	memset(nunmapped, 0, sizeof(nunmapped));
	sides[0].alive = sides[1].alive = true;
	phb_init(&b0, 0, &hooks0);
	phb_init(&b1, 0, &hooks1);
	mem = aligned_alloc(1 << 20, 1 << 20);
	memset(mem, 0, 1 << 20);
	memset(&r, 0, sizeof(r));
	r.host = (uint64_t)(uintptr_t)mem;
	r.size = 1 << 20;
	r.output_size = output_size;
	r.npeers = 2;
	r.alive = alive;
	r.peer[0].owner = &sides[0];
	r.peer[1].owner = &sides[1];
	if (ivshmem_region_check(&r) || !ivshmem_plug(&r, 0, &b0, 1) || !ivshmem_plug(&r, 1, &b1, 2))
		return -1;
	return 0;
}

static int setup(void **state)
{
	(void)state;
	return setup_with(0);
}

static int setup_sections(void **state)
{
	(void)state;
	return setup_with(64 * 1024);
}

static int teardown(void **state)
{
	(void)state;
	free(mem);
	return 0;
}

static uint64_t reg_read(struct ivshmem *d, uint64_t off, unsigned int size)
{
	return phb_bar_ops.read(&d->fn->bar_ref[0], off, size);
}

static void reg_write(struct ivshmem *d, uint64_t off, unsigned int size, uint64_t v)
{
	phb_bar_ops.write(&d->fn->bar_ref[0], off, size, v);
}

static void identity_and_registers(void **state)
{
	(void)state;
	struct ivshmem *a = &r.peer[0], *b = &r.peer[1];
	uint32_t v;
	assert_int_equal(phb_config_read(&b1, CFG(2, 0), 4, &v), 0);
	assert_int_equal(v, 0x11101af4);
	assert_int_equal(phb_config_read(&b1, CFG(2, 8), 4, &v), 0);
	assert_int_equal(v, 0x05000001);
	assert_int_equal(reg_read(a, IVSHMEM_REG_POSITION, 4), 0);
	assert_int_equal(reg_read(b, IVSHMEM_REG_POSITION, 4), 1);
	reg_write(b, IVSHMEM_REG_POSITION, 4, 7); /* read-only */
	assert_int_equal(reg_read(b, IVSHMEM_REG_POSITION, 4), 1);
	/* IntrMask: byte lanes in every size. */
	reg_write(a, 0, 4, 0x11223344);
	assert_int_equal(reg_read(a, 0, 4), 0x11223344);
	reg_write(a, 1, 1, 0xaa);
	assert_int_equal(reg_read(a, 0, 4), 0x1122aa44);
	assert_int_equal(reg_read(a, 2, 2), 0x1122);
	assert_int_equal(reg_read(a, 3, 1), 0x11);
	reg_write(a, 0, 2, 0xbeef);
	assert_int_equal(reg_read(a, 0, 4), 0x1122beef);
	/* An 8-byte access covers IntrMask and IntrStatus. */
	reg_write(a, 0, 8, 0x0000000500000003ull);
	assert_int_equal(reg_read(a, 0, 4), 3);
	assert_int_equal(reg_read(a, 0, 8), 0x0000000500000003ull); /* and clears the status */
	assert_int_equal(reg_read(a, IVSHMEM_REG_STATUS, 4), 0);
	assert_int_equal(reg_read(a, 8, 8), 0); /* IVPosition 0, Doorbell reads 0 */
	assert_int_equal(reg_read(b, 8, 8), 1);
	/* Beyond the registers: nothing. */
	reg_write(a, 0x80, 4, 0xffffffff);
	assert_int_equal(reg_read(a, 0x80, 4), 0);
}

static void doorbell_by_msix(void **state)
{
	(void)state;
	struct ivshmem *a = &r.peer[0];
	uint32_t rets[4];
	/* Peer 1 enables MSI-X with 4 vectors, all unmasked. */
	assert_int_equal(phb_change_msi(&b1, CFG(2, 0), 4, 4, 0, rets), 4);
	assert_int_equal(phb_config_write(&b1, CFG(2, 0x42), 2, PCI_MSIX_FLAGS_ENABLE), 0);
	for (unsigned int v = 0; v < 4; v++)
		phb_bar_ops.write(&r.peer[1].fn->bar_ref[1], 16 * v + 12, 4, 0);
	reg_write(a, IVSHMEM_REG_DOORBELL, 4, 1 << 16 | 2);
	assert_int_equal(sides[1].msis, 1);
	assert_int_equal(sides[1].last_msi, PHB_MSI_BASE + 2);
	assert_int_equal(r.peer[1].received, 1);
	/* Bad vector, bad peer: dropped, counted. */
	reg_write(a, IVSHMEM_REG_DOORBELL, 4, 1 << 16 | 4);
	reg_write(a, IVSHMEM_REG_DOORBELL, 4, 2 << 16 | 0);
	reg_write(a, IVSHMEM_REG_DOORBELL, 4, 0xffff0000u);
	assert_int_equal(sides[1].msis, 1);
	assert_int_equal(a->dropped, 3);
	assert_int_equal(a->rung, 4);
	/* A stopped peer drops its doorbells. */
	sides[1].alive = false;
	reg_write(a, IVSHMEM_REG_DOORBELL, 4, 1 << 16 | 1);
	assert_int_equal(sides[1].msis, 1);
	assert_int_equal(a->dropped, 4);
	sides[1].alive = true;
	/* A doorbell written in two halves: the low half alone rings peer 0. */
	reg_write(a, IVSHMEM_REG_DOORBELL, 2, 3);
	assert_int_equal(sides[0].msis, 0); /* peer 0 (itself) has no MSI-X enabled: status instead */
	assert_int_equal(reg_read(a, IVSHMEM_REG_STATUS, 4), 1);
}

static void doorbell_by_intx(void **state)
{
	(void)state;
	struct ivshmem *a = &r.peer[0], *b = &r.peer[1];
	reg_write(a, IVSHMEM_REG_DOORBELL, 4, 1 << 16);
	assert_false(sides[1].lsi); /* IntrMask 0: status only */
	assert_int_equal(b->intr_status, 1);
	reg_write(b, IVSHMEM_REG_MASK, 4, 1);
	assert_true(sides[1].lsi); /* unmasked: INTx up */
	assert_int_equal(reg_read(b, IVSHMEM_REG_STATUS, 4), 1);
	assert_false(sides[1].lsi); /* read clears, INTx down */
	reg_write(a, IVSHMEM_REG_DOORBELL, 4, 1 << 16);
	assert_true(sides[1].lsi);
	/* INTx disable in the command register holds it down; status stays. */
	assert_int_equal(phb_config_write(&b1, CFG(2, PCI_COMMAND), 2, PCI_COMMAND_INTX_DISABLE), 0);
	assert_false(sides[1].lsi);
	uint32_t status;
	assert_int_equal(phb_config_read(&b1, CFG(2, PCI_STATUS), 2, &status), 0);
	assert_int_equal(status & PCI_STATUS_INTERRUPT, PCI_STATUS_INTERRUPT);
	/* A restart of the peer clears its registers. */
	ivshmem_peer_state(b, true);
	assert_int_equal(b->intr_status | b->intr_mask, 0);
	assert_false(sides[1].lsi);
}

static void plain_memory_is_one_segment(void **state)
{
	(void)state;
	r.peer[1].read_only = true;
	uint64_t pci = b1.mem64_cpu;
	assert_int_equal(phb_config_write(&b1, CFG(2, 0x18), 4, (uint32_t)pci), 0);
	assert_int_equal(phb_config_write(&b1, CFG(2, 0x1c), 4, (uint32_t)(pci >> 32)), 0);
	assert_int_equal(phb_config_write(&b1, CFG(2, PCI_COMMAND), 2, PCI_COMMAND_MEMORY), 0);
	assert_int_equal(nmapped[1], 1);
	assert_int_equal(mapped[1][0].offset, pci); /* the hook gets the gpa */
	assert_int_equal(mapped[1][0].size, 1 << 20);
	assert_int_equal(mapped[1][0].host, r.host);
	assert_true(mapped[1][0].read_only);
}

static void sections_and_state_table(void **state)
{
	(void)state;
	uint64_t pci = b0.mem64_cpu;
	assert_int_equal(phb_config_write(&b0, CFG(1, 0x18), 4, (uint32_t)pci), 0);
	assert_int_equal(phb_config_write(&b0, CFG(1, 0x1c), 4, (uint32_t)(pci >> 32)), 0);
	assert_int_equal(phb_config_write(&b0, CFG(1, PCI_COMMAND), 2, PCI_COMMAND_MEMORY), 0);
	/* state table RO, common RW, own output RW, the other's output RO */
	assert_int_equal(nmapped[0], 4);
	uint64_t out = (1 << 20) - 2 * 64 * 1024;
	assert_int_equal(mapped[0][0].offset, pci);
	assert_true(mapped[0][0].read_only);
	assert_int_equal(mapped[0][0].size, 64 * 1024);
	assert_int_equal(mapped[0][1].offset, pci + 64 * 1024);
	assert_int_equal(mapped[0][1].size, out - 64 * 1024);
	assert_false(mapped[0][1].read_only);
	assert_int_equal(mapped[0][2].offset, pci + out);
	assert_false(mapped[0][2].read_only); /* peer 0's own */
	assert_int_equal(mapped[0][3].offset, pci + out + 64 * 1024);
	assert_true(mapped[0][3].read_only);
	assert_int_equal(mapped[0][3].host, r.host + out + 64 * 1024);
	/* Memory space off: every segment withdrawn; the BAR moved and on
	 * again: every segment at its new place. */
	assert_int_equal(phb_config_write(&b0, CFG(1, PCI_COMMAND), 2, 0), 0);
	assert_int_equal(nunmapped[0], 4);
	assert_int_equal(unmapped[0][0], pci);
	assert_int_equal(unmapped[0][3], pci + out + 64 * 1024);
	uint64_t moved = pci + 0x1000000;
	assert_int_equal(phb_config_write(&b0, CFG(1, 0x18), 4, (uint32_t)moved | 0xc), 0);
	assert_int_equal(phb_config_write(&b0, CFG(1, 0x1c), 4, (uint32_t)(moved >> 32)), 0);
	assert_int_equal(phb_config_write(&b0, CFG(1, PCI_COMMAND), 2, PCI_COMMAND_MEMORY), 0);
	assert_int_equal(nmapped[0], 8);
	assert_int_equal(mapped[0][4].offset, moved);
	assert_int_equal(nunmapped[0], 4);
	/* The state table follows the peers. */
	ivshmem_peer_state(&r.peer[1], true);
	assert_int_equal(mem[4], 1);
	ivshmem_peer_state(&r.peer[1], false);
	assert_int_equal(mem[4], 0);
	ivshmem_peer_state(&r.peer[0], true);
	assert_int_equal(mem[0], 1);
}

static void region_checks(void **state)
{
	(void)state;
	struct ivshmem_region x = { .host = 0x100000, .size = 1 << 20, .npeers = 2 };
	assert_int_equal(ivshmem_region_check(&x), 0);
	x.size = 3 << 20;
	assert_int_equal(ivshmem_region_check(&x), -1);
	x.size = 1 << 20;
	x.npeers = 0;
	assert_int_equal(ivshmem_region_check(&x), -1);
	x.npeers = IVSHMEM_MAX_PEERS + 1;
	assert_int_equal(ivshmem_region_check(&x), -1);
	x.npeers = 2;
	x.output_size = 512 * 1024; /* 64K + 2 * 512K > 1M */
	assert_int_equal(ivshmem_region_check(&x), -1);
	x.output_size = 0x800;
	assert_int_equal(ivshmem_region_check(&x), -1);
	x.output_size = 0x1000; /* not a 64 KiB granule */
	assert_int_equal(ivshmem_region_check(&x), -1);
	x.output_size = 256 * 1024;
	assert_int_equal(ivshmem_region_check(&x), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(identity_and_registers, setup, teardown),
		cmocka_unit_test_setup_teardown(doorbell_by_msix, setup, teardown),
		cmocka_unit_test_setup_teardown(doorbell_by_intx, setup, teardown),
		cmocka_unit_test_setup_teardown(plain_memory_is_one_segment, setup, teardown),
		cmocka_unit_test_setup_teardown(sections_and_state_table, setup_sections, teardown),
		cmocka_unit_test(region_checks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
