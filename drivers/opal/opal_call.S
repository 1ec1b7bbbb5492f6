/*
 * int64_t opal_call_raw(token, a0, ..., a6)
 * OPAL takes the token in r0, its base in r2, arguments from r3, and runs
 * with external interrupts off. It keeps r1 and r13-r31; r2 is ours to
 * restore. The image is big-endian like OPAL, so MSR[LE] needs no care.
 */
#include "arch/spr.h"
#include "arch/asm.h"

	.section ".text", "ax"
FUNC(opal_call_raw)
	mflr	%r0
	std	%r0, 16(%r1)
	std	%r2, 24(%r1)
	stdu	%r1, -64(%r1)
	mfmsr	%r11
	std	%r11, 48(%r1)
	li	%r12, MSR_RI
	mtmsrd	%r12, 1			/* EE off */

	mr	%r0, %r3
	mr	%r3, %r4
	mr	%r4, %r5
	mr	%r5, %r6
	mr	%r6, %r7
	mr	%r7, %r8
	mr	%r8, %r9
	mr	%r9, %r10
	LOAD_IMM64 %r11, opal
	ld	%r2, 0(%r11)
	ld	%r12, 8(%r11)
	mtctr	%r12
	bctrl

	ld	%r11, 48(%r1)
	mtmsrd	%r11, 1			/* EE back as it was */
	addi	%r1, %r1, 64
	ld	%r2, 24(%r1)
	ld	%r0, 16(%r1)
	mtlr	%r0
	blr
END(opal_call_raw)
