/*
 * The first 8 KiB of the image: the entry branch at offset 0 and the
 * interrupt vectors. After self-relocation this sits at real address 0,
 * where the processor looks for its vectors (HRMOR = 0).
 */
#include "arch/spr.h"
#include "arch/asm.h"
#include "arch/vectors.h"
#include "hv/cpu.h"

	.section ".head", "ax"

	. = 0
	.globl	image_start
image_start:
	b	boot_start

/*
 * Every vector does the same seven instructions (they must fit in the 32
 * bytes between 0xE00 and 0xE20): free r12/r13, find the per-CPU area, keep
 * the CFAR, and branch to the common entry for its save/restore pair:
 * exc_entry_srr or exc_entry_hsrr in boot/exceptions.S, and for sc its
 * own copy of the SRR one, exc_entry_sc, which sends guest hcalls straight
 * to the fast path.
 */
.macro VECTOR addr, kind
	. = \addr
	mtspr	SPR_HSPRG1, %r13
	mfspr	%r13, SPR_HSPRG0
	std	%r12, CPU_SCRATCH0(%r13)
	mfspr	%r12, SPR_CFAR		/* before the branch below changes it */
	std	%r12, CPU_CFAR(%r13)
	li	%r12, \addr
	b	exc_entry_\kind
.endm

	VECTOR VEC_SYSTEM_RESET, srr
	VECTOR VEC_MACHINE_CHECK, srr
	VECTOR VEC_DATA_STORAGE, srr
	VECTOR VEC_DATA_SEGMENT, srr
	VECTOR VEC_INSN_STORAGE, srr
	VECTOR VEC_INSN_SEGMENT, srr
	VECTOR VEC_EXTERNAL, hsrr
	VECTOR VEC_ALIGNMENT, srr
	VECTOR VEC_PROGRAM, srr
	VECTOR VEC_FP_UNAVAILABLE, srr
	VECTOR VEC_DECREMENTER, srr
	VECTOR VEC_HV_DECREMENTER, hsrr
	VECTOR VEC_DOORBELL, srr
	VECTOR VEC_RESERVED_B00, srr
	VECTOR VEC_SYSTEM_CALL, sc
	VECTOR VEC_TRACE, srr
	VECTOR VEC_HV_DATA_STORAGE, hsrr
	VECTOR VEC_HV_INSN_STORAGE, hsrr
	VECTOR VEC_HV_EMU_ASSIST, hsrr
	VECTOR VEC_HV_MAINTENANCE, hsrr
	VECTOR VEC_HV_DOORBELL, hsrr
	VECTOR VEC_HV_VIRTUALIZATION, hsrr
	VECTOR VEC_PERF_MONITOR, srr
	VECTOR VEC_VMX_UNAVAILABLE, srr
	VECTOR VEC_VSX_UNAVAILABLE, srr
	VECTOR VEC_FAC_UNAVAILABLE, srr
	VECTOR VEC_HV_FAC_UNAVAILABLE, hsrr
	VECTOR VEC_DENORMALISATION, hsrr
	VECTOR VEC_RESERVED_1600, srr
	VECTOR VEC_RESERVED_1700, srr

	. = 0x2000
