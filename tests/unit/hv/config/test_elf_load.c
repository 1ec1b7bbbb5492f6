/* hv/elf_load.c: planning a guest kernel load like QEMU pseries, and the initrd placement. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "hv/config/elf_load.h"
#include "tests/unit/support/bundle_builder.h"

#define MiB  (1ull << 20)
#define LOAD 0x400000ull

static char err[256];
static struct load_plan plan;
static struct elf_spec spec;

static int plan_spec(uint64_t load, uint64_t mem)
{
	uint64_t size;
	const uint8_t *img = elf_build(&spec, &size);
	return elf_plan(img, size, load, mem, &plan, err, sizeof(err));
}

/* Expects elf_plan to fail with a message containing want, and leave an empty plan. */
static void expect_error(uint64_t load, uint64_t mem, const char *want)
{
	assert_int_equal(plan_spec(load, mem), -1);
	if (!strstr(err, want))
		fail_msg("error \"%s\" does not contain \"%s\"", err, want);
	assert_int_equal(plan.nseg, 0);
}

static void loads_vmlinux(bool le)
{
	elf_spec_default(&spec, le);
	uint64_t size;
	const uint8_t *img = elf_build(&spec, &size);
	assert_int_equal(elf_plan(img, size, LOAD, 256 * MiB, &plan, err, sizeof(err)), 0);
	assert_true(plan.is_elf);
	assert_int_equal(plan.little_endian, le);
	assert_int_equal(plan.nseg, 1); /* the PT_NOTE is not loaded */
	assert_int_equal(plan.seg[0].guest_addr, LOAD);
	assert_ptr_equal(plan.seg[0].src, img + 0x1000);
	assert_int_equal(plan.seg[0].file_size, 0x2000);
	assert_int_equal(plan.seg[0].mem_size, 0x5000);
	assert_int_equal(plan.entry, LOAD); /* 0xc000000000000000 masked, plus the load address */
	assert_int_equal(plan.lowest, LOAD);
	assert_int_equal(plan.highest, LOAD + 0x5000);
}

static void loads_big_endian(void **state)
{
	(void)state;
	loads_vmlinux(false);
}

static void loads_little_endian(void **state)
{
	(void)state;
	loads_vmlinux(true);
}

static void translates_paddr_not_vaddr(void **state)
{
	(void)state;
	elf_spec_default(&spec, false);
	/* Only the low 28 bits of p_paddr count; p_vaddr is ignored. */
	spec.ph[0].paddr = 0x1230000010000ull;
	spec.ph[0].vaddr = 0xc000000000000000ull;
	spec.entry = 0xc000000000010100ull;
	assert_int_equal(plan_spec(LOAD, 256 * MiB), 0);
	assert_int_equal(plan.seg[0].guest_addr, LOAD + 0x10000);
	assert_int_equal(plan.entry, LOAD + 0x10100);
	/* Another load address moves everything. */
	assert_int_equal(plan_spec(0x2000000, 256 * MiB), 0);
	assert_int_equal(plan.seg[0].guest_addr, 0x2010000);
	assert_int_equal(plan.entry, 0x2010100);
}

static void several_segments_give_the_span(void **state)
{
	(void)state;
	elf_spec_default(&spec, true);
	spec.nph = spec.phnum = 3;
	spec.ph[1] = (struct elf_ph_spec){ 1, 0x3000, 0, 0x100000, 0x100, 0x8000, 0x33 };
	spec.ph[2] = (struct elf_ph_spec){ 1, 0x3100, 0, 0x80000, 0, 0, 0 }; /* empty: skipped */
	assert_int_equal(plan_spec(LOAD, 64 * MiB), 0);
	assert_int_equal(plan.nseg, 2);
	assert_int_equal(plan.seg[1].guest_addr, LOAD + 0x100000);
	assert_int_equal(plan.lowest, LOAD);
	assert_int_equal(plan.highest, LOAD + 0x108000);
}

