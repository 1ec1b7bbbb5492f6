/* Pages beyond RAM (hv/mm/hpt.c ranges: emulated pages kept absent, mapped
 * ones forced cacheable and read-only where asked) and finding an entry as
 * the hardware's search does (hv/mm/hpt_lookup.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>
#include "papr.h"
#include "hv/mm/hpt.h"
#include "hv/mm/hpt_lookup.h"

#define MiB (1ull << 20)

#define SHIFT     18
#define NPTES     (1ull << (SHIFT - 4))
#define RAM       (256 * MiB)
#define HOST_BASE 0x40000000ull
#define MMIO      (1ull << 45)           /* an emulated window, as a PHB's */
#define SHM       (MMIO + 0x10000000ull) /* a mapped range inside it */
#define SHM_HOST  0x80000000ull

static struct hpt h;
static uint64_t *table;
static uint8_t bitmap[NPTES / 8];
static int ntlb;

static void tlb_hook(void *ctx, uint64_t rb)
{
	(void)ctx;
	(void)rb;
	ntlb++;
}

static int setup(void **state)
{
	(void)state;
	table = aligned_alloc(1ull << SHIFT, 1ull << SHIFT);
	if (!table || hpt_init(&h, table, SHIFT, bitmap, RAM, HOST_BASE))
		return -1;
	h.tlb_invalidate = tlb_hook;
	ntlb = 0;
	if (hpt_add_range(&h, MMIO, 1ull << 32, 0, false) || hpt_add_range(&h, SHM, 4 * MiB, SHM_HOST, false))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(table);
	return 0;
}

/* Guest-side encodings, as Linux builds them (256 MB segments unless tera). */
static const uint64_t seg_4k = 0, seg_64k = SLB_VSID_L | SLB_VSID_LP_01, seg_16m = SLB_VSID_L;

static uint64_t slb_v(uint64_t vsid, uint64_t seg, bool tera)
{
	return (tera ? SLB_VSID_B_1T | vsid << 24 : vsid << 12) | seg;
}

static uint64_t pteh_of(uint64_t vsid, uint64_t ea, unsigned int shift, bool tera)
{
	/* AVPN: VA >> 23 (the VA is wider than 64 bits in a 1 TB segment). */
	uint64_t off = ea & ((1ull << (tera ? 40 : 28)) - 1);
	uint64_t v = ((vsid << (tera ? 17 : 5)) | (off >> 23)) << 7 & HPTE_V_AVPN;
	if (shift == 24)
		v &= ~(1ull << 7);
	return v | (tera ? 1ull << 62 : 0) | (shift > 12 ? HPTE_V_LARGE : 0) | HPTE_V_VALID;
}

static uint64_t group_of(uint64_t vsid, uint64_t ea, unsigned int base, bool tera)
{
	uint64_t off = ea & ((1ull << (tera ? 40 : 28)) - 1);
	uint64_t hash = (tera ? vsid ^ (vsid << 25) : vsid) ^ (off >> base);
	return (hash & h.hash_mask) * 8;
}

/* LP of an actual size in a base size: 64K in 64K is 0x01, 16M in 16M 0x00, 16M in 64K 0x08. */
static uint64_t ptel_of(uint64_t ra, uint64_t lp, uint64_t wimg)
{
	return ra | lp << 12 | wimg | 0x2 /* PP: RW */;
}

static long enter(uint64_t flags, uint64_t ptex, uint64_t pteh, uint64_t ptel, uint64_t *slot)
{
	uint64_t s;
	long rc = hpt_h_enter(&h, flags, ptex, pteh, ptel, &s);
	if (slot)
		*slot = s;
	return rc;
}

static uint64_t raw(uint64_t ptex, int dw)
{
	return hpt_ld(table + 2 * ptex + dw);
}

#define IG (HPTE_R_I | HPTE_R_G)

