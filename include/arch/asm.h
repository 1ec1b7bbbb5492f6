/* Assembler helpers shared by boot/, hv/arch/ and drivers/ (assembly, not C:
 * the formatter leaves it alone). */
/* clang-format off */
#ifndef ARCH_ASM_H
#define ARCH_ASM_H

/* Load a 64-bit link-time constant (address or number). */
.macro LOAD_IMM64 reg, val
	lis	\reg, (\val)@highest
	ori	\reg, \reg, (\val)@higher
	rldicr	\reg, \reg, 32, 31
	oris	\reg, \reg, (\val)@h
	ori	\reg, \reg, (\val)@l
.endm

/* std / ld of r<from>..r<to> to / from base + off + 8 * n (n: the register number). */
.macro STD_RANGE from, to, off, base
	std	\from, (\off + (\from) * 8)(\base)
	.if \to-\from
	STD_RANGE "(\from+1)", \to, \off, \base
	.endif
.endm

.macro LD_RANGE from, to, off, base
	ld	\from, (\off + (\from) * 8)(\base)
	.if \to-\from
	LD_RANGE "(\from+1)", \to, \off, \base
	.endif
.endm

#define FUNC(name) .globl name; .type name,@function; name:
#define END(name) .size name, . - name

#endif
