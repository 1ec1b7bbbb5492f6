/* hv/papr/vty.c: guest console bytes become whole, harmless operator lines. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "hv/papr/vty.h"

static char lines[16][VTY_LINE_MAX + 8];
static unsigned int nlines;

static void sink(void *ctx, const char *line)
{
	(void)ctx;
	if (nlines < 16)
		strcpy(lines[nlines], line);
	nlines++;
}

static struct vty t;

static int setup(void **state)
{
	(void)state;
	nlines = 0;
	vty_init(&t, sink, NULL);
	return 0;
}

static void out(const char *s)
{
	vty_write(&t, s, (unsigned int)strlen(s));
}

static void whole_lines_without_carriage_returns(void **state)
{
	(void)state;
	out("hello ");
	out("world\r\nsecond");
	assert_int_equal(nlines, 1);
	assert_string_equal(lines[0], "hello world");
	vty_flush(&t); /* a prompt */
	assert_int_equal(nlines, 2);
	assert_string_equal(lines[1], "second");
}

static void control_bytes_cannot_reach_the_terminal(void **state)
{
	(void)state;
	/* Clear screen, cursor up, a fake "PANIC" line on the same row, a bell,
	 * backspaces and DEL: all visible, none acted on. */
	out("\x1b[2J\x1b[1A\x1b[2KPANIC: fake\a\b\b\x7f\x01\n");
	assert_int_equal(nlines, 1);
	assert_string_equal(lines[0], "^[[2J^[[1A^[[2KPANIC: fake^G^H^H^?^A");
	/* The 8-bit CSI and other C1 controls, raw or as UTF-8 (U+009B). */
	out("a\x9b"
	    "31mb\xc2\x9b"
	    "c\n");
	assert_string_equal(lines[1], "a\\x9b31mb\\xc2\\x9bc");
	/* A NUL does not end the line early. */
	vty_write(&t, "x\0y\n", 4);
	assert_string_equal(lines[2], "x^@y");
}

static void utf8_text_passes_malformed_does_not(void **state)
{
	(void)state;
	out("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x99\x82\tok\n");
	assert_string_equal(lines[0], "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x99\x82\tok");
	/* Overlong '/', a surrogate, beyond U+10FFFF, a lone continuation, a
	 * sequence cut short by ASCII. */
	out("\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \x80 \xe2\x82z\n");
	assert_string_equal(lines[1], "\\xc0\\xaf \\xed\\xa0\\x80 \\xf4\\x90\\x80\\x80 \\x80 \\xe2\\x82z");
	/* A sequence split across two writes is one character. */
	out("\xc3");
	out("\xa9\n");
	assert_string_equal(lines[2], "\xc3\xa9");
}

static void long_lines_split_without_splitting_escapes(void **state)
{
	(void)state;
	char buf[400];
	memset(buf, 'x', sizeof(buf));
	buf[VTY_LINE_MAX - 2] = '\x1b'; /* its escape does not fit on the first line */
	vty_write(&t, buf, sizeof(buf));
	vty_flush(&t);
	assert_true(nlines >= 3);
	for (unsigned int i = 0; i < nlines; i++)
		assert_true(strlen(lines[i]) <= VTY_LINE_MAX - 1);
	assert_int_equal(strlen(lines[0]), VTY_LINE_MAX - 2);
	assert_memory_equal(lines[1], "^[", 2);
}

static void input_waits_and_overflow_is_dropped(void **state)
{
	(void)state;
	char buf[100], got[100];
	memset(buf, 'k', sizeof(buf));
	vty_input(&t, buf, sizeof(buf));
	unsigned int n = vty_read(&t, got, sizeof(got));
	assert_int_equal(n, VTY_INPUT_SIZE - 1);
	assert_int_equal(vty_read(&t, got, sizeof(got)), 0);
	vty_input(&t, "ab", 2);
	assert_int_equal(vty_read(&t, got, 1), 1);
	assert_int_equal(got[0], 'a');
	assert_int_equal(vty_read(&t, got, 5), 1);
	assert_int_equal(got[0], 'b');
}

/* The room the console's back pressure is based on. */
static void input_room_follows_what_is_taken(void **state)
{
	(void)state;
	char got[100];
	assert_int_equal(vty_input_room(&t), VTY_INPUT_SIZE - 1);
	vty_input(&t, "hello", 5);
	assert_int_equal(vty_input_room(&t), VTY_INPUT_SIZE - 6);
	assert_int_equal(vty_read(&t, got, 2), 2);
	assert_int_equal(vty_input_room(&t), VTY_INPUT_SIZE - 4);
	char fill[VTY_INPUT_SIZE];
	memset(fill, 'x', sizeof(fill));
	vty_input(&t, fill, sizeof(fill));
	assert_int_equal(vty_input_room(&t), 0);
	vty_read(&t, got, sizeof(got));
	assert_int_equal(vty_input_room(&t), VTY_INPUT_SIZE - 1); /* across the wrap */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(whole_lines_without_carriage_returns, setup),
		cmocka_unit_test_setup(control_bytes_cannot_reach_the_terminal, setup),
		cmocka_unit_test_setup(utf8_text_passes_malformed_does_not, setup),
		cmocka_unit_test_setup(long_lines_split_without_splitting_escapes, setup),
		cmocka_unit_test_setup(input_waits_and_overflow_is_dropped, setup),
		cmocka_unit_test_setup(input_room_follows_what_is_taken, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
