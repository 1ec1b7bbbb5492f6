/*
 * Entering a guest and coming back.
 *
 * vcpu_enter(v) saves the hypervisor's non-volatile registers in a frame,
 * records that frame in the per-CPU area, loads the guest's GPRs, LR, CTR,
 * CR, XER and NIP/MSR (HSRR0/1) from struct vcpu and hrfid's into the guest.
 * The C caller has already loaded the partition context (LPIDR, LPCR) and
 * the guest SPRs and SLB.
 *
 * Every interrupt taken while a guest runs reaches boot/exceptions.S, which
 * branches here (guest_exit_sc, guest_exit_srr or guest_exit_hsrr) when the
 * interrupted MSR had HV=0:
 *  - an hcall (0xC00) from the guest's kernel takes the fast path: save r0-r13, LR, CR, CTR, XER
 *    (r14-r31 survive the C call by the ABI), run hcall_fast() on this
 *    CPU's stack with the guest's SPRs still live, and rfid back;
 *  - a hypervisor data or instruction storage interrupt (0xE00, 0xE20:
 *    LPCR[VPM1] sends a guest's hash misses here) saves every GPR and tries
 *    storage_fast(), with the guest's SPRs still live: a device access it
 *    knows, or a fault that is the guest's own, is done there and the guest
 *    resumed at once;
 *  - anything else, or an hcall or access that needs the run loop, saves the
 *    whole register state and "returns" from vcpu_enter() with the vector.
 */
#include "arch/spr.h"
#include "arch/asm.h"
#include "arch/vectors.h"
#include "hv/cpu.h"
#include "hv/vcpu.h"

#define ENTER_FRAME	192		/* 32-byte ABI header + r14-r31 */
#define EF_BASE		(32 - 14 * 8)	/* r14 at 32(r1), after the ABI header */
#define G(n)		VCPU_GPR(n)

/*
 * Saves what C code may change of the guest: r0-r13, LR, CR, CTR, XER.
 * v = the vcpu (r11 or r12), r13 = per-CPU area; the guest's r12, r13 and CR are in
 * CPU_SCRATCH0, HSPRG1 and CPU_SCRATCH_CR, its r11 in CPU_SCRATCH1 when
 * v is r11 and in r11 itself when v is r12.
 */
.macro SAVE_GUEST_VOLATILES v
	.ifc \v, %r11
	STD_RANGE 0, 10, 0, %r11
	ld	%r0, CPU_SCRATCH1(%r13)
	std	%r0, G(11)(%r11)
	.else
	STD_RANGE 0, 11, 0, \v
	.endif
	ld	%r0, CPU_SCRATCH0(%r13)
	std	%r0, G(12)(\v)
	mfspr	%r0, SPR_HSPRG1
	std	%r0, G(13)(\v)
	mflr	%r0
	std	%r0, VCPU_LR(\v)
	ld	%r0, CPU_SCRATCH_CR(%r13)
	std	%r0, VCPU_CR(\v)
	mfctr	%r0
	std	%r0, VCPU_CTR(\v)
	mfxer	%r0
	std	%r0, VCPU_XER(\v)
.endm

/*
 * Back into the guest at HSRR0/1 (set by the caller) with what
 * SAVE_GUEST_VOLATILES saved, r11 = the vcpu: its CFAR as it left it (no
 * branch from there to the hrfid, which keeps it), LR, CR, CTR, XER and
 * r0-r13. The caller has r14-r31 in place.
 */
.macro RESUME_GUEST_VOLATILES
	ld	%r0, CPU_CFAR(%r13)	/* no branch from here: hrfid keeps it */
	mtspr	SPR_CFAR, %r0
	ld	%r0, VCPU_LR(%r11)
	mtlr	%r0
	ld	%r0, VCPU_CR(%r11)
	mtcrf	0xff, %r0
	ld	%r0, VCPU_CTR(%r11)
	mtctr	%r0
	ld	%r0, VCPU_XER(%r11)
	mtxer	%r0
	LD_RANGE 0, 10, 0, %r11
	LD_RANGE 12, 13, 0, %r11
	ld	%r11, G(11)(%r11)
	hrfid
