/* The DMA window's TCE table (hv/papr/tce.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "hv/papr/tce.h"
#include "papr.h"

static uint64_t entries[64];
static struct tce_table t;

static int setup(void **state)
{
	(void)state;
	memset(entries, 0, sizeof(entries));
	t = (struct tce_table){ 0x80000000u, entries, 64, 1 << 20 };
	return 0;
}

static void put_get_and_bounds(void **state)
{
	(void)state;
	uint64_t v;
	assert_int_equal(tce_put(&t, 0x3000, 0x5000 | TCE_READ | TCE_WRITE), H_SUCCESS);
	assert_int_equal(tce_get(&t, 0x3abc, &v), H_SUCCESS); /* offset ignored */
	assert_int_equal(v, 0x5003);
	assert_int_equal(tce_put(&t, 64 << 12, 0x5001), H_PARAMETER); /* past the window */
	assert_int_equal(tce_get(&t, ~0ull, &v), H_PARAMETER);
	assert_int_equal(tce_put(&t, 0, (1 << 20) | TCE_READ), H_PARAMETER); /* past RAM */
	assert_int_equal(tce_put(&t, 0, 0xfffffffffffff002ull), H_PARAMETER);
	assert_int_equal(tce_put(&t, 0, (1 << 20) - 4096 + TCE_WRITE), H_SUCCESS);
	assert_int_equal(tce_put(&t, 0, 0xdead0000), H_SUCCESS); /* no access: a clear */
}

static void stuff_and_list(void **state)
{
	(void)state;
	uint64_t v;
	assert_int_equal(tce_stuff(&t, 0, 0x7001, 64), H_SUCCESS);
	assert_int_equal(entries[63], 0x7001);
	assert_int_equal(tce_stuff(&t, 0, 0, 65), H_PARAMETER);
	assert_int_equal(entries[0], 0x7001);                         /* refused before any change */
	assert_int_equal(tce_stuff(&t, 62 << 12, 0, 4), H_PARAMETER); /* runs off the end: stops there */
	assert_int_equal(entries[62], 0);
	assert_int_equal(entries[63], 0);
	uint8_t list[3 * 8] = { 0 };
	list[6] = 0x10, list[7] = 0x01;                 /* 0x1001 */
	list[14] = 0x20, list[15] = 0x03;               /* 0x2003 */
	list[21] = 0x10, list[22] = 0x00, list[23] = 1; /* 0x100001: past RAM */
	assert_int_equal(tce_put_list(&t, 0x1000, list, 3), H_PARAMETER);
	assert_int_equal(tce_get(&t, 0x1000, &v), H_SUCCESS);
	assert_int_equal(v, 0x1001);
	assert_int_equal(entries[2], 0x2003);
	assert_int_equal(entries[3], 0x7001); /* untouched */
	assert_int_equal(tce_put_list(&t, 0, list, 513), H_PARAMETER);
}

static void translation(void **state)
{
	(void)state;
	uint64_t gpa;
	tce_put(&t, 0x1000, 0x8000 | TCE_READ | TCE_WRITE);
	tce_put(&t, 0x2000, 0x9000 | TCE_READ);
	tce_put(&t, 0x3000, 0xb000 | TCE_READ);
	assert_true(tce_translate(&t, 0x1800, 0x1000, false, &gpa));
	assert_int_equal(gpa, 0x8800);
	assert_false(tce_translate(&t, 0x1800, 0x1000, true, &gpa)); /* page 2 is read-only */
	assert_true(tce_translate(&t, 0x1ff0, 0x10, true, &gpa));
	assert_false(tce_translate(&t, 0x2000, 0x2000, false, &gpa));   /* not contiguous */
	assert_false(tce_translate(&t, 0x4000, 1, false, &gpa));        /* nothing mapped */
	assert_false(tce_translate(&t, 63 << 12, 0x2000, false, &gpa)); /* off the end */
	assert_false(tce_translate(&t, ~0ull, 2, false, &gpa));
	assert_false(tce_translate(&t, 0x1000, 0, false, &gpa));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(put_get_and_bounds, setup),
		cmocka_unit_test_setup(stuff_and_list, setup),
		cmocka_unit_test_setup(translation, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
