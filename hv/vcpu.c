/*
 * Running vCPUs on a hardware thread: loading and saving guest state,
 * the exits the C run loop handles, and the per-thread scheduler.
 */
#include <string.h>
#include "hv/vcpu.h"
#include "hv/cpu.h"
#include "hv/exceptions.h"
#include "hv/log.h"
#include "hv/panic.h"
#include "hv/partition.h"
#include "hv/sched.h"
#include "hv/timer.h"
#include "hcall/hcall.h"
#include "arch/spr.h"

static void slb_clear(void)
{
	__asm__ volatile("slbmte %0,%0; slbia 0; isync" : : "r"(0ull) : "memory");
}

void vcpu_load(struct vcpu *v)
{
	struct partition *p = v->part;
	mtspr(SPR_LPIDR, p->lpid);
	mtspr(SPR_LPCR, p->lpcr);
	isync();
	mtspr(SPR_SRR0, v->srr0);
	mtspr(SPR_SRR1, v->srr1);
	mtspr(SPR_SPRG0, v->sprg[0]);
	mtspr(SPR_SPRG1, v->sprg[1]);
	mtspr(SPR_SPRG2, v->sprg[2]);
	mtspr(SPR_SPRG3, v->sprg[3]);
	mtspr(SPR_DAR, v->dar);
	mtspr(SPR_DSISR, v->dsisr);
	mtspr(SPR_AMR, v->amr);
	mtspr(SPR_PIDR, v->pidr);
	mtspr(SPR_DAWR0, v->dawr0);
	mtspr(SPR_DAWRX0, v->dawrx0);
	mtspr(SPR_CIABR, v->ciabr);
	int64_t dec = (int64_t)(v->dec_expires - tb_now());
	mtspr(SPR_DEC, dec < INT32_MIN ? (uint64_t)-1 : (dec > INT32_MAX ? INT32_MAX : (uint64_t)dec));
	slb_clear();
	for (unsigned int i = 0; i < v->slb_max; i++)
		__asm__ volatile("slbmte %0,%1" : : "r"(v->slb[i].vsid), "r"(v->slb[i].esid) : "memory");
	isync();
}

void vcpu_put(struct vcpu *v)
{
	/* The next vCPU on this thread must not inherit a reservation: its
	 * stcx. could otherwise succeed on a word this one reserved. */
	static uint64_t reservation_sink;
	__asm__ volatile("stdcx. %0,0,%1" : : "r"(0ull), "r"(&reservation_sink) : "cr0", "memory");
	v->srr0 = mfspr(SPR_SRR0);
	v->srr1 = mfspr(SPR_SRR1);
	v->sprg[0] = mfspr(SPR_SPRG0);
	v->sprg[1] = mfspr(SPR_SPRG1);
	v->sprg[2] = mfspr(SPR_SPRG2);
	v->sprg[3] = mfspr(SPR_SPRG3);
	v->dar = mfspr(SPR_DAR);
	v->dsisr = mfspr(SPR_DSISR);
	v->amr = mfspr(SPR_AMR);
	v->pidr = mfspr(SPR_PIDR);
	v->dawr0 = mfspr(SPR_DAWR0);
	v->dawrx0 = mfspr(SPR_DAWRX0);
	v->ciabr = mfspr(SPR_CIABR);
	v->dec_expires = dec_expiry();
	v->slb_max = 0;
	for (uint64_t i = 0; i < 32; i++) {
		uint64_t esid, vsid;
		__asm__ volatile("slbmfee %0,%1" : "=r"(esid) : "r"(i));
		if (!(esid & (1ull << 27)))    /* SLB_ESID_V */
			continue;
		__asm__ volatile("slbmfev %0,%1" : "=r"(vsid) : "r"(i));
		v->slb[v->slb_max].esid = (esid & ~0xfffull) | i;
		v->slb[v->slb_max].vsid = vsid;
		v->slb_max++;
	}
	slb_clear();
	/* The hypervisor's own partition context while no guest is loaded. */
	mtspr(SPR_LPIDR, 0);
	isync();
}

/*
 * Interrupts a guest takes as if the hardware had delivered them: at the
 * vector in real mode (hashed-page-table guests have no AIL on POWER9),
 * in the partition's interrupt endianness, SRR0/1 = where it was and why.
 */
void vcpu_reflect(struct vcpu *v, uint64_t vector, uint64_t srr1_bits)
{
	struct partition *p = v->part;
	mtspr(SPR_SRR0, v->nip);
	mtspr(SPR_SRR1, (v->msr & ~SRR1_REASON) | srr1_bits);
	v->nip = vector;
	v->msr = MSR_SF | (v->msr & MSR_ME) | ((p->lpcr & LPCR_ILE) ? MSR_LE : 0);
}

