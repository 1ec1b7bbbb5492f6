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

#define VCPU_GPR(n)   ((n)*8)
#define VCPU_NIP      256
#define VCPU_MSR      264
#define VCPU_LR       272
#define VCPU_CTR      280
#define VCPU_CR       288
#define VCPU_XER      296
#define VCPU_EXIT     304 /* vector of the last exit */
#define VCPU_CFAR     312
#define VCPU_PPR      320
#define VCPU_FP_FPSCR (64 * 16) /* in struct vcpu_fp */
#define VCPU_FP_VSCR  (64 * 16 + 16)

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>
#include "arch/mmu.h"
#include "papr.h"
#include "hv/lib/mmio_bus.h"
#include "hv/lib/mmio_insn.h"
#include "hv/mm/hpt_lookup.h"
#include "hv/mm/page_prep.h"

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

/* The supervisor and problem-state SPRs a guest may set, switched when
 * another vCPU takes the thread (docs/partitions.md lists every SPR). */
struct vcpu_sprs {
	uint64_t srr0, srr1, sprg[4], dar, dsisr;
	uint64_t amr, iamr, uamor, pidr;
	uint64_t dawr0, dawrx0, ciabr;
	uint64_t dscr, tar, fscr, vrsave, tidr, wort, acop, pspb, ctrl;
	uint64_t ebbhr, ebbrr, bescr;
	uint64_t mmcr0, mmcr1, mmcr2, mmcra, pmc[6], siar, sdar, sier;
	uint64_t purr, spurr;
};

/* FP, VMX and VSX: the 64 VSRs (VSR0-31 hold the FPRs in their first
 * doubleword, VSR32-63 are the VRs), FPSCR and VSCR. Laid out for
 * hv/arch/fpu.S. */
struct vcpu_fp {
	uint64_t vsr[64][2];
	uint64_t fpscr, pad;
	uint64_t vscr[2]; /* as mfvscr leaves it in a VR: VSCR in the last word */
} __attribute__((aligned(16)));

#define MMIO_SHORTCUT_BITS 4
#define MMIO_SHORTCUTS     (1u << MMIO_SHORTCUT_BITS)

struct vcpu {
	/* Saved by hv/arch/world_switch.S: keep in sync with the offsets above. */
	uint64_t gpr[32];
	uint64_t nip, msr;
	uint64_t lr, ctr, cr, xer;
	uint64_t exit_vector;
	uint64_t cfar;
	uint64_t ppr; /* hypervisor code changes it (its spin loops), so every exit saves it */

	/* Guest state beyond the GPRs, valid while the vCPU is not loaded on a thread. */
	struct vcpu_sprs sprs;
	struct vcpu_fp fp;
	uint64_t dec_expires; /* timebase value at which DEC reaches 0 */
	struct slb_entry slb[SLB_ENTRIES];
	unsigned int slb_max;
	/* Set on HSRR-type exits: what the hypervisor needs to look at. */
	uint64_t hdar, hdsisr, heir, asdr;
	/* The entries its last emulated access and that access's instruction
	 * went through (hv/storage_exits.c), and whether the exit just handled
	 * may go straight back into the guest (vcpu_run_once()). */
	struct hpt_lookup_cache mmio_cache, insn_cache;
	bool resume_now;
	bool fast_done;     /* storage_fast() handled the exit; the full exit only delivers */
	bool decoded_valid; /* the last instruction word decoded, and how */
	uint32_t decoded_word;
	struct mmio_insn decoded;
	/* Accesses storage_fast() carried out, one per instruction address
	 * (hashed by NIP: a driver's loop has a few), with everything
	 * the outcome depended on: the same instruction at the same NIP to the
	 * same page, with the same segments, MSR bits, AMR and HPT generation,
	 * is carried out again without any lookup. */
	struct mmio_shortcut {
		uint32_t insn_raw; /* the word as it lies in memory */
		const uint8_t *insn_host;
		uint64_t key; /* the MSR bits that matter, and whether it stores */
		uint64_t nip, ea_page, amr, slb_v, nip_slb_v, hpt_gen, gpa_page;
		struct mmio_insn d;
		struct mmio_bus_hint bus; /* the region it reached */
	} shortcut[MMIO_SHORTCUTS];

