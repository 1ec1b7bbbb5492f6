/*
 * The first 8 KiB of the image: the entry branch at offset 0 and the
 * interrupt vectors. After self-relocation this sits at real address 0,
 * where the processor looks for its vectors (HRMOR = 0).
 */
#include "arch/spr.h"
#include "arch/asm.h"
#include "hv/cpu.h"

	.section ".head", "ax"

	. = 0
	.globl	image_start
image_start:
	b	boot_start

/*
 * Every vector does the same five instructions: free r12/r13, find the
 * per-CPU area, and branch to the common entry for its save/restore pair.
 */
.macro VECTOR addr, kind
	. = \addr
	mtspr	SPR_HSPRG1, %r13
	mfspr	%r13, SPR_HSPRG0
	std	%r12, CPU_SCRATCH0(%r13)
	li	%r12, \addr
	b	exc_entry_\kind
.endm

	VECTOR 0x100, srr	/* system reset */
	VECTOR 0x200, srr	/* machine check */
	VECTOR 0x300, srr	/* data storage */
	VECTOR 0x380, srr	/* data segment */
	VECTOR 0x400, srr	/* instruction storage */
	VECTOR 0x480, srr	/* instruction segment */
	VECTOR 0x500, hsrr	/* external (directed to the hypervisor) */
	VECTOR 0x600, srr	/* alignment */
	VECTOR 0x700, srr	/* program */
	VECTOR 0x800, srr	/* floating-point unavailable */
	VECTOR 0x900, srr	/* decrementer */
	VECTOR 0x980, hsrr	/* hypervisor decrementer */
	VECTOR 0xa00, srr	/* directed privileged doorbell */
	VECTOR 0xb00, srr	/* reserved */
	VECTOR 0xc00, srr	/* system call */
	VECTOR 0xd00, srr	/* trace */
	VECTOR 0xe00, hsrr	/* hypervisor data storage */
	VECTOR 0xe20, hsrr	/* hypervisor instruction storage */
	VECTOR 0xe40, hsrr	/* hypervisor emulation assistance */
	VECTOR 0xe60, hsrr	/* hypervisor maintenance */
	VECTOR 0xe80, hsrr	/* directed hypervisor doorbell */
	VECTOR 0xea0, hsrr	/* hypervisor virtualization */
	VECTOR 0xf00, srr	/* performance monitor */
	VECTOR 0xf20, srr	/* vector unavailable */
	VECTOR 0xf40, srr	/* VSX unavailable */
	VECTOR 0xf60, srr	/* facility unavailable */
	VECTOR 0xf80, hsrr	/* hypervisor facility unavailable */
	VECTOR 0x1500, hsrr	/* denormalisation (soft patch) */
	VECTOR 0x1600, srr	/* reserved */
	VECTOR 0x1700, srr	/* reserved */

	. = 0x2000
