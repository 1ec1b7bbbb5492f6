#include "hv/exits.h"
#include "hv/arch/vcpu_switch.h"
#include "hv/exceptions.h"
#include "hv/lib/log.h"
#include "hv/panic.h"
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

static void outside_memory(struct vcpu *v)
{
	struct partition *p = v->part;
	bool data = v->exit_vector == VEC_HV_DATA_STORAGE;
	v->hdar = mfspr(SPR_HDAR);
	v->hdsisr = mfspr(SPR_HDSISR);
	v->asdr = mfspr(SPR_ASDR);
	vcpu_report(v, data ? "real-mode access outside the partition's memory (HDSI)"
			    : "real-mode fetch outside the partition's memory (HISI)");
	partition_stop(p, "guest real address 0x%llx is outside its %llu MiB",
		       (unsigned long long)(data ? v->hdar : v->nip), (unsigned long long)(p->mem_size >> 20));
}
EXIT_HANDLER(hdsi, VEC_HV_DATA_STORAGE, outside_memory);
EXIT_HANDLER(hisi, VEC_HV_INSN_STORAGE, outside_memory);

static void handle_exit(struct vcpu *v, uint64_t vec)
{
	struct partition *p = v->part;
	v->exits++;
	if (vec < VEC_LIMIT) {
		p->exits_by_vector[VEC_SLOT(vec)]++;
		if (handlers[VEC_SLOT(vec)]) {
			handlers[VEC_SLOT(vec)](v);
			return;
		}
	}
	vcpu_report(v, "exit the hypervisor cannot handle");
	partition_stop(p, "unhandled %s exit (0x%llx)", vector_name(vec), (unsigned long long)vec);
}

void vcpu_run_once(struct cpu *c, struct vcpu *v, uint64_t slice_ticks)
{
	struct partition *p = v->part;
	if (c->last_loaded != v || v->needs_load) {
		if (c->last_loaded && c->last_loaded != v)
			vcpu_put(c->last_loaded);
		vcpu_load(v, p->lpid, p->lpcr);
		c->last_loaded = v;
		v->needs_load = false;
	}
	/* A presented interrupt becomes an external interrupt in the guest as
	 * soon as it has MSR[EE] on; until then, look again shortly. */
	if (xics_pending(&p->xics, v->id)) {
		if (v->msr & MSR_EE) {
			vcpu_reflect(v, VEC_EXTERNAL, 0);
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
