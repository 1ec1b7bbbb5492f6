/*
 * A virtual CPU: the guest register state the hypervisor keeps while the
 * guest is not running, and the bookkeeping to schedule it.
 *
 * hv/arch/world_switch.S saves and restores the first block (GPRs,
 * NIP/MSR, LR, CTR, CR, XER) on every entry and exit. The other guest SPRs
 * stay live in the registers while the same vCPU keeps the thread, and are
 * saved and restored only when another vCPU takes it (hv/arch/vcpu_switch.h).
 */
#ifndef HV_VCPU_H
#define HV_VCPU_H

#define VCPU_GPR(n) ((n)*8)
#define VCPU_NIP    256
#define VCPU_MSR    264
#define VCPU_LR     272
#define VCPU_CTR    280
#define VCPU_CR     288
#define VCPU_XER    296
#define VCPU_EXIT   304 /* vector of the last exit */

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>
#include "arch/mmu.h"
#include "papr.h"

struct partition;
struct cpu;

enum vcpu_state {
	VCPU_STOPPED, /* not started (secondary before start-cpu) or stopped */
	VCPU_RUNNABLE,
	VCPU_CEDED, /* idle in H_CEDE until prodded, an interrupt or its DEC */
};

struct slb_entry {
	uint64_t esid, vsid;
};

struct vcpu {
	/* Saved by hv/arch/world_switch.S: keep in sync with the offsets above. */
	uint64_t gpr[32];
	uint64_t nip, msr;
	uint64_t lr, ctr, cr, xer;
	uint64_t exit_vector;

	/* Guest SPRs, valid while the vCPU is not loaded on a thread. */
	uint64_t srr0, srr1, sprg[4], dar, dsisr, amr, pidr, dawr0, dawrx0, ciabr;
	uint64_t dec_expires; /* timebase value at which DEC reaches 0 */
	struct slb_entry slb[SLB_ENTRIES];
	unsigned int slb_max;
	/* Set on HSRR-type exits: what the hypervisor needs to look at. */
	uint64_t hdar, hdsisr, heir, asdr;

	struct partition *part;
	unsigned int id;     /* vCPU number inside the partition */
	unsigned int thread; /* hardware thread (cpu index) it is pinned to */
	volatile enum vcpu_state state;
	volatile bool prodded;
	volatile bool stop_requested;
	bool hcall_done;          /* the fast path ran it; the full exit only delivers */
	volatile bool in_guest;   /* between vcpu_enter() and its return */
	volatile bool needs_load; /* state was reset: load it even on the same thread */

	/* Registered guest areas (H_REGISTER_VPA); guest-real addresses, 0 = none. */
	uint64_t vpa, vpa_size, dtl, dtl_size, slb_shadow, slb_shadow_size;

	/* Counters for the monitor and the benchmarks. */
	uint64_t exits, slices, interrupts;
	uint64_t hcalls_by_slot[HCALL_SLOTS]; /* index hcall_slot(number); one store on the hot path */
};

_Static_assert(__builtin_offsetof(struct vcpu, nip) == VCPU_NIP, "asm offset");
_Static_assert(__builtin_offsetof(struct vcpu, xer) == VCPU_XER, "asm offset");
_Static_assert(__builtin_offsetof(struct vcpu, exit_vector) == VCPU_EXIT, "asm offset");

/* Enters the guest (hv/arch/world_switch.S); returns the vector of the exit
 * that needs the C run loop. */
uint64_t vcpu_enter(struct vcpu *v);
/* Fresh state for a (re)booting partition: stopped, MSR = SF | ME (| LE),
 * its decrementer far away. The hardware thread it is pinned to stays. */
void vcpu_reset(struct vcpu *v, struct partition *p, unsigned int id, bool little_endian);
/* Makes a stopped vCPU runnable at nip in real mode with r3 = r3val, as
 * PAPR's start-cpu and the kernel entry do. */
void vcpu_start(struct vcpu *v, uint64_t nip, uint64_t r3val, bool little_endian);
/* Makes v notice new work soon: interrupts its thread if that is another. */
void vcpu_kick(const struct vcpu *v);
/* The hcalls v made, all numbers together. */
uint64_t vcpu_hcalls(const struct vcpu *v);

#endif
#endif
