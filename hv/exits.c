#include "hv/exits.h"
#include "hv/arch/vcpu_switch.h"
#include "hv/exceptions.h"
#include "hv/lib/bytes.h"
#include "hv/lib/log.h"
#include "hv/panic.h"
#include "hv/papr/msgp.h"
#include "hv/partition.h"
#include "drivers/timebase.h"
#include "arch/spr.h"
#include "arch/vectors.h"

_Static_assert(sizeof(struct exit_handler) % 8 == 0, "registry entries must pack");
REGISTRY_DECLARE(exit_handlers, struct exit_handler);

static void (*handlers[VEC_SLOTS])(struct vcpu *v);

void exits_init(void)
{
	REGISTRY_FOREACH (exit_handlers, struct exit_handler, e) {
		if (e->vector >= VEC_LIMIT || e->vector % 0x20 || handlers[VEC_SLOT(e->vector)])
			panic("exits: bad or second handler for vector 0x%llx", (unsigned long long)e->vector);
		handlers[VEC_SLOT(e->vector)] = e->handle;
	}
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
	partition_log(p, "  NIP %016llx MSR %016llx LR %016llx CTR %016llx", (unsigned long long)v->nip,
		      (unsigned long long)v->msr, (unsigned long long)v->lr, (unsigned long long)v->ctr);
	partition_log(p, "  CR %08llx XER %016llx HDAR %016llx HDSISR %08llx HEIR %08llx", (unsigned long long)v->cr,
		      (unsigned long long)v->xer, (unsigned long long)v->hdar, (unsigned long long)v->hdsisr,
		      (unsigned long long)v->heir);
	for (int i = 0; i < 32; i += 4)
		partition_log(p, "  r%d-r%d %016llx %016llx %016llx %016llx", i, i + 3, (unsigned long long)v->gpr[i],
			      (unsigned long long)v->gpr[i + 1], (unsigned long long)v->gpr[i + 2],
			      (unsigned long long)v->gpr[i + 3]);
}

/*
 * An exit nothing handles can only come from what the guest did (its own
 * instruction, its own facility use): the guest gets the program interrupt
 * for an illegal instruction, as KVM and PowerVM give it, and the operator
 * one line per partition and vector. Only the hypervisor's own failures
 * stop a partition.
 */
static void unhandled(struct vcpu *v, uint64_t vec)
{
	struct partition *p = v->part;
	if (vec < VEC_LIMIT && !p->unhandled_logged[VEC_SLOT(vec)]++)
		partition_log(p, "vCPU %u: %s exit (0x%llx) at 0x%llx: the guest gets a program interrupt", v->id,
			      vector_name(vec), (unsigned long long)vec, (unsigned long long)v->nip);
	vcpu_reflect(v, VEC_PROGRAM, SRR1_PROGILL);
}

/* The end of a time slice: back to the scheduler. */
static void slice_end(struct vcpu *v)
{
	mtspr(SPR_HDEC, DEC_PARKED);
	v->slices++;
}
EXIT_HANDLER(hdec, VEC_HV_DECREMENTER, slice_end);

/* Hypervisor emulation assistance: an instruction the guest may not run.
 * Nothing needs emulating yet, so the guest gets an illegal-instruction
 * program interrupt, as PowerVM and KVM give it. */
static void emulation_assist(struct vcpu *v)
{
	v->heir = mfspr(SPR_HEIR);
	log_debug("%s: vCPU %u: illegal instruction %08llx at %llx", v->part->name, v->id, (unsigned long long)v->heir,
		  (unsigned long long)v->nip);
	vcpu_reflect(v, VEC_PROGRAM, SRR1_PROGILL);
}
EXIT_HANDLER(heai, VEC_HV_EMU_ASSIST, emulation_assist);

/* A host interrupt or maintenance (OPAL handles what it needs): nothing
 * is pending for guests yet, resume. */
static void host_interrupt(struct vcpu *v)
{
	(void)v;
}
EXIT_HANDLER(external, VEC_EXTERNAL, host_interrupt);
EXIT_HANDLER(hvi, VEC_HV_VIRTUALIZATION, host_interrupt);
EXIT_HANDLER(hdoorbell, VEC_HV_DOORBELL, host_interrupt);
EXIT_HANDLER(hmi, VEC_HV_MAINTENANCE, host_interrupt);

static void reflect_same(struct vcpu *v)
{
	vcpu_reflect(v, v->exit_vector, v->msr & SRR1_REASON);
}
EXIT_HANDLER(sreset, VEC_SYSTEM_RESET, reflect_same);
EXIT_HANDLER(mce, VEC_MACHINE_CHECK, reflect_same);

/* Hypervisor facility unavailable: the doorbell instructions the partition's
 * virtual core has are emulated; any other facility it was not given is
 * an illegal instruction, as on KVM. */
static void facility_unavailable(struct vcpu *v)
{
	uint32_t insn;
	if ((mfspr(SPR_HFSCR) >> 56) == HFSCR_IC_MSGP && vcpu_fetch_insn(v, &insn) &&
	    msgp_emulate(insn, v->gpr, &v->dpdes)) {
		v->nip += 4;
		return;
	}
	unhandled(v, VEC_HV_FAC_UNAVAILABLE);
}
EXIT_HANDLER(hfac, VEC_HV_FAC_UNAVAILABLE, facility_unavailable);

static void handle_exit(struct vcpu *v, uint64_t vec)
{
	struct partition *p = v->part;
	v->exits++;
	if (vec < VEC_LIMIT)
		p->exits_by_vector[VEC_SLOT(vec)]++;
	if (vec < VEC_LIMIT && handlers[VEC_SLOT(vec)]) {
		handlers[VEC_SLOT(vec)](v);
		return;
	}
	unhandled(v, vec);
}

