/* A DMA window's TCE table and its I/O-address allocator (drivers/pci/tce_window.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "drivers/pci/tce_window.h"

#define ENTRIES 128
#define SHIFT   12
#define PAGE    (1ull << SHIFT)
#define BASE    0x10000000ull /* not 0: catches a bus address taken for an entry index */
#define RW      (HOST_TCE_READ | HOST_TCE_WRITE)

static uint64_t table[ENTRIES];
static uint64_t bitmap[ENTRIES / 64];
static struct tce_window w;

static int setup(void **state)
{
	(void)state;
	memset(table, 0xa5, sizeof(table)); /* init must clear both */
	memset(bitmap, 0xa5, sizeof(bitmap));
	tce_window_init(&w, table, bitmap, ENTRIES, SHIFT, BASE);
	return 0;
}

/* Entry i of the table as the PHB reads it: big-endian bytes. */
static uint64_t entry_bytes(unsigned int i)
{
	const uint8_t *b = (const uint8_t *)&table[i];
	uint64_t v = 0;
	for (int k = 0; k < 8; k++)
		v = v << 8 | b[k];
	return v;
}

static unsigned int entry_of(uint64_t bus)
{
	return (unsigned int)((bus - BASE) >> SHIFT);
}

static void init_clears(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < ENTRIES; i++)
		assert_int_equal(table[i], 0);
	for (unsigned int i = 0; i < ENTRIES / 64; i++)
		assert_int_equal(bitmap[i], 0);
	assert_int_equal(w.used, 0);
	assert_int_equal(w.next, 0);
	uint64_t real, perm;
	assert_false(tce_window_translate(&w, BASE, &real, &perm));
}

static void map_translate_unmap(void **state)
{
	(void)state;
	uint64_t a, b, real, perm;
	assert_int_equal(tce_window_map(&w, 0x12345000, 2 * PAGE, RW, &a), 0);
	assert_int_equal(a, BASE); /* the first entry */
	assert_int_equal(tce_window_map(&w, 0x7000, PAGE, HOST_TCE_READ, &b), 0);
	assert_int_equal(b, BASE + 2 * PAGE); /* after the first mapping's two pages */
	assert_int_equal(w.used, 3);

	assert_true(tce_window_translate(&w, a, &real, &perm));
	assert_int_equal(real, 0x12345000);
	assert_int_equal(perm, RW);
	assert_true(tce_window_translate(&w, a + PAGE + 0x123, &real, &perm));
	assert_int_equal(real, 0x12346123);
	assert_true(tce_window_translate(&w, b + 0xfff, &real, &perm));
	assert_int_equal(real, 0x7fff);
	assert_int_equal(perm, HOST_TCE_READ);
	assert_false(tce_window_translate(&w, b + PAGE, &real, &perm));              /* nothing there */
	assert_false(tce_window_translate(&w, BASE - 1, &real, &perm));              /* below the window */
	assert_false(tce_window_translate(&w, BASE + ENTRIES * PAGE, &real, &perm)); /* past it */

	assert_int_equal(tce_window_unmap(&w, a, 2 * PAGE), 0);
	assert_false(tce_window_translate(&w, a, &real, &perm));
	assert_false(tce_window_translate(&w, a + PAGE, &real, &perm));
	assert_true(tce_window_translate(&w, b, &real, &perm)); /* the other one stays */
	assert_int_equal(real, 0x7000);
	assert_int_equal(w.used, 1);
	assert_int_equal(tce_window_unmap(&w, b, PAGE), 0);
	assert_int_equal(w.used, 0);
}

static void offsets_inside_a_page_are_kept(void **state)
{
	(void)state;
	uint64_t bus, real, perm;
	/* 0x5abc..0x6abb: two pages although it is one page long */
	assert_int_equal(tce_window_map(&w, 0x5abc, PAGE, HOST_TCE_WRITE, &bus), 0);
	assert_int_equal(bus & (PAGE - 1), 0xabc);
	assert_int_equal(w.used, 2);
	assert_true(tce_window_translate(&w, bus, &real, &perm));
	assert_int_equal(real, 0x5abc);
	assert_int_equal(perm, HOST_TCE_WRITE);
	assert_true(tce_window_translate(&w, bus + PAGE - 1, &real, &perm));
	assert_int_equal(real, 0x6abb);
	/* one byte at the end of a page: one entry */
	uint64_t one;
	assert_int_equal(tce_window_map(&w, 0x9fff, 1, HOST_TCE_READ, &one), 0);
	assert_int_equal(one, BASE + 2 * PAGE + 0xfff);
	assert_int_equal(w.used, 3);
	/* unmapped by what map returned */
	assert_int_equal(tce_window_unmap(&w, bus, PAGE), 0);
	assert_int_equal(tce_window_unmap(&w, one, 1), 0);
	assert_int_equal(w.used, 0);
}

