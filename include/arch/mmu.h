/* Translation hardware: TLB invalidation and the SLB (POWER9, hash MMU). */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <stdint.h>

#define SLB_ENTRIES 32
#define SLB_ESID_V  (1ull << 27) /* slbmfee: the entry is valid */

static inline void ptesync(void)
{
	__asm__ volatile("ptesync" ::: "memory");
}

/* Drops every translation cached for lpid (partition scope, RIC = 2). */
static inline void tlbie_lpid(uint32_t lpid)
{
	__asm__ volatile("ptesync; tlbie %0,%1,2,0,0; eieio; tlbsync; ptesync"
			 :
			 : "r"(2ull << 10), "r"((uint64_t)lpid)
			 : "memory");
}

/* Drops the translation of one page of lpid; rb as the ISA's tlbie RB. */
static inline void tlbie_page(uint64_t rb, uint32_t lpid)
{
	__asm__ volatile("ptesync; tlbie %0,%1,0,0,0; eieio; tlbsync; ptesync"
			 :
			 : "r"(rb), "r"((uint64_t)lpid)
			 : "memory");
}

/* Invalidates the whole SLB, entry 0 included. */
static inline void slb_invalidate_all(void)
{
	__asm__ volatile("slbmte %0,%0; slbia 0; isync" : : "r"(0ull) : "memory");
}

/* esid carries its entry number in the low bits, as slbmte takes it. */
static inline void slb_write(uint64_t esid, uint64_t vsid)
{
	__asm__ volatile("slbmte %0,%1" : : "r"(vsid), "r"(esid) : "memory");
}

static inline uint64_t slb_read_esid(uint64_t index)
{
	uint64_t esid;
	__asm__ volatile("slbmfee %0,%1" : "=r"(esid) : "r"(index));
	return esid;
}

static inline uint64_t slb_read_vsid(uint64_t index)
{
	uint64_t vsid;
	__asm__ volatile("slbmfev %0,%1" : "=r"(vsid) : "r"(index));
	return vsid;
}

/* The VSID word (slbmfev layout) of the SLB entry translating ea, if any
 * (slbfee.: the current SLB, whatever MSR[IR/DR] are). */
static inline int slb_find(uint64_t ea, uint64_t *vsid_word)
{
	uint64_t rt;
	uint32_t cr;
	__asm__ volatile("slbfee. %0,%2; mfcr %1" : "=r"(rt), "=r"(cr) : "r"(ea) : "cr0");
	*vsid_word = rt;
	return (cr >> 29) & 1; /* CR0[EQ]: found */
}

#endif