static void ram_page_is_found_valid(void **state)
{
	(void)state;
	const uint64_t vsid = 0x123, ea = 0x5000;
	uint64_t slot;
	assert_int_equal(enter(0, group_of(vsid, ea, 12, false), pteh_of(vsid, ea, 12, false),
			       ptel_of(0x800000, 0, HPTE_R_M), &slot),
			 H_SUCCESS);
	struct hpt_match m;
	assert_true(hpt_lookup(&h, slb_v(vsid, seg_4k, false), ea + 0x123, &m));
	assert_int_equal(m.ptex, slot);
	assert_false(m.absent);
	assert_int_equal(m.shift, 12);
	assert_int_equal(m.gpa, 0x800123);
	assert_int_equal(m.host, HOST_BASE + 0x800123);
	/* Another page of the segment, another segment: not found. */
	assert_false(hpt_lookup(&h, slb_v(vsid, seg_4k, false), ea + 0x1000, &m));
	assert_false(hpt_lookup(&h, slb_v(vsid + 1, seg_4k, false), ea, &m));
	/* The same entry through a 64K-base segment: another base size, no match. */
	assert_false(hpt_lookup(&h, slb_v(vsid, seg_64k, false), ea, &m));
}

static void emulated_page_is_absent_to_the_hardware(void **state)
{
	(void)state;
	const uint64_t vsid = 0x456, ea = 0xd000;
	uint64_t slot, out[8];
	uint64_t pteh = pteh_of(vsid, ea, 12, false), ptel = ptel_of(MMIO + 0x3000, 0, IG);
	assert_int_equal(enter(0, group_of(vsid, ea, 12, false), pteh, ptel, &slot), H_SUCCESS);
	/* In the table: not valid, absent, the guest-real RPN. */
	assert_int_equal(raw(slot, 0) & (HPTE_V_VALID | HPTE_V_ABSENT), HPTE_V_ABSENT);
	assert_int_equal(raw(slot, 1) & HPTE_R_RPN_3_0, MMIO + 0x3000);
	/* To the guest: an ordinary valid entry. */
	assert_int_equal(hpt_h_read(&h, 0, slot, out), H_SUCCESS);
	assert_int_equal(out[0], pteh);
	assert_int_equal(out[1], ptel);
	struct hpt_match m;
	assert_true(hpt_lookup(&h, slb_v(vsid, seg_4k, false), ea + 0x44, &m));
	assert_true(m.absent);
	assert_int_equal(m.gpa, MMIO + 0x3044);
	assert_int_equal(m.host, 0);
	/* Nothing to zero there. */
	uint64_t host = 1, size = 1;
	assert_int_equal(hpt_h_enter_page(&h, H_ZERO_PAGE, group_of(vsid, ea, 12, false), pteh, ptel, &host, &size),
			 H_SUCCESS);
	assert_int_equal(size, 0);
	/* Protect, clear R/C, remove: like any entry, no tlbie needed. */
	assert_int_equal(hpt_h_protect(&h, 0x1, slot, 0), H_SUCCESS); /* PP = 1 */
	assert_int_equal(hpt_h_read(&h, 0, slot, out), H_SUCCESS);
	assert_int_equal(out[1] & HPTE_R_PP, 1);
	assert_int_equal(raw(slot, 0) & HPTE_V_VALID, 0);
	assert_int_equal(hpt_h_clear_ref(&h, 0, slot, &out[2]), H_SUCCESS);
	assert_int_equal(hpt_h_clear_mod(&h, 0, slot, &out[2]), H_SUCCESS);
	assert_int_equal(hpt_h_remove(&h, 0, slot, 0, &out[0], &out[1]), H_SUCCESS);
	assert_int_equal(out[0], pteh);
	assert_int_equal(ntlb, 0);
	assert_int_equal(raw(slot, 0) | raw(slot, 1), 0);
}

static void pages_beyond_ram_are_checked(void **state)
{
	(void)state;
	const uint64_t vsid = 0x789, ea = 0x1000, g = group_of(vsid, ea, 12, false), v = pteh_of(vsid, ea, 12, false);
	assert_int_equal(enter(0, g, v, ptel_of(MMIO, 0, HPTE_R_M), NULL), H_PARAMETER);            /* cacheable */
	assert_int_equal(enter(0, g, v, ptel_of(MMIO, 0, HPTE_R_W | HPTE_R_I), NULL), H_PARAMETER); /* W|I */
	assert_int_equal(enter(0, g, v, ptel_of(MMIO - 0x1000, 0, IG), NULL), H_PARAMETER);         /* outside */
	assert_int_equal(enter(0, g, v, ptel_of(MMIO + (1ull << 32), 0, IG), NULL), H_PARAMETER);
	assert_int_equal(enter(0, g, v, ptel_of(RAM, 0, IG), NULL), H_PARAMETER);
	assert_int_equal(enter(0, g, v, ptel_of(0x1000, 0, IG), NULL), H_PARAMETER);   /* RAM, inhibited */
	assert_int_equal(enter(0, g, v, ptel_of(MMIO, 0, HPTE_R_I), NULL), H_SUCCESS); /* I alone (ioremap_wc) */
	/* A 16M page across the end of the mapped range. */
	uint64_t v16 = pteh_of(vsid, 0, 24, false);
	assert_int_equal(enter(0, group_of(vsid, 0, 24, false), v16, ptel_of(SHM, 0, IG), NULL), H_PARAMETER);
}

