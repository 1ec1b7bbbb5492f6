/* The vty: H_PUT_TERM_CHAR / H_GET_TERM_CHAR, one console per partition. */
#include "hcall/hcall.h"
#include "hcall/papr.h"
#include "hv/console.h"
#include "hv/partition.h"

static void flush_line(struct partition *p)
{
	p->vty.line[p->vty.len] = '\0';
	partition_log(p, "%s", p->vty.line);
	p->vty.len = 0;
}

/* Up to 16 bytes packed big-endian in r6, r7 (first byte in the top bits). */
long h_put_term_char(struct vcpu *v)
{
	struct partition *p = v->part;
	uint64_t len = v->gpr[5];
	if (v->gpr[4] != VTY_UNIT_ADDRESS)
		return H_PARAMETER;
	if (len > 16)
		return H_PARAMETER;
	spin_lock(&p->vty.lock);
	for (uint64_t i = 0; i < len; i++) {
		char ch = (char)(v->gpr[6 + i / 8] >> (56 - 8 * (i % 8)));
		if (ch == '\r')
			continue;
		if (ch == '\n' || p->vty.len == sizeof(p->vty.line) - 1) {
			flush_line(p);
			if (ch == '\n')
				continue;
		}
		p->vty.line[p->vty.len++] = ch;
	}
	spin_unlock(&p->vty.lock);
	return H_SUCCESS;
}

/* Input: the console's focus is the first partition until the monitor
 * can move it; its reads come straight from the firmware console. */
long h_get_term_char(struct vcpu *v)
{
	struct partition *p = v->part;
	if (v->gpr[4] != VTY_UNIT_ADDRESS)
		return H_PARAMETER;
	uint64_t regs[2] = { 0, 0 }, n = 0;
	if (p->index == 0) {
		while (n < 16) {
			int c = console_getc();
			if (c < 0)
				break;
			regs[n / 8] |= (uint64_t)(uint8_t)c << (56 - 8 * (n % 8));
			n++;
		}
	}
	v->gpr[4] = n;
	v->gpr[5] = regs[0];
	v->gpr[6] = regs[1];
	return H_SUCCESS;
}