static void table_is_big_endian(void **state)
{
	(void)state;
	uint64_t bus;
	assert_int_equal(tce_window_map(&w, 0x123456789000ull, 2 * PAGE, RW, &bus), 0);
	unsigned int e = entry_of(bus);
	const uint8_t *b = (const uint8_t *)&table[e];
	static const uint8_t want[8] = { 0x00, 0x00, 0x12, 0x34, 0x56, 0x78, 0x90, 0x03 };
	assert_memory_equal(b, want, 8);
	assert_int_equal(entry_bytes(e + 1), 0x12345678a003ull);
	uint64_t ro;
	assert_int_equal(tce_window_map(&w, 0xabcd000, PAGE, HOST_TCE_READ, &ro), 0);
	assert_int_equal(entry_bytes(entry_of(ro)), 0xabcd001ull);
	uint64_t wo;
	assert_int_equal(tce_window_map(&w, 0xabce000, PAGE, HOST_TCE_WRITE, &wo), 0);
	assert_int_equal(entry_bytes(entry_of(wo)), 0xabce002ull);
	/* bits of perm beyond read and write do not reach the table */
	uint64_t x;
	assert_int_equal(tce_window_map(&w, 0xabcf000, PAGE, HOST_TCE_READ | 0xff0, &x), 0);
	assert_int_equal(entry_bytes(entry_of(x)), 0xabcf001ull);
	assert_int_equal(tce_window_unmap(&w, bus, 2 * PAGE), 0);
	assert_int_equal(table[e], 0);
	assert_int_equal(table[e + 1], 0);
	assert_int_equal(entry_bytes(entry_of(ro)), 0xabcd001ull);
}

static void full_window_refuses(void **state)
{
	(void)state;
	uint64_t bus, again;
	/* more than the window holds, from empty: nothing is mapped */
	assert_int_equal(tce_window_map(&w, 0, (ENTRIES + 1) * PAGE, RW, &bus), -1);
	assert_int_equal(w.used, 0);
	assert_int_equal(w.map_failures, 1);
	for (unsigned int i = 0; i < ENTRIES; i++)
		assert_int_equal(table[i], 0);
	/* exactly the window */
	assert_int_equal(tce_window_map(&w, 0x100000, ENTRIES * PAGE, RW, &bus), 0);
	assert_int_equal(bus, BASE);
	assert_int_equal(w.used, ENTRIES);
	uint64_t snap[ENTRIES], bsnap[ENTRIES / 64];
	memcpy(snap, table, sizeof(snap));
	memcpy(bsnap, bitmap, sizeof(bsnap));
	bus = 0x5555;
	assert_int_equal(tce_window_map(&w, 0x9000000, 1, HOST_TCE_READ, &bus), -1);
	assert_int_equal(bus, 0x5555); /* not written on failure */
	assert_memory_equal(table, snap, sizeof(snap));
	assert_memory_equal(bitmap, bsnap, sizeof(bsnap));
	assert_int_equal(w.map_failures, 2);
	assert_int_equal(w.maps, 1);
	assert_int_equal(tce_window_unmap(&w, BASE, ENTRIES * PAGE), 0);
	assert_int_equal(w.used, 0);
	/* fragmented: half the entries free, but no two of them together */
	for (unsigned int i = 0; i < ENTRIES; i++)
		assert_int_equal(tce_window_map(&w, (uint64_t)i * PAGE, PAGE, RW, &again), 0);
	for (unsigned int i = 0; i < ENTRIES; i += 2)
		assert_int_equal(tce_window_unmap(&w, BASE + (uint64_t)i * PAGE, PAGE), 0);
	assert_int_equal(w.used, ENTRIES / 2);
	memcpy(snap, table, sizeof(snap));
	memcpy(bsnap, bitmap, sizeof(bsnap));
	uint32_t next = w.next;
	assert_int_equal(tce_window_map(&w, 0x9000000, 2 * PAGE, RW, &bus), -1);
	assert_memory_equal(table, snap, sizeof(snap));
	assert_memory_equal(bitmap, bsnap, sizeof(bsnap));
	assert_int_equal(w.used, ENTRIES / 2);
	assert_int_equal(w.next, next);
	/* one page still fits, in a hole */
	assert_int_equal(tce_window_map(&w, 0x9000000, PAGE, RW, &bus), 0);
	assert_int_equal(entry_of(bus) % 2, 0);
}