/*
 * QEMU lets a guest write the timebase (hardware traps it). The hypervisor
 * times slices, decrementers and its service by the timebase, so a guest
 * that winds it back must not stall the others on its thread: the HDEC,
 * which the guest cannot touch, tells how long the entry really took, and
 * the timebase is put back there. (Forward, only a jump no host delay can
 * explain is undone: a moment of host preemption must never move it.)
 */
#define TB_JUMP_LIMIT_US (60ull * 1000000)

static void check_timebase(struct vcpu *v, uint64_t entered, uint64_t slice_ticks)
{
	uint64_t now = tb_now();
	if ((int64_t)(now - entered) >= 0 && now - entered < us_to_tb(TB_JUMP_LIMIT_US))
		return;
	int64_t hdec = (int64_t)mfspr(SPR_HDEC);
	if (hdec > INT32_MAX)
		hdec = (int32_t)hdec; /* a 32-bit HDEC below zero */
	uint64_t should = entered + slice_ticks - (uint64_t)hdec;
	int64_t off = (int64_t)(now - should);
	timebase_set(should);
	if (!v->tb_warned) {
		v->tb_warned = true;
		uint64_t us = tb_to_us((uint64_t)(off < 0 ? -off : off));
		partition_log(v->part, "vCPU %u moved the timebase %s by %llu us; it was put back", v->id,
			      off < 0 ? "back" : "forward", (unsigned long long)us);
	}
}

/* A system reset (H_SIGNAL_SYS_RESET, the monitor's nmi): at the vector the
 * guest registered with ibm,nmi-register, r3 pointing at its saved r3, or
 * at 0x100, as QEMU pseries delivers it. */
static void system_reset(struct vcpu *v)
{
	struct partition *p = v->part;
	vcpu_reflect(v, VEC_SYSTEM_RESET, 0);
	if (!p->fwnmi)
		return;
	uint64_t slot = p->rtas_base + RTAS_SRESET_OFFSET + 16ull * v->id;
	uint8_t *save = guest_ptr(p, slot, 16);
	be64_store(save, v->gpr[3]);
	be64_store(save + 8, 0);
	v->gpr[3] = slot;
	v->nip = p->fwnmi_sreset;
}

void vcpu_run_once(struct cpu *c, struct vcpu *v, uint64_t slice_ticks)
{
	struct partition *p = v->part;
	if (c->last_loaded != v || v->needs_load) {
		if (c->last_loaded && c->last_loaded != v)
			vcpu_put(c->last_loaded, c->hv_lpcr);
		vcpu_load(v, p->lpid, p->lpcr);
		c->last_loaded = v;
		v->needs_load = false;
	} else if (mfspr(SPR_LPCR) != p->lpcr) { /* another vCPU of p changed it */
		mtspr(SPR_LPCR, p->lpcr);
		isync();
	}
	/* An exit that only emulated something (a device register) goes
	 * straight back into the guest while its slice lasts: the scheduler
	 * has nothing to decide (a kick meanwhile is a doorbell that ends the
	 * next entry at once). */
	for (;;) {
		/* H_CEDE returns only with its decrementer interrupt pending, as on
		 * QEMU pseries: DEC must be negative, not merely at zero. */
		if (v->dec_wake) {
			v->dec_wake = false;
			/* An edge, always: a DEC that already reads negative may not have
			 * raised its interrupt yet (QEMU raises it from a host timer, which
			 * can run late), and a second negative write is no edge. */
			dec_write(1);
			dec_write(-1);
		}
		if (v->sreset_pending) {
			v->sreset_pending = false;
			system_reset(v);
		}
		/* QEMU 7.2 lets a guest's msgsndp ring a real doorbell (its HFSCR check
		 * is broken); one left pending would crash it once MSR[EE] is on.
		 * Take it over as the vCPU's virtual doorbell. */
		if (mfspr(SPR_DPDES)) {
			mtspr(SPR_DPDES, 0);
			v->dpdes = 1;
		}
		/* Pending interrupts become the guest's as soon as it has MSR[EE] on;
		 * until then, look again shortly. */
		if (v->dpdes && (v->msr & MSR_EE)) {
			v->dpdes = 0;
			vcpu_reflect(v, VEC_DOORBELL, 0);
			v->interrupts++;
		} else if (v->dpdes && slice_ticks > us_to_tb(50)) {
			slice_ticks = us_to_tb(50);
		}
		if (xics_pending(&p->xics, v->id)) {
			if (v->msr & MSR_EE) {
				vcpu_reflect(v, VEC_EXTERNAL, 0);
				v->interrupts++;
			} else if (slice_ticks > us_to_tb(50)) {
				slice_ticks = us_to_tb(50);
			}
		}
		v->msr |= MSR_ME; /* what hardware keeps for a guest; QEMU lets rfid clear it */
		mtspr(SPR_HDEC, slice_ticks);
		uint64_t entered = tb_now();
		c->entry_ends = entered + slice_ticks;
		v->in_guest = true;
		uint64_t vec = vcpu_enter(v);
		check_timebase(v, entered, slice_ticks);
		handle_exit(v, vec);
		v->in_guest = false;
		if (!v->resume_now)
			return;
		v->resume_now = false;
		uint64_t now = tb_now();
		/* less than 5 us left: back to the scheduler */
		if ((int64_t)(c->entry_ends - now) < (int64_t)us_to_tb(5) || v->state != VCPU_RUNNABLE ||
		    p->state != PART_RUNNING)
			return;
		slice_ticks = c->entry_ends - now;
	}
}
