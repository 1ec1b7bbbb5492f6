/*
 * Guest hashed page table (HPT) engine: the PAPR page-frame-table hcalls
 * (H_ENTER, H_REMOVE, H_PROTECT, H_READ, H_BULK_REMOVE, H_CLEAR_REF,
 * H_CLEAR_MOD) and the hypervisor's own VRMA entries.
 *
 * Portable C (no asm, no hardware access); the hardware layer supplies the
 * hooks (tlbie sequence, ptesync).
 *
 * Formats. The table is in hypervisor memory, big-endian, in the ISA 3.0
 * (POWER9) format: the segment-size field B is in doubleword 1 (value bits
 * 59:58) and doubleword 0 keeps only the low 52 bits (AVA | SW | L | H | V).
 * Guests pass arguments and get results in the old (pre-3.0) format, with B
 * in doubleword 0 bits 63:62; the engine converts both ways (as KVM does, the
 * top 10 AVA bits of an old-format pteh, beyond POWER9's 68-bit VA, are
 * dropped). Guest doubleword 1 holds guest-real page numbers; the table holds
 * host-real ones (host_real = host_ram_base + guest_real).
 *
 * Beyond RAM, a guest may map pages of the ranges the hypervisor declared
 * (hpt_add_range()): a mapped range is host memory (ivshmem's shared
 * memory), entered valid and cacheable whatever WIMG the guest asked for;
 * in a read-only range a writable PP is refused (H_ENTER: H_PARAMETER;
 * H_PROTECT: the entry is removed, H_NOT_FOUND); an emulated range (device registers) is
 * entered *absent*: valid in the guest's view, V = 0 with the software bit
 * HPTE_V_ABSENT in the table, so the hardware never matches it and an access
 * faults to the hypervisor, which finds the entry (hv/mm/hpt_lookup.c) and
 * emulates it. Absent entries keep the guest-real RPN. Pages beyond RAM must
 * be cache-inhibited (I), as QEMU pseries requires.
 *
 * Invariants the engine keeps: a slot that is neither valid nor absent is
 * all zero; every valid slot maps a page entirely inside [host_ram_base,
 * host_ram_base + ram_size) or inside a mapped range, with a decodable page
 * size and B of 0 or 1; every absent slot is not valid; slots marked in
 * hv_owned are never changed by a guest hcall.
 *
 * Locking: the caller holds the partition's HPT lock around every call into
 * this module (the engine itself takes no lock). Hardware may set R and C in
 * doubleword 1 at any time while an entry is valid; the engine allows for
 * that (it re-reads R/C after invalidating, and clears R by a byte store).
 *
 * Return registers (for the hcall dispatcher): every hcall returns its status
 * in r3. H_ENTER: r4 = PTE index used. H_REMOVE: r4 = old pteh, r5 = old
 * ptel. H_READ: r4..r5, or r4..r11 with H_READ_4. H_CLEAR_REF/H_CLEAR_MOD:
 * r4 = old ptel. H_PROTECT: nothing. H_BULK_REMOVE: r4..r11 rewritten from
 * args[0..7] (responses replace the tsh words), also on error. On any other
 * error return nothing is written.
 */
#ifndef HV_MM_HPT_H
#define HV_MM_HPT_H

#include <stdint.h>
#include <stdbool.h>
#include "papr.h"
#include "hv/mm/page_sizes.h"

/* A guest-real range beyond RAM (see above). host = 0: emulated. */
struct hpt_range {
	uint64_t gpa, size;
	uint64_t host;
	bool read_only;
};

#define HPT_MAX_RANGES 16

struct hpt {
	uint64_t *table;        /* 16-byte HPTEs, big-endian in memory */
	uint64_t nptes;         /* power of two */
	uint64_t ram_size;      /* guest real addresses [0, ram_size) are RAM */
	uint64_t host_ram_base; /* host real address of guest real 0; 16 MiB aligned */
	uint8_t *hv_owned;      /* nptes bits: slots the hypervisor owns (VRMA) */
	void *ctx;              /* passed to the hooks */
	void (*tlb_invalidate)(void *ctx, uint64_t rb);
	/* Added: called after an entry was made valid (hardware: ptesync), so
	 * the table walker sees it before the guest resumes. NULL: a full
	 * memory fence. */
	void (*ptesync)(void *ctx);
	uint64_t hash_mask;                      /* number of PTEGs - 1 */
	unsigned int shift;                      /* log2 of the table size in bytes */
	struct hpt_range ranges[HPT_MAX_RANGES]; /* mapped ones take precedence */
	unsigned int nranges;
	uint64_t ranges_gen; /* counts changes of the ranges (lookup caches) */
	uint64_t gen;        /* counts changes of entries and of the ranges (the MMIO shortcut) */
};

