#include <string.h>
#include "hv/vcpu.h"
#include "hv/cpu.h"
#include "drivers/timebase.h"
#include "arch/spr.h"

void vcpu_reset(struct vcpu *v, struct partition *p, unsigned int id)
{
	unsigned int thread = v->thread; /* the pinning survives a reboot */
	memset(v, 0, sizeof(*v));
	v->thread = thread;
	v->needs_load = true;
	v->part = p;
	v->id = id;
	v->msr = MSR_SF | MSR_ME;
	v->sprs.mmcr0 = MMCR0_FC;
	v->ppr = PPR_MEDIUM;
	v->dec_expires = tb_now() + DEC_PARKED;
	v->state = VCPU_STOPPED;
}

void vcpu_start(struct vcpu *v, uint64_t nip, uint64_t r3val)
{
	v->nip = nip;
	v->gpr[3] = r3val;
	v->msr = MSR_SF | MSR_ME;
	__atomic_store_n(&v->state, VCPU_RUNNABLE, __ATOMIC_RELEASE);
	vcpu_kick(v); /* its thread may be asleep */
}

void vcpu_kick(const struct vcpu *v)
{
	cpu_kick(cpus[v->thread]);
}

uint64_t vcpu_hcalls(const struct vcpu *v)
{
	uint64_t n = 0;
	for (unsigned int i = 0; i < HCALL_SLOTS; i++)
		n += v->hcalls_by_slot[i];
	return n;
}
