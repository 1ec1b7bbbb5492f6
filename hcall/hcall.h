/*
 * hcall dispatch. Guests reach the hypervisor with "sc 1": r3 = hcall
 * number, r4..r12 = arguments; the status goes back in r3 and results in
 * r4 and up. A handler reads and writes the guest's registers in struct
 * vcpu and returns the status; it joins by defining itself with HCALL in
 * its family's file (hcall/<family>_calls.c), and hcall_init() puts every
 * one in the table the fast path indexes.
 */
#ifndef HCALL_HCALL_H
#define HCALL_HCALL_H

#include <stdint.h>
#include "hv/lib/registry.h"
#include "hv/vcpu.h"
#include "papr.h"

/* Runs one hcall: counts it, puts the status in r3 and returns whether
 * the full exit is needed after all (an interrupt became due for this vCPU). */
typedef long (*hcall_run_fn)(struct vcpu *v);

/* slow: the handler needs the run loop (it blocks, switches or stops). */
struct hcall_def {
	uint64_t nr;
	hcall_run_fn run;
	const char *name;
	uint64_t slow;
};

/* fn_ is `static long fn_(struct vcpu *v)` returning the status; the
 * wrapper (into which the compiler inlines it) is what the table calls:
 * the hot path is one indirect call, the counting a constant offset. */
#define HCALL(nr_, fn_, slow_)                        \
	static long hcall_run_##fn_(struct vcpu *v)   \
	{                                             \
		v->hcalls_by_slot[hcall_slot(nr_)]++; \
		v->gpr[3] = (uint64_t)fn_(v);         \
		return v->hcall_done;                 \
	}                                             \
	REGISTER(hcall_defs, struct hcall_def, hcall_def_##nr_) = { nr_, hcall_run_##fn_, #nr_, slow_ }

/* What a handler returns to leave the hcall unfinished: the guest runs the
 * same sc again (r3 still holds the number), after the full exit has let
 * the scheduler and pending interrupts have their turn. */
static inline long hcall_restart(struct vcpu *v)
{
	v->hcall_done = true;
	v->hcall_again = true;
	return (long)v->gpr[3];
}

/* Builds the dispatch table; once, at boot, before any guest runs. */
void hcall_init(void);
/* Called by hv/arch/world_switch.S with the guest's SPRs live: 0 = done,
 * resume the guest; 1 = take the full exit (the run loop finishes it). */
long hcall_fast(struct vcpu *v);
/* The name of the hcall in table slot (hcall_slot()), or NULL. */
const char *hcall_name(unsigned long slot);

#endif