static void absent_entries_take_slots(void **state)
{
	(void)state;
	const uint64_t vsid = 0x42, ea = 0x2000, g = group_of(vsid, ea, 12, false), v = pteh_of(vsid, ea, 12, false);
	for (int i = 0; i < 8; i++)
		assert_int_equal(enter(0, g, v, ptel_of(MMIO + 0x1000 * (uint64_t)i, 0, IG), NULL), H_SUCCESS);
	assert_int_equal(enter(0, g, v, ptel_of(MMIO, 0, IG), NULL), H_PTEG_FULL);
	assert_int_equal(enter(0, g, v, ptel_of(0, 0, HPTE_R_M), NULL), H_PTEG_FULL);
	assert_int_equal(enter(H_EXACT, g + 3, v, ptel_of(0, 0, HPTE_R_M), NULL), H_PTEG_FULL);
}

static void mapped_memory_is_cacheable_and_read_only_stays_so(void **state)
{
	(void)state;
	const uint64_t vsid = 0x99, ea = 0x10000, g = group_of(vsid, ea, 12, false), v = pteh_of(vsid, ea, 12, false);
	uint64_t slot, out[8];
	assert_int_equal(enter(0, g, v, ptel_of(SHM + 0x1000, 0, IG), &slot), H_SUCCESS);
	assert_int_equal(raw(slot, 0) & HPTE_V_VALID, HPTE_V_VALID);
	assert_int_equal(raw(slot, 1) & HPTE_R_RPN_3_0, SHM_HOST + 0x1000);
	assert_int_equal(raw(slot, 1) & HPTE_R_WIMG, HPTE_R_M);
	assert_int_equal(hpt_h_read(&h, 0, slot, out), H_SUCCESS);
	assert_int_equal(out[1] & HPTE_R_RPN, SHM + 0x1000); /* the guest sees its own address */
	struct hpt_match m;
	assert_true(hpt_lookup(&h, slb_v(vsid, seg_4k, false), ea + 8, &m));
	assert_false(m.absent);
	assert_int_equal(m.gpa, SHM + 0x1008);
	assert_int_equal(m.host, SHM_HOST + 0x1008);

	/* A read-only range: a writable mapping is refused, a read-only one
	 * taken; H_PROTECT asking for write removes the entry. */
	assert_int_equal(hpt_add_range(&h, SHM + 4 * MiB, MiB, SHM_HOST + 4 * MiB, true), 0);
	assert_int_equal(enter(0, g, v, ptel_of(SHM + 4 * MiB, 0, IG), &slot), H_PARAMETER);
	assert_int_equal(enter(0, g, v, ptel_of(SHM + 4 * MiB, 0, IG) | HPTE_R_PP0 | 1, &slot), H_PARAMETER); /* 111 */
	assert_int_equal(enter(0, g, v, ptel_of(SHM + 4 * MiB, 0, IG) | 1, &slot), H_SUCCESS);                /* 011 */
	assert_int_equal(raw(slot, 1) & (HPTE_R_PP0 | HPTE_R_PP), 3);
	assert_false(hpt_pp_allows(slb_v(vsid, seg_4k, false), raw(slot, 1), false, true));
	assert_false(hpt_pp_allows(slb_v(vsid, seg_4k, false) | SLB_VSID_KP, raw(slot, 1), true, true));
	assert_true(hpt_pp_allows(slb_v(vsid, seg_4k, false), raw(slot, 1), false, false));
	assert_int_equal(hpt_h_protect(&h, 0x3, slot, 0), H_SUCCESS); /* stays read-only: kept */
	assert_int_equal(raw(slot, 0) & HPTE_V_VALID, HPTE_V_VALID);
	unsigned int before = ntlb;
	assert_int_equal(hpt_h_protect(&h, 0x2, slot, 0), H_NOT_FOUND); /* asks for PP = 2 (RW) */
	assert_int_equal(raw(slot, 0), 0);
	assert_int_equal(raw(slot, 1), 0);
	assert_int_equal(ntlb, before + 1);
	assert_int_equal(hpt_h_read(&h, 0, slot, out), H_SUCCESS);
	assert_int_equal(out[0], 0);
	/* PP0 = 1 with PP = 10 is read-only for key 0 and no access for key 1. */
	assert_int_equal(enter(0, g, v, (ptel_of(SHM + 4 * MiB, 0, IG) & ~3ull) | HPTE_R_PP0 | 2, &slot), H_SUCCESS);
	assert_int_equal(raw(slot, 1) & (HPTE_R_PP0 | HPTE_R_PP), HPTE_R_PP0 | 2);
}

