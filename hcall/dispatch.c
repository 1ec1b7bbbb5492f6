#include "hcall/hcall.h"
#include "hv/exits.h"
#include "hv/papr/rtas.h"
#include "hv/panic.h"
#include "hv/partition.h"
#include "arch/spr.h"
#include "arch/vectors.h"

_Static_assert(sizeof(struct hcall_def) % 8 == 0, "registry entries must pack");
REGISTRY_DECLARE(hcall_defs, struct hcall_def);

struct hcall_entry {
	hcall_fn fn;
	uint8_t slow;
};

/* In .data, next to the TOC: one instruction less to reach it on the hot path. */
static struct hcall_entry table[HCALL_SLOTS] __attribute__((section(".data.hcall_table")));

void hcall_init(void)
{
	REGISTRY_FOREACH (hcall_defs, struct hcall_def, d) {
		long slot = hcall_slot(d->nr);
		if (slot < 0 || table[slot].fn)
			panic("hcall: %s (0x%llx) has no slot or is defined twice", d->name, (unsigned long long)d->nr);
		table[slot].fn = d->fn;
		table[slot].slow = (uint8_t)d->slow;
	}
	const char *dup = rtas_registry_duplicate();
	if (dup)
		panic("rtas: the token or name of %s is defined twice", dup);
}

/* The hot path: no locks, no logging, guest SPRs live. */
long hcall_fast(struct vcpu *v)
{
	uint64_t nr = v->gpr[3];
	const struct hcall_entry *e = 0;
	if (nr < PAPR_HCALL_LIMIT && !(nr & 3))
		e = &table[nr / 4];
	else if (nr == KVMPPC_H_RTAS)
		return 1; /* H_RTAS is slow */
	if (!e || !e->fn) {
		v->gpr[3] = (uint64_t)H_FUNCTION;
		return 0;
	}
	if (e->slow)
		return 1;
	v->hcalls_by_slot[nr / 4]++;
	v->gpr[3] = (uint64_t)e->fn(v);
	return v->hcall_done; /* done, but an interrupt is now due: full exit */
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
	if (v->hcall_done) {
		v->hcall_done = false;
		return;
	}
	long slot = hcall_slot(v->gpr[3]);
	if (slot >= 0)
		v->hcalls_by_slot[slot]++;
	v->gpr[3] = slot >= 0 && table[slot].fn ? (uint64_t)table[slot].fn(v) : (uint64_t)H_FUNCTION;
}
EXIT_HANDLER(hcall, VEC_SYSTEM_CALL, system_call_exit);