static void unmapping_what_is_not_mapped(void **state)
{
	(void)state;
	uint64_t a, b;
	assert_int_equal(tce_window_map(&w, 0x20000, 2 * PAGE, RW, &a), 0);
	assert_int_equal(tce_window_map(&w, 0x40000, PAGE, HOST_TCE_READ, &b), 0);
	uint64_t snap[ENTRIES], bsnap[ENTRIES / 64];
	memcpy(snap, table, sizeof(snap));
	memcpy(bsnap, bitmap, sizeof(bsnap));
	uint32_t used = w.used;
	assert_int_equal(tce_window_unmap(&w, BASE + 10 * PAGE, PAGE), -1);   /* never mapped */
	assert_int_equal(tce_window_unmap(&w, b, 2 * PAGE), -1);              /* runs past b into free entries */
	assert_int_equal(tce_window_unmap(&w, BASE - PAGE, 2 * PAGE), -1);    /* starts below the window */
	assert_int_equal(tce_window_unmap(&w, BASE + ENTRIES * PAGE, 1), -1); /* past the window */
	assert_int_equal(tce_window_unmap(&w, BASE + (ENTRIES - 1) * PAGE, 2 * PAGE), -1);
	assert_int_equal(tce_window_unmap(&w, a, 0), -1);            /* zero length */
	assert_int_equal(tce_window_unmap(&w, ~0ull - 10, 100), -1); /* wraps */
	assert_int_equal(tce_window_unmap(&w, 0, PAGE), -1);         /* an address, not a bus address */
	assert_memory_equal(table, snap, sizeof(snap));
	assert_memory_equal(bitmap, bsnap, sizeof(bsnap));
	assert_int_equal(w.used, used);
	/* twice: the second finds nothing */
	assert_int_equal(tce_window_unmap(&w, b, PAGE), 0);
	assert_int_equal(tce_window_unmap(&w, b, PAGE), -1);
	assert_int_equal(w.used, 2);
	uint64_t real, perm;
	assert_true(tce_window_translate(&w, a + PAGE, &real, &perm));
	assert_int_equal(real, 0x21000);
}

static void next_fit_reuses_freed_entries_last(void **state)
{
	(void)state;
	uint64_t a, b, c, d;
	assert_int_equal(tce_window_map(&w, 0x1000, PAGE, RW, &a), 0);
	assert_int_equal(tce_window_map(&w, 0x2000, PAGE, RW, &b), 0);
	assert_int_equal(entry_of(a), 0);
	assert_int_equal(entry_of(b), 1);
	assert_int_equal(tce_window_unmap(&w, a, PAGE), 0);
	assert_int_equal(tce_window_map(&w, 0x3000, PAGE, RW, &c), 0);
	assert_int_equal(entry_of(c), 2); /* not entry 0, just freed */
	assert_int_equal(tce_window_unmap(&w, c, PAGE), 0);
	assert_int_equal(tce_window_map(&w, 0x4000, PAGE, RW, &d), 0);
	assert_int_equal(entry_of(d), 3);
	uint64_t real, perm;
	assert_false(tce_window_translate(&w, a, &real, &perm)); /* a late DMA there finds nothing */
	assert_false(tce_window_translate(&w, c, &real, &perm));
}

static void search_wraps_around(void **state)
{
	(void)state;
	uint64_t big, one, x;
	assert_int_equal(tce_window_map(&w, 0x100000, 120 * PAGE, RW, &big), 0); /* 0..119 */
	assert_int_equal(tce_window_map(&w, 0x900000, PAGE, RW, &one), 0);       /* 120 */
	assert_int_equal(entry_of(one), 120);
	assert_int_equal(tce_window_unmap(&w, big, 120 * PAGE), 0);
	/* 121..127 hold 7 pages; 8 must come from the start */
	assert_int_equal(tce_window_map(&w, 0xa00000, 8 * PAGE, RW, &x), 0);
	assert_int_equal(x, BASE);
	assert_int_equal(w.next, 8);
	assert_int_equal(tce_window_map(&w, 0xb00000, PAGE, RW, &x), 0);
	assert_int_equal(entry_of(x), 8); /* and continues from there */
}