	struct partition *part;
	unsigned int id;     /* vCPU number inside the partition */
	unsigned int thread; /* hardware thread (cpu index) it is pinned to */
	volatile enum vcpu_state state;
	volatile bool prodded;
	volatile bool stop_requested;
	bool hcall_done;              /* the fast path ran it; the full exit only delivers */
	bool hcall_again;             /* ... and it runs the same sc again (hcall_restart()) */
	volatile bool sreset_pending; /* a system reset to deliver before it runs */
	uint64_t dpdes;               /* its virtual core's doorbell (msgsndp to itself) */
	volatile bool in_guest;       /* between vcpu_enter() and its return */
	volatile bool needs_load;     /* state was reset: load it even on the same thread */
	volatile bool loaded;         /* its SPRs, FP and SLB are in its thread's registers */

	/* Scheduling (hv/sched.c). */
	bool dispatched;     /* holds its thread: its VPA dispatch count is even */
	bool slice_given_up; /* H_CONFER: the others on its thread go first */
	bool dec_wake;       /* left H_CEDE because its DEC expired */
	uint8_t wake_reason; /* DTL dispatch reason of its next dispatch */
	uint8_t left_as;     /* DTL_LOG_* kind of its last undispatch, 0: stopped */
	uint64_t ready_since;
	uint64_t run_ticks; /* CPU time used, the hypervisor's work for it included */
	bool tb_warned;     /* it moved the timebase once (logged) */

	struct page_prep page_prep; /* an H_ENTER's page zeroing in progress */

	/* Registered guest areas (H_REGISTER_VPA); guest-real addresses, 0 = none. */
	uint64_t vpa, vpa_size, dtl, dtl_size, slb_shadow, slb_shadow_size;

	/* Counters for the monitor and the benchmarks. */
	uint64_t exits, slices, interrupts;
	uint64_t hcall_restarts;              /* unfinished hcalls run again (hcall_restart()) */
	uint64_t hcalls_by_slot[HCALL_SLOTS]; /* index hcall_slot(number); one store on the hot path */
};

_Static_assert(__builtin_offsetof(struct vcpu, nip) == VCPU_NIP, "asm offset");
_Static_assert(__builtin_offsetof(struct vcpu, xer) == VCPU_XER, "asm offset");
_Static_assert(__builtin_offsetof(struct vcpu, exit_vector) == VCPU_EXIT, "asm offset");
_Static_assert(__builtin_offsetof(struct vcpu, cfar) == VCPU_CFAR, "asm offset");
_Static_assert(__builtin_offsetof(struct vcpu, ppr) == VCPU_PPR, "asm offset");
_Static_assert(__builtin_offsetof(struct vcpu_fp, fpscr) == VCPU_FP_FPSCR, "asm offset");
_Static_assert(__builtin_offsetof(struct vcpu_fp, vscr) == VCPU_FP_VSCR, "asm offset");

/* Enters the guest (hv/arch/world_switch.S); returns the vector of the exit
 * that needs the C run loop. */
uint64_t vcpu_enter(struct vcpu *v);
/* Fresh state for a (re)booting partition: stopped, its decrementer far
 * away. The hardware thread it is pinned to stays. */
void vcpu_reset(struct vcpu *v, struct partition *p, unsigned int id);
/* Makes a stopped vCPU runnable at nip with r3 = r3val, as the kernel
 * entry and PAPR's start-cpu do on QEMU pseries: 64-bit, big-endian, real
 * mode, MSR = SF | ME (a little-endian kernel switches itself). */
void vcpu_start(struct vcpu *v, uint64_t nip, uint64_t r3val);
/* Makes v notice new work soon: interrupts its thread if that is another. */
void vcpu_kick(const struct vcpu *v);
/* The hcalls v made, all numbers together. */
uint64_t vcpu_hcalls(const struct vcpu *v);

#endif
#endif
