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
	char buf[16];
	for (uint64_t i = 0; i < len; i++)
		buf[i] = (char)(v->gpr[6 + i / 8] >> (56 - 8 * (i % 8)));
	vty_output(p, buf, (unsigned int)len);
	return H_SUCCESS;
}

/* Whole lines, each prefixed with the partition's name. A prompt without a
 * newline (a shell waiting for input) is shown when the input arrives. */
void vty_output(struct partition *p, const char *buf, unsigned int len)
{
	spin_lock(&p->vty.lock);
	for (unsigned int i = 0; i < len; i++) {
		char ch = buf[i];
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
}

void vty_flush_prompt(struct partition *p)
{
	spin_lock(&p->vty.lock);
	if (p->vty.len)
		flush_line(p);
	spin_unlock(&p->vty.lock);
}

/* Input typed on the hypervisor console while this partition has focus
 * (hv/monitor.c puts it in the partition's ring). */
long h_get_term_char(struct vcpu *v)
{
	struct partition *p = v->part;
	if (v->gpr[4] != VTY_UNIT_ADDRESS)
		return H_PARAMETER;
	char buf[16];
	uint64_t regs[2] = { 0, 0 }, n = vty_read(p, buf, sizeof(buf));
	for (uint64_t i = 0; i < n; i++)
		regs[i / 8] |= (uint64_t)(uint8_t)buf[i] << (56 - 8 * (i % 8));
	v->gpr[4] = n;
	v->gpr[5] = regs[0];
	v->gpr[6] = regs[1];
	return H_SUCCESS;
}
