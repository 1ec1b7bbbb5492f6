/* hv/platform.c and hv/memmap.c: what the hypervisor reads from firmware. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include "hv/config/platform.h"
#include "hv/mm/memmap.h"
#include "tests/unit/support/fdt_builder.h"

static struct fdt_spec spec;
static struct platform plat;
static char err[200];

static int setup(void **state)
{
	(void)state;
	fdt_spec_default(&spec);
	err[0] = 0;
	return 0;
}

static int parse(void)
{
	return platform_parse(fdt_build(&spec), &plat, err, sizeof(err));
}

static void parses_a_powernv_like_tree(void **state)
{
	(void)state;
	spec.threads = 2;
	spec.boot_cpu = 5;
	spec.bootargs = "loglevel=debug";
	spec.initrd = true;
	spec.initrd_start = 0x28000000;
	spec.initrd_end = 0x28001000;
	assert_int_equal(parse(), 0);
	assert_string_equal(plat.model, "test machine");
	assert_int_equal(plat.nmem, 1);
	assert_int_equal(plat.mem[0].end, 4ull << 30);
	assert_int_equal(platform_mem_total(&plat), 4ull << 30);
	assert_int_equal(plat.ncpus, 8);
	assert_int_equal(plat.cpu_server[0], 0);
	assert_int_equal(plat.cpu_server[1], 1);
	assert_int_equal(plat.cpu_server[7], 13);
	assert_int_equal(plat.boot_cpu, 5);
	assert_int_equal(plat.tb_freq, 512000000);
	assert_int_equal(plat.opal_base, 0x30000000);
	assert_int_equal(plat.opal_entry, 0x30000100);
	assert_int_equal(plat.nrsv, 2);
	assert_int_equal(plat.rsv[0].r.start, 0x30000000);
	assert_int_equal(plat.rsv[1].r.end, 0x31c10000);
	assert_string_equal(plat.rsv[1].name, "ibm,firmware-data@31000000");
	assert_true(plat.has_initrd);
	assert_int_equal(plat.initrd_end, 0x28001000);
	assert_string_equal(plat.bootargs, "loglevel=debug");
	assert_true(plat.fdt_size > 0);
}

static void timebase_as_64bit_cells(void **state)
{
	(void)state;
	spec.tbfreq_64bit = true;
	assert_int_equal(parse(), 0);
	assert_int_equal(plat.tb_freq, 512000000);
}

static void bad_header(void **state)
{
	(void)state;
	char junk[256];
	memset(junk, 0xab, sizeof(junk));
	assert_int_equal(platform_parse(junk, &plat, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "fdt: bad header"));
}

static void missing_timebase(void **state)
{
	(void)state;
	spec.no_tbfreq = true;
	assert_int_equal(parse(), -1);
	assert_string_equal(err, "fdt: /cpus/PowerPC,POWER9@0: missing property timebase-frequency");
}

static void malformed_timebase(void **state)
{
	(void)state;
	spec.tbfreq_bad_len = true;
	assert_int_equal(parse(), -1);
	assert_non_null(strstr(err, "timebase-frequency is malformed"));
}

static void memory_reg_bad_length(void **state)
{
	(void)state;
	spec.mem_reg_bad_len = true;
	assert_int_equal(parse(), -1);
	assert_string_equal(err, "fdt: /memory@0: property reg has length 12, not a multiple of 16");
}

static void overlapping_memory(void **state)
{
	(void)state;
	spec.nmem = 2;
	spec.mem[1][0] = 1ull << 30;
	spec.mem[1][1] = 8ull << 30;
	assert_int_equal(parse(), -1);
	assert_string_equal(err, "fdt: memory ranges overlap: [0x0, 0x100000000) and [0x40000000, 0x240000000)");
}

static void wrapping_memory(void **state)
{
	(void)state;
	spec.mem[0][0] = UINT64_MAX - 4095;
	spec.mem[0][1] = 8192;
	assert_int_equal(parse(), -1);
	assert_non_null(strstr(err, "wraps around"));
}

static void no_memory(void **state)
{
	(void)state;
	spec.nmem = 0;
	assert_int_equal(parse(), -1);
	assert_string_equal(err, "fdt: no memory node with a usable reg");
}

static void no_cpus(void **state)
{
	(void)state;
	spec.ncores = 0;
	assert_int_equal(parse(), -1);
	assert_string_equal(err, "fdt: /cpus has no usable cpu node");
}

static void duplicate_server(void **state)
{
	(void)state;
	spec.threads = 2;
	spec.dup_server = true;
	assert_int_equal(parse(), -1);
	assert_non_null(strstr(err, "listed twice"));
}

static void boot_cpu_not_listed(void **state)
{
	(void)state;
	spec.boot_cpu = 99;
	assert_int_equal(parse(), -1);
	assert_string_equal(err, "fdt: boot CPU 0x63 is not among the CPUs in /cpus");
}

static void missing_opal(void **state)
{
	(void)state;
	spec.no_opal = true;
	assert_int_equal(parse(), -1);
	assert_non_null(strstr(err, "missing node /ibm,opal"));
}

static void initrd_half_present(void **state)
{
	(void)state;
	spec.initrd = true;
	spec.initrd_only_start = true;
	spec.initrd_start = 0x28000000;
	assert_int_equal(parse(), -1);
	assert_non_null(strstr(err, "/chosen: linux,initrd-start/end"));
}

static void initrd_inverted(void **state)
{
	(void)state;
	spec.initrd = true;
	spec.initrd_start = 0x28001000;
	spec.initrd_end = 0x28000000;
	assert_int_equal(parse(), -1);
	assert_non_null(strstr(err, "is below linux,initrd-start"));
}

static void bootargs_not_a_string(void **state)
{
	(void)state;
	spec.bootargs_unterminated = true;
	assert_int_equal(parse(), -1);
	assert_string_equal(err, "fdt: /chosen: property bootargs is not a string");
}

/* Finds the offset of the first structure tag equal to tag. */
static int find_tag(const void *fdt, uint32_t tag)
{
	int off = 0, next;
	for (;;) {
		uint32_t t = fdt_next_tag(fdt, off, &next);
		if (t == tag)
			return off;
		if (t == FDT_END || next < 0)
			return -1;
		off = next;
	}
}

