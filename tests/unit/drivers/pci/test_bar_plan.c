/* Placing a function's BARs in its PHB's 32-bit window (drivers/pci/bar_plan.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "drivers/pci/bar_plan.h"

#define MiB  0x100000ull
#define BASE 0x80000000ull
#define SIZE (64 * MiB)
#define SEG  MiB

static struct bar_window w;

static int setup(void **state)
{
	(void)state;
	w = (struct bar_window){ BASE, SIZE, SEG, BASE };
	return 0;
}

static int plan(const struct bar_req *bars, unsigned int n, uint64_t *addr, unsigned int *first, unsigned int *count)
{
	*first = *count = 0xdead;
	return bar_plan_function(&w, bars, n, addr, first, count);
}

/* Every BAR naturally aligned, inside the window and the reported segments, none overlapping. */
static void check_layout(const struct bar_req *bars, unsigned int n, const uint64_t *addr, unsigned int first,
			 unsigned int count)
{
	uint64_t seg_lo = BASE + first * SEG, seg_hi = seg_lo + (uint64_t)count * SEG;
	for (unsigned int i = 0; i < n; i++) {
		assert_int_equal(addr[i] % bars[i].size, 0);
		assert_true(addr[i] >= seg_lo && addr[i] + bars[i].size <= seg_hi);
		assert_true(addr[i] + bars[i].size <= w.pci_base + w.size);
		for (unsigned int j = 0; j < i; j++)
			assert_true(addr[i] + bars[i].size <= addr[j] || addr[j] + bars[j].size <= addr[i]);
	}
}

static void largest_first_naturally_aligned(void **state)
{
	(void)state;
	struct bar_req bars[4] = { { 0, 0x4000 }, { 1, 0x100 }, { 2, 0x40000 }, { 4, 0x10 } };
	uint64_t addr[4];
	unsigned int first, count;
	assert_int_equal(plan(bars, 4, addr, &first, &count), 0);
	assert_int_equal(addr[2], BASE);           /* 256 KiB first */
	assert_int_equal(addr[0], BASE + 0x40000); /* then 16 KiB */
	assert_int_equal(addr[1], BASE + 0x44000); /* 256 bytes */
	assert_int_equal(addr[3], BASE + 0x44100); /* 16 bytes */
	assert_int_equal(first, 0);
	assert_int_equal(count, 1);
	assert_int_equal(w.next, BASE + SEG); /* the rest of the segment is not handed out again */
	check_layout(bars, 4, addr, first, count);
}

static void equal_sizes_keep_their_order_and_alignment(void **state)
{
	(void)state;
	/* a small BAR between two large ones: the second large one is aligned past it */
	struct bar_req bars[3] = { { 0, 0x1000 }, { 1, 0x10 }, { 2, 0x1000 } };
	uint64_t addr[3];
	unsigned int first, count;
	assert_int_equal(plan(bars, 3, addr, &first, &count), 0);
	assert_int_equal(addr[0], BASE);
	assert_int_equal(addr[2], BASE + 0x1000);
	assert_int_equal(addr[1], BASE + 0x2000);
	check_layout(bars, 3, addr, first, count);
}

static void each_function_starts_on_a_fresh_segment(void **state)
{
	(void)state;
	struct bar_req a[1] = { { 0, 0x1000 } }, b[2] = { { 0, 0x4000 }, { 2, 0x100 } }, c[1] = { { 1, 0x10 } };
	uint64_t addr[2];
	unsigned int first, count;
	assert_int_equal(plan(a, 1, addr, &first, &count), 0);
	assert_int_equal(addr[0], BASE);
	assert_int_equal(first, 0);
	assert_int_equal(count, 1);
	assert_int_equal(plan(b, 2, addr, &first, &count), 0);
	assert_int_equal(addr[0], BASE + SEG); /* not BASE + 0x1000 */
	assert_int_equal(addr[1], BASE + SEG + 0x4000);
	assert_int_equal(first, 1);
	assert_int_equal(count, 1);
	assert_int_equal(plan(c, 1, addr, &first, &count), 0);
	assert_int_equal(addr[0], BASE + 2 * SEG);
	assert_int_equal(first, 2);
	assert_int_equal(count, 1);
	assert_int_equal(w.next, BASE + 3 * SEG);
}

