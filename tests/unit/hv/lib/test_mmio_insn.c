/* The MMIO load/store decoder (hv/lib/mmio_insn.c). Instruction words are
 * what binutils' powerpc64 assembler produces for the mnemonic shown. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "hv/lib/mmio_insn.h"

struct row {
	uint32_t insn;
	const char *text;
	uint8_t size;
	bool store, sign_extend, byte_reverse, update;
	uint8_t rt, ra;
};

/* clang-format off */
static const struct row supported[] = {
	{ 0x80a30008, "lwz r5,8(r3)",      4, false, false, false, false, 5, 3 },
	{ 0x84a3fff8, "lwzu r5,-8(r3)",    4, false, false, false, true,  5, 3 },
	{ 0x88c40001, "lbz r6,1(r4)",      1, false, false, false, false, 6, 4 },
	{ 0x8cc40001, "lbzu r6,1(r4)",     1, false, false, false, true,  6, 4 },
	{ 0xa0e40002, "lhz r7,2(r4)",      2, false, false, false, false, 7, 4 },
	{ 0xa4e40002, "lhzu r7,2(r4)",     2, false, false, false, true,  7, 4 },
	{ 0xa904fffe, "lha r8,-2(r4)",     2, false, true,  false, false, 8, 4 },
	{ 0xad04fffe, "lhau r8,-2(r4)",    2, false, true,  false, true,  8, 4 },
	{ 0x912a0010, "stw r9,16(r10)",    4, true,  false, false, false, 9, 10 },
	{ 0x952a0010, "stwu r9,16(r10)",   4, true,  false, false, true,  9, 10 },
	{ 0x992a0000, "stb r9,0(r10)",     1, true,  false, false, false, 9, 10 },
	{ 0x9d2a0000, "stbu r9,0(r10)",    1, true,  false, false, true,  9, 10 },
	{ 0xb12a0004, "sth r9,4(r10)",     2, true,  false, false, false, 9, 10 },
	{ 0xb52a0004, "sthu r9,4(r10)",    2, true,  false, false, true,  9, 10 },
	{ 0xe96c0008, "ld r11,8(r12)",     8, false, false, false, false, 11, 12 },
	{ 0xe96c0009, "ldu r11,8(r12)",    8, false, false, false, true,  11, 12 },
	{ 0xe96c000a, "lwa r11,8(r12)",    4, false, true,  false, false, 11, 12 },
	{ 0xf9a1fff0, "std r13,-16(r1)",   8, true,  false, false, false, 13, 1 },
	{ 0xf821fff1, "stdu r1,-16(r1)",   8, true,  false, false, true,  1, 1 },
	{ 0x7c64282e, "lwzx r3,r4,r5",     4, false, false, false, false, 3, 4 },
	{ 0x7c64286e, "lwzux r3,r4,r5",    4, false, false, false, true,  3, 4 },
	{ 0x7c6428ae, "lbzx r3,r4,r5",     1, false, false, false, false, 3, 4 },
	{ 0x7c6428ee, "lbzux r3,r4,r5",    1, false, false, false, true,  3, 4 },
	{ 0x7c642a2e, "lhzx r3,r4,r5",     2, false, false, false, false, 3, 4 },
	{ 0x7c642a6e, "lhzux r3,r4,r5",    2, false, false, false, true,  3, 4 },
	{ 0x7c642aae, "lhax r3,r4,r5",     2, false, true,  false, false, 3, 4 },
	{ 0x7c642aee, "lhaux r3,r4,r5",    2, false, true,  false, true,  3, 4 },
	{ 0x7c642aaa, "lwax r3,r4,r5",     4, false, true,  false, false, 3, 4 },
	{ 0x7c642aea, "lwaux r3,r4,r5",    4, false, true,  false, true,  3, 4 },
	{ 0x7c64282a, "ldx r3,r4,r5",      8, false, false, false, false, 3, 4 },
	{ 0x7c64286a, "ldux r3,r4,r5",     8, false, false, false, true,  3, 4 },
	{ 0x7c64292e, "stwx r3,r4,r5",     4, true,  false, false, false, 3, 4 },
	{ 0x7c64296e, "stwux r3,r4,r5",    4, true,  false, false, true,  3, 4 },
	{ 0x7c6429ae, "stbx r3,r4,r5",     1, true,  false, false, false, 3, 4 },
	{ 0x7c6429ee, "stbux r3,r4,r5",    1, true,  false, false, true,  3, 4 },
	{ 0x7c642b2e, "sthx r3,r4,r5",     2, true,  false, false, false, 3, 4 },
	{ 0x7c642b6e, "sthux r3,r4,r5",    2, true,  false, false, true,  3, 4 },
	{ 0x7c64292a, "stdx r3,r4,r5",     8, true,  false, false, false, 3, 4 },
	{ 0x7c64296a, "stdux r3,r4,r5",    8, true,  false, false, true,  3, 4 },
	{ 0x7c642c2c, "lwbrx r3,r4,r5",    4, false, false, true,  false, 3, 4 },
	{ 0x7c642e2c, "lhbrx r3,r4,r5",    2, false, false, true,  false, 3, 4 },
	{ 0x7c642c28, "ldbrx r3,r4,r5",    8, false, false, true,  false, 3, 4 },
	{ 0x7c642d2c, "stwbrx r3,r4,r5",   4, true,  false, true,  false, 3, 4 },
	{ 0x7c642f2c, "sthbrx r3,r4,r5",   2, true,  false, true,  false, 3, 4 },
	{ 0x7c642d28, "stdbrx r3,r4,r5",   8, true,  false, true,  false, 3, 4 },
};

