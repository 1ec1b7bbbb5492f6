#include "hcall/hcall.h"
#include "hv/exits.h"
#include "hv/papr/rtas.h"
#include "hv/panic.h"
#include "hv/partition.h"
#include "arch/spr.h"
#include "arch/vectors.h"

_Static_assert(sizeof(struct hcall_def) % 8 == 0, "registry entries must pack");
REGISTRY_DECLARE(hcall_defs, struct hcall_def);

/* The hot path's view of a number that has no fast handler. */
static long unknown(struct vcpu *v)
{
	v->gpr[3] = (uint64_t)H_FUNCTION;
	return 0;
}

static long needs_run_loop(struct vcpu *v)
{
	(void)v;
	return 1;
}

/* What the hot path calls, per standard number (in .data, next to the TOC,
 * so one instruction reaches it); every definition, for the run loop and
 * the names. */
static hcall_run_fn fast[PAPR_HCALL_LIMIT / 4] __attribute__((section(".data.hcall_table")));
static const struct hcall_def *defs[HCALL_SLOTS];

void hcall_init(void)
{
	for (unsigned int i = 0; i < PAPR_HCALL_LIMIT / 4; i++)
		fast[i] = unknown;
	REGISTRY_FOREACH (hcall_defs, struct hcall_def, d) {
		long slot = hcall_slot(d->nr);
		if (slot < 0 || defs[slot])
			panic("hcall: %s (0x%llx) has no slot or is defined twice", d->name, (unsigned long long)d->nr);
		defs[slot] = d;
		if (slot < PAPR_HCALL_LIMIT / 4)
			fast[slot] = d->slow ? needs_run_loop : d->run;
	}
	const char *dup = rtas_registry_duplicate();
	if (dup)
		panic("rtas: the token or name of %s is defined twice", dup);
}

/* The hot path: no locks, no logging, guest SPRs live. */
long hcall_fast(struct vcpu *v)
{
	uint64_t nr = v->gpr[3];
	if (__builtin_expect(nr >= PAPR_HCALL_LIMIT, 0)) {
		if (nr == KVMPPC_H_RTAS)
			return 1; /* slow */
		v->gpr[3] = (uint64_t)H_FUNCTION;
		return 0;
	}
	if (nr & 3) {
		v->gpr[3] = (uint64_t)H_FUNCTION;
		return 0;
	}
	return fast[nr / 4](v);
}

const char *hcall_name(unsigned long slot)
{
	return slot < HCALL_SLOTS && defs[slot] ? defs[slot]->name : 0;
}

/* The full exit of an sc: an hcall hcall_fast handed over, or one it ran
 * that asked for the exit (nothing left to do but deliver). sc 1 reaches
 * us from any guest privilege; from guest userspace it is the guest's
 * business: a system call interrupt, as KVM does. */
static void system_call_exit(struct vcpu *v)
{
	if (v->msr & MSR_PR) {
		vcpu_reflect(v, VEC_SYSTEM_CALL, 0);
		return;
	}
	if (!v->hcall_done) {
		long slot = hcall_slot(v->gpr[3]);
		if (slot < 0 || !defs[slot]) {
			unknown(v);
			return;
		}
		defs[slot]->run(v);
	}
	v->hcall_done = false; /* this exit delivers whatever is due */
	if (v->hcall_again) {
		v->hcall_again = false;
		v->hcall_restarts++;
		v->nip -= 4; /* back to the sc */
	}
}
EXIT_HANDLER(hcall, VEC_SYSTEM_CALL, system_call_exit);