/* HPTE doubleword 0 (both formats unless noted). */
#define HPTE_V_SSIZE_SHIFT 62 /* old format only */
#define HPTE_V_SSIZE       0xc000000000000000ull
#define HPTE_V_1TB_SEG     0x4000000000000000ull
#define HPTE_V_COMMON_BITS 0x000fffffffffffffull /* what ISA 3.0 keeps */
#define HPTE_V_AVPN        0x3fffffffffffff80ull
#define HPTE_V_HVLOCK      0x0000000000000040ull /* KVM/QEMU-reserved SW bits, */
#define HPTE_V_ABSENT      0x0000000000000020ull /* masked from a guest's pteh */
#define HPTE_V_BOLTED      0x0000000000000010ull
#define HPTE_V_LOCK        0x0000000000000008ull
#define HPTE_V_LARGE       0x0000000000000004ull
#define HPTE_V_SECONDARY   0x0000000000000002ull
#define HPTE_V_VALID       0x0000000000000001ull

/* HPTE doubleword 1. */
#define HPTE_R_PP0             0x8000000000000000ull
#define HPTE_R_TS              0x4000000000000000ull
#define HPTE_R_KEY_HI          0x3000000000000000ull
#define HPTE_R_3_0_SSIZE_SHIFT 58 /* ISA 3.0 format only */
#define HPTE_R_3_0_SSIZE_MASK  0x0c00000000000000ull
#define HPTE_R_RPN             0x0ffffffffffff000ull /* old format */
#define HPTE_R_RPN_3_0         0x01fffffffffff000ull
#define HPTE_R_LP_SHIFT        12
#define HPTE_R_KEY_LO          0x0000000000000e00ull
#define HPTE_R_R               0x0000000000000100ull
#define HPTE_R_C               0x0000000000000080ull
#define HPTE_R_WIMG            0x0000000000000078ull
#define HPTE_R_W               0x0000000000000040ull
#define HPTE_R_I               0x0000000000000020ull
#define HPTE_R_M               0x0000000000000010ull
#define HPTE_R_G               0x0000000000000008ull
#define HPTE_R_N               0x0000000000000004ull
#define HPTE_R_PP              0x0000000000000003ull

#define HPTES_PER_GROUP 8
#define HPT_MIN_SHIFT   18
#define HPT_MAX_SHIFT   46 /* HTABSIZE is 5 bits: log2(bytes) - 18 <= 28 */

#define VRMA_VSID 0x1ffffffull
#define VRMA_SLOT 7 /* slot of each VRMA PTEG used, as KVM */

#define LPCR_VRMASD_SH 47
#define LPCR_VRMASD    (0x1full << LPCR_VRMASD_SH)

/* The H_ENTER flags accepted; any other bit is H_PARAMETER. */
#define HPT_H_ENTER_FLAGS (H_EXACT | H_ZERO_PAGE | H_ICACHE_INVALIDATE | H_ICACHE_SYNCHRONIZE | H_COALESCE_CAND)

/* Big-endian doubleword access to the table: single 8-byte loads/stores
 * (hardware updates R/C concurrently), byte-swapped on a little-endian host. */
static inline uint64_t hpt_ld(const uint64_t *p)
{
	uint64_t v = __atomic_load_n(p, __ATOMIC_RELAXED);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return v;
#else
	return __builtin_bswap64(v);
#endif
}