.endm

	.section ".text", "ax"

FUNC(vcpu_enter)
	mflr	%r0
	std	%r0, 16(%r1)
	mfcr	%r12
	std	%r12, 8(%r1)
	stdu	%r1, -ENTER_FRAME(%r1)
	STD_RANGE 14, 31, EF_BASE, %r1
	mfspr	%r13, SPR_HSPRG0
	std	%r1, CPU_HV_SP(%r13)
	addi	%r0, %r1, -64		/* the fast path's frame, below this one */
	std	%r0, CPU_HCALL_SP(%r13)
	std	%r3, CPU_VCPU(%r13)

	mr	%r11, %r3
	ld	%r0, VCPU_NIP(%r11)
	mtspr	SPR_HSRR0, %r0
	ld	%r0, VCPU_MSR(%r11)
	mtspr	SPR_HSRR1, %r0
	ld	%r0, VCPU_LR(%r11)
	mtlr	%r0
	ld	%r0, VCPU_CTR(%r11)
	mtctr	%r0
	ld	%r0, VCPU_XER(%r11)
	mtxer	%r0
	ld	%r0, VCPU_CR(%r11)
	mtcrf	0xff, %r0
	ld	%r0, VCPU_PPR(%r11)
	mtspr	SPR_PPR, %r0
	ld	%r0, VCPU_CFAR(%r11)	/* no branch from here: hrfid keeps it */
	mtspr	SPR_CFAR, %r0
	LD_RANGE 0, 10, 0, %r11
	LD_RANGE 12, 31, 0, %r11
	ld	%r11, G(11)(%r11)
	hrfid
END(vcpu_enter)

/* Common tail of every full exit: r11 = vcpu, r13 = per-CPU area. Machine
 * checks stay enabled in the hypervisor whatever MSR[ME] the guest had. */
vcpu_exit_common:
	mfspr	%r0, SPR_PPR		/* before any spin loop of ours changes it */
	std	%r0, VCPU_PPR(%r11)
vcpu_exit_ppr_saved:
	ld	%r0, CPU_CFAR(%r13)
	std	%r0, VCPU_CFAR(%r11)
	mfmsr	%r0
	ori	%r0, %r0, 0x1000	/* MSR[ME] */
	mtmsrd	%r0
	ld	%r1, CPU_HV_SP(%r13)
	ld	%r2, CPU_TOC(%r13)
	ld	%r3, VCPU_EXIT(%r11)
	LD_RANGE 14, 31, EF_BASE, %r1
	ld	%r0, ENTER_FRAME + 8(%r1)
	mtcrf	0xff, %r0
	ld	%r0, ENTER_FRAME + 16(%r1)
	mtlr	%r0
	addi	%r1, %r1, ENTER_FRAME
	blr

/*
 * Full exit. On arrival: r13 = per-CPU area, r12 = vector, the guest's r11
 * in CPU_SCRATCH1, r12 in CPU_SCRATCH0, r13 in HSPRG1, CR in CPU_SCRATCH_CR
 * (CR0 itself has already been used to tell guest from hypervisor), CFAR
 * in CPU_CFAR.
 */
.macro GUEST_EXIT s0, s1
	ld	%r11, CPU_VCPU(%r13)
	SAVE_GUEST_VOLATILES %r11
	STD_RANGE 14, 31, 0, %r11
	mfspr	%r0, \s0
	std	%r0, VCPU_NIP(%r11)
	mfspr	%r0, \s1
	std	%r0, VCPU_MSR(%r11)
	std	%r12, VCPU_EXIT(%r11)
	b	vcpu_exit_common
.endm

	.globl	guest_exit_hsrr
guest_exit_hsrr:
	cmpdi	%r12, VEC_HV_DATA_STORAGE
	beq	guest_exit_storage
	cmpdi	%r12, VEC_HV_INSN_STORAGE
	beq	guest_exit_storage
	GUEST_EXIT SPR_HSRR0, SPR_HSRR1

	.globl	guest_exit_srr
