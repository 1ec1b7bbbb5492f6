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

void vty_write(struct vty *t, const char *buf, unsigned int len)
{
	spin_lock(&t->lock);
	for (unsigned int i = 0; i < len; i++) {
		char ch = buf[i];
		if (ch == '\r')
			continue;
		if (ch == '\n' || t->len == sizeof(t->line) - 1) {
			emit_line(t);
			if (ch == '\n')
				continue;
		}
		t->line[t->len++] = ch;
	}
	spin_unlock(&t->lock);
}

void vty_flush(struct vty *t)
{
	spin_lock(&t->lock);
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