static const struct { uint32_t insn; const char *text; } refused[] = {
	{ 0x7c642828, "lwarx r3,r4,r5" },  { 0x7c64292d, "stwcx. r3,r4,r5" }, { 0xc8230008, "lfd f1,8(r3)" },
	{ 0xd8230008, "stfd f1,8(r3)" },   { 0xbb830000, "lmw r28,0(r3)" },   { 0x7c042e98, "lxvd2x vs0,r4,r5" },
	{ 0xe0830010, "lq r4,16(r3)" },    { 0xf8830012, "stq r4,16(r3)" },   { 0x7c642e2a, "lwzcix r3,r4,r5" },
	{ 0x7c042fec, "dcbz r4,r5" },      { 0x7c6844aa, "lswi r3,r8,8" },    { 0xe96c000b, "ld with DS xo 3" },
	{ 0xf96c000b, "std with DS xo 3" }, { 0x7c64282f, "lwzx with Rc = 1" }, { 0x84630000, "lwzu r3,0(r3): RA = RT" },
	{ 0x84a00000, "lwzu r5,0(0): RA = 0" }, { 0x94a00000, "stwu r5,0(0): RA = 0" },
	{ 0x7c63286e, "lwzux r3,r3,r5: RA = RT" }, { 0xe8630001, "ldu r3,0(r3): RA = RT" },
	{ 0x00000000, "zero" },            { 0xffffffff, "all ones" },
};
/* clang-format on */

static void decodes_every_supported_form(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(supported) / sizeof(supported[0]); i++) {
		const struct row *r = &supported[i];
		struct mmio_insn d;
		memset(&d, 0xee, sizeof(d));
		if (!mmio_insn_decode(r->insn, &d))
			fail_msg("%s refused", r->text);
		if (d.size != r->size || d.store != r->store || d.sign_extend != r->sign_extend ||
		    d.byte_reverse != r->byte_reverse || d.update != r->update || d.rt != r->rt || d.ra != r->ra)
			fail_msg("%s decoded wrong", r->text);
	}
}

static void refuses_the_rest(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct mmio_insn d;
		if (mmio_insn_decode(refused[i].insn, &d))
			fail_msg("%s accepted", refused[i].text);
	}
}

/* Every primary opcode with every value of the low 11 bits (D field, DS
 * extended opcode, X-form extended opcode and Rc): exactly the supported
 * forms decode. 14 D-forms take any D; ld/ldu/lwa and std/stdu take any DS;
 * opcode 31 has 26 extended opcodes, each with Rc = 0 only. */
static void nothing_else_decodes(void **state)
{
	(void)state;
	unsigned int accepted = 0;
	for (uint32_t op = 0; op < 64; op++)
		for (uint32_t low = 0; low < 2048; low++) {
			struct mmio_insn d;
			accepted += mmio_insn_decode(op << 26 | 5u << 21 | 4u << 16 | low, &d);
		}
	assert_int_equal(accepted, 14 * 2048 + 3 * 512 + 2 * 512 + 26);
}

static uint64_t load(uint32_t insn, bool le, uint64_t bus)
{
	struct mmio_insn d;
	uint64_t gpr[32] = { 0 };
	assert_true(mmio_insn_decode(insn, &d));
	gpr[d.rt] = 0x5555555555555555ull;
	mmio_insn_complete(&d, gpr, le, bus, 0);
	return gpr[d.rt];
}

static uint64_t store(uint32_t insn, bool le, uint64_t rs)
{
	struct mmio_insn d;
	uint64_t gpr[32] = { 0 };
	assert_true(mmio_insn_decode(insn, &d));
	gpr[d.rt] = rs;
	return mmio_insn_store_value(&d, gpr, le);
}