static void withdrawn_memory_becomes_absent_and_comes_back(void **state)
{
	(void)state;
	const uint64_t vsid = 0x77, ea = 0x30000, g = group_of(vsid, ea, 12, false), v = pteh_of(vsid, ea, 12, false);
	uint64_t slot, out[8];
	assert_int_equal(enter(0, g, v, ptel_of(SHM + 0x2000, 0, IG), &slot), H_SUCCESS);
	hpt_remove_range(&h, SHM, true);
	assert_int_equal(ntlb, 1);
	assert_int_equal(raw(slot, 0) & (HPTE_V_VALID | HPTE_V_ABSENT), HPTE_V_ABSENT);
	assert_int_equal(hpt_h_read(&h, 0, slot, out), H_SUCCESS);
	assert_int_equal(out[0], v);
	assert_int_equal(out[1] & HPTE_R_RPN, SHM + 0x2000);
	struct hpt_match m;
	assert_true(hpt_lookup(&h, slb_v(vsid, seg_4k, false), ea, &m));
	assert_true(m.absent);
	assert_false(hpt_make_present(&h, slot)); /* nothing mapped there now */
	/* Memory again at that address (other host pages): the entry maps it. */
	assert_int_equal(hpt_add_range(&h, SHM, 4 * MiB, SHM_HOST + 64 * MiB, false), 0);
	assert_true(hpt_make_present(&h, slot));
	assert_true(hpt_lookup(&h, slb_v(vsid, seg_4k, false), ea, &m));
	assert_false(m.absent);
	assert_int_equal(m.host, SHM_HOST + 64 * MiB + 0x2000);
	assert_false(hpt_make_present(&h, slot)); /* already */
}

static void ranges_are_checked(void **state)
{
	(void)state;
	assert_int_equal(hpt_add_range(&h, RAM - 0x1000, 0x2000, 0, false), -1);          /* over RAM */
	assert_int_equal(hpt_add_range(&h, MMIO + 0x1000, 0x1000, 0, false), -1);         /* over an emulated one */
	assert_int_equal(hpt_add_range(&h, SHM + 0x1000, 0x1000, 0x90000000, false), -1); /* over a mapped one */
	assert_int_equal(hpt_add_range(&h, SHM + 8 * MiB, 0x1000, SHM_HOST, false), -1);  /* same host memory */
	assert_int_equal(hpt_add_range(&h, SHM + 8 * MiB, 0x1000, HOST_BASE, false), -1); /* the guest's RAM */
	assert_int_equal(hpt_add_range(&h, SHM + 8 * MiB, 0x800, 0x90000000, false), -1); /* not page sized */
	assert_int_equal(hpt_add_range(&h, ~0ull - 0xfff, 0x2000, 0, false), -1);         /* wraps */
	assert_null(hpt_range_of(&h, 0x1000, 0x1000));
	assert_int_equal(hpt_range_of(&h, SHM, 0x1000)->host, SHM_HOST); /* mapped before emulated */
	assert_int_equal(hpt_range_of(&h, MMIO, 0x1000)->host, 0);
	/* A span partly in the mapped range is nothing. */
	assert_null(hpt_range_of(&h, SHM + 4 * MiB - 0x1000, 0x2000));
	/* A mapped range where the emulated one starts (a BAR at the start of
	 * its window): each removal takes its own kind. */
	assert_int_equal(hpt_add_range(&h, MMIO, 0x10000, 0x90000000, true), 0);
	assert_int_equal(hpt_range_of(&h, MMIO, 0x1000)->host, 0x90000000);
	hpt_remove_range(&h, MMIO, true);
	assert_int_equal(hpt_range_of(&h, MMIO, 0x1000)->host, 0);               /* the window is still there */
	assert_int_equal(hpt_add_range(&h, MMIO, 0x10000, 0x90000000, true), 0); /* and the memory was gone */
	hpt_remove_range(&h, MMIO, false);
	assert_int_equal(hpt_range_of(&h, MMIO, 0x1000)->host, 0x90000000);
	assert_null(hpt_range_of(&h, MMIO + 0x10000, 0x1000));
}

