/* Debug registers: H_SET_DABR and H_SET_XDABR. POWER9 has no DABR: a DABR
 * watchpoint becomes the equivalent DAWR0 one, as KVM does. */
#include "hcall/hcall.h"
#include "arch/spr.h"

#define DABR_DATA_READ   1ull
#define DABR_DATA_WRITE  2ull
#define DABR_TRANSLATION 4ull
#define DABRX_USER       1ull
#define DABRX_KERNEL     2ull

static long set_xdabr(uint64_t dabr, uint64_t dabrx)
{
	if (dabrx & ~(DABRX_USER | DABRX_KERNEL))
		return H_PARAMETER;
	uint64_t dawrx = 0;
	if (dabr & (DABR_DATA_READ | DABR_DATA_WRITE)) {
		dawrx = ((dabr & DABR_DATA_READ) ? DAWRX_DR : 0) | ((dabr & DABR_DATA_WRITE) ? DAWRX_DW : 0) |
			((dabr & DABR_TRANSLATION) ? DAWRX_WT : 0) | ((dabrx & DABRX_USER) ? DAWRX_USER : 0) |
			((dabrx & DABRX_KERNEL) ? DAWRX_KERNEL : 0);
	}
	mtspr(SPR_DAWR0, dabr & ~7ull);
	mtspr(SPR_DAWRX0, dawrx);
	return H_SUCCESS;
}

static long h_set_dabr(struct vcpu *v)
{
	return set_xdabr(v->gpr[4], DABRX_USER | DABRX_KERNEL);
}
HCALL(H_SET_DABR, h_set_dabr, 0);

static long h_set_xdabr(struct vcpu *v)
{
	return set_xdabr(v->gpr[4], v->gpr[5]);
}
HCALL(H_SET_XDABR, h_set_xdabr, 0);
