/* Idling and yielding: H_CEDE, H_CONFER, H_PROD (semantics of QEMU pseries, hw/ppc/spapr_hcall.c). */
#include "hcall/hcall.h"
#include "hv/partition.h"
#include "hv/sched.h"
#include "drivers/timebase.h"
#include "arch/spr.h"

/* Idles until prodded, an interrupt or the decrementer; returns with MSR[EE] = 1. */
static long h_cede(struct vcpu *v)
{
	v->msr |= MSR_EE;
	v->dec_expires = dec_expiry();
	if (v->prodded)
		v->prodded = false;
	else
		v->state = VCPU_CEDED;
	return H_SUCCESS;
}
HCALL(H_CEDE, h_cede, 1);

static long h_confer(struct vcpu *v)
{
	int64_t target = (int64_t)v->gpr[4];
	if (target != -1 && !partition_vcpu(v->part, (uint64_t)target))
		return H_PARAMETER;
	v->slice_given_up = true; /* the others on its thread go first */
	return H_SUCCESS;
}
HCALL(H_CONFER, h_confer, 1);

static long h_prod(struct vcpu *v)
{
	struct vcpu *t = partition_vcpu(v->part, v->gpr[4]);
	if (!t)
		return H_PARAMETER;
	sched_wake(t);
	vcpu_kick(t);
	return H_SUCCESS;
}
HCALL(H_PROD, h_prod, 0);
