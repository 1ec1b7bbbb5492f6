/* hv/page_alloc.c: the physical extent allocator. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "hv/mm/page_alloc.h"

#define MiB (1ull << 20)

static struct palloc pa;

static int setup(void **state)
{
	(void)state;
	palloc_init(&pa);
	return 0;
}

static void add_rounds_inward(void **state)
{
	(void)state;
	assert_int_equal(palloc_add(&pa, 0x1001, 0x5fff), PALLOC_OK);
	assert_int_equal(pa.nfree, 1);
	assert_int_equal(pa.free[0].start, 0x2000);
	assert_int_equal(pa.free[0].end, 0x5000);
	assert_int_equal(pa.free_bytes, 0x3000);
	/* Less than a page adds nothing. */
	assert_int_equal(palloc_add(&pa, 0x10001, 0x10fff), PALLOC_OK);
	assert_int_equal(pa.nfree, 1);
}

static void add_rejects_overlap_and_inverted(void **state)
{
	(void)state;
	assert_int_equal(palloc_add(&pa, 0, 16 * MiB), PALLOC_OK);
	assert_int_equal(palloc_add(&pa, 8 * MiB, 32 * MiB), PALLOC_EOVERLAP);
	assert_int_equal(palloc_add(&pa, 64 * MiB, 32 * MiB), PALLOC_EINVAL);
	assert_int_equal(pa.free_bytes, 16 * MiB);
}

static void adjacent_adds_merge(void **state)
{
	(void)state;
	assert_int_equal(palloc_add(&pa, 0, MiB), PALLOC_OK);
	assert_int_equal(palloc_add(&pa, 2 * MiB, 3 * MiB), PALLOC_OK);
	assert_int_equal(palloc_add(&pa, MiB, 2 * MiB), PALLOC_OK);
	assert_int_equal(pa.nfree, 1);
	assert_int_equal(pa.free[0].end, 3 * MiB);
}

static void reserve_splits_and_rounds_outward(void **state)
{
	(void)state;
	palloc_add(&pa, 0, 16 * MiB);
	assert_int_equal(palloc_reserve(&pa, 4 * MiB + 1, 5 * MiB - 1), PALLOC_OK);
	assert_int_equal(pa.nfree, 2);
	assert_int_equal(pa.free[0].end, 4 * MiB);
	assert_int_equal(pa.free[1].start, 5 * MiB);
	assert_true(palloc_is_allocated(&pa, 4 * MiB, 5 * MiB));
	assert_false(palloc_is_allocated(&pa, 4 * MiB - 1, 5 * MiB));
	/* Reserving outside memory or an already reserved range is harmless. */
	assert_int_equal(palloc_reserve(&pa, 100 * MiB, 200 * MiB), PALLOC_OK);
	assert_int_equal(palloc_reserve(&pa, 4 * MiB, 5 * MiB), PALLOC_OK);
	assert_int_equal(pa.free_bytes, 15 * MiB);
	/* Up to the top of the address space does not wrap. */
	assert_int_equal(palloc_reserve(&pa, 15 * MiB, UINT64_MAX), PALLOC_OK);
	assert_int_equal(pa.free_bytes, 14 * MiB);
}

static void alloc_honours_alignment_and_never_hands_out_reserved(void **state)
{
	(void)state;
	palloc_add(&pa, 0, 64 * MiB);
	palloc_reserve(&pa, 0, 0x6b000); /* an image at 0 */
	palloc_reserve(&pa, 16 * MiB, 16 * MiB + 4096);
	uint64_t a, b, c;
	assert_int_equal(palloc_alloc(&pa, 4096, 4096, &a), PALLOC_OK);
	assert_int_equal(a, 0x6b000);
	assert_int_equal(palloc_alloc(&pa, 16 * MiB, 16 * MiB, &b), PALLOC_OK);
	assert_int_equal(b, 32 * MiB); /* 16 MiB is not free at its first page */
	assert_int_equal(palloc_alloc(&pa, 100, 64 * 1024, &c), PALLOC_OK);
	assert_int_equal(c & 0xffff, 0);
	assert_true(c >= 0x6c000 && c + 4096 <= 16 * MiB);
	assert_true(palloc_is_allocated(&pa, 16 * MiB, 16 * MiB + 4096));
}