static void apply_copies_and_zeroes(void **state)
{
	(void)state;
	static uint8_t guest[2 * MiB];
	elf_spec_default(&spec, false);
	spec.nph = spec.phnum = 2;
	spec.ph[1] = (struct elf_ph_spec){ 1, 0x3000, 0, 0x100000, 0x10, 0x40, 0x33 };
	assert_int_equal(plan_spec(0x10000, sizeof(guest)), 0);
	memset(guest, 0xaa, sizeof(guest));
	elf_apply(&plan, guest);
	assert_int_equal(guest[0xffff], 0xaa);  /* below: untouched */
	assert_int_equal(guest[0x10000], 0x11); /* file bytes */
	assert_int_equal(guest[0x10000 + 0x1fff], 0x11);
	assert_int_equal(guest[0x10000 + 0x2000], 0); /* zeroed up to p_memsz */
	assert_int_equal(guest[0x10000 + 0x4fff], 0);
	assert_int_equal(guest[0x10000 + 0x5000], 0xaa); /* beyond: untouched */
	assert_int_equal(guest[0x110000 + 0xf], 0x33);
	assert_int_equal(guest[0x110000 + 0x10], 0);
	assert_int_equal(guest[0x110000 + 0x3f], 0);
	assert_int_equal(guest[0x110000 + 0x40], 0xaa);
}

static void raw_image_loads_at_load_address(void **state)
{
	(void)state;
	static const uint8_t raw[100] = { 0x48, 0, 0, 0x10 };
	assert_int_equal(elf_plan(raw, sizeof(raw), LOAD, 64 * MiB, &plan, err, sizeof(err)), 0);
	assert_false(plan.is_elf);
	assert_int_equal(plan.nseg, 1);
	assert_int_equal(plan.seg[0].guest_addr, LOAD);
	assert_ptr_equal(plan.seg[0].src, raw);
	assert_int_equal(plan.seg[0].file_size, 100);
	assert_int_equal(plan.seg[0].mem_size, 100);
	assert_int_equal(plan.entry, LOAD);
	assert_int_equal(plan.highest, LOAD + 100);
	/* Exactly filling memory is fine, one byte more is not. */
	assert_int_equal(elf_plan(raw, sizeof(raw), 64 * MiB - 100, 64 * MiB, &plan, err, sizeof(err)), 0);
	assert_int_equal(elf_plan(raw, sizeof(raw), 64 * MiB - 99, 64 * MiB, &plan, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "raw image of 100 bytes at 0x3ffff9d does not fit"));
	/* Three bytes of "\177EL" are not an ELF header: raw. */
	assert_int_equal(elf_plan("\177EL", 3, LOAD, 64 * MiB, &plan, err, sizeof(err)), 0);
	assert_false(plan.is_elf);
}

static void rejects_bad_arguments(void **state)
{
	(void)state;
	assert_int_equal(elf_plan("", 0, LOAD, 64 * MiB, &plan, err, sizeof(err)), -1);
	assert_string_equal(err, "image is empty");
	assert_int_equal(elf_plan("x", 1, 64 * MiB, 64 * MiB, &plan, err, sizeof(err)), -1);
	assert_string_equal(err, "load address 0x4000000 is outside guest memory (0x4000000 bytes)");
}