static void a_window_that_starts_part_way(void **state)
{
	(void)state;
	w.next = BASE + SEG + 0x20; /* something sits at the start of segment 1 */
	struct bar_req a[1] = { { 0, 0x100 } };
	uint64_t addr[1];
	unsigned int first, count;
	assert_int_equal(plan(a, 1, addr, &first, &count), 0);
	assert_int_equal(addr[0], BASE + 2 * SEG);
	assert_int_equal(first, 2);
	w.next = 0; /* below the window: from its start */
	assert_int_equal(plan(a, 1, addr, &first, &count), 0);
	assert_int_equal(addr[0], BASE);
	assert_int_equal(first, 0);
}

static void a_bar_larger_than_a_segment_spans_several(void **state)
{
	(void)state;
	struct bar_req big[2] = { { 0, 4 * MiB }, { 2, 0x2000 } };
	uint64_t addr[2];
	unsigned int first, count;
	assert_int_equal(plan(big, 2, addr, &first, &count), 0);
	assert_int_equal(addr[0], BASE);
	assert_int_equal(addr[1], BASE + 4 * MiB);
	assert_int_equal(first, 0);
	assert_int_equal(count, 5); /* four for the large BAR, one for the small */
	check_layout(big, 2, addr, first, count);
	/* now from segment 5: the 4 MiB BAR aligns to 8 MiB, past segments of nobody else */
	struct bar_req one[1] = { { 0, 4 * MiB } };
	assert_int_equal(plan(one, 1, addr, &first, &count), 0);
	assert_int_equal(addr[0], BASE + 8 * MiB);
	assert_true(first >= 5);             /* no segment of the previous function */
	assert_int_equal(first + count, 12); /* up to the end of the BAR, not beyond */
	check_layout(one, 1, addr, first, count);
	assert_int_equal(w.next, BASE + 12 * MiB);
}

static void refused_when_it_does_not_fit(void **state)
{
	(void)state;
	uint64_t addr[2];
	unsigned int first, count;
	/* larger than the whole window */
	struct bar_req huge[1] = { { 0, 128 * MiB } };
	assert_int_equal(plan(huge, 1, addr, &first, &count), -1);
	assert_int_equal(w.next, BASE);
	/* two segments left: a 2 MiB BAR fits, 2 MiB + 1 MiB does not */
	w.next = BASE + SIZE - 2 * MiB;
	struct bar_req two[2] = { { 0, 2 * MiB }, { 1, MiB } };
	assert_int_equal(plan(two, 2, addr, &first, &count), -1);
	assert_int_equal(w.next, BASE + SIZE - 2 * MiB); /* unchanged */
	struct bar_req four[1] = { { 0, 4 * MiB } };     /* would need 4 MiB alignment past the end */
	assert_int_equal(plan(four, 1, addr, &first, &count), -1);
	assert_int_equal(w.next, BASE + SIZE - 2 * MiB);
	assert_int_equal(plan(two, 1, addr, &first, &count), 0); /* the 2 MiB one alone still fits */
	assert_int_equal(addr[0], BASE + SIZE - 2 * MiB);
	assert_int_equal(first, 62);
	assert_int_equal(count, 2);
	/* the window is full now */
	struct bar_req tiny[1] = { { 0, 0x10 } };
	assert_int_equal(plan(tiny, 1, addr, &first, &count), -1);
	assert_int_equal(w.next, BASE + SIZE);
}

static void the_window_top_skiboot_keeps_for_msis(void **state)
{
	(void)state;
	/* 0x7fff0000-style: the last segment is short by 64 KiB */
	w = (struct bar_window){ BASE, 4 * MiB - 0x10000, MiB, BASE + 3 * MiB };
	uint64_t addr[1];
	unsigned int first, count;
	struct bar_req seg[1] = { { 0, MiB } }, half[1] = { { 0, MiB / 2 } };
	assert_int_equal(plan(seg, 1, addr, &first, &count), -1); /* would cover the MSI range */
	assert_int_equal(w.next, BASE + 3 * MiB);
	assert_int_equal(plan(half, 1, addr, &first, &count), 0);
	assert_int_equal(addr[0], BASE + 3 * MiB);
	assert_int_equal(first, 3);
	assert_int_equal(count, 1);
}

