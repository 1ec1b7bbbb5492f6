/*
 * Common exception entry and exit. The vector stub left: r13 = per-CPU
 * area, the interrupted r13 in HSPRG1, the interrupted r12 in
 * CPU_SCRATCH0, the interrupted CFAR in CPU_CFAR and the vector number in r12. The interrupted CR goes to
 * CPU_SCRATCH_CR first thing, and every path saves it from there. We save everything into a
 * struct regs on the per-CPU exception stack (or below the current frame
 * when an exception hits the handler itself), call exception_handler(),
 * and resume from the possibly edited frame.
 */
#include "arch/spr.h"
#include "arch/asm.h"
#include "arch/vectors.h"
#include "hv/cpu.h"
#include "hv/regs.h"

#define FRAME_SIZE	(32 + REGS_SIZE + 16)
#define R(n)		(32 + REGS_GPR(n))
#define F(off)		(32 + (off))

/* Saves r11 and CR, and goes to guest_exit if the interrupted MSR had HV = 0. */
.macro EXC_FROM_GUEST s1, guest_exit
	std	%r11, CPU_SCRATCH1(%r13)
	mfcr	%r11			/* before the record-form test below changes CR0 */
	std	%r11, CPU_SCRATCH_CR(%r13)
	mfspr	%r11, \s1
	rldicl.	%r11, %r11, 4, 63	/* the interrupted MSR[HV] */
	beq-	\guest_exit	/* 0: a guest was running (hv/arch/world_switch.S) */
.endm

/* An interrupt of the hypervisor itself: r11 and CR saved, r12 = vector. */
.macro EXC_HYPERVISOR s0, s1, ret
	mr	%r11, %r1
	ld	%r1, CPU_EXC_DEPTH(%r13)
	cmpdi	%r1, 0
	ld	%r1, CPU_EXC_STACK(%r13)
	beq	1f
	addi	%r1, %r11, -2048	/* nested: stay below the handler's frame */
	clrrdi	%r1, %r1, 4
1:	addi	%r1, %r1, -FRAME_SIZE

	std	%r0, R(0)(%r1)
	std	%r11, R(1)(%r1)
	STD_RANGE 2, 10, 32, %r1
	ld	%r11, CPU_SCRATCH1(%r13)
	std	%r11, R(11)(%r1)
	ld	%r11, CPU_SCRATCH0(%r13)
	std	%r11, R(12)(%r1)
	mfspr	%r11, SPR_HSPRG1
	std	%r11, R(13)(%r1)
	STD_RANGE 14, 31, 32, %r1

	std	%r12, F(REGS_VECTOR)(%r1)
	mflr	%r3
	std	%r3, F(REGS_LR)(%r1)
	mfctr	%r3
	std	%r3, F(REGS_CTR)(%r1)
	ld	%r3, CPU_SCRATCH_CR(%r13)
	std	%r3, F(REGS_CR)(%r1)
	mfxer	%r3
	std	%r3, F(REGS_XER)(%r1)
	mfspr	%r3, SPR_SRR0
	std	%r3, F(REGS_SRR0)(%r1)
	mfspr	%r4, SPR_SRR1
	std	%r4, F(REGS_SRR1)(%r1)
	mfspr	%r5, SPR_HSRR0
	std	%r5, F(REGS_HSRR0)(%r1)
	mfspr	%r6, SPR_HSRR1
	std	%r6, F(REGS_HSRR1)(%r1)
	mfspr	%r3, \s0
	std	%r3, F(REGS_NIP)(%r1)
	mfspr	%r3, \s1
	std	%r3, F(REGS_MSR)(%r1)
	mfspr	%r3, SPR_DAR
	std	%r3, F(REGS_DAR)(%r1)
	mfspr	%r3, SPR_DSISR
	std	%r3, F(REGS_DSISR)(%r1)
	mfspr	%r3, SPR_HDAR
	std	%r3, F(REGS_HDAR)(%r1)
	mfspr	%r3, SPR_HDSISR
	std	%r3, F(REGS_HDSISR)(%r1)

	ld	%r3, CPU_EXC_DEPTH(%r13)
	addi	%r3, %r3, 1
	std	%r3, CPU_EXC_DEPTH(%r13)

	li	%r0, 0
	std	%r0, 0(%r1)		/* back chain ends at the handler */
	LOAD_IMM64 %r2, .TOC.
	addi	%r3, %r1, 32
	bl	exception_handler

	mfspr	%r13, SPR_HSPRG0
	ld	%r3, CPU_EXC_DEPTH(%r13)
	addi	%r3, %r3, -1
	std	%r3, CPU_EXC_DEPTH(%r13)

	ld	%r3, F(REGS_NIP)(%r1)
	mtspr	\s0, %r3
	ld	%r3, F(REGS_MSR)(%r1)
	mtspr	\s1, %r3
	ld	%r3, F(REGS_LR)(%r1)
	mtlr	%r3
	ld	%r3, F(REGS_CTR)(%r1)
	mtctr	%r3
	ld	%r3, F(REGS_CR)(%r1)
	mtcrf	0xff, %r3
	ld	%r3, F(REGS_XER)(%r1)
	mtxer	%r3
	ld	%r0, R(0)(%r1)
	LD_RANGE 2, 31, 32, %r1
	ld	%r1, R(1)(%r1)
	\ret
.endm

	.section ".text", "ax"

/* Vectors whose interrupted state is in SRR0/1. */
	.globl	exc_entry_srr
exc_entry_srr:
	EXC_FROM_GUEST SPR_SRR1, guest_exit_srr
	EXC_HYPERVISOR SPR_SRR0, SPR_SRR1, rfid

/* Vectors whose interrupted state is in HSRR0/1. */
	.globl	exc_entry_hsrr
exc_entry_hsrr:
	EXC_FROM_GUEST SPR_HSRR1, guest_exit_hsrr
	EXC_HYPERVISOR SPR_HSRR0, SPR_HSRR1, hrfid

/*
 * 0xC00 sc. The hot path of every hcall: r12 (the vector, known here) is the
 * scratch register, and the guest's r11 stays in place for guest_exit_sc.
 */
	.globl	exc_entry_sc
exc_entry_sc:
	mfcr	%r12
	std	%r12, CPU_SCRATCH_CR(%r13)
	mfspr	%r12, SPR_SRR1
	rldicl.	%r12, %r12, 4, 63	/* the interrupted MSR[HV] */
	beq+	guest_exit_sc
	std	%r11, CPU_SCRATCH1(%r13)
	li	%r12, VEC_SYSTEM_CALL
	EXC_HYPERVISOR SPR_SRR0, SPR_SRR1, rfid