static void rejects_bad_headers(void **state)
{
	(void)state;
	elf_spec_default(&spec, false);
	spec.size = 63;
	expect_error(LOAD, 64 * MiB, "ELF: header truncated (63 bytes)");

	elf_spec_default(&spec, false);
	spec.ident_class = 1;
	expect_error(LOAD, 64 * MiB, "ELF: 32-bit ELF is not supported");
	spec.ident_class = 3;
	expect_error(LOAD, 64 * MiB, "ELF: unknown class 3");

	elf_spec_default(&spec, false);
	spec.ident_data = 0;
	expect_error(LOAD, 64 * MiB, "ELF: unknown byte order 0");

	elf_spec_default(&spec, true);
	spec.machine = 62;
	expect_error(LOAD, 64 * MiB, "ELF: machine 62 is not 64-bit PowerPC (21)");
	/* The machine read in the wrong byte order would be 0x1500. */
	elf_spec_default(&spec, true);
	spec.ident_data = 2;
	expect_error(LOAD, 64 * MiB, "ELF: machine 5376");

	elf_spec_default(&spec, false);
	spec.type = 1;
	expect_error(LOAD, 64 * MiB, "ELF: type 1 is not an executable");
	spec.type = 2; /* ET_EXEC is fine */
	assert_int_equal(plan_spec(LOAD, 64 * MiB), 0);

	elf_spec_default(&spec, false);
	spec.ehsize = 52;
	expect_error(LOAD, 64 * MiB, "ELF: header size 52, expected 64");

	elf_spec_default(&spec, false);
	spec.phentsize = 32;
	expect_error(LOAD, 64 * MiB, "ELF: program header size 32, expected 56");
}

static void rejects_bad_program_header_tables(void **state)
{
	(void)state;
	elf_spec_default(&spec, false);
	spec.phnum = 0;
	expect_error(LOAD, 64 * MiB, "ELF: 0 program headers (expected 1..256)");
	spec.phnum = 0xffff;
	expect_error(LOAD, 64 * MiB, "ELF: 65535 program headers");

	elf_spec_default(&spec, false);
	spec.phnum = 220; /* claims more than the file holds */
	expect_error(LOAD, 64 * MiB, "ELF: program headers [0x40, +220*56) are outside the 12320-byte image");

	elf_spec_default(&spec, false);
	spec.phoff = UINT64_MAX - 8;
	spec.nph = 0;
	expect_error(LOAD, 64 * MiB, "are outside the");
}

static void rejects_bad_segments(void **state)
{
	(void)state;
	elf_spec_default(&spec, false);
	spec.ph[0].filesz = 0x6000;
	expect_error(LOAD, 64 * MiB, "ELF: program header 0: file size 0x6000 is larger than memory size 0x5000");

	elf_spec_default(&spec, false);
	spec.size = 0x2fff; /* the segment's last byte is cut off */
	expect_error(LOAD, 64 * MiB,
		     "ELF: program header 0: file bytes [0x1000, +0x2000) are outside the 12287-byte image");

	elf_spec_default(&spec, false);
	spec.ph[0].offset = UINT64_MAX - 0xfff; /* offset + filesz wraps */
	expect_error(LOAD, 64 * MiB, "are outside the");

	elf_spec_default(&spec, false);
	spec.ph[0].memsz = 64 * MiB;
	expect_error(LOAD, 64 * MiB,
		     "ELF: program header 0: segment [0x400000, +0x4000000) is outside guest memory (0x4000000 bytes)");
	spec.ph[0].memsz = UINT64_MAX; /* addr + memsz wraps */
	expect_error(LOAD, 64 * MiB, "is outside guest memory");
	/* A segment that ends exactly at the end of memory fits. */
	spec.ph[0].memsz = 64 * MiB - LOAD;
	assert_int_equal(plan_spec(LOAD, 64 * MiB), 0);

	elf_spec_default(&spec, false);
	spec.nph = spec.phnum = 2;
	spec.ph[1] = (struct elf_ph_spec){ 1, 0x3000, 0, 0x4fff, 0x10, 0x10, 0x33 };
	expect_error(LOAD, 64 * MiB,
		     "ELF: program header 1: segment [0x404fff, 0x40500f) overlaps [0x400000, 0x405000)");
	spec.ph[1].paddr = 0x5000; /* adjacent is fine */
	assert_int_equal(plan_spec(LOAD, 64 * MiB), 0);
}