static void alloc_fails_cleanly(void **state)
{
	(void)state;
	uint64_t a = 0x1234;
	assert_int_equal(palloc_alloc(&pa, 4096, 4096, &a), PALLOC_ENOMEM);
	palloc_add(&pa, 0, MiB);
	assert_int_equal(palloc_alloc(&pa, 2 * MiB, 4096, &a), PALLOC_ENOMEM);
	assert_int_equal(palloc_alloc(&pa, 0, 4096, &a), PALLOC_EINVAL);
	assert_int_equal(palloc_alloc(&pa, 4096, 3 * 4096, &a), PALLOC_EINVAL);
	assert_int_equal(palloc_alloc(&pa, 4096, 2048, &a), PALLOC_EINVAL);
	assert_int_equal(palloc_alloc(&pa, UINT64_MAX, 4096, &a), PALLOC_EINVAL);
	assert_int_equal(a, 0x1234);
	assert_int_equal(pa.free_bytes, MiB);
}

static void free_merges_and_detects_double_free(void **state)
{
	(void)state;
	palloc_add(&pa, 0, 4 * MiB);
	uint64_t a, b, c;
	palloc_alloc(&pa, MiB, 4096, &a);
	palloc_alloc(&pa, MiB, 4096, &b);
	palloc_alloc(&pa, MiB, 4096, &c);
	assert_int_equal(palloc_free(&pa, b, MiB), PALLOC_OK);
	assert_int_equal(palloc_free(&pa, b, MiB), PALLOC_EOVERLAP);
	assert_int_equal(palloc_free(&pa, b + 4096, 4096), PALLOC_EOVERLAP);
	assert_int_equal(palloc_free(&pa, a + 1, 4096), PALLOC_EINVAL);
	assert_int_equal(palloc_free(&pa, a, MiB), PALLOC_OK);
	assert_int_equal(palloc_free(&pa, c, MiB), PALLOC_OK);
	assert_int_equal(pa.nfree, 1);
	assert_int_equal(pa.free_bytes, 4 * MiB);
}

static void extent_table_full_is_an_error_not_corruption(void **state)
{
	(void)state;
	palloc_add(&pa, 0, 4096ull * 2 * (PALLOC_MAX_EXTENTS + 8));
	uint64_t before = pa.free_bytes;
	enum palloc_err e = PALLOC_OK;
	unsigned int i;
	for (i = 0; i < PALLOC_MAX_EXTENTS + 4 && !e; i++)
		e = palloc_reserve(&pa, 4096ull * (2 * i + 1), 4096ull * (2 * i + 2));
	assert_int_equal(e, PALLOC_EFULL);
	assert_int_equal(pa.nfree, PALLOC_MAX_EXTENTS);
	/* The failed split left the accounting consistent. */
	uint64_t sum = 0;
	for (unsigned int k = 0; k < pa.nfree; k++)
		sum += pa.free[k].end - pa.free[k].start;
	assert_int_equal(sum, pa.free_bytes);
	assert_int_equal(before - pa.free_bytes, 4096ull * (i - 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(add_rounds_inward, setup),
		cmocka_unit_test_setup(add_rejects_overlap_and_inverted, setup),
		cmocka_unit_test_setup(adjacent_adds_merge, setup),
		cmocka_unit_test_setup(reserve_splits_and_rounds_outward, setup),
		cmocka_unit_test_setup(alloc_honours_alignment_and_never_hands_out_reserved, setup),
		cmocka_unit_test_setup(alloc_fails_cleanly, setup),
		cmocka_unit_test_setup(free_merges_and_detects_double_free, setup),
		cmocka_unit_test_setup(extent_table_full_is_an_error_not_corruption, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
