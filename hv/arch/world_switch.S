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
 *  - anything else, or an hcall that needs the run loop, saves the whole
 *    register state and "returns" from vcpu_enter() with the vector.
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
 * r11 = vcpu, r13 = per-CPU area; the guest's r11, r12, r13 and CR are in
 * CPU_SCRATCH1, CPU_SCRATCH0, HSPRG1 and CPU_SCRATCH_CR.
 */
.macro SAVE_GUEST_VOLATILES
	STD_RANGE 0, 10, 0, %r11
	ld	%r0, CPU_SCRATCH1(%r13)
	std	%r0, G(11)(%r11)
	ld	%r0, CPU_SCRATCH0(%r13)
	std	%r0, G(12)(%r11)
	mfspr	%r0, SPR_HSPRG1
	std	%r0, G(13)(%r11)
	mflr	%r0
	std	%r0, VCPU_LR(%r11)
	ld	%r0, CPU_SCRATCH_CR(%r13)
	std	%r0, VCPU_CR(%r11)
	mfctr	%r0
	std	%r0, VCPU_CTR(%r11)
	mfxer	%r0
	std	%r0, VCPU_XER(%r11)
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
	LD_RANGE 0, 10, 0, %r11
	LD_RANGE 12, 31, 0, %r11
	ld	%r11, G(11)(%r11)
	hrfid
END(vcpu_enter)

/* Common tail of every full exit: r11 = vcpu, r13 = per-CPU area. */
vcpu_exit_common:
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
 * (CR0 itself has already been used to tell guest from hypervisor).
 */
.macro GUEST_EXIT s0, s1
	ld	%r11, CPU_VCPU(%r13)
	SAVE_GUEST_VOLATILES
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
	GUEST_EXIT SPR_HSRR0, SPR_HSRR1

	.globl	guest_exit_srr
guest_exit_srr:
	GUEST_EXIT SPR_SRR0, SPR_SRR1

/* sc from the guest: hcalls from its kernel go the fast way. */
	.globl	guest_exit_sc
guest_exit_sc:
	mfspr	%r11, SPR_SRR1
	andi.	%r11, %r11, 0x4000	/* MSR[PR]: guest userspace is never served */
	bne	guest_exit_srr

	ld	%r11, CPU_VCPU(%r13)
	SAVE_GUEST_VOLATILES
	ld	%r1, CPU_HV_SP(%r13)
	addi	%r1, %r1, -64		/* our own frame below vcpu_enter's */
	ld	%r2, CPU_TOC(%r13)
	mr	%r3, %r11
	bl	hcall_fast
	ld	%r11, CPU_VCPU(%r13)
	cmpdi	%r3, 0
	bne	1f
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
	rfid				/* SRR0/1 still hold the sc return */

1:	/* hcall_fast wants the run loop: r14-r31 are still the guest's. */
	STD_RANGE 14, 31, 0, %r11
	mfspr	%r0, SPR_SRR0
	std	%r0, VCPU_NIP(%r11)
	mfspr	%r0, SPR_SRR1
	std	%r0, VCPU_MSR(%r11)
	li	%r0, VEC_SYSTEM_CALL
	std	%r0, VCPU_EXIT(%r11)
	b	vcpu_exit_common