static void rejects_too_many_or_no_segments(void **state)
{
	(void)state;
	elf_spec_default(&spec, false);
	spec.nph = spec.phnum = ELF_MAX_SEGMENTS + 1;
	for (unsigned int i = 0; i < spec.nph; i++)
		spec.ph[i] = (struct elf_ph_spec){ 1, 0x1000, 0, 0x10000 * i, 0x100, 0x100, 0x11 };
	expect_error(LOAD, 64 * MiB, "ELF: more than 16 loadable segments");
	spec.nph = spec.phnum = ELF_MAX_SEGMENTS;
	assert_int_equal(plan_spec(LOAD, 64 * MiB), 0);
	assert_int_equal(plan.nseg, ELF_MAX_SEGMENTS);

	elf_spec_default(&spec, false);
	spec.ph[0].type = 4;
	expect_error(LOAD, 64 * MiB, "ELF: no loadable segment");
}

static void rejects_entry_outside_segments(void **state)
{
	(void)state;
	elf_spec_default(&spec, true);
	spec.entry = 0xc000000000005000ull; /* one past the end */
	expect_error(LOAD, 64 * MiB, "ELF: entry 0xc000000000005000 (guest 0x405000) is not inside a loaded segment");
	spec.entry = 0xc000000000004ffcull; /* in the zeroed part: still loaded */
	assert_int_equal(plan_spec(LOAD, 64 * MiB), 0);
	assert_int_equal(plan.entry, LOAD + 0x4ffc);
}

static void error_messages_are_bounded(void **state)
{
	(void)state;
	char small[12];
	memset(small, 'x', sizeof(small));
	elf_spec_default(&spec, false);
	spec.machine = 3;
	uint64_t size;
	const uint8_t *img = elf_build(&spec, &size);
	assert_int_equal(elf_plan(img, size, LOAD, 64 * MiB, &plan, small, sizeof(small)), -1);
	assert_string_equal(small, "ELF: machin");
}

static void places_initrd_after_kernel(void **state)
{
	(void)state;
	uint64_t at = 0;
	/* (end + 0x1ffff) & ~0xffff, as QEMU pseries does. */
	assert_int_equal(initrd_place(0x1000, 64 * MiB, 0x412345, &at), 0);
	assert_int_equal(at, 0x430000);
	assert_int_equal(initrd_place(0x1000, 64 * MiB, 0x410000, &at), 0);
	assert_int_equal(at, 0x420000); /* an aligned end still leaves 64 KiB */
	/* Fits exactly up to the end of memory, not a byte more. */
	assert_int_equal(initrd_place(64 * MiB - 0x420000, 64 * MiB, 0x410000, &at), 0);
	at = 7;
	assert_int_equal(initrd_place(64 * MiB - 0x420000 + 1, 64 * MiB, 0x410000, &at), -1);
	assert_int_equal(at, 7);
	assert_int_equal(initrd_place(1, 64 * MiB, 64 * MiB, &at), -1);
	assert_int_equal(initrd_place(1, UINT64_MAX, UINT64_MAX - 10, &at), -1);
	assert_int_equal(initrd_place(UINT64_MAX, 64 * MiB, 0x410000, &at), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loads_big_endian),
		cmocka_unit_test(loads_little_endian),
		cmocka_unit_test(translates_paddr_not_vaddr),
		cmocka_unit_test(several_segments_give_the_span),
		cmocka_unit_test(apply_copies_and_zeroes),
		cmocka_unit_test(raw_image_loads_at_load_address),
		cmocka_unit_test(rejects_bad_arguments),
		cmocka_unit_test(rejects_bad_headers),
		cmocka_unit_test(rejects_bad_program_header_tables),
		cmocka_unit_test(rejects_bad_segments),
		cmocka_unit_test(rejects_too_many_or_no_segments),
		cmocka_unit_test(rejects_entry_outside_segments),
		cmocka_unit_test(error_messages_are_bounded),
		cmocka_unit_test(places_initrd_after_kernel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
