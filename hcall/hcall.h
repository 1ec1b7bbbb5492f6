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

typedef long (*hcall_fn)(struct vcpu *v);

/* slow: the handler needs the run loop (it blocks, switches or stops). */
struct hcall_def {
	uint64_t nr;
	hcall_fn fn;
	const char *name;
	uint64_t slow;
};

#define HCALL(nr_, fn_, slow_) REGISTER(hcall_defs, struct hcall_def, hcall_def_##nr_) = { nr_, fn_, #nr_, slow_ }

/* Builds the dispatch table; once, at boot, before any guest runs. */
void hcall_init(void);
/* Called by hv/arch/world_switch.S with the guest's SPRs live: 0 = done,
 * resume the guest; 1 = take the full exit (the run loop finishes it). */
long hcall_fast(struct vcpu *v);

#endif
