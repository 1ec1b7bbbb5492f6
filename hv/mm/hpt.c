/*
 * Guest hashed page table engine: see hpt.h for formats, invariants and
 * locking. Semantics follow QEMU's pseries (hw/ppc/spapr_softmmu.c) and KVM
 * HV (arch/powerpc/kvm/book3s_hv_rm_mmu.c) on POWER9; where they differ, the
 * choice is noted.
 */
#include <stddef.h>
#include <string.h>
#include "papr.h"
#include "hv/mm/hpt.h"

/*
 * LP value (doubleword 1 bits 12..19, L = 1) -> 1 + row of hv_page_sizes[]
 * it encodes, 0 for none. Built from hv_page_sizes by matching the low
 * min(actual_shift - 12, 8) bits against penc, first match in table order as
 * QEMU's ppc_hash64_hpte_page_shift_noslb scans; the unit test rebuilds it
 * from the table to check it. Bits above LP (up to the actual page size) are
 * checked separately against penc, as QEMU's mask does.
 */
/* One row per 16 LP values. */
/* clang-format off */
static const uint8_t lp_decode[256] = {
	6, 4, 0, 0, 0, 0, 0, 2, 5, 0, 0, 0, 0, 0, 0, 0,
	0, 4, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 4, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 4, 0, 0, 0, 0, 0, 2, 3, 0, 0, 0, 0, 0, 0, 0,
	0, 4, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 4, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 4, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 4, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 4, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 4, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 4, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 4, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 4, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 4, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 4, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 4, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
};
/* clang-format on */

/* Bits of doubleword 1 H_PROTECT may change (QEMU h_protect). */
#define PROTECT_MASK (HPTE_R_PP0 | HPTE_R_PP | HPTE_R_N | HPTE_R_KEY_HI | HPTE_R_KEY_LO)

static inline uint64_t *hpte_ptr(const struct hpt *h, uint64_t ptex)
{
	return h->table + 2 * ptex;
}