static void large_pages_secondary_hash_and_tera_segments(void **state)
{
	(void)state;
	struct hpt_match m;
	uint64_t slot;
	/* 64K page in a 64K segment. */
	const uint64_t vsid = 0x3579;
	assert_int_equal(enter(0, group_of(vsid, 0x30000, 16, false), pteh_of(vsid, 0x30000, 16, false),
			       ptel_of(0x1230000, 0x01, HPTE_R_M), &slot),
			 H_SUCCESS);
	assert_true(hpt_lookup(&h, slb_v(vsid, seg_64k, false), 0x3fff8, &m));
	assert_int_equal(m.shift, 16);
	assert_int_equal(m.gpa, 0x123fff8);
	/* 16M page in a 16M segment, found for an address with VA bit 23 set. */
	assert_int_equal(enter(0, group_of(vsid + 1, 0x2000000, 24, false), pteh_of(vsid + 1, 0x2000000, 24, false),
			       ptel_of(0x4000000, 0, HPTE_R_M), &slot),
			 H_SUCCESS);
	assert_true(hpt_lookup(&h, slb_v(vsid + 1, seg_16m, false), 0x2abcdef, &m));
	assert_int_equal(m.shift, 24);
	assert_int_equal(m.gpa, 0x4abcdef);
	/* Secondary hash: H set, in the other group. */
	const uint64_t ea = 0x7000;
	uint64_t sec = ((~(group_of(0x2468, ea, 12, false) / 8)) & h.hash_mask) * 8;
	assert_int_equal(
		enter(0, sec, pteh_of(0x2468, ea, 12, false) | HPTE_V_SECONDARY, ptel_of(0x9000, 0, HPTE_R_M), &slot),
		H_SUCCESS);
	assert_true(hpt_lookup(&h, slb_v(0x2468, seg_4k, false), ea, &m));
	assert_int_equal(m.ptex, slot);
	assert_int_equal(m.gpa, 0x9000);
	/* 1 TB segment. */
	const uint64_t tvsid = 0x1234567, tea = 0x123456789000ull;
	assert_int_equal(enter(0, group_of(tvsid, tea, 12, true), pteh_of(tvsid, tea, 12, true),
			       ptel_of(0xa000, 0, HPTE_R_M), &slot),
			 H_SUCCESS);
	assert_true(hpt_lookup(&h, slb_v(tvsid, seg_4k, true), tea + 4, &m));
	assert_int_equal(m.gpa, 0xa004);
	assert_false(hpt_lookup(&h, slb_v(tvsid, seg_4k, false), tea + 4, &m)); /* as a 256M segment */
	/* An SLB encoding we do not offer, or B = 2: nothing. */
	assert_false(hpt_lookup(&h, slb_v(tvsid, SLB_VSID_LP, true), tea, &m));
	assert_false(hpt_lookup(&h, slb_v(tvsid, seg_4k, true) | (2ull << 62), tea, &m));
}

static void pp_and_keys(void **state)
{
	(void)state;
	/* [key][pp] -> 0 none, 1 read, 2 read/write (ISA Book III table). */
	static const int want[2][8] = { { 2, 2, 2, 1, 0, 0, 1, 0 }, { 0, 1, 2, 1, 0, 0, 0, 0 } };
	for (int key = 0; key < 2; key++)
		for (uint64_t pp = 0; pp < 8; pp++) {
			uint64_t r = (pp & 3) | ((pp & 4) << 61);
			for (int pr = 0; pr < 2; pr++) {
				uint64_t slb = key ? (pr ? SLB_VSID_KP : SLB_VSID_KS)
						   : (pr ? SLB_VSID_KS : SLB_VSID_KP);
				assert_int_equal(hpt_pp_allows(slb, r, pr, false), want[key][pp] >= 1);
				assert_int_equal(hpt_pp_allows(slb, r, pr, true), want[key][pp] == 2);
			}
		}
}

