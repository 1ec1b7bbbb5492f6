#include <stdint.h>
#include <string.h>
#include "hv/papr/vty.h"

void vty_init(struct vty *t, vty_line_fn emit, void *ctx)
{
	memset(t, 0, sizeof(*t));
	t->emit = emit;
	t->ctx = ctx;
}

static void emit_line(struct vty *t)
{
	t->line[t->len] = '\0';
	t->emit(t->ctx, t->line);
	t->len = 0;
}

/* Appends n bytes that belong together, starting a new line if they do not fit. */
static void put(struct vty *t, const char *s, unsigned int n)
{
	if (t->len + n > sizeof(t->line) - 1)
		emit_line(t);
	memcpy(t->line + t->len, s, n);
	t->len += n;
}

static void put_escaped(struct vty *t, unsigned char b)
{
	static const char hex[] = "0123456789abcdef";
	char e[4] = { '\\', 'x', hex[b >> 4], hex[b & 15] };
	if (b < 0x20 || b == 0x7f) {
		e[0] = '^';
		e[1] = b == 0x7f ? '?' : (char)(b + 0x40);
		put(t, e, 2);
		return;
	}
	put(t, e, 4);
}

static void flush_sequence(struct vty *t)
{
	for (unsigned int i = 0; i < t->seq_len; i++)
		put_escaped(t, t->seq[i]);
	t->seq_len = t->seq_need = 0;
}

/* A complete UTF-8 sequence: shown when it is the shortest form of a code
 * point above the C1 controls that is not a surrogate. */
static void end_sequence(struct vty *t)
{
	uint32_t cp = t->seq[0] & (0x7f >> t->seq_len);
	for (unsigned int i = 1; i < t->seq_len; i++)
		cp = cp << 6 | (t->seq[i] & 0x3f);
	static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (cp < min[t->seq_len] || cp < 0xa0 || (cp >= 0xd800 && cp < 0xe000) || cp > 0x10ffff) {
		flush_sequence(t);
		return;
	}
	put(t, (const char *)t->seq, t->seq_len);
	t->seq_len = t->seq_need = 0;
}

static void write_byte(struct vty *t, unsigned char b)
{
	if (t->seq_need) {
		if ((b & 0xc0) == 0x80) {
			t->seq[t->seq_len++] = b;
			if (t->seq_len == t->seq_need)
				end_sequence(t);
			return;
		}
		flush_sequence(t); /* cut short: show what came, then b as itself */
	}
	if (b == '\r')
		return;
	if (b == '\n') {
		emit_line(t);
		return;
	}
	if ((b >= 0x20 && b < 0x7f) || b == '\t') {
		char c = (char)b;
		put(t, &c, 1);
	} else if (b >= 0xc2 && b <= 0xf4) {
		t->seq[0] = b;
		t->seq_len = 1;
		t->seq_need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
	} else {
		put_escaped(t, b);
	}
}

void vty_write(struct vty *t, const char *buf, unsigned int len)
{
	spin_lock(&t->lock);
	for (unsigned int i = 0; i < len; i++)
		write_byte(t, (unsigned char)buf[i]);
	spin_unlock(&t->lock);
}

void vty_flush(struct vty *t)
{
	spin_lock(&t->lock);
	flush_sequence(t);
	if (t->len)
		emit_line(t);
	spin_unlock(&t->lock);
}

void vty_input(struct vty *t, const char *buf, unsigned int len)
{
	spin_lock(&t->lock);
	for (unsigned int i = 0; i < len; i++) {
		unsigned int next = (t->in_head + 1) % sizeof(t->in);
		if (next == t->in_tail)
			break;
		t->in[t->in_head] = buf[i];
		t->in_head = next;
	}
	spin_unlock(&t->lock);
}

unsigned int vty_input_room(struct vty *t)
{
	spin_lock(&t->lock);
	unsigned int used = (t->in_head + sizeof(t->in) - t->in_tail) % sizeof(t->in);
	spin_unlock(&t->lock);
	return (unsigned int)sizeof(t->in) - 1 - used;
}

unsigned int vty_read(struct vty *t, char *buf, unsigned int max)
{
	unsigned int n = 0;
	spin_lock(&t->lock);
	while (n < max && t->in_tail != t->in_head) {
		buf[n++] = t->in[t->in_tail];
		t->in_tail = (t->in_tail + 1) % sizeof(t->in);
	}
	spin_unlock(&t->lock);
	return n;
}