static void sizes_that_are_not_powers_of_two(void **state)
{
	(void)state;
	uint64_t addr[2];
	unsigned int first, count;
	struct bar_req odd[1] = { { 0, 0x3000 } }, small[1] = { { 0, 8 } }, zero[1] = { { 0, 0 } };
	assert_int_equal(plan(odd, 1, addr, &first, &count), -1);
	assert_int_equal(plan(small, 1, addr, &first, &count), -1);
	assert_int_equal(plan(zero, 1, addr, &first, &count), -1);
	/* a good BAR placed first does not stay placed when a later one is bad */
	struct bar_req mixed[2] = { { 0, MiB }, { 1, 0x1800 } };
	assert_int_equal(plan(mixed, 2, addr, &first, &count), -1);
	assert_int_equal(w.next, BASE);
	struct bar_req good[1] = { { 0, 0x1000 } };
	assert_int_equal(plan(good, 1, addr, &first, &count), 0);
	assert_int_equal(addr[0], BASE);
	assert_int_equal(first, 0);
}

static void too_many_bars(void **state)
{
	(void)state;
	struct bar_req bars[17];
	uint64_t addr[17];
	unsigned int first, count;
	for (unsigned int i = 0; i < 17; i++)
		bars[i] = (struct bar_req){ i, 0x1000 };
	assert_int_equal(plan(bars, 17, addr, &first, &count), -1);
	assert_int_equal(w.next, BASE);
	assert_int_equal(plan(bars, 16, addr, &first, &count), 0);
	check_layout(bars, 16, addr, first, count);
}

/* ---- the 64-bit window: a region per function ---- */

#define GiB     (1024 * MiB)
#define M64     0x6000000000000ull
#define M64SIZE (256 * GiB)

static struct bar_window m64;

static int setup_m64(void **state)
{
	(void)state;
	m64 = (struct bar_window){ M64, M64SIZE, M64SIZE / 512, M64 };
	return 0;
}

static void check_region(const struct bar_req *bars, unsigned int n, const uint64_t *addr, uint64_t base, uint64_t size)
{
	assert_true(size >= BAR_REGION_MIN && !(size & (size - 1)));
	assert_int_equal(base % size, 0);
	assert_true(base >= m64.pci_base && base + size <= m64.pci_base + m64.size);
	for (unsigned int i = 0; i < n; i++) {
		assert_int_equal(addr[i] % bars[i].size, 0);
		assert_true(addr[i] >= base && addr[i] + bars[i].size <= base + size);
		for (unsigned int j = 0; j < i; j++)
			assert_true(addr[i] + bars[i].size <= addr[j] || addr[j] + bars[j].size <= addr[i]);
	}
}

static void a_region_holds_the_bars_largest_first(void **state)
{
	(void)state;
	struct bar_req bars[3] = { { 2, 64 * MiB }, { 0, 0x4000 }, { 4, 128 * MiB } };
	uint64_t addr[3], base, size;
	assert_int_equal(bar_plan_region(&m64, bars, 3, addr, &base, &size), 0);
	assert_int_equal(base, M64);
	assert_int_equal(size, 256 * MiB); /* 192 MiB and 16 KiB, rounded up */
	assert_int_equal(addr[2], M64);
	assert_int_equal(addr[0], M64 + 128 * MiB);
	assert_int_equal(addr[1], M64 + 192 * MiB);
	check_region(bars, 3, addr, base, size);
	assert_int_equal(m64.next, M64 + 256 * MiB);
}

static void regions_are_naturally_aligned_and_never_shared(void **state)
{
	(void)state;
	struct bar_req small[1] = { { 0, 0x1000 } }, big[1] = { { 2, 4 * GiB } }, small2[1] = { { 2, 0x100 } };
	uint64_t addr[1], base, size;
	assert_int_equal(bar_plan_region(&m64, small, 1, addr, &base, &size), 0);
	assert_int_equal(size, BAR_REGION_MIN); /* not 4 KiB */
	assert_int_equal(base, M64);
	check_region(small, 1, addr, base, size);
	assert_int_equal(bar_plan_region(&m64, big, 1, addr, &base, &size), 0);
	assert_int_equal(size, 4 * GiB);
	assert_int_equal(base, M64 + 4 * GiB); /* aligned past the first region */
	check_region(big, 1, addr, base, size);
	assert_int_equal(bar_plan_region(&m64, small2, 1, addr, &base, &size), 0);
	assert_int_equal(base, M64 + 8 * GiB); /* the gap below the big one is not reused: regions stay in order */
	check_region(small2, 1, addr, base, size);
}