static void search_skips_full_words(void **state)
{
	(void)state;
	uint64_t a, b, c, d;
	assert_int_equal(tce_window_map(&w, 0x100000, 64 * PAGE, RW, &a), 0); /* 0..63: a full bitmap word */
	assert_int_equal(tce_window_map(&w, 0x200000, PAGE, RW, &b), 0);      /* 64 */
	assert_int_equal(tce_window_unmap(&w, b, PAGE), 0);
	assert_int_equal(tce_window_map(&w, 0x300000, 63 * PAGE, RW, &c), 0); /* 65..127 */
	assert_int_equal(entry_of(c), 65);
	assert_int_equal(w.next, 0);
	assert_int_equal(tce_window_map(&w, 0x400000, PAGE, RW, &d), 0); /* the only free entry */
	assert_int_equal(entry_of(d), 64);
	assert_int_equal(w.used, ENTRIES);
}

static void zero_length_and_wrapping_ranges_are_refused(void **state)
{
	(void)state;
	uint64_t bus = 0x5555;
	assert_int_equal(tce_window_map(&w, 0x1000, 0, RW, &bus), -1);
	assert_int_equal(tce_window_map(&w, ~0ull - 10, 100, RW, &bus), -1);
	assert_int_equal(tce_window_map(&w, ~0ull - PAGE + 1, PAGE, RW, &bus), -1); /* ends at 2^64 */
	assert_int_equal(tce_window_map(&w, 0x1000, PAGE, 0, &bus), -1);            /* no access at all */
	assert_int_equal(tce_window_map(&w, 0x1000, PAGE, 4, &bus), -1);
	assert_int_equal(bus, 0x5555);
	assert_int_equal(w.map_failures, 5);
	assert_int_equal(w.maps, 0);
	assert_int_equal(w.used, 0);
	for (unsigned int i = 0; i < ENTRIES; i++)
		assert_int_equal(table[i], 0);
}

static void counters(void **state)
{
	(void)state;
	uint64_t a, b, x;
	assert_int_equal(tce_window_map(&w, 0x1000, 3 * PAGE, RW, &a), 0);
	assert_int_equal(tce_window_map(&w, 0x8000, 1, HOST_TCE_READ, &b), 0);
	assert_int_equal(tce_window_map(&w, 0x9000, 0, HOST_TCE_READ, &x), -1);
	assert_int_equal(tce_window_map(&w, 0x9000, ENTRIES * PAGE, HOST_TCE_READ, &x), -1);
	assert_int_equal(w.maps, 2);
	assert_int_equal(w.map_failures, 2);
	assert_int_equal(w.used, 4);
	assert_int_equal(tce_window_unmap(&w, a, 3 * PAGE), 0);
	assert_int_equal(w.used, 1);
	assert_int_equal(w.maps, 2); /* maps counts mappings made, not live ones */
}

/* A window of another page size and its own base. */
static void other_page_size(void **state)
{
	(void)state;
	static uint64_t t2[64], b2[1];
	struct tce_window w2;
	tce_window_init(&w2, t2, b2, 64, 16, 0x80000000ull);
	uint64_t bus, real, perm;
	assert_int_equal(tce_window_map(&w2, 0x123456, 0x20000, HOST_TCE_READ, &bus), 0);
	assert_int_equal(bus, 0x80003456ull);
	assert_int_equal(w2.used, 3); /* 0x120000..0x143456 */
	assert_true(tce_window_translate(&w2, bus + 0x1ffff, &real, &perm));
	assert_int_equal(real, 0x143455);
	const uint8_t *e = (const uint8_t *)&t2[0];
	static const uint8_t want[8] = { 0, 0, 0, 0, 0, 0x12, 0, 0x01 };
	assert_memory_equal(e, want, 8);
	assert_int_equal(tce_window_unmap(&w2, bus, 0x20000), 0);
	assert_int_equal(w2.used, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(init_clears, setup),
		cmocka_unit_test_setup(map_translate_unmap, setup),
		cmocka_unit_test_setup(offsets_inside_a_page_are_kept, setup),
		cmocka_unit_test_setup(table_is_big_endian, setup),
		cmocka_unit_test_setup(full_window_refuses, setup),
		cmocka_unit_test_setup(unmapping_what_is_not_mapped, setup),
		cmocka_unit_test_setup(next_fit_reuses_freed_entries_last, setup),
		cmocka_unit_test_setup(search_wraps_around, setup),
		cmocka_unit_test_setup(search_skips_full_words, setup),
		cmocka_unit_test_setup(zero_length_and_wrapping_ranges_are_refused, setup),
		cmocka_unit_test_setup(counters, setup),
		cmocka_unit_test(other_page_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
