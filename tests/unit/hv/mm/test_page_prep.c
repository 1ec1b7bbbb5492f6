/* H_ENTER's page preparation in chunks (hv/mm/page_prep.c): the whole page
 * exactly once, stopped and continued at chunk boundaries, started afresh
 * for another request. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "hv/mm/page_prep.h"

#define MiB  (1ull << 20)
#define PAGE (16 * MiB)

static uint8_t *mem;        /* "host memory": the page is at offset 0 */
static uint8_t *synced;     /* per byte: times the icache was synced */
static int stop_after = -1; /* should_stop() says yes once this reaches 0 */
static unsigned int nzero, nsync, nstop;

static void zero(uint64_t host, uint64_t len)
{
	assert_true(host + len <= PAGE);
	memset(mem + host, 0, len);
	nzero++;
}

static void icache_sync(uint64_t host, uint64_t len)
{
	assert_true(host + len <= PAGE);
	for (uint64_t i = host; i < host + len; i++)
		synced[i]++;
	nsync++;
}

static bool should_stop(void)
{
	nstop++;
	return stop_after >= 0 && stop_after-- == 0;
}

static const struct page_prep_ops ops = { zero, icache_sync, should_stop };

static int setup(void **state)
{
	(void)state;
	mem = malloc(PAGE);
	synced = calloc(PAGE, 1);
	memset(mem, 0xa5, PAGE);
	stop_after = -1;
	nzero = nsync = nstop = 0;
	return mem && synced ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(mem);
	free(synced);
	return 0;
}

static bool all(const uint8_t *p, uint64_t len, uint8_t value)
{
	for (uint64_t i = 0; i < len; i++)
		if (p[i] != value)
			return false;
	return true;
}

static void uninterrupted_does_it_all(void **state)
{
	(void)state;
	struct page_prep pp = { 0 };
	assert_true(page_prep_run(&pp, 0, PAGE, H_ZERO_PAGE | H_ICACHE_SYNCHRONIZE, &ops));
	assert_true(all(mem, PAGE, 0));
	assert_true(all(synced, PAGE, 1));
	assert_int_equal(nzero, PAGE / PAGE_PREP_CHUNK);
	assert_int_equal(nstop, PAGE / PAGE_PREP_CHUNK - 1); /* asked between chunks only */
	assert_int_equal(pp.done, 0);
}

static void stopped_continues_where_it_left_off(void **state)
{
	(void)state;
	struct page_prep pp = { 0 };
	unsigned int runs = 0;
	stop_after = 0;
	while (!page_prep_run(&pp, 0, PAGE, H_ZERO_PAGE | H_ICACHE_INVALIDATE, &ops)) {
		runs++;
		assert_int_equal(pp.done, runs * PAGE_PREP_CHUNK); /* one chunk per run */
		assert_true(all(mem + pp.done, PAGE - pp.done, 0xa5));
		stop_after = 0;
	}
	assert_int_equal(runs, PAGE / PAGE_PREP_CHUNK - 1);
	assert_true(all(mem, PAGE, 0));
	assert_true(all(synced, PAGE, 1)); /* each byte once */
}

static void another_request_starts_afresh(void **state)
{
	(void)state;
	struct page_prep pp = { 0 };
	stop_after = 1;
	assert_false(page_prep_run(&pp, 0, PAGE, H_ZERO_PAGE, &ops));
	assert_int_equal(pp.done, 2 * PAGE_PREP_CHUNK);
	/* The same page with other flags, then another page: from the start. */
	memset(mem, 0xa5, PAGE);
	stop_after = 0;
	assert_false(page_prep_run(&pp, 0, PAGE, H_ZERO_PAGE | H_ICACHE_SYNCHRONIZE, &ops));
	assert_int_equal(pp.done, PAGE_PREP_CHUNK);
	assert_true(all(mem, PAGE_PREP_CHUNK, 0));
	memset(mem, 0xa5, PAGE);
	assert_true(page_prep_run(&pp, 4 * MiB, 64 * 1024, H_ZERO_PAGE, &ops));
	assert_true(all(mem + 4 * MiB, 64 * 1024, 0));
	assert_true(all(mem, 4 * MiB, 0xa5));
	assert_true(all(mem + 4 * MiB + 64 * 1024, PAGE - 4 * MiB - 64 * 1024, 0xa5));
}

static void finished_request_is_done_again_in_full(void **state)
{
	(void)state;
	struct page_prep pp = { 0 };
	assert_true(page_prep_run(&pp, 0, PAGE, H_ZERO_PAGE, &ops));
	memset(mem, 0xa5, PAGE); /* the guest writes the page again */
	assert_true(page_prep_run(&pp, 0, PAGE, H_ZERO_PAGE, &ops));
	assert_true(all(mem, PAGE, 0));
}

static void icache_only_leaves_the_data(void **state)
{
	(void)state;
	struct page_prep pp = { 0 };
	assert_true(page_prep_run(&pp, 0, 4096, H_ICACHE_SYNCHRONIZE | H_EXACT, &ops));
	assert_true(all(mem, 4096, 0xa5));
	assert_true(all(synced, 4096, 1));
	assert_int_equal(nzero, 0);
	assert_int_equal(nstop, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(uninterrupted_does_it_all, setup, teardown),
		cmocka_unit_test_setup_teardown(stopped_continues_where_it_left_off, setup, teardown),
		cmocka_unit_test_setup_teardown(another_request_starts_afresh, setup, teardown),
		cmocka_unit_test_setup_teardown(finished_request_is_done_again_in_full, setup, teardown),
		cmocka_unit_test_setup_teardown(icache_only_leaves_the_data, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