static void virtual_page_class_keys(void **state)
{
	(void)state;
	for (unsigned int key = 0; key < 32; key++) {
		/* Key bit 0 (16) and 1 (8) are HPTE bits 2:3, bits 2..4 are 52:54. */
		uint64_t r = ((uint64_t)(key >> 3) << 60) | ((uint64_t)(key & 7) << 9) | 2;
		uint64_t rd = 1ull << (63 - 2 * key), wr = 1ull << (62 - 2 * key); /* AMR bits 2k, 2k+1 */
		assert_true(hpt_key_allows(r, 0, false));
		assert_true(hpt_key_allows(r, 0, true));
		assert_false(hpt_key_allows(r, rd, false));
		assert_true(hpt_key_allows(r, rd, true));
		assert_true(hpt_key_allows(r, wr, false));
		assert_false(hpt_key_allows(r, wr, true));
		/* Other keys' bits do not matter. */
		assert_true(hpt_key_allows(r, ~(rd | wr), false));
		assert_true(hpt_key_allows(r, ~(rd | wr), true));
	}
}

static void the_lookup_cache_follows_the_entry_and_the_ranges(void **state)
{
	(void)state;
	const uint64_t vsid = 0x457, ea = 0x5d000, g = group_of(vsid, ea, 12, false), v = pteh_of(vsid, ea, 12, false);
	const uint64_t slb = slb_v(vsid, seg_4k, false);
	uint64_t slot, old[2];
	struct hpt_lookup_cache c = { 0 };
	struct hpt_match m;
	bool hit = true;
	assert_false(hpt_lookup_cached(&h, &c, slb, ea, &m, &hit));
	assert_false(hit);
	assert_int_equal(enter(0, g, v, ptel_of(MMIO + 0x5000, 0, IG), &slot), H_SUCCESS);
	assert_true(hpt_lookup_cached(&h, &c, slb, ea + 8, &m, &hit));
	assert_false(hit);
	assert_true(hpt_lookup_cached(&h, &c, slb, ea + 0x10, &m, &hit));
	assert_true(hit);
	assert_true(m.absent);
	assert_int_equal(m.gpa, MMIO + 0x5010);
	assert_int_equal(m.ptex, slot);
	/* Another page, another segment: looked up. */
	assert_false(hpt_lookup_cached(&h, &c, slb, ea + 0x1000, &m, &hit));
	assert_false(hit);
	assert_false(hpt_lookup_cached(&h, &c, slb_v(vsid + 1, seg_4k, false), ea, &m, &hit));
	assert_true(hpt_lookup_cached(&h, &c, slb, ea, &m, &hit));
	assert_true(hpt_lookup_cached(&h, &c, slb, ea, &m, &hit) && hit);
	/* The entry changes (H_PROTECT): looked up again, with the new PP. */
	assert_int_equal(hpt_h_protect(&h, 0x3, slot, 0), H_SUCCESS);
	assert_true(hpt_lookup_cached(&h, &c, slb, ea, &m, &hit));
	assert_false(hit);
	assert_int_equal(m.r & HPTE_R_PP, 3);
	assert_true(hpt_lookup_cached(&h, &c, slb, ea, &m, &hit) && hit);
	/* The ranges change: a miss even though the entry is the same. */
	assert_int_equal(hpt_add_range(&h, SHM + 8 * MiB, MiB, SHM_HOST + 8 * MiB, false), 0);
	assert_true(hpt_lookup_cached(&h, &c, slb, ea, &m, &hit));
	assert_false(hit);
	/* Removed: gone. */
	assert_int_equal(hpt_h_remove(&h, 0, slot, 0, &old[0], &old[1]), H_SUCCESS);
	assert_false(hpt_lookup_cached(&h, &c, slb, ea, &m, &hit));
	assert_false(hit);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(ram_page_is_found_valid, setup, teardown),
		cmocka_unit_test_setup_teardown(emulated_page_is_absent_to_the_hardware, setup, teardown),
		cmocka_unit_test_setup_teardown(pages_beyond_ram_are_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(absent_entries_take_slots, setup, teardown),
		cmocka_unit_test_setup_teardown(mapped_memory_is_cacheable_and_read_only_stays_so, setup, teardown),
		cmocka_unit_test_setup_teardown(withdrawn_memory_becomes_absent_and_comes_back, setup, teardown),
		cmocka_unit_test_setup_teardown(ranges_are_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(large_pages_secondary_hash_and_tera_segments, setup, teardown),
		cmocka_unit_test(pp_and_keys),
		cmocka_unit_test(virtual_page_class_keys),
		cmocka_unit_test_setup_teardown(the_lookup_cache_follows_the_entry_and_the_ranges, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