static inline void write_barrier(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static inline void sync_ptes(const struct hpt *h)
{
	if (h->ptesync)
		h->ptesync(h->ctx);
	else
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* v, r in the old format; the entry must already be not valid in the table. */
static inline void invalidate(const struct hpt *h, uint64_t v, uint64_t r, uint64_t ptex)
{
	if (h->tlb_invalidate)
		h->tlb_invalidate(h->ctx, hpt_tlbie_rb(v, r, ptex));
}

/* Table doubleword 1 -> the guest's view: old format, guest-real RPN. An
 * absent entry holds the guest-real RPN already; a valid one a host RPN in
 * RAM or in a mapped range (the page is aligned in both, so the LP bits
 * below the page size stay as they are). */
static inline __attribute__((always_inline)) uint64_t guest_r(const struct hpt *h, uint64_t v_raw, uint64_t r_raw)
{
	uint64_t r = hpt_new_to_old_r(r_raw);
	if (v_raw & HPTE_V_ABSENT)
		return r;
	uint64_t host = r & HPTE_R_RPN_3_0;
	if (host - h->host_ram_base < h->ram_size)
		return (r & ~HPTE_R_RPN_3_0) | (host - h->host_ram_base);
	for (unsigned int i = 0; i < h->nranges; i++) {
		const struct hpt_range *g = &h->ranges[i];
		if (g->host && host - g->host < g->size)
			return (r & ~HPTE_R_RPN_3_0) | (host - g->host + g->gpa);
	}
	return r; /* not reached: valid entries map RAM or a mapped range */
}

uint64_t hpt_guest_r(const struct hpt *h, uint64_t v_raw, uint64_t r_raw)
{
	return guest_r(h, v_raw, r_raw);
}

/* A valid entry's mapped range, or NULL (RAM). */
static const struct hpt_range *mapped_range_of_host(const struct hpt *h, uint64_t r_raw)
{
	uint64_t host = r_raw & HPTE_R_RPN_3_0;
	if (host - h->host_ram_base < h->ram_size)
		return NULL;
	for (unsigned int i = 0; i < h->nranges; i++)
		if (h->ranges[i].host && host - h->ranges[i].host < h->ranges[i].size)
			return &h->ranges[i];
	return NULL;
}

/* PP for a read-only mapped range: read-only for either key. */
static uint64_t force_read_only(uint64_t r)
{
	return (r & ~(HPTE_R_PP0 | HPTE_R_PP)) | 3;
}

/* Whether PP lets either key store: all but 011, 110 and 100 (no access). */
static bool pp_writable(uint64_t r)
{
	uint64_t pp = r & HPTE_R_PP;
	return (r & HPTE_R_PP0) ? (pp & 1) != 0 : pp != 3;
}

int hpt_page_size_index(uint64_t v, uint64_t r)
{
	if (!(v & HPTE_V_LARGE))
		return HV_PS_4K;
	unsigned int e = lp_decode[(r >> HPTE_R_LP_SHIFT) & 0xff];
	if (!e)
		return -1;
	const struct hv_page_size *ps = &hv_page_sizes[e - 1];
	uint64_t mask = ((1ull << ps->actual_shift) - 1) & HPTE_R_RPN;
	if ((r & mask) != (uint64_t)ps->penc << HPTE_R_LP_SHIFT)
		return -1;
	return (int)e - 1;
}

uint64_t hpt_tlbie_rb(uint64_t v, uint64_t r, uint64_t ptex)
{
	unsigned int b = 12, a = 12;
	int i = hpt_page_size_index(v, r);

	if (i >= 0) {
		b = hv_page_sizes[i].base_shift;
		a = hv_page_sizes[i].actual_shift;
	}
	/* VA bits 23..63 come from the AVA (dropping B and the AVA bits above
	 * 64); the 11 bits below come back from the PTEG index by undoing the
	 * hash. */
	uint64_t rb = (v & ~0x7full) << 16;
	uint64_t va_low = ptex >> 3;
	if (v & HPTE_V_SECONDARY)
		va_low = ~va_low;
	va_low ^= (v & HPTE_V_1TB_SEG) ? v >> (40 - 16) : v >> (28 - 16);
	va_low &= 0x7ff;

	if (b == 12) {
		if (a > 12) {
			/* AP: the actual size's SLB L||LP as 3 bits. */
			unsigned int enc = (unsigned int)hv_page_size_slb_enc(a);
			rb |= (uint64_t)(((enc & SLB_VSID_L) >> 6) | ((enc & SLB_VSID_LP) >> 4)) << 5;
		}
		rb |= va_low << 12;
	} else {
		rb |= (va_low << b) & 0x7ff000;
		rb &= ~((1ull << a) - 1);
		rb |= (va_low << (b - 12)) & 0xfe;     /* AVAL */
		rb |= 1;                               /* L */
		rb |= r & 0xff000 & ((1ull << a) - 1); /* LP */
	}
	rb |= (v >> HPTE_V_SSIZE_SHIFT) << 8; /* B */
	return rb;
}

int hpt_init(struct hpt *h, void *table, unsigned int shift, uint8_t *hv_owned_bitmap, uint64_t ram_size,
	     uint64_t host_ram_base)
{
	if (shift < HPT_MIN_SHIFT || shift > HPT_MAX_SHIFT || !table || !hv_owned_bitmap)
		return -1;
	uint64_t bytes = 1ull << shift;
	if ((uintptr_t)table & (bytes - 1))
		return -1;
	if (host_ram_base & ((1ull << 24) - 1))
		return -1;
	/* Every host real page number must fit the ISA 3.0 RPN field. */
	if (ram_size < 4096 || ram_size > (1ull << 57) || host_ram_base > (1ull << 57) - ram_size)
		return -1;

	uint64_t gen = h->gen; /* never repeats, so nothing cached before a reset matches after it */
	memset(h, 0, sizeof(*h));
	h->gen = gen + 1;
	h->table = table;
	h->shift = shift;
	h->nptes = bytes >> 4;
	h->hash_mask = (bytes >> 7) - 1;
	h->ram_size = ram_size;
	h->host_ram_base = host_ram_base;
	h->hv_owned = hv_owned_bitmap;
	memset(table, 0, (size_t)bytes);
	memset(hv_owned_bitmap, 0, (size_t)(h->nptes / 8));
	return 0;
}

long hpt_install_vrma(struct hpt *h, uint64_t rma_size, unsigned int page_shift)
{
	unsigned int row;

	switch (page_shift) {
	case 12:
		row = HV_PS_4K;
		break;
	case 16:
		row = HV_PS_64K;
		break;
	case 24:
		row = HV_PS_16M;
		break;
	default:
		return H_PARAMETER;
	}
	uint64_t psize = 1ull << page_shift;
	if (!rma_size || (rma_size & (psize - 1)) || rma_size > h->ram_size || rma_size > (1ull << 40))
		return H_PARAMETER;
	uint64_t npages = rma_size >> page_shift;
	if (npages > h->hash_mask + 1) /* one entry per PTEG */
		return H_PARAMETER;

	const uint64_t vsid_hash = VRMA_VSID ^ (VRMA_VSID << 25);
	uint64_t i;
	for (i = 0; i < npages; i++) {
		uint64_t ptex = (((i ^ vsid_hash) & h->hash_mask) << 3) + VRMA_SLOT;
		if (hpt_is_hv_owned(h, ptex) || (hpt_ld(hpte_ptr(h, ptex)) & (HPTE_V_VALID | HPTE_V_ABSENT)))
			return H_PTEG_FULL;
	}

	uint64_t v0 = HPTE_V_1TB_SEG | (VRMA_VSID << (40 - 16)) | HPTE_V_BOLTED | HPTE_V_VALID |
		      (page_shift > 12 ? HPTE_V_LARGE : 0);
	uint64_t r0 = ((uint64_t)hv_page_sizes[row].penc << HPTE_R_LP_SHIFT) | HPTE_R_R | HPTE_R_C |
		      HPTE_R_M; /* PP = 00: supervisor RW */
	for (i = 0; i < npages; i++) {
		uint64_t ptex = (((i ^ vsid_hash) & h->hash_mask) << 3) + VRMA_SLOT;
		uint64_t addr = i << page_shift;
		uint64_t v = v0 | ((addr >> 16) & ~0x7full);
		uint64_t r = r0 | (h->host_ram_base + addr);
		uint64_t *p = hpte_ptr(h, ptex);
		h->hv_owned[ptex >> 3] |= (uint8_t)(1u << (ptex & 7));
		hpt_st(h, p + 1, hpt_old_to_new_r(v, r));
		write_barrier();
		hpt_st(h, p, hpt_old_to_new_v(v));
	}
	sync_ptes(h);
	return H_SUCCESS;
}

uint64_t hpt_vrma_ps_bits(unsigned int page_shift)
{
	int enc = hv_page_size_slb_enc(page_shift);

	if (enc < 0)
		return UINT64_MAX;
	return (((uint64_t)enc & SLB_VSID_L) >> 1) | (((uint64_t)enc & SLB_VSID_LP) << 1);
}

uint64_t hpt_vrma_lpcr_vrmasd(unsigned int page_shift)
{
	int enc = hv_page_size_slb_enc(page_shift);

	if (enc < 0)
		return UINT64_MAX;
	return ((uint64_t)enc >> 4) << LPCR_VRMASD_SH;
}

/* H_ENTER's checks: the flags, the entry, the page (guest RAM) and a free
 * slot, which goes to *ptex. */
static inline __attribute__((always_inline)) long enter_check(const struct hpt *h, uint64_t flags, uint64_t *ptex,
							      uint64_t pteh, uint64_t ptel, uint64_t *gpa_out,
							      uint64_t *psize_out, const struct hpt_range **range_out)
{
	/* QEMU and KVM ignore unknown flags; we refuse them. */
	if (flags & ~HPT_H_ENTER_FLAGS)
		return H_PARAMETER;
	if (*ptex >= h->nptes)
		return H_PARAMETER;
	/* B = 0b1x is reserved (KVM refuses it: it would reach tlbie RB). */
	if (pteh & (2ull << HPTE_V_SSIZE_SHIFT))
		return H_PARAMETER;
	int ps = hpt_page_size_index(pteh, ptel);
	if (ps < 0)
		return H_PARAMETER;
	uint64_t psize = 1ull << hv_page_sizes[ps].actual_shift;
	uint64_t gpa = ptel & HPTE_R_RPN & ~(psize - 1);
	const struct hpt_range *range = NULL;
	if (gpa < h->ram_size) {
		/* RAM: cacheable and coherent, WIMG = 0010, and all of it RAM. */
		if ((ptel & HPTE_R_WIMG) != HPTE_R_M || h->ram_size - gpa < psize)
			return H_PARAMETER;
	} else {
		/* A declared range, cache-inhibited (I, not W), as QEMU pseries
		 * wants it; a mapped page must be aligned in host memory too. */
		range = hpt_range_of(h, gpa, psize);
		if (!range || (ptel & (HPTE_R_I | HPTE_R_W)) != HPTE_R_I)
			return H_PARAMETER;
		if (range->host && ((range->host + (gpa - range->gpa)) & (psize - 1)))
			return H_PARAMETER;
		/* A writable mapping of read-only memory is refused rather than
		 * quietly downgraded: Linux would retry the store forever; refused,
		 * its process gets SIGBUS. */
		if (range->host && range->read_only && pp_writable(ptel))
			return H_PARAMETER;
	}

	/* The 8 slots of a group share one byte of the ownership bitmap. */
	unsigned int owned = h->hv_owned[*ptex >> 3];
	if (!(flags & H_EXACT)) {
		uint64_t group = *ptex & ~7ull;
		const uint64_t *p = hpte_ptr(h, group);
		unsigned int i;
		for (i = 0; i < HPTES_PER_GROUP; i++, p += 2)
			if (!((owned >> i) & 1) && !(hpt_ld(p) & (HPTE_V_VALID | HPTE_V_ABSENT)))
				break;
		if (i == HPTES_PER_GROUP)
			return H_PTEG_FULL;
		*ptex = group + i;
	} else if (((owned >> (*ptex & 7)) & 1) || (hpt_ld(hpte_ptr(h, *ptex)) & (HPTE_V_VALID | HPTE_V_ABSENT))) {
		return H_PTEG_FULL;
	}
	*gpa_out = gpa;
	*psize_out = psize;
	*range_out = range;
	return H_SUCCESS;
}

long hpt_h_enter_page(const struct hpt *h, uint64_t flags, uint64_t ptex, uint64_t pteh, uint64_t ptel, uint64_t *host,
		      uint64_t *size)
{
	uint64_t gpa;
	const struct hpt_range *range;
	long rc = enter_check(h, flags, &ptex, pteh, ptel, &gpa, size, &range);
	if (rc != H_SUCCESS)
		return rc;
	if (range && !range->host) { /* device registers: nothing to prepare */
		*host = 0;
		*size = 0;
	} else {
		*host = range ? range->host + (gpa - range->gpa) : h->host_ram_base + gpa;
	}
	return H_SUCCESS;
}

long hpt_h_enter(struct hpt *h, uint64_t flags, uint64_t ptex, uint64_t pteh, uint64_t ptel, uint64_t *slot_out)
{
	uint64_t gpa, psize;
	const struct hpt_range *range;
	long rc = enter_check(h, flags, &ptex, pteh, ptel, &gpa, &psize, &range);
	if (rc != H_SUCCESS)
		return rc;

	/* Guest software bits, bolted, L, H, AVA kept; the two bits QEMU and KVM
	 * reserve for themselves cleared; V forced (KVM). In doubleword 1 the
	 * bits below the page size (PP, N, WIMG, C, R, key, LP), key bits 0:1
	 * and pp0 are kept; TS and the guest RPN are replaced. */
	uint64_t v = (pteh & ~(HPTE_V_HVLOCK | HPTE_V_ABSENT)) | HPTE_V_VALID;
	uint64_t r = ptel & (HPTE_R_PP0 | HPTE_R_KEY_HI | (psize - 1));
	if (!range) {
		r |= h->host_ram_base + gpa;
	} else if (range->host) {
		/* Memory: cacheable whatever the guest asked (KVM does the same),
		 * since the same memory is mapped cacheable elsewhere. */
		r = (r & ~HPTE_R_WIMG) | HPTE_R_M | (range->host + (gpa - range->gpa));
	} else {
		r |= gpa;
		v = (v & ~HPTE_V_VALID) | HPTE_V_ABSENT;
	}
	uint64_t *p = hpte_ptr(h, ptex);
	hpt_st(h, p + 1, hpt_old_to_new_r(v, r));
	write_barrier();
	hpt_st(h, p, hpt_old_to_new_v(v));
	sync_ptes(h);
	*slot_out = ptex;
	return H_SUCCESS;
}

/* A valid guest-owned entry at ptex (range-checked by the caller), or NULL:
 * a slot the guest cannot see is "not found" to every hcall. */
static uint64_t *guest_entry(struct hpt *h, uint64_t ptex, uint64_t *v_raw)
{
	if (hpt_is_hv_owned(h, ptex))
		return NULL;
	uint64_t *p = hpte_ptr(h, ptex);
	*v_raw = hpt_ld(p);
	return (*v_raw & (HPTE_V_VALID | HPTE_V_ABSENT)) ? p : NULL;
}

/* The guest's view of doubleword 0: valid, the absent bit hidden. */
static uint64_t guest_v(uint64_t v_raw, uint64_t r_raw)
{
	return (hpt_new_to_old_v(v_raw, r_raw) & ~HPTE_V_ABSENT) | HPTE_V_VALID;
}

/* Removes a guest entry if it matches; ptex already range-checked. Returns
 * true with the old entry (guest view, final R/C) in *vp, *rp. */
static bool remove_one(struct hpt *h, uint64_t ptex, uint64_t flags, uint64_t avpn, uint64_t *vp, uint64_t *rp)
{
	uint64_t v_raw, *p = guest_entry(h, ptex, &v_raw);
	if (!p)
		return false;
	uint64_t r_raw = hpt_ld(p + 1);
	uint64_t v = guest_v(v_raw, r_raw);
	if (((flags & H_AVPN) && (v & ~0x7full) != avpn) || ((flags & H_ANDCOND) && (v & avpn) != 0))
		return false;

	hpt_st(h, p, 0);
	if (v_raw & HPTE_V_VALID) /* an absent entry was never in a TLB */
		invalidate(h, v, hpt_new_to_old_r(r_raw), ptex);
	/* R and C are final only once the invalidation completed (KVM). */
	r_raw = hpt_ld(p + 1);
	hpt_st(h, p + 1, 0);
	*vp = v;
	*rp = guest_r(h, v_raw, r_raw);
	return true;
}

long hpt_h_remove(struct hpt *h, uint64_t flags, uint64_t ptex, uint64_t avpn, uint64_t *old_pteh, uint64_t *old_ptel)
{
	if (ptex >= h->nptes)
		return H_PARAMETER;
	if (!remove_one(h, ptex, flags, avpn, old_pteh, old_ptel))
		return H_NOT_FOUND;
	return H_SUCCESS;
}

long hpt_h_bulk_remove(struct hpt *h, uint64_t args[8])
{
	unsigned int i;

	for (i = 0; i < H_BULK_REMOVE_MAX_BATCH; i++) {
		uint64_t tsh = args[2 * i], tsl = args[2 * i + 1];
		uint64_t type = tsh & H_BULK_REMOVE_TYPE;
		if (type == H_BULK_REMOVE_END)
			break;
		uint64_t fl = tsh & H_BULK_REMOVE_FLAGS;
		uint64_t ptex = tsh & H_BULK_REMOVE_PTEX;
		uint64_t resp = H_BULK_REMOVE_RESPONSE | fl | ptex;
		/* A malformed request gets a PARM response and ends the call
		 * (KVM; QEMU returns without a response for a bad type). */
		if (type != H_BULK_REMOVE_REQUEST || fl == (H_BULK_REMOVE_ANDCOND | H_BULK_REMOVE_AVPN) ||
		    ptex >= h->nptes) {
			args[2 * i] = resp | H_BULK_REMOVE_PARM;
			return H_PARAMETER;
		}
		uint64_t v, r;
		/* The request flags map onto H_ANDCOND / H_AVPN. */
		if (remove_one(h, ptex, fl >> 26, tsl, &v, &r))
			resp |= H_BULK_REMOVE_SUCCESS | ((r & (HPTE_R_R | HPTE_R_C)) << 51);
		else
			resp |= H_BULK_REMOVE_NOT_FOUND;
		args[2 * i] = resp;
	}
	return H_SUCCESS;
}

long hpt_h_protect(struct hpt *h, uint64_t flags, uint64_t ptex, uint64_t avpn)
{
	if (ptex >= h->nptes)
		return H_PARAMETER;
	uint64_t v_raw, *p = guest_entry(h, ptex, &v_raw);
	if (!p)
		return H_NOT_FOUND;
	uint64_t r_raw = hpt_ld(p + 1);
	uint64_t v = guest_v(v_raw, r_raw);
	if ((flags & H_AVPN) && (v & ~0x7full) != avpn)
		return H_NOT_FOUND;

	uint64_t bits = ((flags << 55) & HPTE_R_PP0) | ((flags << 48) & HPTE_R_KEY_HI) |
			(flags & (HPTE_R_PP | HPTE_R_N | HPTE_R_KEY_LO));
	uint64_t r_new = (r_raw & ~PROTECT_MASK) | bits;
	if (v_raw & HPTE_V_ABSENT) { /* not in the hardware's view: just store */
		hpt_st(h, p + 1, r_new);
		return H_SUCCESS;
	}
	const struct hpt_range *range = mapped_range_of_host(h, r_raw);
	if (range && range->read_only && pp_writable(r_new)) {
		/* Not writable, ever: the entry goes (as H_REMOVE), so the guest
		 * enters it again and gets H_ENTER's refusal (Linux's updatepp
		 * treats H_NOT_FOUND so; any other error is a BUG_ON there). */
		uint64_t old_v, old_r;
		remove_one(h, ptex, 0, 0, &old_v, &old_r);
		sync_ptes(h);
		return H_NOT_FOUND;
	}
	if (r_new == r_raw) /* nothing changes: no invalidation (KVM) */
		return H_SUCCESS;

	hpt_st(h, p, v_raw & ~HPTE_V_VALID);
	invalidate(h, v, hpt_new_to_old_r(r_new), ptex);
	/* Keep R/C the hardware set until the invalidation completed. */
	r_new |= hpt_ld(p + 1) & (HPTE_R_R | HPTE_R_C);
	hpt_st(h, p + 1, r_new);
	write_barrier();
	hpt_st(h, p, v_raw);
	sync_ptes(h);
	return H_SUCCESS;
}

long hpt_h_read(struct hpt *h, uint64_t flags, uint64_t ptex, uint64_t out[8])
{
	unsigned int i, n = 1;

	if (ptex >= h->nptes)
		return H_PARAMETER;
	if (flags & H_READ_4) {
		ptex &= ~3ull;
		n = 4;
	}
	for (i = 0; i < n; i++, ptex++) {
		const uint64_t *p = hpte_ptr(h, ptex);
		uint64_t v_raw = hpt_ld(p);
		if (hpt_is_hv_owned(h, ptex) || !(v_raw & (HPTE_V_VALID | HPTE_V_ABSENT))) {
			out[2 * i] = 0;
			out[2 * i + 1] = 0;
			continue;
		}
		uint64_t r_raw = hpt_ld(p + 1);
		out[2 * i] = guest_v(v_raw, r_raw);
		out[2 * i + 1] = guest_r(h, v_raw, r_raw);
	}
	return H_SUCCESS;
}

long hpt_h_clear_ref(struct hpt *h, uint64_t flags, uint64_t ptex, uint64_t *old_ptel)
{
	(void)flags;
	if (ptex >= h->nptes)
		return H_PARAMETER;
	uint64_t v_raw, *p = guest_entry(h, ptex, &v_raw);
	if (!p)
		return H_NOT_FOUND;
	uint64_t r_raw = hpt_ld(p + 1);
	if ((r_raw & HPTE_R_R) && (v_raw & HPTE_V_ABSENT)) {
		hpt_st(h, p + 1, r_raw & ~HPTE_R_R);
	} else if (r_raw & HPTE_R_R) {
		/* Store only the byte holding R (big-endian byte 14 of the entry),
		 * so a C bit the hardware sets meanwhile is not lost (KVM); then
		 * drop the TLB entry, which may remember R as set. */
		uint8_t *rbyte = (uint8_t *)p + 14;
		__atomic_store_n(rbyte, (uint8_t)((r_raw & ~HPTE_R_R) >> 8), __ATOMIC_RELAXED);
		invalidate(h, hpt_new_to_old_v(v_raw, r_raw), hpt_new_to_old_r(r_raw), ptex);
	}
	*old_ptel = guest_r(h, v_raw, r_raw);
	return H_SUCCESS;
}

long hpt_h_clear_mod(struct hpt *h, uint64_t flags, uint64_t ptex, uint64_t *old_ptel)
{
	(void)flags;
	if (ptex >= h->nptes)
		return H_PARAMETER;
	uint64_t v_raw, *p = guest_entry(h, ptex, &v_raw);
	if (!p)
		return H_NOT_FOUND;
	uint64_t r_raw = hpt_ld(p + 1);
	if (v_raw & HPTE_V_ABSENT) {
		*old_ptel = guest_r(h, v_raw, r_raw);
		hpt_st(h, p + 1, r_raw & ~HPTE_R_C);
		return H_SUCCESS;
	}
	/* C is stable only with the entry invalid and out of every TLB (KVM
	 * does this whether or not C is set). */
	hpt_st(h, p, v_raw & ~HPTE_V_VALID);
	invalidate(h, hpt_new_to_old_v(v_raw, r_raw), hpt_new_to_old_r(r_raw), ptex);
	r_raw = hpt_ld(p + 1);
	*old_ptel = guest_r(h, v_raw, r_raw);
	if (r_raw & HPTE_R_C)
		hpt_st(h, p + 1, r_raw & ~HPTE_R_C);
	write_barrier();
	hpt_st(h, p, v_raw);
	sync_ptes(h);
	return H_SUCCESS;
}

const struct hpt_range *hpt_range_of(const struct hpt *h, uint64_t gpa, uint64_t size)
{
	const struct hpt_range *emulated = NULL;
	for (unsigned int i = 0; i < h->nranges; i++) {
		const struct hpt_range *g = &h->ranges[i];
		bool inside = gpa - g->gpa < g->size && g->size - (gpa - g->gpa) >= size;
		if (g->host && inside)
			return g;
		if (g->host && gpa < g->gpa + g->size && g->gpa < gpa + size)
			return NULL; /* partly memory, partly not: no page can be both */
		if (inside)
			emulated = g;
	}
	return emulated;
}

int hpt_add_range(struct hpt *h, uint64_t gpa, uint64_t size, uint64_t host, bool read_only)
{
	if (h->nranges == HPT_MAX_RANGES || !size || ((gpa | size | host) & 0xfff) || gpa < h->ram_size ||
	    gpa + size < gpa || gpa + size > (1ull << 57) || host + size < host || host + size > (1ull << 57))
		return -1;
	if (host && host < h->host_ram_base + h->ram_size && h->host_ram_base < host + size)
		return -1;
	for (unsigned int i = 0; i < h->nranges; i++) {
		const struct hpt_range *g = &h->ranges[i];
		if (!g->host == !host && gpa < g->gpa + g->size && g->gpa < gpa + size)
			return -1;
		if (host && g->host && host < g->host + g->size && g->host < host + size)
			return -1;
	}
	h->ranges[h->nranges++] = (struct hpt_range){ gpa, size, host, read_only };
	h->ranges_gen++;
	h->gen++;
	return 0;
}

void hpt_remove_range(struct hpt *h, uint64_t gpa, bool mapped)
{
	unsigned int i;
	for (i = 0; i < h->nranges && (h->ranges[i].gpa != gpa || !h->ranges[i].host != !mapped); i++)
		;
	if (i == h->nranges)
		return;
	const struct hpt_range *g = &h->ranges[i];
	if (g->host) {
		/* Its pages become absent, at their guest-real address. */
		for (uint64_t ptex = 0; ptex < h->nptes; ptex++) {
			uint64_t *p = hpte_ptr(h, ptex);
			uint64_t v_raw = hpt_ld(p);
			if (!(v_raw & HPTE_V_VALID) || hpt_is_hv_owned(h, ptex))
				continue;
			uint64_t r_raw = hpt_ld(p + 1);
			if (mapped_range_of_host(h, r_raw) != g)
				continue;
			uint64_t r = guest_r(h, v_raw, r_raw);
			hpt_st(h, p, (v_raw & ~HPTE_V_VALID) | HPTE_V_ABSENT);
			invalidate(h, hpt_new_to_old_v(v_raw, r_raw), hpt_new_to_old_r(r_raw), ptex);
			hpt_st(h, p + 1, hpt_old_to_new_r(hpt_new_to_old_v(v_raw, r_raw), r));
		}
		sync_ptes(h);
	}
	h->ranges[i] = h->ranges[--h->nranges];
	h->ranges_gen++;
	h->gen++;
}

bool hpt_make_present(struct hpt *h, uint64_t ptex)
{
	uint64_t *p = hpte_ptr(h, ptex);
	uint64_t v_raw = hpt_ld(p);
	if (!(v_raw & HPTE_V_ABSENT))
		return false;
	uint64_t r_raw = hpt_ld(p + 1);
	uint64_t v = hpt_new_to_old_v(v_raw, r_raw), r = hpt_new_to_old_r(r_raw);
	int ps = hpt_page_size_index(v, r);
	if (ps < 0)
		return false;
	uint64_t psize = 1ull << hv_page_sizes[ps].actual_shift;
	uint64_t gpa = r & HPTE_R_RPN & ~(psize - 1);
	const struct hpt_range *g = hpt_range_of(h, gpa, psize);
	if (!g || !g->host || ((g->host + (gpa - g->gpa)) & (psize - 1)))
		return false;
	r = (r & ~(HPTE_R_RPN & ~(psize - 1)) & ~HPTE_R_WIMG) | HPTE_R_M | (g->host + (gpa - g->gpa));
	if (g->read_only)
		r = force_read_only(r);
	hpt_st(h, p + 1, hpt_old_to_new_r(v, r));
	write_barrier();
	hpt_st(h, p, (v_raw & ~HPTE_V_ABSENT) | HPTE_V_VALID);
	sync_ptes(h);
	return true;
}
