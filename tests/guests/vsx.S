/*
 * All 64 VSRs, FPSCR and VSCR from and to memory, for tests that check
 * nothing else changes them (tests/guests/regs.c). The guest turns
 * MSR[FP|VEC|VSX] on itself.
 */
#include "arch/asm.h"

.macro VSR_RANGE op, from, to
	\op	\from, %r3, %r4
	addi	%r4, %r4, 16
	.if \to-\from
	VSR_RANGE \op, "(\from+1)", \to
	.endif
.endm

	.section ".text", "ax"

/* void vsx_fill(const uint64_t buf[130]): VSR0-63, then FPSCR, then a VR image with VSCR */
FUNC(vsx_fill)
	li	%r4, 64 * 16
	lfdx	%f0, %r3, %r4
	mtfsf	0xff, %f0, 1, 0
	li	%r4, 64 * 16 + 16
	lvx	%v0, %r3, %r4
	mtvscr	%v0
	li	%r4, 0
	VSR_RANGE lxvd2x, 0, 31
	VSR_RANGE lxvd2x, 32, 63
	blr
END(vsx_fill)

/* void vsx_dump(uint64_t buf[130]) */
FUNC(vsx_dump)
	li	%r4, 0
	VSR_RANGE stxvd2x, 0, 31
	VSR_RANGE stxvd2x, 32, 63
	mffs	%f0
	li	%r4, 64 * 16
	stfdx	%f0, %r3, %r4
	mfvscr	%v0
	li	%r4, 64 * 16 + 16
	stvx	%v0, %r3, %r4
	blr
END(vsx_dump)
