/*
 * Interrupt vectors (POWER9, ISA 3.0): the real address each interrupt
 * enters at. boot/head.S places a stub at every one; C code names them
 * with these constants. Every vector is a multiple of 0x20 below
 * VEC_LIMIT, so VEC_SLOT() indexes per-vector tables of VEC_SLOTS entries.
 */
#ifndef ARCH_VECTORS_H
#define ARCH_VECTORS_H

#define VEC_SYSTEM_RESET       0x100
#define VEC_MACHINE_CHECK      0x200
#define VEC_DATA_STORAGE       0x300
#define VEC_DATA_SEGMENT       0x380
#define VEC_INSN_STORAGE       0x400
#define VEC_INSN_SEGMENT       0x480
#define VEC_EXTERNAL           0x500
#define VEC_ALIGNMENT          0x600
#define VEC_PROGRAM            0x700
#define VEC_FP_UNAVAILABLE     0x800
#define VEC_DECREMENTER        0x900
#define VEC_HV_DECREMENTER     0x980
#define VEC_DOORBELL           0xa00
#define VEC_RESERVED_B00       0xb00
#define VEC_SYSTEM_CALL        0xc00
#define VEC_TRACE              0xd00
#define VEC_HV_DATA_STORAGE    0xe00
#define VEC_HV_INSN_STORAGE    0xe20
#define VEC_HV_EMU_ASSIST      0xe40
#define VEC_HV_MAINTENANCE     0xe60
#define VEC_HV_DOORBELL        0xe80
#define VEC_HV_VIRTUALIZATION  0xea0
#define VEC_PERF_MONITOR       0xf00
#define VEC_VMX_UNAVAILABLE    0xf20
#define VEC_VSX_UNAVAILABLE    0xf40
#define VEC_FAC_UNAVAILABLE    0xf60
#define VEC_HV_FAC_UNAVAILABLE 0xf80
#define VEC_DENORMALISATION    0x1500
#define VEC_RESERVED_1600      0x1600
#define VEC_RESERVED_1700      0x1700

#define VEC_LIMIT   0x1800
#define VEC_SLOT(v) ((v) >> 5)
#define VEC_SLOTS   VEC_SLOT(VEC_LIMIT)

#endif
