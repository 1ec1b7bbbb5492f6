/* hv/log.c: levels, prefixes, line endings, the loglevel= switch. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "hv/lib/log.h"

static char out[4096];
static size_t used;

static void sink(const char *s, size_t n)
{
	assert_true(used + n < sizeof(out));
	memcpy(out + used, s, n);
	used += n;
	out[used] = 0;
}

static int setup(void **state)
{
	(void)state;
	used = 0;
	out[0] = 0;
	log_set_sink(sink);
	log_set_level(LOG_INFO);
	return 0;
}

static void levels_filter_and_prefix(void **state)
{
	(void)state;
	log_error("disk %d gone", 3);
	log_warn("slow");
	log_info("hello");
	log_debug("noise");
	assert_string_equal(out, "ERROR: disk 3 gone\nWARNING: slow\nhello\n");
	log_set_level(LOG_DEBUG);
	log_debug("now %s", "visible");
	assert_non_null(strstr(out, "debug: now visible\n"));
	log_set_level(LOG_ERROR);
	used = 0;
	log_warn("hidden");
	hvprint("always");
	assert_string_equal(out, "always\n");
}

static void one_newline_per_line(void **state)
{
	(void)state;
	log_info("already ends\n");
	log_info("%s", "");
	assert_string_equal(out, "already ends\n\n");
}

static void long_lines_are_cut_but_terminated(void **state)
{
	(void)state;
	char big[1000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	log_error("%s", big);
	assert_true(used < 260);
	assert_int_equal(out[used - 1], '\n');
	assert_memory_equal(out, "ERROR: xxx", 10);
}

static void loglevel_switch(void **state)
{
	(void)state;
	assert_int_equal(log_level_from_args("loglevel=debug"), LOG_DEBUG);
	assert_int_equal(log_level_from_args("quiet loglevel=warn x=1"), LOG_WARN);
	assert_int_equal(log_level_from_args("loglevel=error"), LOG_ERROR);
	assert_int_equal(log_level_from_args("loglevel=info"), LOG_INFO);
	assert_int_equal(log_level_from_args("loglevel=chatty"), -1);
	assert_int_equal(log_level_from_args("loglevel=debugx"), -1);
	assert_int_equal(log_level_from_args("myloglevel=debug"), -1);
	assert_int_equal(log_level_from_args(""), -1);
	assert_int_equal(log_level_from_args(NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(levels_filter_and_prefix, setup),
		cmocka_unit_test_setup(one_newline_per_line, setup),
		cmocka_unit_test_setup(long_lines_are_cut_but_terminated, setup),
		cmocka_unit_test_setup(loglevel_switch, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
