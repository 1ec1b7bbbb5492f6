/*
 * Test guest entry: the hypervisor starts us like QEMU pseries starts a
 * kernel: real mode, r3 = device tree, r4 = load address, big-endian.
 */
#include "arch/asm.h"

	.section ".text.start", "ax"
	.globl	_start
_start:
	mfmsr	%r30			/* as the hypervisor entered us, for tests */
	mr	%r31, %r3
	LOAD_IMM64 %r1, guest_stack + 65536 - 64
	li	%r0, 0
	std	%r0, 0(%r1)
	LOAD_IMM64 %r2, .TOC.
	LOAD_IMM64 %r4, __bss_start
	LOAD_IMM64 %r5, __bss_end
1:	cmpld	%r4, %r5
	bge	2f
	std	%r0, 0(%r4)
	addi	%r4, %r4, 8
	b	1b
2:	LOAD_IMM64 %r4, entry_msr
	std	%r30, 0(%r4)
	mr	%r3, %r31
	bl	guest_start
	b	.

/* long hcall(uint64_t nr, uint64_t out[9], a0..a5): out gets r4..r12 */
FUNC(hcall)
	std	%r4, -8(%r1)		/* out, in the red zone: sc keeps r1 */
	mr	%r4, %r5
	mr	%r5, %r6
	mr	%r6, %r7
	mr	%r7, %r8
	mr	%r8, %r9
	mr	%r9, %r10
	li	%r10, 0
	li	%r11, 0
	li	%r12, 0
	sc	1
	mr	%r0, %r3		/* status; r0 cannot be a base register */
	ld	%r3, -8(%r1)
	cmpdi	%r3, 0
	beq	1f
	std	%r4, 0(%r3)
	std	%r5, 8(%r3)
	std	%r6, 16(%r3)
	std	%r7, 24(%r3)
	std	%r8, 32(%r3)
	std	%r9, 40(%r3)
	std	%r10, 48(%r3)
	std	%r11, 56(%r3)
	std	%r12, 64(%r3)
1:	mr	%r3, %r0
	blr
END(hcall)

/* long hcall8(uint64_t nr, uint64_t inout[8]): r4..r11 from and back into inout (H_BULK_REMOVE) */
FUNC(hcall8)
	std	%r4, -8(%r1)
	mr	%r12, %r4
	ld	%r4, 0(%r12)
	ld	%r5, 8(%r12)
	ld	%r6, 16(%r12)
	ld	%r7, 24(%r12)
	ld	%r8, 32(%r12)
	ld	%r9, 40(%r12)
	ld	%r10, 48(%r12)
	ld	%r11, 56(%r12)
	sc	1
	ld	%r12, -8(%r1)
	std	%r4, 0(%r12)
	std	%r5, 8(%r12)
	std	%r6, 16(%r12)
	std	%r7, 24(%r12)
	std	%r8, 32(%r12)
	std	%r9, 40(%r12)
	std	%r10, 48(%r12)
	std	%r11, 56(%r12)
	blr
END(hcall8)

	.section ".bss"
	.balign	16
guest_stack:	.space	65536
	.globl	entry_msr
entry_msr:	.space	8

/*
 * Interrupt vectors: install_vectors() writes "ba <entry>" at each guest-real
 * vector address. A data storage interrupt (0x300/0x380) is recorded in
 * fault_info and skipped, so tests can provoke them on purpose; the
 * decrementer is silenced and counted; anything else counts as unexpected
 * and is skipped too, so the test can report it.
 */
.macro VEC_ENTRY name, slot
	.globl	\name
\name:
	mtsprg	2, %r3
	mtsprg	3, %r4
	LOAD_IMM64 %r4, fault_info
	li	%r3, \slot
	b	vec_common
.endm

	.section ".text", "ax"
	VEC_ENTRY vec_dsi, 0
	VEC_ENTRY vec_other, 1
	VEC_ENTRY vec_dec, 2

/* fault_info: [0] DAR, [1] DSISR, [2] DSI count, [3] other count, [4] last other SRR0, [5] DEC count, [6] last other vector */
vec_common:
	cmpdi	%r3, 2
	beq	3f
	cmpdi	%r3, 1
	beq	2f
	mfdar	%r3
	std	%r3, 0(%r4)
	mfdsisr	%r3
	std	%r3, 8(%r4)
	ld	%r3, 16(%r4)
	addi	%r3, %r3, 1
	std	%r3, 16(%r4)
	b	1f
2:	ld	%r3, 24(%r4)
	addi	%r3, %r3, 1
	std	%r3, 24(%r4)
	mfsrr0	%r3
	std	%r3, 32(%r4)
1:	mfsrr0	%r3			/* skip the instruction that faulted */
	addi	%r3, %r3, 4
	mtsrr0	%r3
	b	4f
