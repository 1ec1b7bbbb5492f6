/* hv/papr/vpa.c: the dispatch count's parity and the DTL ring. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "hv/papr/vpa.h"

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static void dispatch_count_parity(void **state)
{
	(void)state;
	static uint8_t vpa[VPA_SIZE_MIN];
	memset(vpa, 0, sizeof(vpa));
	vpa_set_dispatched(vpa, true);
	assert_int_equal(be32(vpa + VPA_DISPATCH_COUNT), 2);
	vpa_set_dispatched(vpa, false);
	assert_int_equal(be32(vpa + VPA_DISPATCH_COUNT), 3);
	vpa_set_dispatched(vpa, true);
	assert_int_equal(be32(vpa + VPA_DISPATCH_COUNT), 4);
	vpa[VPA_DISPATCH_COUNT + 3] = 0xff; /* the guest scribbles an odd count, then we dispatch */
	vpa_set_dispatched(vpa, true);
	assert_int_equal(be32(vpa + VPA_DISPATCH_COUNT) & 1, 0);
	memset(vpa + VPA_DISPATCH_COUNT, 0xff, 4); /* and wraps */
	vpa_set_dispatched(vpa, false);
	assert_int_equal(be32(vpa + VPA_DISPATCH_COUNT) & 1, 1);
}

static void dtl_ring_honours_the_mask_and_wraps(void **state)
{
	(void)state;
	static uint8_t vpa[VPA_SIZE_MIN], dtl[3 * DTL_ENTRY_SIZE + 20];
	memset(vpa, 0, sizeof(vpa));
	memset(dtl, 0xaa, sizeof(dtl));
	struct dtl_event e = {
		DTL_LOG_PREEMPT, DTL_REASON_TIME_SLICE, 3, 1234, 0x1000, 0x400000, 0x8000000000001000ull
	};
	dtl_log(vpa, dtl, sizeof(dtl), &e); /* mask 0: nothing */
	assert_int_equal(be64(vpa + VPA_DTL_IDX), 0);
	assert_int_equal(dtl[0], 0xaa);
	vpa[VPA_DTL_ENABLE_MASK] = DTL_LOG_PREEMPT;
	for (int i = 0; i < 4; i++) {
		e.timebase = 0x1000 + (uint64_t)i;
		dtl_log(vpa, dtl, sizeof(dtl), &e);
	}
	assert_int_equal(be64(vpa + VPA_DTL_IDX), 4);
	/* the fourth entry wrapped onto the first; the tail past 3 entries is untouched */
	assert_int_equal(be64(dtl + 16), 0x1003);
	assert_int_equal(dtl[0], DTL_REASON_TIME_SLICE);
	assert_int_equal(dtl[2] << 8 | dtl[3], 3);
	assert_int_equal(be32(dtl + 4), 1234);
	assert_int_equal(be64(dtl + 32), 0x400000);
	assert_int_equal(dtl[3 * DTL_ENTRY_SIZE], 0xaa);
	e.kind = DTL_LOG_CEDE; /* not enabled */
	dtl_log(vpa, dtl, sizeof(dtl), &e);
	assert_int_equal(be64(vpa + VPA_DTL_IDX), 4);
	memset(vpa + VPA_DTL_IDX, 0xff, 8); /* a hostile index stays inside the ring */
	e.kind = DTL_LOG_PREEMPT;
	dtl_log(vpa, dtl, sizeof(dtl), &e);
	assert_int_equal(dtl[3 * DTL_ENTRY_SIZE], 0xaa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dispatch_count_parity),
		cmocka_unit_test(dtl_ring_honours_the_mask_and_wraps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
