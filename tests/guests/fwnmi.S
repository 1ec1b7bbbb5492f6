/*
 * Firmware-assisted NMI entry points for tests/guests/pseries.c: each
 * records the r3 it was given and where the interrupt hit, puts the
 * guest's own r3 back from the save slot r3 points at (as Linux does), and
 * returns; the machine-check one skips the instruction that caused it.
 */
#include "arch/asm.h"

	.section ".text", "ax"

/* fwnmi_seen: [0] machine checks, [1] their r3, [2] their SRR0,
 * [3] system resets, [4] their r3, [5] their SRR0 */
.macro FWNMI_ENTRY name, slot, skip
FUNC(\name)
	mtsprg	2, %r4
	mtsprg	3, %r5
	LOAD_IMM64 %r4, fwnmi_seen
	ld	%r5, \slot(%r4)
	addi	%r5, %r5, 1
	std	%r5, \slot(%r4)
	std	%r3, \slot + 8(%r4)
	mfsrr0	%r5
	std	%r5, \slot + 16(%r4)
	addi	%r5, %r5, \skip
	mtsrr0	%r5
	ld	%r3, 0(%r3)		/* the r3 it had */
	mfsprg	%r4, 2
	mfsprg	%r5, 3
	rfid
END(\name)
.endm

	FWNMI_ENTRY fwnmi_mce_entry, 0, 4
	FWNMI_ENTRY fwnmi_sreset_entry, 24, 0

	.section ".bss"
	.balign	8
	.globl	fwnmi_seen
fwnmi_seen:	.space	48
