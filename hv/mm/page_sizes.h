/*
 * The hashed-MMU page sizes a guest may use, as QEMU's pseries machine offers
 * them on POWER9 (target/ppc/mmu-hash64.c ppc_hash64_opts_POWER7, without the
 * 16 GB size that spapr's hpt-max-page-size cap filters out).
 *
 * One row per (segment base page size, actual page size) pair, grouped by
 * base size in increasing order. The device-tree builder emits
 * ibm,segment-page-sizes from this table; the HPT engine decodes HPTEs with it.
 *
 *   base 4K  (SLB L||LP = 0x000): 4K (penc -), 64K (penc 0x07), 16M (penc 0x38)
 *   base 64K (SLB L||LP = 0x110): 64K (penc 0x01), 16M (penc 0x08)
 *   base 16M (SLB L||LP = 0x100): 16M (penc 0x00)
 *
 * penc is the LP value the HPTE carries in doubleword 1 starting at bit 12
 * (value bits 12..(actual_shift - 1)) when doubleword 0 has L = 1; a 4K page
 * has L = 0 and no LP.
 */
#ifndef HV_MM_PAGE_SIZES_H
#define HV_MM_PAGE_SIZES_H

#include <stdint.h>

struct hv_page_size {
	uint8_t base_shift;   /* segment base page size (SLB L||LP selects it) */
	uint8_t actual_shift; /* page size the HPTE maps */
	uint8_t penc;         /* HPTE LP encoding (0 for the 4K/4K row, L = 0) */
	uint16_t slb_enc;     /* SLB VSID-word L||LP bits of the base size */
};

/* SLB VSID word bits (Linux mmu-hash.h SLB_VSID_L / SLB_VSID_LP). */
#define SLB_VSID_L     0x100u
#define SLB_VSID_LP    0x030u
#define SLB_VSID_LP_01 0x010u

#define HV_NUM_PAGE_SIZES 6
extern const struct hv_page_size hv_page_sizes[HV_NUM_PAGE_SIZES];

/* Row indexes, for code that wants a specific pair. */
enum {
	HV_PS_4K = 0,
	HV_PS_4K_64K,
	HV_PS_4K_16M,
	HV_PS_64K,
	HV_PS_64K_16M,
	HV_PS_16M,
};

/* SLB L||LP encoding of a base page size (12, 16 or 24); -1 if not offered. */
int hv_page_size_slb_enc(unsigned int base_shift);

#endif
