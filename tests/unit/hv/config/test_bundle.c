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
#include "hv/config/bundle.h"

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
	assert_string_equal(
		err, "bundle: not a bundle (magic 0x5a5a5a5a, expected 0xd00dfeed); build one with ./hvctl bundle");
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

/* The big-endian word at offset off of the structure block. */
static fdt32_t *struct_word(void *b, int off)
{
	return (fdt32_t *)((char *)b + fdt_off_dt_struct(b) + off);
}

static void rejects_corrupt_structure(void **state)
{
	(void)state;
	/* An unknown tag where the first property should be. */
	void *b = make(BUNDLE_COMPATIBLE, 1, true);
	int next;
	assert_int_equal(fdt_next_tag(b, 0, &next), FDT_BEGIN_NODE);
	*struct_word(b, next) = cpu_to_fdt32(0x2a);
	assert_int_equal(bundle_check(b, fdt_totalsize(b), err, sizeof(err)), -1);
	assert_string_equal(err, "bundle: corrupt structure at offset 8: FDT_ERR_BADSTRUCTURE");

	/* A property name outside the strings block. */
	b = make(BUNDLE_COMPATIBLE, 1, true);
	(void)fdt_next_tag(b, 0, &next);
	assert_int_equal(fdt32_to_cpu(*struct_word(b, next)), FDT_PROP);
	struct_word(b, next)[2] = cpu_to_fdt32(0x7fff0000); /* nameoff */
	assert_int_equal(bundle_check(b, fdt_totalsize(b), err, sizeof(err)), -1);
	assert_string_equal(err, "bundle: corrupt property at offset 8");

	/* The root left open: its END_NODE turned into a NOP. */
	b = make(BUNDLE_COMPATIBLE, 1, true);
	int off = 0, last_end = -1;
	uint32_t tag;
	while ((tag = fdt_next_tag(b, off, &next)) != FDT_END) {
		if (tag == FDT_END_NODE)
			last_end = off;
		off = next;
	}
	assert_true(last_end > 0);
	*struct_word(b, last_end) = cpu_to_fdt32(FDT_NOP);
	assert_int_equal(bundle_check(b, fdt_totalsize(b), err, sizeof(err)), -1);
	assert_string_equal(err, "bundle: corrupt structure: 1 node(s) not closed");
}

/* Found by fuzz_platform (a 963-byte tree hung the walk): a property length
 * that brings the next tag back to the property itself. */
static void rejects_property_length_that_walks_back(void **state)
{
	(void)state;
	void *b = make(BUNDLE_COMPATIBLE, 1, true);
	int next;
	(void)fdt_next_tag(b, 0, &next);
	assert_int_equal(fdt32_to_cpu(*struct_word(b, next)), FDT_PROP);
	struct_word(b, next)[1] = cpu_to_fdt32((uint32_t)-12); /* len: 8 + 4 + len = 0 */
	assert_int_equal(bundle_check(b, fdt_totalsize(b), err, sizeof(err)), -1);
	assert_string_equal(err, "bundle: corrupt structure at offset 8: the next tag is at 8");
	struct_word(b, next)[1] = cpu_to_fdt32((uint32_t)-40); /* and one that steps backwards */
	assert_int_equal(bundle_check(b, fdt_totalsize(b), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bundle: corrupt structure at offset 8"));
}

static void rejects_unaligned_blocks(void **state)
{
	(void)state;
	/* Found by fuzz_config: a structure block at an odd offset. */
	void *b = make(BUNDLE_COMPATIBLE, 1, true);
	fdt_set_off_dt_struct(b, fdt_off_dt_struct(b) + 1);
	assert_int_equal(bundle_check(b, fdt_totalsize(b), err, sizeof(err)), -1);
	assert_non_null(
		strstr(err, "bundle: corrupt header: blocks at unaligned offsets (structure 0x41, reserve map 0x30)"));
	b = make(BUNDLE_COMPATIBLE, 1, true);
	fdt_set_off_mem_rsvmap(b, fdt_off_mem_rsvmap(b) + 4);
	assert_int_equal(bundle_check(b, fdt_totalsize(b), err, sizeof(err)), -1);
	assert_string_equal(err,
			    "bundle: corrupt header: blocks at unaligned offsets (structure 0x40, reserve map 0x34)");
}

/* A bundle whose nodes nest `levels` deep: root, /partitions, then x-deeper nodes. */
static void *nest(int levels)
{
	assert_int_equal(fdt_create(buf, sizeof(buf)), 0);
	assert_int_equal(fdt_finish_reservemap(buf), 0);
	assert_int_equal(fdt_begin_node(buf, ""), 0);
	assert_int_equal(fdt_property_string(buf, "compatible", BUNDLE_COMPATIBLE), 0);
	assert_int_equal(fdt_begin_node(buf, "partitions"), 0);
	for (int i = 2; i < levels; i++)
		assert_int_equal(fdt_begin_node(buf, "x-deeper"), 0);
	for (int i = 0; i < levels; i++)
		assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_finish(buf), 0);
	return buf;
}

static void rejects_deep_nesting(void **state)
{
	(void)state;
	void *b = nest(16);
	assert_int_equal(bundle_check(b, fdt_totalsize(b), err, sizeof(err)), 1);
	b = nest(17);
	assert_int_equal(bundle_check(b, fdt_totalsize(b), err, sizeof(err)), -1);
	assert_string_equal(err, "bundle: nodes nested deeper than 16 at offset 280");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_partitions),         cmocka_unit_test(rejects_junk),
		cmocka_unit_test(rejects_truncated),         cmocka_unit_test(rejects_other_device_trees),
		cmocka_unit_test(rejects_corrupt_structure), cmocka_unit_test(rejects_deep_nesting),
		cmocka_unit_test(rejects_unaligned_blocks),  cmocka_unit_test(rejects_property_length_that_walks_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