3:	ld	%r3, 40(%r4)
	addi	%r3, %r3, 1
	std	%r3, 40(%r4)
	lis	%r3, 0x7fff
	ori	%r3, %r3, 0xffff
	mtdec	%r3
4:	mfsprg	%r3, 2
	mfsprg	%r4, 3
	rfid

/* External interrupt: count it and return with MSR[EE] off, leaving it
 * presented, so the test can accept it with H_XIRR in its own time. */
	.globl	vec_ext
vec_ext:
	mtsprg	2, %r3
	mtsprg	3, %r4
	LOAD_IMM64 %r4, fault_info
	ld	%r3, 48(%r4)
	addi	%r3, %r3, 1
	std	%r3, 48(%r4)
	mfsrr1	%r3
	ori	%r3, %r3, 0x8000
	xori	%r3, %r3, 0x8000
	mtsrr1	%r3
	mfsprg	%r3, 2
	mfsprg	%r4, 3
	rfid

	.section ".bss"
	.balign	8
	.globl	fault_info
fault_info:	.space	64

	.section ".text", "ax"
/* uint64_t vload(uint64_t ea): one load with data translation on; ~0 if it faulted */
FUNC(vload)
	mfmsr	%r5
	ori	%r6, %r5, 0x10		/* MSR[DR] */
	li	%r4, -1
	mtmsrd	%r6
	isync
	ld	%r4, 0(%r3)
	mtmsrd	%r5
	isync
	mr	%r3, %r4
	blr
END(vload)

/* void vstore(uint64_t ea, uint64_t value): one store with data translation on */
FUNC(vstore)
	mfmsr	%r5
	ori	%r6, %r5, 0x10
	mtmsrd	%r6
	isync
	std	%r4, 0(%r3)
	mtmsrd	%r5
	isync
	blr
END(vstore)

/* Secondary vCPUs arrive here from RTAS start-cpu with r3 = their number. */
	.section ".text", "ax"
FUNC(secondary_entry)
	LOAD_IMM64 %r1, secondary_stacks
	addi	%r4, %r3, 1
	sldi	%r4, %r4, 14		/* 16 KiB each */
	add	%r1, %r1, %r4
	addi	%r1, %r1, -64
	li	%r0, 0
	std	%r0, 0(%r1)
	LOAD_IMM64 %r2, .TOC.
	bl	secondary_main
	b	.
END(secondary_entry)

	.section ".bss"
	.balign	16
secondary_stacks:	.space	16384 * 32

/* uint64_t cr_hold(uint64_t loops): CR = 0x9abcdef1 across a delay loop in
 * which the hypervisor may interrupt us; returns CR as read back. */
	.section ".text", "ax"
FUNC(cr_hold)
	mfcr	%r5			/* CR2-CR4 are the caller's */
	mtctr	%r3
	lis	%r4, 0x9abc
	ori	%r4, %r4, 0xdef1
	mtcrf	0xff, %r4
1:	bdnz	1b
	mfcr	%r3
	mtcrf	0xff, %r5
	blr
END(cr_hold)

/*
 * uint64_t user_sc1(uint64_t nr, uint64_t msr_bits): drops to problem
 * state, with msr_bits added (translation: real mode is no place for
 * problem state), and runs "sc 1" with r3 = nr. The hypervisor must not serve it: it must come back as a
 * system call interrupt at our own 0xC00 vector (vec_syscall), which
 * records SRR0, SRR1 and r3 in syscall_info and returns to our caller in
 * supervisor state. If the hypervisor served it instead, "sc 0" follows, so
 * vec_syscall sees a different SRR0.
 * syscall_info: [0] return address, [1] caller's MSR, [2] SRR0, [3] SRR1, [4] r3
 */
FUNC(user_sc1)
	mr	%r7, %r4
	LOAD_IMM64 %r4, syscall_info
	mflr	%r5
	std	%r5, 0(%r4)
	mfmsr	%r5
	std	%r5, 8(%r4)
	ori	%r5, %r5, 0x4000	/* MSR[PR] */
	or	%r5, %r5, %r7
	LOAD_IMM64 %r6, 1f
	mtsrr0	%r6
	mtsrr1	%r5
	rfid
1:	sc	1
	.globl	user_sc1_after
user_sc1_after:
	sc	0
	b	.
END(user_sc1)

	.globl	vec_syscall
vec_syscall:
	LOAD_IMM64 %r4, syscall_info
	mfsrr0	%r5
	std	%r5, 16(%r4)
	mfsrr1	%r5
	std	%r5, 24(%r4)
	std	%r3, 32(%r4)
	ld	%r5, 0(%r4)
	mtsrr0	%r5
	ld	%r5, 8(%r4)
	mtsrr1	%r5
	ld	%r3, 32(%r4)
	rfid

	.section ".bss"
	.balign	8
	.globl	syscall_info
syscall_info:	.space	40
