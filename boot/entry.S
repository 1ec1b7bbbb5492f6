/*
 * Entry from skiboot and from OPAL_START_CPU.
 *
 * skiboot jumps to the image where it was loaded (0x20000000 under QEMU)
 * with r3 = FDT, r8 = OPAL base, r9 = OPAL entry, MMU off, HV=1, big-endian.
 * The image is linked at 0: copy it there, flush the caches, and continue
 * at the linked address with a stack, a TOC and a clean BSS.
 */
#include "arch/spr.h"
#include "arch/asm.h"
#include "hv/cpu.h"

	.section ".text.boot", "ax"

FUNC(boot_start)
	mr	%r31, %r3		/* FDT */
	mr	%r30, %r8		/* OPAL base */
	mr	%r29, %r9		/* OPAL entry */

	bl	1f
1:	mflr	%r28			/* where 1b runs */
	LOAD_IMM64 %r27, 1b		/* where 1b is linked */
	sub	%r26, %r28, %r27	/* run-time address of image_start */
	cmpdi	%r26, 0
	beq	relocated		/* already at 0 (e.g. kexec'd by address) */

	/* Copy [image_start, _edata) to 0, a doubleword at a time. */
	LOAD_IMM64 %r5, _edata
	addi	%r5, %r5, 7
	srdi	%r5, %r5, 3
	mtctr	%r5
	mr	%r6, %r26
	li	%r4, 0
2:	ld	%r7, 0(%r6)
	std	%r7, 0(%r4)
	addi	%r6, %r6, 8
	addi	%r4, %r4, 8
	bdnz	2b

	/* Make the copy visible to instruction fetch, line by line. */
	LOAD_IMM64 %r5, _edata
	li	%r4, 0
3:	dcbst	0, %r4
	addi	%r4, %r4, 128
	cmpld	%r4, %r5
	blt	3b
	sync
	li	%r4, 0
4:	icbi	0, %r4
	addi	%r4, %r4, 128
	cmpld	%r4, %r5
	blt	4b
	sync
	isync

	LOAD_IMM64 %r12, relocated
	mtctr	%r12
	bctr

relocated:
	/* Clear the BSS (the boot stack lives there, so before using it). */
	LOAD_IMM64 %r4, __bss_start
	LOAD_IMM64 %r5, _end
	li	%r0, 0
5:	cmpld	%r4, %r5
	bge	6f
	std	%r0, 0(%r4)
	addi	%r4, %r4, 8
	b	5b
6:
	/* Exceptions need a per-CPU area from the first instruction on. */
	LOAD_IMM64 %r13, boot_cpu_area
	std	%r13, CPU_SELF(%r13)
	LOAD_IMM64 %r4, boot_exc_stack + CPU_EXC_STACK_SIZE - 320
	std	%r4, CPU_EXC_STACK(%r13)
	mtspr	SPR_HSPRG0, %r13

	LOAD_IMM64 %r1, boot_stack + CPU_STACK_SIZE - 64
	std	%r1, CPU_STACK_TOP(%r13)
	li	%r0, 0
	std	%r0, 0(%r1)		/* null back chain ends backtraces */
	LOAD_IMM64 %r2, .TOC.
	std	%r2, CPU_TOC(%r13)

	mr	%r3, %r31
	mr	%r4, %r30
	mr	%r5, %r29
	mr	%r6, %r26
	bl	boot_main
	b	.
END(boot_start)

/*
 * Secondary threads arrive here from OPAL_START_CPU with r3 = PIR.
 * The boot CPU starts one at a time and publishes its area first.
 */
FUNC(secondary_entry)
	LOAD_IMM64 %r4, secondary_boot_cpu
	ld	%r13, 0(%r4)
	mtspr	SPR_HSPRG0, %r13
	ld	%r1, CPU_STACK_TOP(%r13)
	li	%r0, 0
	std	%r0, 0(%r1)
	LOAD_IMM64 %r2, .TOC.
	bl	secondary_main
	b	.
END(secondary_entry)

	.section ".bss"
	.balign	4096
	.globl	boot_stack, boot_exc_stack, boot_cpu_area
boot_stack:	.space	CPU_STACK_SIZE
boot_exc_stack:	.space	CPU_EXC_STACK_SIZE
	.balign	128
boot_cpu_area:	.space	1024
