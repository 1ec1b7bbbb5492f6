/* hv/papr/msgp.c: a virtual core's doorbell instructions. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "hv/papr/msgp.h"

static uint32_t x_form(unsigned int xo, unsigned int rt, unsigned int ra, unsigned int rb)
{
	return 31u << 26 | rt << 21 | ra << 16 | rb << 11 | xo << 1;
}

static uint32_t spr_form(unsigned int xo, unsigned int rt, unsigned int spr)
{
	return 31u << 26 | rt << 21 | (spr & 31) << 16 | (spr >> 5) << 11 | xo << 1;
}

static void doorbell_to_itself_and_back(void **state)
{
	(void)state;
	uint64_t gpr[32] = { 0 }, dpdes = 0;
	gpr[5] = 5ull << 27; /* type 5, thread 0 */
	assert_true(msgp_emulate(x_form(142, 0, 0, 5), gpr, &dpdes));
	assert_int_equal(dpdes, 1);
	assert_true(msgp_emulate(spr_form(339, 9, 176), gpr, &dpdes)); /* mfspr r9,DPDES */
	assert_int_equal(gpr[9], 1);
	assert_true(msgp_emulate(x_form(174, 0, 0, 5), gpr, &dpdes)); /* msgclrp */
	assert_int_equal(dpdes, 0);
	gpr[3] = 1;
	assert_true(msgp_emulate(spr_form(467, 3, 176), gpr, &dpdes)); /* mtspr DPDES,r3 */
	assert_int_equal(dpdes, 1);
}

static void other_threads_and_types_ring_nothing(void **state)
{
	(void)state;
	uint64_t gpr[32] = { 0 }, dpdes = 0;
	gpr[4] = (5ull << 27) | 1; /* thread 1: there is none */
	assert_true(msgp_emulate(x_form(142, 0, 0, 4), gpr, &dpdes));
	assert_int_equal(dpdes, 0);
	gpr[4] = 3ull << 27; /* another doorbell type */
	assert_true(msgp_emulate(x_form(142, 0, 0, 4), gpr, &dpdes));
	assert_int_equal(dpdes, 0);
	dpdes = 1;
	assert_true(msgp_emulate(x_form(174, 0, 0, 4), gpr, &dpdes)); /* msgclrp of another type */
	assert_int_equal(dpdes, 1);
}

static void anything_else_is_not_emulated(void **state)
{
	(void)state;
	uint64_t gpr[32] = { 0 }, dpdes = 1;
	assert_false(msgp_emulate(spr_form(339, 3, 175), gpr, &dpdes)); /* mfspr of another SPR */
	assert_false(msgp_emulate(x_form(206, 0, 0, 4), gpr, &dpdes));  /* msgsnd */
	assert_false(msgp_emulate(0x38600000, gpr, &dpdes));            /* li r3,0 */
	assert_false(msgp_emulate(0, gpr, &dpdes));
	assert_int_equal(dpdes, 1);
	assert_int_equal(gpr[3], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(doorbell_to_itself_and_back),
		cmocka_unit_test(other_threads_and_types_ring_nothing),
		cmocka_unit_test(anything_else_is_not_emulated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
