/*
 * Finding a guest's HPT entry as the hardware's search would, for the
 * faults the hypervisor takes on the guest's behalf (LPCR[VPM1]): an access
 * to an emulated page (an absent entry) and the instruction that made it.
 * Portable; the caller holds the partition's HPT lock or accepts a racy
 * answer (a guest changing its own table meanwhile only hurts itself).
 */
#ifndef HV_MM_HPT_LOOKUP_H
#define HV_MM_HPT_LOOKUP_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/mm/hpt.h"

/* SLB VSID word (slbmfev / slbfee. layout). */
#define SLB_VSID_B_1T   0x4000000000000000ull
#define SLB_VSID_B_MASK 0xc000000000000000ull
#define SLB_VSID_VSID   0x3ffffffffffff000ull
#define SLB_VSID_KS     0x800ull
#define SLB_VSID_KP     0x400ull
#define SLB_VSID_N      0x200ull

struct hpt_match {
	uint64_t ptex;
	uint64_t v, r;      /* the guest's view: old format, guest-real RPN */
	bool absent;        /* an emulated page: the hardware does not see it */
	unsigned int shift; /* actual page size */
	uint64_t gpa;       /* guest-real address of the effective address */
	uint64_t host;      /* host real address of it (valid entries) */
};

/* The entry translating ea in the segment whose SLB VSID word is slb_v:
 * the primary then the secondary PTEG at the hash of the segment's base
 * page size, an entry matching V (absent counts), B, H and the AVPN above
 * its actual page size, with that base size. False if none. */
bool hpt_lookup(const struct hpt *h, uint64_t slb_v, uint64_t ea, struct hpt_match *m);

/* The last entry a vCPU's emulated accesses went through: a driver works
 * one register page over and over, and the entry's two doublewords tell
 * whether it still translates it (same segment, same page, same entry),
 * the ranges' generation whether what lies behind it is unchanged. */
struct hpt_lookup_cache {
	bool valid;
	uint64_t slb_v, page; /* the segment's VSID word, ea >> m.shift */
	uint64_t raw[2];      /* the entry as the table held it */
	uint64_t gen;         /* h->ranges_gen then */
	struct hpt_match m;
};

/* Only c: true on a hit (the entry and the ranges unchanged since c was
 * filled), with *m for ea; no search, no change to c. */
static inline bool hpt_lookup_cache_hit(const struct hpt *h, const struct hpt_lookup_cache *c, uint64_t slb_v,
					uint64_t ea, struct hpt_match *m)
{
	if (!c->valid || c->slb_v != slb_v || c->page != ea >> c->m.shift || c->gen != h->ranges_gen ||
	    c->m.ptex >= h->nptes)
		return false;
	const uint64_t *p = h->table + 2 * c->m.ptex;
	if (hpt_ld(p) != c->raw[0] || hpt_ld(p + 1) != c->raw[1])
		return false;
	uint64_t mask = (1ull << c->m.shift) - 1;
	*m = c->m;
	m->gpa = (m->gpa & ~mask) | (ea & mask);
	if (!m->absent)
		m->host = (m->host & ~mask) | (ea & mask);
	return true;
}

/* hpt_lookup() through c: a hit costs a compare of the entry; a hit also
 * says the ranges did not change since c was filled. */
bool hpt_lookup_cached(const struct hpt *h, struct hpt_lookup_cache *c, uint64_t slb_v, uint64_t ea,
		       struct hpt_match *m, bool *hit);

/* Whether the entry's PP bits let an access through, with the segment's
 * key for the privilege (MSR[PR]) it ran at (ISA Book III, as QEMU). */
static inline bool hpt_pp_allows(uint64_t slb_v, uint64_t r, bool problem_state, bool store)
{
	bool key = (slb_v & (problem_state ? SLB_VSID_KP : SLB_VSID_KS)) != 0;
	unsigned int pp = (unsigned int)((r & HPTE_R_PP) | ((r & HPTE_R_PP0) >> 61));
	if (!key) /* 0, 1, 2: read/write; 3, 6: read only; others: none */
		return pp <= 2 || (!store && (pp == 3 || pp == 6));
	/* Key 1: 2 read/write; 1, 3 read only; others: none. */
	return pp == 2 || (!store && (pp == 1 || pp == 3));
}

/* Whether the guest's AMR lets an access through the entry's virtual page
 * class key (5 bits: HPTE bits 2:3 and 52:54; AMR bits 2k and 2k+1 forbid
 * loads and stores with key k), as the hardware checks it in either
 * privilege state. */
static inline bool hpt_key_allows(uint64_t r, uint64_t amr, bool store)
{
	unsigned int key = (unsigned int)(((r >> 60) & 3) << 3 | ((r >> 9) & 7));
	uint64_t bits = amr >> (62 - 2 * key); /* bit 1: loads forbidden, bit 0: stores */
	return !(bits & (store ? 1 : 2));
}

#endif
