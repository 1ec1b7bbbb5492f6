/*
 * Special-purpose register numbers, register bit fields and their
 * accessors (POWER9, ISA 3.0). With include/arch/insn.h, mmu.h and cache.h
 * this is the only place C code meets POWER instructions.
 */
#ifndef ARCH_SPR_H
#define ARCH_SPR_H

#define SPR_XER    1
#define SPR_LR     8
#define SPR_CTR    9
#define SPR_DSISR  18
#define SPR_DAR    19
#define SPR_DEC    22
#define SPR_SRR0   26
#define SPR_SRR1   27
#define SPR_CFAR   28
#define SPR_AMR    29
#define SPR_PIDR   48
#define SPR_HFSCR  190
#define SPR_CIABR  187
#define SPR_DAWR0  180
#define SPR_DAWRX0 188
#define SPR_SPRG0  272
#define SPR_SPRG1  273
#define SPR_SPRG2  274
#define SPR_SPRG3  275
#define SPR_TBRL   268
#define SPR_PVR    287
#define SPR_HSPRG0 304
#define SPR_HSPRG1 305
#define SPR_HDSISR 306
#define SPR_HDAR   307
#define SPR_HDEC   310
#define SPR_HRMOR  313
#define SPR_HSRR0  314
#define SPR_HSRR1  315
#define SPR_LPCR   318
#define SPR_LPIDR  319
#define SPR_HEIR   339
#define SPR_ASDR   816
#define SPR_PTCR   464
#define SPR_PIR    1023
#define SPR_DSCR   17
#define SPR_ACOP   31
#define SPR_IAMR   61
#define SPR_CTRL_R 136
#define SPR_TIDR   144
#define SPR_CTRL_W 152
#define SPR_FSCR   153
#define SPR_UAMOR  157
#define SPR_PSPB   159
#define SPR_DPDES  176
#define SPR_VRSAVE 256
#define SPR_TBL_W  284
#define SPR_TBU_W  285
#define SPR_SPURR  308
#define SPR_PURR   309
#define SPR_AMOR   349
#define SPR_SIER   784
#define SPR_MMCR2  785
#define SPR_MMCRA  786
#define SPR_PMC1   787 /* PMC1-6: 787-792 */
#define SPR_MMCR0  795
#define SPR_SIAR   796
#define SPR_SDAR   797
#define SPR_MMCR1  798
#define SPR_EBBHR  804
#define SPR_EBBRR  805
#define SPR_BESCR  806
#define SPR_TAR    815
#define SPR_PSSCR  855
#define SPR_WORT   895
#define SPR_PPR    896

/* LPCR bits (value masks, IBM bit n is 1 << (63 - n)). */
#define LPCR_VPM1      (1ull << 62) /* virtual-mode faults go to the hypervisor */
#define LPCR_ILE       (1ull << 25) /* guest interrupts little-endian */
#define LPCR_AIL       (3ull << 23) /* guest interrupts with relocation on */
#define LPCR_AIL_SHIFT 23
#define LPCR_UPRT      (1ull << 22)
#define LPCR_HR        (1ull << 20) /* radix host/guest */
#define LPCR_LD        (1ull << 17) /* large decrementer */
#define LPCR_MER       (1ull << 11) /* mediated external interrupt request */
#define LPCR_GTSE      (1ull << 10)
#define LPCR_HEIC      (1ull << 4) /* HV external interrupts off in guests (P9) */
#define LPCR_LPES      (1ull << 3) /* 0: external interrupts go to the hypervisor */
#define LPCR_HVICE     (1ull << 1) /* hypervisor virtualization interrupts */
#define LPCR_HDICE     (1ull << 0) /* hypervisor decrementer interrupts on */

/* HFSCR: facilities guests may use (FP, VMX/VSX, DSCR, PM, BHRB, EBB, TAR, msgsndp, prefix). */
#define HFSCR_GUEST 0x219full

/* DAWRX0: what the data address watchpoint matches. */
#define DAWRX_USER   (1ull << 0) /* problem state */
#define DAWRX_KERNEL (1ull << 1) /* privileged state */
#define DAWRX_HYP    (1ull << 2) /* hypervisor state */
#define DAWRX_WT     (1ull << 4) /* translation on */
#define DAWRX_DR     (1ull << 5) /* reads */
#define DAWRX_DW     (1ull << 6) /* writes */

/* LPCR wake-up enables of power-saving states (used with PSSCR[EC] = 1;
 * set anyway, as Linux does). */
#define LPCR_PECE_HVEE (1ull << 46) /* hypervisor virtualization interrupt */
#define LPCR_PECEDH    (1ull << 15) /* directed hypervisor doorbell */
#define LPCR_PECE0     (1ull << 14) /* external */
#define LPCR_PECE1     (1ull << 13) /* decrementer */
#define LPCR_PECE2     (1ull << 12) /* machine check, HMI, others */

#define MMCR0_FC   0x80000000ull         /* freeze the PMU counters */
#define PPR_MEDIUM 0x0010000000000000ull /* SMT priority 4, as a thread starts */

/* MSR bits. */
#define MSR_SF  (1ull << 63)
#define MSR_HV  (1ull << 60)
#define MSR_VEC (1ull << 25)
#define MSR_VSX (1ull << 23)
#define MSR_FP  (1ull << 13)
#define MSR_EE  (1ull << 15)
#define MSR_ME  (1ull << 12)
#define MSR_PR  (1ull << 14)
#define MSR_IR  (1ull << 5)
#define MSR_DR  (1ull << 4)
#define MSR_RI  (1ull << 1)
#define MSR_LE  (1ull << 0)

/* SRR1 bits set by a program interrupt. */
#define SRR1_REASON   0x783f0000ull /* SRR1 33:36, 42:47: why, not MSR */
#define SRR1_PROGTRAP (1ull << 17)
#define SRR1_PROGPRIV (1ull << 18)
#define SRR1_PROGILL  (1ull << 19)

#ifndef __ASSEMBLER__
#include <stdint.h>
#include "arch/insn.h"

#define mfspr(n)                                                     \
	({                                                           \
		uint64_t v_;                                         \
		__asm__ volatile("mfspr %0,%1" : "=r"(v_) : "i"(n)); \
		v_;                                                  \
	})
#define mtspr(n, v) __asm__ volatile("mtspr %0,%1" : : "i"(n), "r"((uint64_t)(v)) : "memory")

static inline uint64_t mfmsr(void)
{
	uint64_t v;
	__asm__ volatile("mfmsr %0" : "=r"(v));
	return v;
}

static inline void mtmsrd(uint64_t v)
{
	__asm__ volatile("mtmsrd %0" : : "r"(v) : "memory");
}

static inline uint64_t mftb(void)
{
	uint64_t v;
	__asm__ volatile("mftb %0" : "=r"(v));
	return v;
}

/* mtmsrd with L=1 changes only EE and RI. */
static inline void irq_enable(void)
{
	__asm__ volatile("mtmsrd %0,1" : : "r"(MSR_EE | MSR_RI) : "memory");
}
static inline void irq_disable(void)
{
	__asm__ volatile("mtmsrd %0,1" : : "r"(MSR_RI) : "memory");
}
#endif

#endif
