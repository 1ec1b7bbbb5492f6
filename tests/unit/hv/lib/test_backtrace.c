/* hv/backtrace.c and hv/symbols.c over a fake stack and table. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "hv/lib/backtrace.h"
#include "hv/lib/symbols.h"

static uint64_t stack[64] __attribute__((aligned(16)));

#define A(i) ((uint64_t)(uintptr_t)&stack[i])

/* Frames at stack[0], [8], [20]: back chain at +0, caller's LR save at +16 (index +2). */
static void make_chain(void)
{
	memset(stack, 0, sizeof(stack));
	stack[0] = A(8);
	stack[8 + 2] = 0x2100; /* return address of the innermost function */
	stack[8] = A(20);
	stack[20 + 2] = 0x2200;
	stack[20] = A(40);
	stack[40 + 2] = 0x2300;
	stack[40] = 0; /* end of chain */
}

static void walks_the_chain(void **state)
{
	(void)state;
	make_chain();
	uint64_t out[8];
	unsigned int n = backtrace_walk(A(0), A(0), A(64), out, 8);
	assert_int_equal(n, 3);
	assert_int_equal(out[0], 0x2100);
	assert_int_equal(out[1], 0x2200);
	assert_int_equal(out[2], 0x2300);
	assert_int_equal(backtrace_walk(A(0), A(0), A(64), out, 2), 2);
}

static void stops_at_bad_pointers(void **state)
{
	(void)state;
	uint64_t out[8];
	make_chain();
	stack[8] = A(4); /* points down the stack: a loop */
	assert_int_equal(backtrace_walk(A(0), A(0), A(64), out, 8), 1);
	make_chain();
	stack[8] = A(20) + 3; /* misaligned */
	assert_int_equal(backtrace_walk(A(0), A(0), A(64), out, 8), 1);
	make_chain();
	stack[20] = A(63); /* LR slot would lie beyond the stack */
	assert_int_equal(backtrace_walk(A(0), A(0), A(64), out, 8), 2);
	make_chain();
	assert_int_equal(backtrace_walk(A(0), A(1), A(64), out, 8), 0); /* sp below lo */
	assert_int_equal(backtrace_walk(0, A(0), A(64), out, 8), 0);
}

static const struct hv_symbol syms[] = { { 0x2000, 0, 0 }, { 0x2100, 6, 0 }, { 0x2300, 11, 0 } };
static const struct hv_symtab tab = { syms, 3, "first\0mid\0\0last", 0x2400 };

static void looks_up_symbols(void **state)
{
	(void)state;
	uint64_t off;
	assert_null(symbol_lookup(&tab, 0x1fff, &off));
	assert_string_equal(symbol_lookup(&tab, 0x2000, &off), "first");
	assert_int_equal(off, 0);
	assert_string_equal(symbol_lookup(&tab, 0x20fc, &off), "first");
	assert_int_equal(off, 0xfc);
	assert_string_equal(symbol_lookup(&tab, 0x2100, &off), "mid");
	assert_string_equal(symbol_lookup(&tab, 0x23fc, &off), "last");
	assert_int_equal(off, 0xfc);
	assert_null(symbol_lookup(&tab, 0x2400, &off));
	struct hv_symtab empty = { syms, 0, "", 0 };
	assert_null(symbol_lookup(&empty, 0x2000, &off));
	assert_null(symbol_lookup(NULL, 0x2000, &off));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(walks_the_chain),
		cmocka_unit_test(stops_at_bad_pointers),
		cmocka_unit_test(looks_up_symbols),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
