/* hv/xics.c: presentation, priorities, IPIs, sources, RTAS semantics. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "hv/papr/xics.h"
#include "papr.h"

static struct xics x;

static int setup(void **state)
{
	(void)state;
	xics_init(&x, 4);
	return 0;
}

static void ipi_needs_an_open_cppr(void **state)
{
	(void)state;
	uint64_t xirr;
	assert_int_equal(xics_h_ipi(&x, 1, 5), H_SUCCESS);
	assert_false(xics_pending(&x, 1)); /* CPPR 0 masks everything */
	assert_int_equal(xics_h_cppr(&x, 1, 0xff), H_SUCCESS);
	assert_true(xics_pending(&x, 1));
	assert_false(xics_pending(&x, 0));
	assert_int_equal(xics_h_xirr(&x, 1, &xirr), H_SUCCESS);
	assert_int_equal(xirr, 0xff000000u | XICS_IPI);
	assert_false(xics_pending(&x, 1));                    /* accepted: CPPR is now 5 */
	assert_int_equal(xics_h_ipi(&x, 1, 0xff), H_SUCCESS); /* the OS clears its MFRR */
	assert_int_equal(xics_h_eoi(&x, 1, xirr), H_SUCCESS);
	assert_false(xics_pending(&x, 1));
}

static void ipi_still_requested_after_eoi_fires_again(void **state)
{
	(void)state;
	uint64_t xirr;
	xics_h_cppr(&x, 0, 0xff);
	xics_h_ipi(&x, 0, 3);
	xics_h_xirr(&x, 0, &xirr);
	assert_false(xics_pending(&x, 0));
	xics_h_eoi(&x, 0, xirr); /* MFRR still 3 < CPPR 0xff */
	assert_true(xics_pending(&x, 0));
}

static void sources_route_by_server_and_priority(void **state)
{
	(void)state;
	uint64_t xirr, mfrr;
	xics_h_cppr(&x, 2, 0xff);
	assert_int_equal(xics_set_xive(&x, XICS_IRQ_BASE + 3, 2, 6), 0);
	assert_int_equal(xics_set_xive(&x, XICS_IRQ_BASE + 4, 2, 4), 0);
	assert_int_equal(xics_raise(&x, XICS_IRQ_BASE + 3), 2);
	assert_int_equal(xics_raise(&x, XICS_IRQ_BASE + 4), 2);
	xics_h_ipoll(&x, 2, &xirr, &mfrr);
	assert_int_equal(xirr & 0xffffff, XICS_IRQ_BASE + 4); /* priority 4 beats 6 */
	assert_int_equal(mfrr, 0xff);
	xics_h_xirr(&x, 2, &xirr);
	assert_int_equal(xirr, 0xff000000u | (XICS_IRQ_BASE + 4));
	assert_false(xics_pending(&x, 2)); /* CPPR 4 now masks priority 6 */
	xics_h_eoi(&x, 2, xirr);
	assert_true(xics_pending(&x, 2));
	xics_h_xirr(&x, 2, &xirr);
	assert_int_equal(xirr & 0xffffff, XICS_IRQ_BASE + 3);
}

static void raising_cppr_rejects_a_presented_source(void **state)
{
	(void)state;
	uint64_t xirr, mfrr;
	xics_h_cppr(&x, 1, 0xff);
	xics_set_xive(&x, XICS_IRQ_BASE, 1, 5);
	xics_raise(&x, XICS_IRQ_BASE);
	assert_true(xics_pending(&x, 1));
	xics_h_cppr(&x, 1, 2); /* more favoured than 5 */
	assert_false(xics_pending(&x, 1));
	xics_h_cppr(&x, 1, 0xff);
	xics_h_ipoll(&x, 1, &xirr, &mfrr);
	assert_int_equal(xirr & 0xffffff, XICS_IRQ_BASE); /* not lost */
}

static void masked_sources_wait_for_int_on(void **state)
{
	(void)state;
	uint32_t server, prio;
	xics_h_cppr(&x, 3, 0xff);
	xics_set_xive(&x, XICS_IRQ_BASE + 9, 3, 5);
	assert_int_equal(xics_int_off(&x, XICS_IRQ_BASE + 9), 0);
	xics_get_xive(&x, XICS_IRQ_BASE + 9, &server, &prio);
	assert_int_equal(prio, 0xff);
	xics_raise(&x, XICS_IRQ_BASE + 9);
	assert_false(xics_pending(&x, 3));
	assert_int_equal(xics_int_on(&x, XICS_IRQ_BASE + 9), 0);
	xics_get_xive(&x, XICS_IRQ_BASE + 9, &server, &prio);
	assert_int_equal(server, 3);
	assert_int_equal(prio, 5);
	assert_true(xics_pending(&x, 3));
}

