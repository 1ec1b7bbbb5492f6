/* hv/bundle.c: the container check on the initrd. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include "hv/bundle.h"

static char buf[4096];
static char err[200];

static void *make(const char *compatible, int nparts, bool with_partitions)
{
	assert_int_equal(fdt_create(buf, sizeof(buf)), 0);
	assert_int_equal(fdt_finish_reservemap(buf), 0);
	assert_int_equal(fdt_begin_node(buf, ""), 0);
	if (compatible)
		assert_int_equal(fdt_property_string(buf, "compatible", compatible), 0);
	if (with_partitions) {
		assert_int_equal(fdt_begin_node(buf, "partitions"), 0);
		for (int i = 0; i < nparts; i++) {
			char name[16];
			snprintf(name, sizeof(name), "p%d", i);
			assert_int_equal(fdt_begin_node(buf, name), 0);
			assert_int_equal(fdt_end_node(buf), 0);
		}
		assert_int_equal(fdt_end_node(buf), 0);
	}
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_finish(buf), 0);
	return buf;
}

static void counts_partitions(void **state)
{
	(void)state;
	void *b = make(BUNDLE_COMPATIBLE, 2, true);
	assert_int_equal(bundle_check(b, fdt_totalsize(b), err, sizeof(err)), 2);
	b = make(BUNDLE_COMPATIBLE, 0, true);
	assert_int_equal(bundle_check(b, fdt_totalsize(b), err, sizeof(err)), 0);
}

static void rejects_junk(void **state)
{
	(void)state;
	memset(buf, 0x5a, sizeof(buf));
	assert_int_equal(bundle_check(buf, sizeof(buf), err, sizeof(err)), -1);
	assert_string_equal(err, "bundle: not a bundle (magic 0x5a5a5a5a, expected 0xd00dfeed); build one with ./hvctl bundle");
	assert_int_equal(bundle_check(buf, 8, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "too small"));
}

static void rejects_truncated(void **state)
{
	(void)state;
	void *b = make(BUNDLE_COMPATIBLE, 1, true);
	assert_int_equal(bundle_check(b, fdt_totalsize(b) - 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "were loaded"));
}

static void rejects_other_device_trees(void **state)
{
	(void)state;
	void *b = make("ibm,powernv", 1, true);
	assert_int_equal(bundle_check(b, fdt_totalsize(b), err, sizeof(err)), -1);
	assert_string_equal(err, "bundle: root node is not compatible with \"" BUNDLE_COMPATIBLE "\"");
	b = make(NULL, 1, true);
	assert_int_equal(bundle_check(b, fdt_totalsize(b), err, sizeof(err)), -1);
	b = make(BUNDLE_COMPATIBLE, 0, false);
	assert_int_equal(bundle_check(b, fdt_totalsize(b), err, sizeof(err)), -1);
	assert_string_equal(err, "bundle: missing node /partitions");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_partitions),
		cmocka_unit_test(rejects_junk),
		cmocka_unit_test(rejects_truncated),
		cmocka_unit_test(rejects_other_device_trees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