void vcpu_report(const struct vcpu *v, const char *why)
{
	const struct partition *p = v->part;
	partition_log(p, "vCPU %u: %s", v->id, why);
	partition_log(p, "  NIP %016llx MSR %016llx LR %016llx CTR %016llx",
		      (unsigned long long)v->nip, (unsigned long long)v->msr,
		      (unsigned long long)v->lr, (unsigned long long)v->ctr);
	partition_log(p, "  CR %08llx XER %016llx HDAR %016llx HDSISR %08llx HEIR %08llx",
		      (unsigned long long)v->cr, (unsigned long long)v->xer, (unsigned long long)v->hdar,
		      (unsigned long long)v->hdsisr, (unsigned long long)v->heir);
	for (int i = 0; i < 32; i += 4)
		partition_log(p, "  r%d-r%d %016llx %016llx %016llx %016llx", i, i + 3,
			      (unsigned long long)v->gpr[i], (unsigned long long)v->gpr[i + 1],
			      (unsigned long long)v->gpr[i + 2], (unsigned long long)v->gpr[i + 3]);
}

/* Hypervisor emulation assistance: an instruction the guest may not run.
 * Nothing needs emulating yet, so the guest gets an illegal-instruction
 * program interrupt, as PowerVM and KVM give it. */
static void emulation_assist(struct vcpu *v)
{
	v->heir = mfspr(SPR_HEIR);
	log_debug("%s: vCPU %u: illegal instruction %08llx at %llx", v->part->name, v->id,
		  (unsigned long long)v->heir, (unsigned long long)v->nip);
	vcpu_reflect(v, 0x700, SRR1_PROGILL);
}

static void handle_exit(struct vcpu *v, uint64_t vec)
{
	struct partition *p = v->part;
	v->exits++;
	if (vec / 0x80 < 0x20)
		p->exits_by_vector[vec / 0x80]++;
	switch (vec) {
	case 0xc00:
		/* sc 1 reaches us from any guest privilege; from guest userspace it
		 * is the guest's business: a system call interrupt, as KVM does. */
		if (v->msr & MSR_PR)
			vcpu_reflect(v, 0xc00, 0);
		else
			hcall_slow(v);
		return;
	case 0x980:                 /* end of a time slice */
		mtspr(SPR_HDEC, 0x7fffffff);
		v->slices++;
		return;
	case 0xe40:
		emulation_assist(v);
		return;
	case 0x500:
	case 0xea0:
	case 0xe80:
		return;             /* a host interrupt: nothing pending for guests yet */
	case 0xe60:
		return;             /* maintenance: OPAL handles what it needs */
	case 0x100:
	case 0x200:
		vcpu_reflect(v, vec, v->msr & SRR1_REASON);
		return;
	case 0xe00:
	case 0xe20:
		v->hdar = mfspr(SPR_HDAR);
		v->hdsisr = mfspr(SPR_HDSISR);
		v->asdr = mfspr(SPR_ASDR);
		vcpu_report(v, vec == 0xe00 ? "real-mode access outside the partition's memory (HDSI)"
					     : "real-mode fetch outside the partition's memory (HISI)");
		partition_stop(p, "guest real address 0x%llx is outside its %llu MiB",
			       (unsigned long long)(vec == 0xe00 ? v->hdar : v->nip),
			       (unsigned long long)(p->mem_size >> 20));
		return;
	}
	vcpu_report(v, "exit the hypervisor cannot handle");
	partition_stop(p, "unhandled %s exit (0x%llx)", vector_name(vec), (unsigned long long)vec);
}

/* Runs v until it leaves this thread (ceded, stopped, slice over). */
void vcpu_run_once(struct cpu *c, struct vcpu *v, uint64_t slice_ticks)
{
	if (c->last_loaded != v || v->needs_load) {
		if (c->last_loaded && c->last_loaded != v)
			vcpu_put(c->last_loaded);
		vcpu_load(v);
		c->last_loaded = v;
		v->needs_load = false;
	}
	/* A presented interrupt becomes an external interrupt in the guest as
	 * soon as it has MSR[EE] on; until then, look again shortly. */
	if (xics_pending(&v->part->xics, v->id)) {
		if (v->msr & MSR_EE) {
			vcpu_reflect(v, 0x500, 0);
			v->interrupts++;
		} else if (slice_ticks > us_to_tb(50)) {
			slice_ticks = us_to_tb(50);
		}
	}
	mtspr(SPR_HDEC, slice_ticks);
	v->in_guest = true;
	uint64_t vec = vcpu_enter(v);
	handle_exit(v, vec);
	v->in_guest = false;
}
