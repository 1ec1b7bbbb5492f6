/* The console: H_PUT_TERM_CHAR / H_GET_TERM_CHAR on the partition's vty,
 * and RTAS display-character. */
#include <stdbool.h>
#include "hcall/hcall.h"
#include "hv/papr/rtas.h"
#include "hv/partition.h"

/* The partition's one vty, by its unit address or as 0: "the default
 * vty", as QEMU pseries and PowerVM take it (early kernel debug uses 0). */
static bool is_our_vty(uint64_t termno)
{
	return termno == VTY_UNIT_ADDRESS || termno == 0;
}

/* Up to 16 bytes packed big-endian in r6, r7 (first byte in the top bits). */
static long h_put_term_char(struct vcpu *v)
{
	uint64_t len = v->gpr[5];
	if (!is_our_vty(v->gpr[4]))
		return H_PARAMETER;
	if (len > 16)
		return H_PARAMETER;
	char buf[16];
	for (uint64_t i = 0; i < len; i++)
		buf[i] = (char)(v->gpr[6 + i / 8] >> (56 - 8 * (i % 8)));
	vty_write(&v->part->vty, buf, (unsigned int)len);
	return H_SUCCESS;
}
HCALL(H_PUT_TERM_CHAR, h_put_term_char, 0);

/* Input typed on the hypervisor console while this partition has focus
 * (hv/monitor.c puts it in the vty's ring). */
static long h_get_term_char(struct vcpu *v)
{
	if (!is_our_vty(v->gpr[4]))
		return H_PARAMETER;
	char buf[16];
	uint64_t regs[2] = { 0, 0 }, n = vty_read(&v->part->vty, buf, sizeof(buf));
	for (uint64_t i = 0; i < n; i++)
		regs[i / 8] |= (uint64_t)(uint8_t)buf[i] << (56 - 8 * (i % 8));
	v->gpr[4] = n;
	v->gpr[5] = regs[0];
	v->gpr[6] = regs[1];
	return H_SUCCESS;
}
HCALL(H_GET_TERM_CHAR, h_get_term_char, 0);

static int32_t rtas_display_character(struct vcpu *v, struct rtas_args *a)
{
	char c = (char)rtas_arg(a, 0);
	vty_write(&v->part->vty, &c, 1);
	return RTAS_OK;
}
RTAS_SERVICE(display_character, "display-character", 0x2001, 1, 0, rtas_display_character);
