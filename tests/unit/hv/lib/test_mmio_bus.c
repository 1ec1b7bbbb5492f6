/* The MMIO region registry (hv/lib/mmio_bus.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "hv/lib/mmio_bus.h"

struct dev {
	uint64_t last_off, last_value;
	unsigned int last_size, reads, writes;
};

static uint64_t dev_read(void *d, uint64_t off, unsigned int size)
{
	struct dev *x = d;
	x->reads++;
	x->last_off = off;
	x->last_size = size;
	return 0x1122334455667788ull; /* more than asked: the bus masks it */
}

static void dev_write(void *d, uint64_t off, unsigned int size, uint64_t value)
{
	struct dev *x = d;
	x->writes++;
	x->last_off = off;
	x->last_size = size;
	x->last_value = value;
}

static const struct mmio_ops ops = { dev_read, dev_write };

static void regions_route_by_address(void **state)
{
	(void)state;
	struct mmio_bus b = { 0 };
	struct dev a = { 0 }, c = { 0 };
	assert_int_equal(mmio_bus_add(&b, 0x10000, 0x1000, &ops, &a), 0);
	assert_int_equal(mmio_bus_add(&b, 0x20000, 0x100, &ops, &c), 0);
	uint64_t v = 0;
	assert_true(mmio_bus_access(&b, 0x10008, 4, false, &v));
	assert_int_equal(v, 0x55667788);
	assert_int_equal(a.last_off, 8);
	assert_int_equal(a.last_size, 4);
	v = 0xabcdef0123456789ull;
	assert_true(mmio_bus_access(&b, 0x200fe, 2, true, &v));
	assert_int_equal(c.last_off, 0xfe);
	assert_int_equal(c.last_value, 0x6789); /* only the access's bytes */
	assert_int_equal(a.writes, 0);
}

static void unassigned_reads_ones(void **state)
{
	(void)state;
	struct mmio_bus b = { 0 };
	struct dev a = { 0 };
	assert_int_equal(mmio_bus_add(&b, 0x10000, 0x1000, &ops, &a), 0);
	uint64_t v = 0;
	assert_false(mmio_bus_access(&b, 0x11000, 4, false, &v));
	assert_int_equal(v, 0xffffffff);
	assert_false(mmio_bus_access(&b, 0xfffc, 8, false, &v)); /* straddles the start */
	assert_int_equal(v, ~0ull);
	assert_false(mmio_bus_access(&b, 0x10ffc, 8, true, &v)); /* straddles the end */
	assert_int_equal(b.unassigned, 3);
	assert_int_equal(a.reads + a.writes, 0);
}

static void overlaps_and_removal(void **state)
{
	(void)state;
	struct mmio_bus b = { 0 };
	struct dev a = { 0 }, c = { 0 };
	assert_int_equal(mmio_bus_add(&b, 0x10000, 0x1000, &ops, &a), 0);
	assert_int_equal(mmio_bus_add(&b, 0x10fff, 0x10, &ops, &c), -1);
	assert_int_equal(mmio_bus_add(&b, 0xf000, 0x1001, &ops, &c), -1);
	assert_int_equal(mmio_bus_add(&b, ~0ull - 0xf, 0x20, &ops, &c), -1);
	assert_int_equal(mmio_bus_add(&b, 0x30000, 0, &ops, &c), -1);
	mmio_bus_remove(&b, &c, 0x10000); /* not its region: nothing */
	assert_int_equal(b.n, 1);
	mmio_bus_remove(&b, &a, 0x10000);
	assert_int_equal(b.n, 0);
	assert_int_equal(mmio_bus_add(&b, 0x10fff, 0x10, &ops, &c), 0);
	for (unsigned int i = 1; i < MMIO_BUS_MAX; i++)
		assert_int_equal(mmio_bus_add(&b, 0x100000 * i, 0x10, &ops, &c), 0);
	assert_int_equal(mmio_bus_add(&b, 0x7000000, 0x10, &ops, &c), -1); /* full */
}

/* The last region found is tried first; a removal or a new region in its
 * slot never lets an address reach the wrong device. */