/* The bus value 0x44332211 is the bytes 11 22 33 44 at ascending addresses. */
static void byte_order_follows_the_guest_and_the_instruction(void **state)
{
	(void)state;
	assert_int_equal(load(0x80a30008, true, 0x44332211), 0x44332211);                        /* lwz, LE guest */
	assert_int_equal(load(0x80a30008, false, 0x44332211), 0x11223344);                       /* lwz, BE guest */
	assert_int_equal(load(0x7c642c2c, true, 0x44332211), 0x11223344);                        /* lwbrx, LE */
	assert_int_equal(load(0x7c642c2c, false, 0x44332211), 0x44332211);                       /* lwbrx, BE */
	assert_int_equal(load(0xa0e40002, false, 0x2211), 0x1122);                               /* lhz, BE */
	assert_int_equal(load(0x88c40001, false, 0xabcd), 0xcd);                                 /* lbz: one byte */
	assert_int_equal(load(0xe96c0008, false, 0x8877665544332211ull), 0x1122334455667788ull); /* ld, BE */
	assert_int_equal(load(0x7c642c28, false, 0x8877665544332211ull), 0x8877665544332211ull); /* ldbrx, BE */
	/* Only the access's own bytes of a wider bus value count. */
	assert_int_equal(load(0x80a30008, true, 0xdeadbeef44332211ull), 0x44332211);

	assert_int_equal(store(0x912a0010, true, 0xffffffff44332211ull), 0x44332211);            /* stw, LE */
	assert_int_equal(store(0x912a0010, false, 0xffffffff11223344ull), 0x44332211);           /* stw, BE */
	assert_int_equal(store(0x7c642d2c, true, 0x11223344), 0x44332211);                       /* stwbrx, LE */
	assert_int_equal(store(0x7c642d2c, false, 0x44332211), 0x44332211);                      /* stwbrx, BE */
	assert_int_equal(store(0x992a0000, false, 0x1234), 0x34);                                /* stb */
	assert_int_equal(store(0xb12a0004, false, 0x1122), 0x2211);                              /* sth, BE */
	assert_int_equal(store(0xf9a1fff0, true, 0x8877665544332211ull), 0x8877665544332211ull); /* std, LE */
}

static void algebraic_loads_sign_extend(void **state)
{
	(void)state;
	assert_int_equal(load(0xa904fffe, true, 0x80ff), 0xffffffffffff80ffull);  /* lha, LE */
	assert_int_equal(load(0xa904fffe, false, 0x80ff), 0xffffffffffffff80ull); /* lha, BE: ff 80 */
	assert_int_equal(load(0xa904fffe, true, 0x7fff), 0x7fff);
	assert_int_equal(load(0xe96c000a, true, 0x80000000), 0xffffffff80000000ull);  /* lwa */
	assert_int_equal(load(0x7c642aaa, false, 0x00000080), 0xffffffff80000000ull); /* lwax, BE */
	assert_int_equal(load(0xa0e40002, true, 0x80ff), 0x80ff);                     /* lhz does not */
}

static void update_forms_write_the_address(void **state)
{
	(void)state;
	struct mmio_insn d;
	uint64_t gpr[32] = { 0 };
	gpr[3] = 0x1000;
	assert_true(mmio_insn_decode(0x84a3fff8, &d)); /* lwzu r5,-8(r3) */
	mmio_insn_complete(&d, gpr, true, 0x12345678, 0xff8);
	assert_int_equal(gpr[5], 0x12345678);
	assert_int_equal(gpr[3], 0xff8);

	/* stdu r1,-16(r1): the old r1 is stored, then r1 is the address. */
	memset(gpr, 0, sizeof(gpr));
	gpr[1] = 0x8877665544332211ull;
	assert_true(mmio_insn_decode(0xf821fff1, &d));
	assert_int_equal(mmio_insn_store_value(&d, gpr, true), 0x8877665544332211ull);
	mmio_insn_complete(&d, gpr, true, 0, 0x2000);
	assert_int_equal(gpr[1], 0x2000);

	/* A plain store changes no register. */
	uint64_t before[32];
	for (int i = 0; i < 32; i++)
		gpr[i] = before[i] = 0x100u + (unsigned)i;
	assert_true(mmio_insn_decode(0x912a0010, &d)); /* stw r9,16(r10) */
	mmio_insn_complete(&d, gpr, false, 0xffffffff, 0x3000);
	assert_memory_equal(gpr, before, sizeof(gpr));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decodes_every_supported_form),
		cmocka_unit_test(refuses_the_rest),
		cmocka_unit_test(nothing_else_decodes),
		cmocka_unit_test(byte_order_follows_the_guest_and_the_instruction),
		cmocka_unit_test(algebraic_loads_sign_extend),
		cmocka_unit_test(update_forms_write_the_address),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