static void a_bar_larger_than_the_32_bit_window(void **state)
{
	(void)state;
	/* 4 GiB does not fit a 2 GiB M32 window at all; the M64 window takes it */
	setup_m64(state);
	struct bar_req big[1] = { { 2, 4 * GiB } };
	uint64_t addr[1], base, size;
	unsigned int first, count;
	assert_int_equal(bar_plan_function(&w, big, 1, addr, &first, &count), -1);
	assert_int_equal(bar_plan_region(&m64, big, 1, addr, &base, &size), 0);
	assert_int_equal(addr[0], M64);
}

static void regions_refused_when_they_do_not_fit(void **state)
{
	(void)state;
	uint64_t addr[2], base, size;
	struct bar_req whole[1] = { { 0, M64SIZE } }, more[1] = { { 0, 2 * M64SIZE } };
	struct bar_req two[2] = { { 0, M64SIZE / 2 }, { 2, M64SIZE / 2 } };
	struct bar_req three[3] = { { 0, M64SIZE / 2 }, { 2, M64SIZE / 2 }, { 4, MiB } };
	assert_int_equal(bar_plan_region(&m64, more, 1, addr, &base, &size), -1);
	uint64_t addr3[3];
	assert_int_equal(bar_plan_region(&m64, three, 3, addr3, &base, &size), -1); /* 1 MiB more than the window */
	assert_int_equal(m64.next, M64);
	assert_int_equal(bar_plan_region(&m64, two, 2, addr, &base, &size), 0); /* exactly the window */
	assert_int_equal(size, M64SIZE);
	assert_int_equal(bar_plan_region(&m64, whole, 1, addr, &base, &size), -1); /* full now */
	struct bar_req tiny[1] = { { 0, 0x10 } };
	assert_int_equal(bar_plan_region(&m64, tiny, 1, addr, &base, &size), -1);
	assert_int_equal(m64.next, M64 + M64SIZE);
}

static void regions_of_bad_bars(void **state)
{
	(void)state;
	uint64_t addr[17], base, size;
	struct bar_req odd[2] = { { 0, MiB }, { 2, 0x3000 } }, bars[17];
	assert_int_equal(bar_plan_region(&m64, odd, 2, addr, &base, &size), -1);
	assert_int_equal(bar_plan_region(&m64, odd, 0, addr, &base, &size), -1); /* nothing to place */
	for (unsigned int i = 0; i < 17; i++)
		bars[i] = (struct bar_req){ i, 0x1000 };
	assert_int_equal(bar_plan_region(&m64, bars, 17, addr, &base, &size), -1);
	assert_int_equal(m64.next, M64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(largest_first_naturally_aligned, setup),
		cmocka_unit_test_setup(equal_sizes_keep_their_order_and_alignment, setup),
		cmocka_unit_test_setup(each_function_starts_on_a_fresh_segment, setup),
		cmocka_unit_test_setup(a_window_that_starts_part_way, setup),
		cmocka_unit_test_setup(a_bar_larger_than_a_segment_spans_several, setup),
		cmocka_unit_test_setup(refused_when_it_does_not_fit, setup),
		cmocka_unit_test_setup(the_window_top_skiboot_keeps_for_msis, setup),
		cmocka_unit_test_setup(sizes_that_are_not_powers_of_two, setup),
		cmocka_unit_test_setup(too_many_bars, setup),
		cmocka_unit_test_setup(a_region_holds_the_bars_largest_first, setup_m64),
		cmocka_unit_test_setup(regions_are_naturally_aligned_and_never_shared, setup_m64),
		cmocka_unit_test_setup(a_bar_larger_than_the_32_bit_window, setup),
		cmocka_unit_test_setup(regions_refused_when_they_do_not_fit, setup_m64),
		cmocka_unit_test_setup(regions_of_bad_bars, setup_m64),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