guest_exit_srr:
	GUEST_EXIT SPR_SRR0, SPR_SRR1

/*
 * sc from the guest (boot/exceptions.S exc_entry_sc): r12 is free, the
 * guest's r11 is still in r11. Hcalls from its kernel go the fast way; sc
 * from its userspace takes the full exit (and becomes its system call).
 */
	.globl	guest_exit_sc
guest_exit_sc:
	mfspr	%r12, SPR_SRR1
	andi.	%r12, %r12, 0x4000	/* MSR[PR] */
	bne-	guest_exit_sc_full

	ld	%r12, CPU_VCPU(%r13)
	SAVE_GUEST_VOLATILES %r12
	ld	%r1, CPU_HCALL_SP(%r13)
	ld	%r2, CPU_TOC(%r13)
	mr	%r3, %r12
	bl	hcall_fast
	ld	%r11, CPU_VCPU(%r13)
	cmpdi	%r3, 0
	bne	1f
	/* Back with hrfid, not rfid: rfid would put its own address in the
	 * guest's CFAR, which must read as the guest left it. */
	mfspr	%r0, SPR_SRR0
	mtspr	SPR_HSRR0, %r0
	mfspr	%r0, SPR_SRR1
	mtspr	SPR_HSRR1, %r0
	RESUME_GUEST_VOLATILES

1:	/* hcall_fast wants the run loop: r14-r31 are still the guest's. */
	STD_RANGE 14, 31, 0, %r11
	mfspr	%r0, SPR_SRR0
	std	%r0, VCPU_NIP(%r11)
	mfspr	%r0, SPR_SRR1
	std	%r0, VCPU_MSR(%r11)
	li	%r0, VEC_SYSTEM_CALL
	std	%r0, VCPU_EXIT(%r11)
	b	vcpu_exit_common

/*
 * 0xE00/0xE20 from a guest (r12): every GPR is saved (an access may name
 * any), with NIP, MSR, PPR and the vector; storage_fast() runs on this
 * CPU's stack with the guest's SPRs live. 0: back into the guest at its
 * NIP and MSR (advanced, or its own interrupt); else the full exit, whose
 * state is all saved already.
 */
guest_exit_storage:
	ld	%r11, CPU_VCPU(%r13)
	SAVE_GUEST_VOLATILES %r11
	STD_RANGE 14, 31, 0, %r11
	mfspr	%r0, SPR_HSRR0
	std	%r0, VCPU_NIP(%r11)
	mfspr	%r0, SPR_HSRR1
	std	%r0, VCPU_MSR(%r11)
	mfspr	%r0, SPR_PPR		/* before the spin locks change it */
	std	%r0, VCPU_PPR(%r11)
	std	%r12, VCPU_EXIT(%r11)
	ld	%r1, CPU_HCALL_SP(%r13)
	ld	%r2, CPU_TOC(%r13)
	mr	%r3, %r11
	mr	%r4, %r12
	bl	storage_fast
	ld	%r11, CPU_VCPU(%r13)
	cmpdi	%r3, 0
	beq	2f
	cmpdi	%r3, 3
	bne	1f
	LD_RANGE 14, 31, 0, %r11	/* 3: the access wrote one of them */
2:	/* r14-r31 hold the guest's values: the C code kept them. */
	ld	%r0, VCPU_NIP(%r11)
	mtspr	SPR_HSRR0, %r0
	ld	%r0, VCPU_MSR(%r11)
	mtspr	SPR_HSRR1, %r0
	ld	%r0, VCPU_PPR(%r11)
	mtspr	SPR_PPR, %r0
	RESUME_GUEST_VOLATILES

1:	b	vcpu_exit_ppr_saved

/* The full exit for an sc: the state guest_exit_srr expects. */
guest_exit_sc_full:
	std	%r11, CPU_SCRATCH1(%r13)
	li	%r12, VEC_SYSTEM_CALL
	b	guest_exit_srr