static void level_source_refires_while_asserted(void **state)
{
	(void)state;
	uint64_t xirr;
	xics_h_cppr(&x, 0, 0xff);
	xics_set_xive(&x, XICS_IRQ_BASE + 1, 0, 5);
	xics_set_level(&x, XICS_IRQ_BASE + 1, true);
	xics_h_xirr(&x, 0, &xirr);
	xics_h_eoi(&x, 0, xirr);
	assert_true(xics_pending(&x, 0)); /* still asserted */
	xics_h_xirr(&x, 0, &xirr);
	xics_set_level(&x, XICS_IRQ_BASE + 1, false);
	xics_h_eoi(&x, 0, xirr);
	assert_false(xics_pending(&x, 0));
}

static void level_lowered_before_acceptance_is_withdrawn(void **state)
{
	(void)state;
	uint64_t xirr;
	xics_h_cppr(&x, 0, 0xff);
	xics_set_xive(&x, XICS_IRQ_BASE + 0x201, 0, 5);
	xics_set_level(&x, XICS_IRQ_BASE + 0x201, true);
	assert_true(xics_pending(&x, 0)); /* presented */
	xics_set_level(&x, XICS_IRQ_BASE + 0x201, false);
	assert_false(xics_pending(&x, 0));
	xics_h_xirr(&x, 0, &xirr);
	assert_int_equal(xirr & 0xffffff, 0);
}

/* Sources across the whole range, several pending at once: the most
 * favoured first, then the others in turn. */
static void many_sources_in_priority_order(void **state)
{
	(void)state;
	uint64_t xirr;
	xics_h_cppr(&x, 0, 0xff);
	static const uint32_t irqs[] = { 0x1000, 0x103f, 0x1040, 0x1200, 0x1300, 0x13ff };
	for (unsigned int i = 0; i < 6; i++) {
		assert_int_equal(xics_set_xive(&x, irqs[i], 0, 10 - i), 0);
		assert_int_equal(xics_raise(&x, irqs[i]), 0);
	}
	for (int i = 5; i >= 0; i--) {
		xics_h_xirr(&x, 0, &xirr);
		assert_int_equal(xirr & 0xffffff, irqs[i]);
		xics_h_eoi(&x, 0, 0xff000000u | irqs[i]);
	}
	assert_false(xics_pending(&x, 0));
}

static void bad_arguments(void **state)
{
	(void)state;
	uint64_t a, b;
	uint32_t s, p;
	assert_int_equal(xics_h_ipi(&x, 4, 5), H_PARAMETER);
	assert_int_equal(xics_h_cppr(&x, 99, 5), H_PARAMETER);
	assert_int_equal(xics_h_xirr(&x, 4, &a), H_PARAMETER);
	assert_int_equal(xics_h_ipoll(&x, 1000, &a, &b), H_PARAMETER);
	assert_int_equal(xics_h_eoi(&x, 0, 0xff000000u | 0x7), H_PARAMETER); /* no such source */
	assert_int_equal(xics_set_xive(&x, XICS_IRQ_BASE + XICS_NR_IRQS, 0, 5), -3);
	assert_int_equal(xics_set_xive(&x, XICS_IRQ_BASE, 4, 5), -3); /* no such server */
	assert_int_equal(xics_set_xive(&x, XICS_IRQ_BASE, 0, 0x100), -3);
	assert_int_equal(xics_get_xive(&x, 5, &s, &p), -3);
	assert_int_equal(xics_int_on(&x, 0), -3);
	assert_int_equal(xics_int_off(&x, ~0u), -3);
	assert_int_equal(xics_raise(&x, 12), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(ipi_needs_an_open_cppr, setup),
		cmocka_unit_test_setup(ipi_still_requested_after_eoi_fires_again, setup),
		cmocka_unit_test_setup(sources_route_by_server_and_priority, setup),
		cmocka_unit_test_setup(raising_cppr_rejects_a_presented_source, setup),
		cmocka_unit_test_setup(masked_sources_wait_for_int_on, setup),
		cmocka_unit_test_setup(level_source_refires_while_asserted, setup),
		cmocka_unit_test_setup(level_lowered_before_acceptance_is_withdrawn, setup),
		cmocka_unit_test_setup(many_sources_in_priority_order, setup),
		cmocka_unit_test_setup(bad_arguments, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