static void the_last_region_hint_never_misroutes(void **state)
{
	(void)state;
	struct mmio_bus b = { 0 };
	struct dev a = { 0 }, c = { 0 }, d = { 0 };
	uint64_t v = 0;
	assert_int_equal(mmio_bus_add(&b, 0x10000, 0x1000, &ops, &a), 0);
	assert_int_equal(mmio_bus_add(&b, 0x20000, 0x1000, &ops, &c), 0);
	assert_true(mmio_bus_access(&b, 0x20008, 4, true, &v)); /* c: now the hint */
	assert_int_equal(c.writes, 1);
	assert_true(mmio_bus_access(&b, 0x10008, 4, true, &v)); /* a, found past the hint */
	assert_int_equal(a.writes, 1);
	assert_true(mmio_bus_access(&b, 0x20010, 4, true, &v));
	assert_int_equal(c.writes, 2);
	mmio_bus_remove(&b, &c, 0x20000);
	assert_false(mmio_bus_access(&b, 0x20010, 4, true, &v));
	assert_int_equal(c.writes, 2);
	assert_int_equal(mmio_bus_add(&b, 0x30000, 0x1000, &ops, &d), 0);
	assert_false(mmio_bus_access(&b, 0x20010, 4, false, &v));
	assert_int_equal(v, 0xffffffff);
	assert_true(mmio_bus_access(&b, 0x30000, 8, true, &v));
	assert_int_equal(d.writes, 1);
	assert_int_equal(b.unassigned, 2);
}

/* A per-instruction hint: used while the bus is unchanged and the region
 * claims the access; any add or remove, or an address outside it, finds
 * the region again. */
static void hints_follow_every_change(void **state)
{
	(void)state;
	struct mmio_bus b = { 0 };
	struct dev a = { 0 }, c = { 0 }, e = { 0 };
	struct mmio_bus_hint h = { 0 };
	uint64_t v = 7;
	assert_int_equal(mmio_bus_add(&b, 0x10000, 0x1000, &ops, &a), 0);
	assert_int_equal(mmio_bus_add(&b, 0x20000, 0x1000, &ops, &c), 0);
	assert_true(mmio_bus_access_hinted(&b, &h, 0x10010, 4, true, &v));
	assert_ptr_equal(h.r->dev, &a);
	assert_int_equal(a.writes, 1);
	assert_true(mmio_bus_access_hinted(&b, &h, 0x10ffc, 4, true, &v)); /* the hint, at its last word */
	assert_int_equal(a.writes, 2);
	assert_int_equal(a.last_off, 0xffc);
	assert_true(mmio_bus_access_hinted(&b, &h, 0x20000, 4, true, &v)); /* another region: found again */
	assert_int_equal(c.writes, 1);
	assert_ptr_equal(h.r->dev, &c);
	assert_false(mmio_bus_access_hinted(&b, &h, 0x10ffe, 4, false, &v)); /* straddles the end: claimed by none */
	assert_int_equal(v, 0xffffffff);
	assert_int_equal(b.unassigned, 1);
	/* The region moves (a BAR relocated): the same address is nobody's,
	 * then another device's, and a remembered region is never used again. */
	assert_true(mmio_bus_access_hinted(&b, &h, 0x10010, 4, true, &v));
	mmio_bus_remove(&b, &a, 0x10000);
	assert_false(mmio_bus_access_hinted(&b, &h, 0x10010, 4, true, &v));
	assert_int_equal(a.writes, 3);
	assert_int_equal(mmio_bus_add(&b, 0x10000, 0x100, &ops, &e), 0);
	assert_true(mmio_bus_access_hinted(&b, &h, 0x10010, 4, true, &v));
	assert_int_equal(e.writes, 1);
	assert_int_equal(a.writes, 3);
	/* c's region was moved within the array by the removal: still reached right */
	assert_true(mmio_bus_access_hinted(&b, &h, 0x20008, 2, false, &v));
	assert_int_equal(c.reads, 1);
	assert_int_equal(v, 0x7788);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(regions_route_by_address),  cmocka_unit_test(unassigned_reads_ones),
		cmocka_unit_test(overlaps_and_removal),      cmocka_unit_test(the_last_region_hint_never_misroutes),
		cmocka_unit_test(hints_follow_every_change),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
