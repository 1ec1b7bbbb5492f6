/*
 * A vCPU's FP, VMX and VSX state in and out of the thread's registers
 * (struct vcpu_fp in hv/vcpu.h). The hypervisor itself never touches
 * them (it is built soft-float, without vector code): it only turns the
 * facilities on for the copy.
 */
#include "arch/asm.h"
#include "hv/vcpu.h"

#define MSR_FP_VEC_VSX_HI	0x0280		/* MSR[VEC] | MSR[VSX], upper halfword */
#define MSR_FP_LO		0x2000		/* MSR[FP] */

/* r5 = the MSR to go back to; the facilities on. */
.macro FACILITIES_ON
	mfmsr	%r5
	oris	%r6, %r5, MSR_FP_VEC_VSX_HI
	ori	%r6, %r6, MSR_FP_LO
	mtmsrd	%r6
	isync
.endm

.macro FACILITIES_OFF
	mtmsrd	%r5
	isync
.endm

/* stxvd2x / lxvd2x of vs<from>..vs<to>, 16 bytes apart from r3 + r4. */
.macro VSR_STORE from, to
	stxvd2x	\from, %r3, %r4
	addi	%r4, %r4, 16
	.if \to-\from
	VSR_STORE "(\from+1)", \to
	.endif
.endm

.macro VSR_LOAD from, to
	lxvd2x	\from, %r3, %r4
	addi	%r4, %r4, 16
	.if \to-\from
	VSR_LOAD "(\from+1)", \to
	.endif
.endm

	.section ".text", "ax"

/* void vcpu_fp_save(struct vcpu_fp *fp) */
FUNC(vcpu_fp_save)
	FACILITIES_ON
	li	%r4, 0
	VSR_STORE 0, 31
	VSR_STORE 32, 63
	mffs	%f0				/* vs0 is saved: f0 is free */
	stfd	%f0, VCPU_FP_FPSCR(%r3)
	mfvscr	%v0				/* vs32 likewise */
	li	%r4, VCPU_FP_VSCR
	stvx	%v0, %r3, %r4
	FACILITIES_OFF
	blr
END(vcpu_fp_save)

/* void vcpu_fp_load(const struct vcpu_fp *fp) */
FUNC(vcpu_fp_load)
	FACILITIES_ON
	li	%r4, VCPU_FP_VSCR
	lvx	%v0, %r3, %r4
	mtvscr	%v0
	lfd	%f0, VCPU_FP_FPSCR(%r3)
	mtfsf	0xff, %f0, 1, 0			/* all 64 bits of FPSCR */
	li	%r4, 0
	VSR_LOAD 0, 31
	VSR_LOAD 32, 63
	FACILITIES_OFF
	blr
END(vcpu_fp_load)