static inline void hpt_st_raw(uint64_t *p, uint64_t v)
{
#if __BYTE_ORDER__ != __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

/* Every change of an entry by the hypervisor goes through here, so gen
 * says whether anything a lookup found may have changed since. */
static inline void hpt_st(struct hpt *h, uint64_t *p, uint64_t v)
{
	h->gen++;
	hpt_st_raw(p, v);
}

/* Old (guest) <-> ISA 3.0 (table) format. */
static inline uint64_t hpt_old_to_new_v(uint64_t v)
{
	return v & HPTE_V_COMMON_BITS;
}

static inline uint64_t hpt_old_to_new_r(uint64_t v, uint64_t r)
{
	return (r & ~HPTE_R_3_0_SSIZE_MASK) | ((v >> HPTE_V_SSIZE_SHIFT) << HPTE_R_3_0_SSIZE_SHIFT);
}

static inline uint64_t hpt_new_to_old_v(uint64_t v, uint64_t r)
{
	return (v & HPTE_V_COMMON_BITS) |
	       ((r & HPTE_R_3_0_SSIZE_MASK) << (HPTE_V_SSIZE_SHIFT - HPTE_R_3_0_SSIZE_SHIFT));
}

static inline uint64_t hpt_new_to_old_r(uint64_t r)
{
	return r & ~HPTE_R_3_0_SSIZE_MASK;
}

static inline bool hpt_is_hv_owned(const struct hpt *h, uint64_t ptex)
{
	return (h->hv_owned[ptex >> 3] >> (ptex & 7)) & 1;
}

/* Returns 0, or -1 (shift outside 18..46, table not aligned to its size,
 * host_ram_base not 16 MiB aligned, RAM empty or beyond 2^57). Clears the
 * hooks: set them after. */
int hpt_init(struct hpt *h, void *table, unsigned int shift, uint8_t *hv_owned_bitmap, uint64_t ram_size,
	     uint64_t host_ram_base); /* zeroes table+bitmap */
/* Maps guest real [0, rma_size) through the VRMA (VSID 0x1ffffff, 1 TB
 * segment, base = actual = page_shift), one bolted entry per page in slot 7 of
 * its primary PTEG, and marks those slots hypervisor-owned. H_PARAMETER: bad
 * page_shift, rma_size 0, not a multiple of the page, beyond RAM or 1 TB, or
 * more pages than PTEGs. H_PTEG_FULL: a target slot is in use (nothing is
 * written then). Call before the guest runs. */
long hpt_install_vrma(struct hpt *h, uint64_t rma_size,
		      unsigned int page_shift); /* 12, 16 or 24; returns H_SUCCESS or an error */
/* For page_shift 12, 16, 24; UINT64_MAX for any other. */
uint64_t hpt_vrma_ps_bits(
	unsigned int
		page_shift); /* partition-table dw0 PS bits (KVM: ((slb_v & SLB_VSID_L) >> 1) | ((slb_v & SLB_VSID_LP) << 1)) */
uint64_t hpt_vrma_lpcr_vrmasd(unsigned int page_shift); /* LPCR VRMASD field value, already shifted into place */
/* Declares a range beyond RAM (host 0: emulated): 4 KiB aligned, not
 * overlapping RAM or another range of the same kind; -1 if not (or full). */
int hpt_add_range(struct hpt *h, uint64_t gpa, uint64_t size, uint64_t host, bool read_only);
/* Withdraws the range at gpa of that kind, mapped or emulated (a mapped
 * range may start where the emulated one around it does): a mapped range's valid
 * entries become absent (keeping their guest-real address), so the next
 * access faults and is resolved against the ranges then declared. */
void hpt_remove_range(struct hpt *h, uint64_t gpa, bool mapped);
/* An absent entry whose page is now in a mapped range (a BAR was enabled or
 * moved there) becomes a valid entry for that memory; false if it is not. */
bool hpt_make_present(struct hpt *h, uint64_t ptex);
/* The guest's view (old format, guest-real RPN) of a valid or absent
 * entry's doubleword 1 as the table holds it. */
uint64_t hpt_guest_r(const struct hpt *h, uint64_t v_raw, uint64_t r_raw);
/* The range holding [gpa, gpa + size), mapped ones first; NULL if none or
 * if the span is partly in a mapped range. */
const struct hpt_range *hpt_range_of(const struct hpt *h, uint64_t gpa, uint64_t size);
/* H_ENTER. The page preparation its flags ask for (H_ZERO_PAGE,
 * H_ICACHE_*) is the caller's: hpt_h_enter_page() checks the same request
 * and gives the page's host range for it (hv/mm/page_prep.h). */
long hpt_h_enter(struct hpt *h, uint64_t flags, uint64_t ptex, uint64_t pteh, uint64_t ptel, uint64_t *slot_out);
long hpt_h_enter_page(const struct hpt *h, uint64_t flags, uint64_t ptex, uint64_t pteh, uint64_t ptel, uint64_t *host,
		      uint64_t *size);
long hpt_h_remove(struct hpt *h, uint64_t flags, uint64_t ptex, uint64_t avpn, uint64_t *old_pteh, uint64_t *old_ptel);
long hpt_h_protect(struct hpt *h, uint64_t flags, uint64_t ptex, uint64_t avpn);
long hpt_h_read(struct hpt *h, uint64_t flags, uint64_t ptex,
		uint64_t out[8]);                        /* out[0..1] or out[0..7] with H_READ_4 */
long hpt_h_bulk_remove(struct hpt *h, uint64_t args[8]); /* in/out: the guest's r4..r11 */
long hpt_h_clear_ref(struct hpt *h, uint64_t flags, uint64_t ptex, uint64_t *old_ptel);
long hpt_h_clear_mod(struct hpt *h, uint64_t flags, uint64_t ptex, uint64_t *old_ptel);

/* Helpers, exported for tests and the fault path. Both take the OLD format. */
/* Index into hv_page_sizes[] of an HPTE's (base, actual) size; -1 if the
 * L/LP combination is not one we offer (decoded as QEMU's
 * ppc_hash64_hpte_page_shift_noslb). */
int hpt_page_size_index(uint64_t v, uint64_t r);
/* tlbie RB for an entry at ptex (Linux kvm_book3s_64.h compute_tlbie_rb). */
uint64_t hpt_tlbie_rb(uint64_t v, uint64_t r, uint64_t ptex);

#endif