static void corrupt_structure_is_refused(void **state)
{
	(void)state;
	char *fdt = fdt_build(&spec);
	fdt32_t *prop = (fdt32_t *)(fdt + fdt_off_dt_struct(fdt) + find_tag(fdt, FDT_PROP));
	prop[2] = cpu_to_fdt32(0x7ffffff0); /* name offset far outside the strings block */
	assert_int_equal(platform_parse(fdt, &plat, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "fdt: corrupt"));

	fdt = fdt_build(&spec);
	int last_end = -1, off = 0, next;
	for (uint32_t t; (t = fdt_next_tag(fdt, off, &next)) != FDT_END; off = next)
		if (t == FDT_END_NODE)
			last_end = off;
	*(fdt32_t *)(fdt + fdt_off_dt_struct(fdt) + last_end) = cpu_to_fdt32(FDT_NOP); /* root never closed */
	assert_int_equal(platform_parse(fdt, &plat, err, sizeof(err)), -1);
	assert_string_equal(err, "fdt: corrupt structure: 1 node(s) not closed");
}

static void memmap_excludes_every_reserved_byte(void **state)
{
	(void)state;
	spec.nrsvmap = 2;
	spec.rsvmap[1][0] = 0x1234; /* unaligned: rounds outward */
	spec.rsvmap[1][1] = 0x10;
	assert_int_equal(parse(), 0);
	struct plat_rsv extra[2] = {
		{ { 0, 0x6b000 }, "image" },
		{ { 0x28000000, 0x28001001 }, "initrd" },
	};
	static struct palloc pa;
	assert_int_equal(memmap_init(&pa, &plat, extra, 2, err, sizeof(err)), 0);
	for (unsigned int i = 0; i < plat.nrsv; i++)
		assert_true(palloc_is_allocated(&pa, plat.rsv[i].r.start, plat.rsv[i].r.end));
	assert_true(palloc_is_allocated(&pa, 0, 0x6b000));
	assert_true(palloc_is_allocated(&pa, 0x28000000, 0x28002000));
	assert_false(palloc_is_allocated(&pa, 0x28002000, 0x28003000));
	uint64_t expect = (4ull << 30) - 0x600000 - 0xc10000 - 0x6b000 - 0x2000;
	assert_int_equal(pa.free_bytes, expect);
	/* Allocating everything never yields a reserved page. */
	uint64_t a;
	while (palloc_alloc(&pa, 1 << 20, 4096, &a) == PALLOC_OK) {
		assert_true(a >= 0x6b000);
		assert_true(a + (1 << 20) <= 0x28000000 || a >= 0x28002000);
		assert_true(a + (1 << 20) <= 0x30000000 || a >= 0x30600000);
		assert_true(a + (1 << 20) <= 0x31000000 || a >= 0x31c10000);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(parses_a_powernv_like_tree, setup),
		cmocka_unit_test_setup(timebase_as_64bit_cells, setup),
		cmocka_unit_test_setup(bad_header, setup),
		cmocka_unit_test_setup(missing_timebase, setup),
		cmocka_unit_test_setup(malformed_timebase, setup),
		cmocka_unit_test_setup(memory_reg_bad_length, setup),
		cmocka_unit_test_setup(overlapping_memory, setup),
		cmocka_unit_test_setup(wrapping_memory, setup),
		cmocka_unit_test_setup(no_memory, setup),
		cmocka_unit_test_setup(no_cpus, setup),
		cmocka_unit_test_setup(duplicate_server, setup),
		cmocka_unit_test_setup(boot_cpu_not_listed, setup),
		cmocka_unit_test_setup(missing_opal, setup),
		cmocka_unit_test_setup(initrd_half_present, setup),
		cmocka_unit_test_setup(initrd_inverted, setup),
		cmocka_unit_test_setup(bootargs_not_a_string, setup),
		cmocka_unit_test_setup(corrupt_structure_is_refused, setup),
		cmocka_unit_test_setup(memmap_excludes_every_reserved_byte, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
