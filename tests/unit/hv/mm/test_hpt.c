/* hv/hpt.c: the guest HPT engine and the page-frame-table hcalls. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>
#include "papr.h"
#include "hv/mm/hpt.h"
#include "hv/mm/page_sizes.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)

#define SHIFT     18
#define NPTES     (1ull << (SHIFT - 4))
#define NPTEGS    (1ull << (SHIFT - 7))
#define RAM       (256 * MiB)
#define HOST_BASE (0x40000000ull)

struct ctx {
	int ntlb;
	uint64_t rb[16];
	int nsync;
	int nzero, nicache;
	uint64_t zero_addr, zero_size, icache_addr, icache_size;
	/* At the tlbie: record whether watch_ptex was still valid, and let
	 * "hardware" set R/C bits in it (as it may until the tlbsync). */
	int64_t watch_ptex;
	int valid_at_tlbie;
	uint64_t hw_set_rc;
};

static struct hpt h;
static uint8_t *table;
static uint8_t bitmap[NPTES / 8];
static struct ctx c;

/* ---- raw big-endian access to the table, independent of hpt_ld/st ---- */
static uint64_t raw(uint64_t ptex, int dw)
{
	const uint8_t *b = table + ptex * 16 + dw * 8;
	uint64_t x = 0;
	for (int i = 0; i < 8; i++)
		x = (x << 8) | b[i];
	return x;
}

static void raw_set(uint64_t ptex, int dw, uint64_t x)
{
	uint8_t *b = table + ptex * 16 + dw * 8;
	for (int i = 7; i >= 0; i--, x >>= 8)
		b[i] = (uint8_t)x;
}

static void tlb_hook(void *ctx, uint64_t rb)
{
	struct ctx *cx = ctx;
	assert_ptr_equal(cx, &c);
	if (cx->ntlb < 16)
		cx->rb[cx->ntlb] = rb;
	cx->ntlb++;
	if (cx->watch_ptex >= 0) {
		cx->valid_at_tlbie = (int)(raw((uint64_t)cx->watch_ptex, 0) & HPTE_V_VALID);
		raw_set((uint64_t)cx->watch_ptex, 1, raw((uint64_t)cx->watch_ptex, 1) | cx->hw_set_rc);
	}
}

static void sync_hook(void *ctx)
{
	((struct ctx *)ctx)->nsync++;
}

static void hooks(void)
{
	h.ctx = &c;
	h.tlb_invalidate = tlb_hook;
	h.ptesync = sync_hook;
}

static int setup_ram(uint64_t ram)
{
	table = aligned_alloc(1ull << SHIFT, 1ull << SHIFT);
	memset(table, 0xa5, 1ull << SHIFT);
	memset(bitmap, 0xff, sizeof(bitmap));
	memset(&c, 0, sizeof(c));
	c.watch_ptex = -1;
	if (hpt_init(&h, table, SHIFT, bitmap, ram, HOST_BASE) != 0)
		return -1;
	hooks();
	return 0;
}

static int setup(void **state)
{
	(void)state;
	return setup_ram(RAM);
}

static int teardown(void **state)
{
	(void)state;
	free(table);
	table = NULL;
	return 0;
}

/* ---- building guest arguments ---- */
/* Old-format pteh for virtual address va (< 2^64) in a segment of size B. */
static uint64_t pteh_for(uint64_t va, uint64_t b, int large, int secondary)
{
	return ((va >> 23) << 7) | (b << 62) | (large ? HPTE_V_LARGE : 0) | (secondary ? HPTE_V_SECONDARY : 0) |
	       HPTE_V_VALID;
}

static uint64_t ptel_for(uint64_t gpa, int row)
{
	uint64_t r = gpa | HPTE_R_M | 0x2; /* PP = 10 */
	if (row != HV_PS_4K)
		r |= (uint64_t)hv_page_sizes[row].penc << 12;
	return r;
}

static uint64_t pteh4k(uint64_t n)
{
	return pteh_for(0x123ull << 28 | n << 23, 0, 0, 0);
}

/* H_ENTER as hcall/hpt_calls.c makes it: the page preparation its flags
 * ask for on the range hpt_h_enter_page() gives, then the entry. */
static long enter(uint64_t flags, uint64_t ptex, uint64_t pteh, uint64_t ptel, uint64_t *slot)
{
	uint64_t s = 0xdeadbeef, host = 0xdeadbeef, size = 0xdeadbeef;
	long page_rc = hpt_h_enter_page(&h, flags, ptex, pteh, ptel, &host, &size);
	if (page_rc != H_SUCCESS)
		assert_true(host == 0xdeadbeef && size == 0xdeadbeef);
	if (page_rc == H_SUCCESS && (flags & H_ZERO_PAGE)) {
		c.nzero++;
		c.zero_addr = host;
		c.zero_size = size;
	}
	if (page_rc == H_SUCCESS && (flags & (H_ICACHE_INVALIDATE | H_ICACHE_SYNCHRONIZE))) {
		c.nicache++;
		c.icache_addr = host;
		c.icache_size = size;
	}
	long rc = hpt_h_enter(&h, flags, ptex, pteh, ptel, &s);
	assert_int_equal(rc, page_rc); /* the same checks */
	if (slot)
		*slot = s;
	if (rc != H_SUCCESS)
		assert_int_equal(s, 0xdeadbeef); /* nothing written on error */
	return rc;
}

static void enter_ok(uint64_t ptex, uint64_t pteh, uint64_t ptel)
{
	uint64_t s;
	assert_int_equal(enter(H_EXACT, ptex, pteh, ptel, &s), H_SUCCESS);
	assert_int_equal(s, ptex);
}

/* ---- page sizes, helpers ---- */

/* QEMU's decode, written from its description: scan the segment sizes in
 * order and each encoding with L = 1; match when the RPN bits below the
 * actual page size equal penc << 12. */
static int qemu_decode(uint64_t r)
{
	for (int i = 0; i < HV_NUM_PAGE_SIZES; i++) {
		const struct hv_page_size *ps = &hv_page_sizes[i];
		if (ps->actual_shift == 12)
			continue;
		uint64_t mask = ((1ull << ps->actual_shift) - 1) & HPTE_R_RPN;
		if ((r & mask) == (uint64_t)ps->penc << 12)
			return i;
	}
	return -1;
}

static void page_size_decode_matches_qemu(void **state)
{
	(void)state;
	int seen[HV_NUM_PAGE_SIZES] = { 0 };
	for (uint64_t lp = 0; lp < 4096; lp++) {
		for (uint64_t hi = 0; hi < 3; hi++) {
			uint64_t r = (lp << 12) | (hi << 24) | 0x1ff;
			int want = qemu_decode(r);
			assert_int_equal(hpt_page_size_index(HPTE_V_LARGE, r), want);
			if (want >= 0)
				seen[want]++;
			assert_int_equal(hpt_page_size_index(0, r), HV_PS_4K);
		}
	}
	for (int i = 1; i < HV_NUM_PAGE_SIZES; i++)
		assert_true(seen[i] > 0);
	/* Specific encodings. */
	assert_int_equal(hpt_page_size_index(HPTE_V_LARGE, 0x7000), HV_PS_4K_64K);
	assert_int_equal(hpt_page_size_index(HPTE_V_LARGE, 0x38000), HV_PS_4K_16M);
	assert_int_equal(hpt_page_size_index(HPTE_V_LARGE, 0x1000), HV_PS_64K);
	assert_int_equal(hpt_page_size_index(HPTE_V_LARGE, 0x8000), HV_PS_64K_16M);
	assert_int_equal(hpt_page_size_index(HPTE_V_LARGE, 0x0), HV_PS_16M);
	assert_int_equal(hpt_page_size_index(HPTE_V_LARGE, 0x3000), -1);         /* 16G: not offered */
	assert_int_equal(hpt_page_size_index(HPTE_V_LARGE, 0x100000), -1);       /* 16M, bit 20 set */
	assert_int_equal(hpt_page_size_index(HPTE_V_LARGE, 0xf1000), HV_PS_64K); /* RPN bits above LP */
}

static void page_size_table(void **state)
{
	(void)state;
	assert_int_equal(hv_page_size_slb_enc(12), 0);
	assert_int_equal(hv_page_size_slb_enc(16), 0x110);
	assert_int_equal(hv_page_size_slb_enc(24), 0x100);
	assert_int_equal(hv_page_size_slb_enc(34), -1);
	/* Grouped by base size, increasing. */
	for (int i = 1; i < HV_NUM_PAGE_SIZES; i++)
		assert_true(hv_page_sizes[i].base_shift >= hv_page_sizes[i - 1].base_shift);
}

static void init_validates_and_zeroes(void **state)
{
	(void)state;
	struct hpt t;
	/* setup() filled table and bitmap before hpt_init: now zero. */
	for (uint64_t i = 0; i < (1ull << SHIFT); i++)
		if (table[i])
			fail_msg("table byte %llu not zero", (unsigned long long)i);
	for (size_t i = 0; i < sizeof(bitmap); i++)
		assert_int_equal(bitmap[i], 0);
	assert_int_equal(h.nptes, NPTES);
	assert_int_equal(h.hash_mask, NPTEGS - 1);
	assert_int_equal(hpt_init(&t, table, 17, bitmap, RAM, HOST_BASE), -1);
	assert_int_equal(hpt_init(&t, table, 47, bitmap, RAM, HOST_BASE), -1);
	assert_int_equal(hpt_init(&t, table + 4096, SHIFT, bitmap, RAM, HOST_BASE), -1);
	assert_int_equal(hpt_init(&t, table, SHIFT, bitmap, RAM, HOST_BASE + MiB), -1);
	assert_int_equal(hpt_init(&t, table, SHIFT, bitmap, 0, HOST_BASE), -1);
	assert_int_equal(hpt_init(&t, table, SHIFT, bitmap, 1ull << 57, HOST_BASE), -1);
	assert_int_equal(hpt_init(&t, table, SHIFT, bitmap, 1ull << 57, 0), 0);
	assert_int_equal(hpt_init(&t, NULL, SHIFT, bitmap, RAM, HOST_BASE), -1);
	assert_int_equal(hpt_init(&t, table, SHIFT, NULL, RAM, HOST_BASE), -1);
}

static void format_conversion_round_trips(void **state)
{
	(void)state;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	for (int i = 0; i < 10000; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		uint64_t b = (seed >> 3) & 1;
		uint64_t v = (seed & HPTE_V_COMMON_BITS) | (b << 62);
		uint64_t r = (seed * 31) & ~HPTE_R_3_0_SSIZE_MASK;
		uint64_t nv = hpt_old_to_new_v(v), nr = hpt_old_to_new_r(v, r);
		assert_int_equal(nv >> 52, 0);
		assert_int_equal((nr >> 58) & 3, b);
		assert_int_equal(hpt_new_to_old_v(nv, nr), v);
		assert_int_equal(hpt_new_to_old_r(nr), r);
	}
	/* AVA bits beyond POWER9's 68-bit VA are trimmed. */
	assert_int_equal(hpt_old_to_new_v(0x3ff0000000000081ull), 0x81);
}

/* ---- H_ENTER ---- */

static void enter_4k_stores_big_endian_new_format(void **state)
{
	(void)state;
	uint64_t pteh = pteh4k(5) | HPTE_V_BOLTED;
	uint64_t ptel = (16 * MiB + 0x5000) | HPTE_R_M | HPTE_R_N | 0x3;
	uint64_t slot;
	assert_int_equal(enter(0, 8 * 9 + 5, pteh, ptel, &slot), H_SUCCESS);
	assert_int_equal(slot, 8 * 9); /* first free slot of the group */
	/* Raw bytes, big-endian, ISA 3.0 format. */
	const uint8_t *b = table + slot * 16;
	assert_int_equal(b[15], (uint8_t)(ptel & 0xff));
	assert_int_equal(b[7], (uint8_t)(pteh & 0xff));
	assert_int_equal(raw(slot, 0), pteh & HPTE_V_COMMON_BITS);
	assert_int_equal(raw(slot, 1), HOST_BASE + 16 * MiB + 0x5000 + (HPTE_R_M | HPTE_R_N | 0x3));
	assert_int_equal(c.ntlb, 0);
	assert_int_equal(c.nsync, 1);
	/* Read back in the guest's format. */
	uint64_t out[8] = { 0 };
	assert_int_equal(hpt_h_read(&h, 0, slot, out), H_SUCCESS);
	assert_int_equal(out[0], pteh);
	assert_int_equal(out[1], ptel);
}

static void enter_1t_segment_moves_b(void **state)
{
	(void)state;
	uint64_t pteh = pteh_for(0x77ull << 40, 1, 0, 0);
	uint64_t ptel = 32 * MiB | HPTE_R_M;
	enter_ok(100, pteh, ptel);
	assert_int_equal(raw(100, 0) >> 62, 0);
	assert_int_equal((raw(100, 1) >> 58) & 3, 1);
	uint64_t out[8];
	assert_int_equal(hpt_h_read(&h, 0, 100, out), H_SUCCESS);
	assert_int_equal(out[0], pteh);
	assert_int_equal(out[1], ptel);
	/* B = 2 or 3 is reserved. */
	assert_int_equal(enter(0, 200, (pteh & ~HPTE_V_SSIZE) | (2ull << 62), ptel, NULL), H_PARAMETER);
	assert_int_equal(enter(0, 200, pteh | (3ull << 62), ptel, NULL), H_PARAMETER);
	/* AVA bits above the 68-bit VA are dropped, as KVM does. */
	enter_ok(300, pteh | (1ull << 55), ptel);
	assert_int_equal(hpt_h_read(&h, 0, 300, out), H_SUCCESS);
	assert_int_equal(out[0], pteh);
}

static void enter_search_and_exact(void **state)
{
	(void)state;
	uint64_t slot;
	for (uint64_t i = 0; i < 8; i++) {
		assert_int_equal(enter(0, 80 + 7, pteh4k(i), ptel_for(i * 4 * KiB, HV_PS_4K), &slot), H_SUCCESS);
		assert_int_equal(slot, 80 + i);
	}
	assert_int_equal(enter(0, 80, pteh4k(9), ptel_for(0, HV_PS_4K), NULL), H_PTEG_FULL);
	assert_int_equal(enter(H_EXACT, 83, pteh4k(9), ptel_for(0, HV_PS_4K), NULL), H_PTEG_FULL);
	/* Free one slot: the search finds it. */
	uint64_t a, b;
	assert_int_equal(hpt_h_remove(&h, 0, 85, 0, &a, &b), H_SUCCESS);
	assert_int_equal(enter(0, 81, pteh4k(9), ptel_for(0, HV_PS_4K), &slot), H_SUCCESS);
	assert_int_equal(slot, 85);
	/* Exact on a free slot takes exactly that one. */
	assert_int_equal(enter(H_EXACT, 95, pteh4k(1), ptel_for(0, HV_PS_4K), &slot), H_SUCCESS);
	assert_int_equal(slot, 95);
	assert_int_equal(raw(88, 0), 0);
}

static void enter_each_page_size(void **state)
{
	(void)state;
	static const struct {
		int row;
		uint64_t gpa;
	} cases[] = {
		{ HV_PS_4K, 0x3000 },   { HV_PS_4K_64K, 0x30000 },   { HV_PS_4K_16M, 48 * MiB },
		{ HV_PS_64K, 0x70000 }, { HV_PS_64K_16M, 64 * MiB }, { HV_PS_16M, RAM - 16 * MiB },
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int row = cases[i].row;
		uint64_t ptex = 8 * (10 + i);
		uint64_t pteh = pteh_for(0x55ull << 28, 0, row != HV_PS_4K, 0);
		uint64_t ptel = ptel_for(cases[i].gpa, row);
		enter_ok(ptex, pteh, ptel);
		uint64_t r = raw(ptex, 1);
		uint64_t sz = 1ull << hv_page_sizes[row].actual_shift;
		assert_int_equal(r & HPTE_R_RPN_3_0 & ~(sz - 1), HOST_BASE + cases[i].gpa);
		assert_int_equal(hpt_page_size_index(raw(ptex, 0), r), row);
		uint64_t out[8];
		assert_int_equal(hpt_h_read(&h, 0, ptex, out), H_SUCCESS);
		assert_int_equal(out[1], ptel);
	}
	/* Undecodable L/LP combinations. */
	uint64_t pteh = pteh_for(0x55ull << 28, 0, 1, 0);
	assert_int_equal(enter(0, 0, pteh, 16 * MiB | 0x2000 | HPTE_R_M, NULL), H_PARAMETER);
	assert_int_equal(enter(0, 0, pteh, 16 * MiB | 0x3000 | HPTE_R_M, NULL), H_PARAMETER); /* 16G */
	assert_int_equal(enter(0, 0, pteh, 16 * MiB | 0x18000 | HPTE_R_M, NULL), H_PARAMETER);
}

static void enter_rejects_misaligned_rpn(void **state)
{
	(void)state;
	uint64_t pteh = pteh_for(0x55ull << 28, 0, 1, 0);
	/* A 16M page whose RPN is only 1M aligned: bits 20..23 not LP. */
	assert_int_equal(enter(0, 0, pteh, ptel_for(17 * MiB, HV_PS_16M), NULL), H_PARAMETER);
	assert_int_equal(enter(0, 0, pteh, ptel_for(16 * MiB + 0x100000, HV_PS_64K_16M), NULL), H_PARAMETER);
	assert_int_equal(enter(0, 0, pteh, ptel_for(16 * MiB + 0x800000, HV_PS_4K_16M), NULL), H_PARAMETER);
	assert_int_equal(enter(0, 0, pteh, ptel_for(16 * MiB, HV_PS_16M), NULL), H_SUCCESS);
}

static void enter_rejects_rpn_outside_ram(void **state)
{
	(void)state;
	assert_int_equal(enter(0, 0, pteh4k(1), ptel_for(RAM, HV_PS_4K), NULL), H_PARAMETER);
	assert_int_equal(enter(0, 0, pteh4k(1), ptel_for(1ull << 50, HV_PS_4K), NULL), H_PARAMETER);
	assert_int_equal(enter(0, 0, pteh4k(1), ptel_for(RAM - 4 * KiB, HV_PS_4K), NULL), H_SUCCESS);
	uint64_t pteh = pteh_for(0x55ull << 28, 0, 1, 0);
	assert_int_equal(enter(0, 8, pteh, ptel_for(RAM, HV_PS_16M), NULL), H_PARAMETER);
	assert_int_equal(enter(0, 8, pteh, ptel_for(RAM - 64 * KiB, HV_PS_64K), NULL), H_SUCCESS);
	assert_int_equal(enter(0, 8, pteh, ptel_for(RAM, HV_PS_64K), NULL), H_PARAMETER);
}

static void enter_rejects_page_straddling_ram_end(void **state)
{
	(void)state;
	teardown(NULL);
	assert_int_equal(setup_ram(16 * MiB + 64 * KiB), 0);
	uint64_t pteh = pteh_for(0x55ull << 28, 0, 1, 0);
	assert_int_equal(enter(0, 0, pteh, ptel_for(16 * MiB, HV_PS_16M), NULL), H_PARAMETER);
	assert_int_equal(enter(0, 0, pteh, ptel_for(0, HV_PS_16M), NULL), H_SUCCESS);
	assert_int_equal(enter(0, 8, pteh, ptel_for(16 * MiB, HV_PS_64K), NULL), H_SUCCESS);
	assert_int_equal(enter(0, 8, pteh4k(1), ptel_for(16 * MiB + 64 * KiB, HV_PS_4K), NULL), H_PARAMETER);
}

static void enter_rejects_bad_wimg(void **state)
{
	(void)state;
	static const uint64_t bad[] = {
		0,
		HPTE_R_W | HPTE_R_M,
		HPTE_R_I | HPTE_R_M,
		HPTE_R_G | HPTE_R_M,
		HPTE_R_I,
		HPTE_R_W | HPTE_R_I | HPTE_R_M,
		HPTE_R_WIMG,
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(enter(0, 0, pteh4k(1), 0x1000 | bad[i], NULL), H_PARAMETER);
	assert_int_equal(raw(0, 0), 0);
	assert_int_equal(enter(0, 0, pteh4k(1), 0x1000 | HPTE_R_M, NULL), H_SUCCESS);
}

static void enter_ptex_range(void **state)
{
	(void)state;
	assert_int_equal(enter(0, NPTES, pteh4k(1), ptel_for(0, HV_PS_4K), NULL), H_PARAMETER);
	assert_int_equal(enter(H_EXACT, NPTES, pteh4k(1), ptel_for(0, HV_PS_4K), NULL), H_PARAMETER);
	assert_int_equal(enter(0, UINT64_MAX, pteh4k(1), ptel_for(0, HV_PS_4K), NULL), H_PARAMETER);
	enter_ok(NPTES - 1, pteh4k(1), ptel_for(0, HV_PS_4K));
}

static void enter_flags(void **state)
{
	(void)state;
	static const uint64_t bad[] = {
		H_AVPN,    H_ANDCOND,    H_READ_4,   H_COPY_PAGE, H_LOCAL,
		H_R_XLATE, H_LARGE_PAGE, 1ull << 63, 1,           H_PAGE_SET_LOANED,
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(enter(bad[i], 0, pteh4k(1), ptel_for(0, HV_PS_4K), NULL), H_PARAMETER);
	assert_int_equal(c.nzero + c.nicache, 0);

	assert_int_equal(enter(H_COALESCE_CAND, 0, pteh4k(1), ptel_for(0, HV_PS_4K), NULL), H_SUCCESS);
	assert_int_equal(c.nzero + c.nicache, 0);

	uint64_t pteh = pteh_for(0x55ull << 28, 0, 1, 0);
	assert_int_equal(enter(H_ZERO_PAGE, 8, pteh, ptel_for(0x50000, HV_PS_64K), NULL), H_SUCCESS);
	assert_int_equal(c.nzero, 1);
	assert_int_equal(c.zero_addr, HOST_BASE + 0x50000);
	assert_int_equal(c.zero_size, 64 * KiB);
	assert_int_equal(c.nicache, 0);

	assert_int_equal(enter(H_ICACHE_INVALIDATE, 16, pteh4k(2), ptel_for(0x7000, HV_PS_4K), NULL), H_SUCCESS);
	assert_int_equal(c.nicache, 1);
	assert_int_equal(c.icache_addr, HOST_BASE + 0x7000);
	assert_int_equal(c.icache_size, 4 * KiB);
	assert_int_equal(
		enter(H_ICACHE_SYNCHRONIZE | H_ZERO_PAGE | H_EXACT, 24, pteh, ptel_for(32 * MiB, HV_PS_4K_16M), NULL),
		H_SUCCESS);
	assert_int_equal(c.nicache, 2);
	assert_int_equal(c.nzero, 2);
	assert_int_equal(c.zero_size, 16 * MiB);
	assert_int_equal(c.icache_addr, HOST_BASE + 32 * MiB);

	/* A full group: nothing is zeroed. */
	for (int i = 0; i < 7; i++)
		assert_int_equal(enter(0, 8, pteh4k(3), ptel_for(0, HV_PS_4K), NULL), H_SUCCESS);
	assert_int_equal(enter(H_ZERO_PAGE, 8, pteh4k(3), ptel_for(0, HV_PS_4K), NULL), H_PTEG_FULL);
	assert_int_equal(c.nzero, 2);
	/* A bad page: nothing to prepare either. */
	assert_int_equal(enter(H_ZERO_PAGE, 32, pteh, ptel_for(RAM, HV_PS_4K_16M), NULL), H_PARAMETER);
	assert_int_equal(c.nzero, 2);
}

static void enter_masks_and_keeps_bits(void **state)
{
	(void)state;
	/* pteh: 0x60 (KVM/QEMU reserved) cleared; bolted, lock, H kept; V forced. */
	uint64_t pteh = (pteh4k(4) & ~HPTE_V_VALID) | HPTE_V_HVLOCK | HPTE_V_ABSENT | HPTE_V_BOLTED | HPTE_V_LOCK |
			HPTE_V_SECONDARY;
	/* ptel: TS dropped; pp0, key, R, C, N, PP kept. */
	uint64_t ptel = 0x9000 | HPTE_R_PP0 | HPTE_R_TS | HPTE_R_KEY_HI | HPTE_R_KEY_LO | HPTE_R_R | HPTE_R_C |
			HPTE_R_M | HPTE_R_N | 0x1;
	enter_ok(40, pteh, ptel);
	uint64_t out[8];
	assert_int_equal(hpt_h_read(&h, 0, 40, out), H_SUCCESS);
	assert_int_equal(out[0], (pteh & ~(HPTE_V_HVLOCK | HPTE_V_ABSENT)) | HPTE_V_VALID);
	assert_int_equal(out[1], ptel & ~HPTE_R_TS);
	assert_int_equal(raw(40, 1) & HPTE_R_TS, 0);
}

/* ---- H_REMOVE ---- */

static void remove_basic(void **state)
{
	(void)state;
	uint64_t pteh = pteh4k(6), ptel = ptel_for(0x42000, HV_PS_4K);
	enter_ok(50, pteh, ptel);
	uint64_t v = 1, r = 1;
	c.watch_ptex = 50;
	c.hw_set_rc = HPTE_R_C | HPTE_R_R; /* hardware writes R/C up to the tlbsync */
	assert_int_equal(hpt_h_remove(&h, 0, 50, 0, &v, &r), H_SUCCESS);
	assert_int_equal(c.ntlb, 1);
	assert_int_equal(c.valid_at_tlbie, 0);
	assert_int_equal(v, pteh);
	assert_int_equal(r, ptel | HPTE_R_R | HPTE_R_C);
	assert_int_equal(raw(50, 0), 0);
	assert_int_equal(raw(50, 1), 0);
	c.watch_ptex = -1;
	/* Gone now. */
	assert_int_equal(hpt_h_remove(&h, 0, 50, 0, &v, &r), H_NOT_FOUND);
	assert_int_equal(c.ntlb, 1);
	assert_int_equal(hpt_h_remove(&h, 0, NPTES, 0, &v, &r), H_PARAMETER);
	assert_int_equal(hpt_h_remove(&h, 0, UINT64_MAX, 0, &v, &r), H_PARAMETER);
}

static void remove_avpn_and_andcond(void **state)
{
	(void)state;
	uint64_t pteh = pteh4k(7) | HPTE_V_BOLTED, ptel = ptel_for(0x43000, HV_PS_4K);
	enter_ok(60, pteh, ptel);
	uint64_t v = 0, r = 0;
	uint64_t avpn = pteh & ~0x7full;
	/* AVPN mismatch: in the AVA, or in B. */
	assert_int_equal(hpt_h_remove(&h, H_AVPN, 60, avpn ^ 0x80, &v, &r), H_NOT_FOUND);
	assert_int_equal(hpt_h_remove(&h, H_AVPN, 60, avpn | HPTE_V_1TB_SEG, &v, &r), H_NOT_FOUND);
	/* The low 7 bits of the entry are ignored, but an avpn with low bits never matches. */
	assert_int_equal(hpt_h_remove(&h, H_AVPN, 60, avpn | HPTE_V_VALID, &v, &r), H_NOT_FOUND);
	/* ANDCOND: removed only if no bit of avpn is set in pteh. */
	assert_int_equal(hpt_h_remove(&h, H_ANDCOND, 60, HPTE_V_BOLTED, &v, &r), H_NOT_FOUND);
	assert_int_equal(c.ntlb, 0);
	assert_int_equal(raw(60, 0) & HPTE_V_VALID, 1);
	assert_int_equal(hpt_h_remove(&h, H_ANDCOND, 60, HPTE_V_LOCK, &v, &r), H_SUCCESS);
	assert_int_equal(v, pteh);
	enter_ok(60, pteh, ptel);
	assert_int_equal(hpt_h_remove(&h, H_AVPN, 60, avpn, &v, &r), H_SUCCESS);
	assert_int_equal(v, pteh);
	assert_int_equal(r, ptel);
	assert_int_equal(c.ntlb, 2);
	/* 1 TB entry: the avpn carries B in the old position. */
	uint64_t pteh1t = pteh_for(0x99ull << 40, 1, 0, 0);
	enter_ok(70, pteh1t, ptel);
	assert_int_equal(hpt_h_remove(&h, H_AVPN, 70, pteh1t & HPTE_V_COMMON_BITS & ~0x7full, &v, &r), H_NOT_FOUND);
	assert_int_equal(hpt_h_remove(&h, H_AVPN, 70, pteh1t & ~0x7full, &v, &r), H_SUCCESS);
	assert_int_equal(v, pteh1t);
}

/* ---- H_PROTECT ---- */

static void protect_sets_bits_from_flags(void **state)
{
	(void)state;
	uint64_t pteh = pteh4k(8), ptel = ptel_for(0x44000, HV_PS_4K) | HPTE_R_R;
	enter_ok(90, pteh, ptel);
	uint64_t flags = H_PROTECT_PP0 | 0x2000 | 0x0a00 | H_N | H_PP2; /* pp0, key 0b10101, N, pp=01 */
	c.watch_ptex = 90;
	c.hw_set_rc = HPTE_R_C;
	assert_int_equal(hpt_h_protect(&h, flags, 90, 0), H_SUCCESS);
	assert_int_equal(c.ntlb, 1);
	assert_int_equal(c.valid_at_tlbie, 0);
	assert_int_equal(c.nsync, 2);
	uint64_t out[8];
	assert_int_equal(hpt_h_read(&h, 0, 90, out), H_SUCCESS);
	assert_int_equal(out[0], pteh);
	uint64_t want = (ptel & ~(HPTE_R_PP0 | HPTE_R_PP | HPTE_R_N | HPTE_R_KEY_HI | HPTE_R_KEY_LO)) | HPTE_R_PP0 |
			0x2000000000000000ull | 0xa00 | HPTE_R_N | 0x1 | HPTE_R_C;
	assert_int_equal(out[1], want);
	c.watch_ptex = -1;
	/* Same protection again: nothing changes, no invalidation. */
	assert_int_equal(hpt_h_protect(&h, flags, 90, 0), H_SUCCESS);
	assert_int_equal(c.ntlb, 1);
	/* Clearing everything. */
	assert_int_equal(hpt_h_protect(&h, 0, 90, 0), H_SUCCESS);
	assert_int_equal(c.ntlb, 2);
	assert_int_equal(hpt_h_read(&h, 0, 90, out), H_SUCCESS);
	assert_int_equal(out[1] & (HPTE_R_PP0 | HPTE_R_PP | HPTE_R_N | HPTE_R_KEY_HI | HPTE_R_KEY_LO), 0);
	assert_int_equal(out[1] & (HPTE_R_R | HPTE_R_C), HPTE_R_R | HPTE_R_C);
}

static void protect_avpn_and_errors(void **state)
{
	(void)state;
	uint64_t pteh = pteh4k(9), ptel = ptel_for(0x45000, HV_PS_4K);
	enter_ok(91, pteh, ptel);
	assert_int_equal(hpt_h_protect(&h, H_AVPN | 3, 91, (pteh & ~0x7full) ^ 0x100), H_NOT_FOUND);
	assert_int_equal(hpt_h_protect(&h, 3, 92, 0), H_NOT_FOUND);
	assert_int_equal(hpt_h_protect(&h, 3, NPTES, 0), H_PARAMETER);
	assert_int_equal(c.ntlb, 0);
	assert_int_equal(hpt_h_protect(&h, H_AVPN | 3, 91, pteh & ~0x7full), H_SUCCESS);
	assert_int_equal(c.ntlb, 1);
	assert_int_equal(raw(91, 1) & 3, 3);
	assert_int_equal(raw(91, 0) & HPTE_V_VALID, 1);
}

/* ---- H_READ ---- */

static void read_one_and_four(void **state)
{
	(void)state;
	uint64_t p4 = pteh4k(10), p6 = pteh4k(11);
	enter_ok(100 + 4, p4, ptel_for(0x1000, HV_PS_4K));
	enter_ok(100 + 6, p6, ptel_for(0x2000, HV_PS_4K));
	uint64_t out[8];
	memset(out, 0x77, sizeof(out));
	assert_int_equal(hpt_h_read(&h, 0, 104, out), H_SUCCESS);
	assert_int_equal(out[0], p4);
	assert_int_equal(out[2], 0x7777777777777777ull); /* only two written */
	assert_int_equal(hpt_h_read(&h, H_READ_4, 106, out), H_SUCCESS);
	assert_int_equal(out[0], p4);
	assert_int_equal(out[1], ptel_for(0x1000, HV_PS_4K));
	assert_int_equal(out[2], 0);
	assert_int_equal(out[3], 0);
	assert_int_equal(out[4], p6);
	assert_int_equal(out[5], ptel_for(0x2000, HV_PS_4K));
	assert_int_equal(out[6], 0);
	assert_int_equal(out[7], 0);
	assert_int_equal(hpt_h_read(&h, H_READ_4, NPTES - 1, out), H_SUCCESS);
	assert_int_equal(hpt_h_read(&h, 0, NPTES, out), H_PARAMETER);
	assert_int_equal(hpt_h_read(&h, H_READ_4, NPTES + 1, out), H_PARAMETER);
}

/* ---- H_CLEAR_REF / H_CLEAR_MOD ---- */

static void clear_ref(void **state)
{
	(void)state;
	uint64_t pteh = pteh4k(12), ptel = ptel_for(0x46000, HV_PS_4K) | HPTE_R_R | HPTE_R_C | HPTE_R_KEY_LO;
	enter_ok(110, pteh, ptel);
	uint8_t before[16];
	memcpy(before, table + 110 * 16, 16);
	uint64_t old = 0;
	assert_int_equal(hpt_h_clear_ref(&h, 0, 110, &old), H_SUCCESS);
	assert_int_equal(old, ptel);
	assert_int_equal(c.ntlb, 1);
	/* Only byte 14 (the one holding R) changed, and only R in it. */
	for (int i = 0; i < 16; i++)
		if (i != 14)
			assert_int_equal(table[110 * 16 + i], before[i]);
	assert_int_equal(table[110 * 16 + 14], before[14] & ~1);
	/* R already clear: no invalidation. */
	assert_int_equal(hpt_h_clear_ref(&h, 0, 110, &old), H_SUCCESS);
	assert_int_equal(old, ptel & ~HPTE_R_R);
	assert_int_equal(c.ntlb, 1);
	assert_int_equal(hpt_h_clear_ref(&h, 0, 111, &old), H_NOT_FOUND);
	assert_int_equal(hpt_h_clear_ref(&h, 0, NPTES, &old), H_PARAMETER);
}

static void clear_mod(void **state)
{
	(void)state;
	uint64_t pteh = pteh4k(13), ptel = ptel_for(0x47000, HV_PS_4K) | HPTE_R_R;
	enter_ok(120, pteh, ptel);
	uint64_t old = 0;
	/* C set by hardware until the invalidation: reported, then cleared. */
	c.watch_ptex = 120;
	c.hw_set_rc = HPTE_R_C;
	assert_int_equal(hpt_h_clear_mod(&h, 0, 120, &old), H_SUCCESS);
	assert_int_equal(c.valid_at_tlbie, 0);
	assert_int_equal(old, ptel | HPTE_R_C);
	assert_int_equal(c.ntlb, 1);
	assert_int_equal(raw(120, 1) & (HPTE_R_C | HPTE_R_R), HPTE_R_R);
	assert_int_equal(raw(120, 0) & HPTE_V_VALID, 1);
	c.watch_ptex = -1;
	/* Valid entry: always invalidated (KVM), C stays clear. */
	assert_int_equal(hpt_h_clear_mod(&h, 0, 120, &old), H_SUCCESS);
	assert_int_equal(old, ptel);
	assert_int_equal(c.ntlb, 2);
	assert_int_equal(hpt_h_clear_mod(&h, 0, 121, &old), H_NOT_FOUND);
	assert_int_equal(hpt_h_clear_mod(&h, 0, NPTES, &old), H_PARAMETER);
	assert_int_equal(c.ntlb, 2);
}

/* ---- H_BULK_REMOVE ---- */

static void bulk_remove_responses(void **state)
{
	(void)state;
	uint64_t pa = pteh4k(20), pb = pteh4k(21) | HPTE_V_BOLTED, pc = pteh4k(22);
	enter_ok(200, pa, ptel_for(0x1000, HV_PS_4K) | HPTE_R_R);
	enter_ok(201, pb, ptel_for(0x2000, HV_PS_4K) | HPTE_R_C);
	enter_ok(202, pc, ptel_for(0x3000, HV_PS_4K) | HPTE_R_R | HPTE_R_C);
	uint64_t args[8] = {
		H_BULK_REMOVE_REQUEST | H_BULK_REMOVE_ABSOLUTE | 200,
		0,
		H_BULK_REMOVE_REQUEST | H_BULK_REMOVE_ANDCOND | 201,
		HPTE_V_BOLTED, /* not removed */
		H_BULK_REMOVE_REQUEST | H_BULK_REMOVE_AVPN | 202,
		pc & ~0x7full,
		H_BULK_REMOVE_REQUEST | 203,
		0, /* empty */
	};
	assert_int_equal(hpt_h_bulk_remove(&h, args), H_SUCCESS);
	assert_int_equal(args[0], H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_SUCCESS | 0x0800000000000000ull | 200);
	assert_int_equal(args[2], H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_NOT_FOUND | H_BULK_REMOVE_ANDCOND | 201);
	assert_int_equal(args[4], H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_AVPN | H_BULK_REMOVE_RC | 202);
	assert_int_equal(args[6], H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_NOT_FOUND | 203);
	assert_int_equal(args[1], 0);
	assert_int_equal(args[3], HPTE_V_BOLTED);
	assert_int_equal(c.ntlb, 2);
	assert_int_equal(raw(200, 0), 0);
	assert_int_equal(raw(201, 0) & HPTE_V_VALID, 1);
	assert_int_equal(raw(202, 0), 0);
	/* ANDCOND that matches; AVPN mismatch. */
	uint64_t a2[8] = {
		H_BULK_REMOVE_REQUEST | H_BULK_REMOVE_AVPN | 201,
		(pb & ~0x7full) ^ 0x80,
		H_BULK_REMOVE_REQUEST | H_BULK_REMOVE_ANDCOND | 201,
		HPTE_V_LOCK,
		H_BULK_REMOVE_END,
		0,
		0,
		0,
	};
	assert_int_equal(hpt_h_bulk_remove(&h, a2), H_SUCCESS);
	assert_int_equal(a2[0], H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_NOT_FOUND | H_BULK_REMOVE_AVPN | 201);
	assert_int_equal(a2[2], H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_ANDCOND | 0x0400000000000000ull | 201);
	assert_int_equal(a2[4], H_BULK_REMOVE_END);
	assert_int_equal(c.ntlb, 3);
}

static void bulk_remove_end_and_malformed(void **state)
{
	(void)state;
	enter_ok(300, pteh4k(30), ptel_for(0, HV_PS_4K));
	enter_ok(301, pteh4k(31), ptel_for(0, HV_PS_4K));
	/* End marker first: nothing happens, nothing written. */
	uint64_t a[8] = { H_BULK_REMOVE_END | 300, 0, H_BULK_REMOVE_REQUEST | 300, 0, 0, 0, 0, 0 };
	uint64_t copy[8];
	memcpy(copy, a, sizeof(a));
	assert_int_equal(hpt_h_bulk_remove(&h, a), H_SUCCESS);
	assert_memory_equal(a, copy, sizeof(a));
	assert_int_equal(raw(300, 0) & 1, 1);

	/* Type 0 (not a request) in the second entry: PARM response for it,
	 * the first done, the rest untouched. */
	uint64_t b[8] = {
		H_BULK_REMOVE_REQUEST | 300, 0, H_BULK_REMOVE_AVPN | 301, 5,
		H_BULK_REMOVE_REQUEST | 301, 0, H_BULK_REMOVE_END,        0,
	};
	assert_int_equal(hpt_h_bulk_remove(&h, b), H_PARAMETER);
	assert_int_equal(b[0], H_BULK_REMOVE_RESPONSE | 300);
	assert_int_equal(b[2], H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_PARM | H_BULK_REMOVE_AVPN | 301);
	assert_int_equal(b[3], 5);
	assert_int_equal(b[4], H_BULK_REMOVE_REQUEST | 301);
	assert_int_equal(raw(301, 0) & 1, 1);

	/* A response type given as a request, both flags, ptex out of range. */
	uint64_t d[8] = { H_BULK_REMOVE_RESPONSE | 301, 0 };
	assert_int_equal(hpt_h_bulk_remove(&h, d), H_PARAMETER);
	assert_int_equal(d[0], H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_PARM | 301);
	uint64_t e[8] = { H_BULK_REMOVE_REQUEST | H_BULK_REMOVE_FLAGS | 301, 0 };
	assert_int_equal(hpt_h_bulk_remove(&h, e), H_PARAMETER);
	assert_int_equal(e[0], H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_PARM | H_BULK_REMOVE_FLAGS | 301);
	uint64_t f[8] = { H_BULK_REMOVE_REQUEST | NPTES, 0 };
	assert_int_equal(hpt_h_bulk_remove(&h, f), H_PARAMETER);
	assert_int_equal(f[0], H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_PARM | NPTES);
	uint64_t g[8] = { H_BULK_REMOVE_REQUEST | H_BULK_REMOVE_PTEX, 0 };
	assert_int_equal(hpt_h_bulk_remove(&h, g), H_PARAMETER);
	assert_int_equal(raw(301, 0) & 1, 1);
	assert_int_equal(c.ntlb, 1);

	/* Four requests and no end marker: all four processed. */
	for (int i = 0; i < 4; i++)
		enter_ok(400 + i, pteh4k(40 + i), ptel_for(0, HV_PS_4K));
	uint64_t k[8];
	for (int i = 0; i < 4; i++) {
		k[2 * i] = H_BULK_REMOVE_REQUEST | (400 + i);
		k[2 * i + 1] = 0;
	}
	assert_int_equal(hpt_h_bulk_remove(&h, k), H_SUCCESS);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(k[2 * i], H_BULK_REMOVE_RESPONSE | (400 + i));
		assert_int_equal(raw(400 + i, 0), 0);
	}
	assert_int_equal(c.ntlb, 5);
}

/* ---- tlbie RB ---- */

struct rb_case {
	const char *name;
	int row;
	uint64_t b;         /* segment size */
	uint64_t vsid, off; /* VA = vsid || offset */
	int secondary;
};

static uint64_t expected_rb(const struct rb_case *t, uint64_t va)
{
	const struct hv_page_size *ps = &hv_page_sizes[t->row];
	unsigned int bs = ps->base_shift, as = ps->actual_shift;
	uint64_t rb = t->b << 8;
	if (bs == 12) {
		/* RB = VA bits 12..63, B, AP (actual size's L||LP). */
		rb |= va & ~0xfffull;
		if (as == 16)
			rb |= 5 << 5;
		else if (as == 24)
			rb |= 4 << 5;
	} else {
		/* RB = VA bits above the actual size, LP, AVAL (VA bits b..19), L. */
		rb |= va & ~((1ull << as) - 1);
		rb |= ((uint64_t)ps->penc << 12) & ((1ull << as) - 1);
		if (bs == 16)
			rb |= ((va >> 16) & 0xf) << 4;
		rb |= 1;
	}
	return rb;
}

static void tlbie_rb_for_each_size_and_segment(void **state)
{
	(void)state;
	static const struct rb_case cases[] = {
		{ "4K 256M", HV_PS_4K, 0, 0x3456789ull, 0x5a5b000, 0 },
		{ "4K 256M secondary", HV_PS_4K, 0, 0x3456789ull, 0x5a5b000, 1 },
		{ "4K 1T", HV_PS_4K, 1, 0x2345ull, 0x12345678000ull & ((1ull << 40) - 1), 0 },
		{ "64K in 4K 256M", HV_PS_4K_64K, 0, 0xabcdefull, 0x7650000, 0 },
		{ "64K 256M", HV_PS_64K, 0, 0xabcdefull, 0x7650000, 0 },
		{ "64K 1T", HV_PS_64K, 1, 0x1234ull, 0xfedcba0000ull, 0 },
		{ "64K 1T secondary", HV_PS_64K, 1, 0x1234ull, 0xfedcba0000ull, 1 },
		{ "16M 256M", HV_PS_16M, 0, 0x777777ull, 0xb000000, 0 },
		{ "16M 1T", HV_PS_16M, 1, 0x4321ull, 0x5b000000ull, 0 },
		{ "16M in 4K 256M", HV_PS_4K_16M, 0, 0x777777ull, 0xc000000, 0 },
		{ "16M in 64K 1T", HV_PS_64K_16M, 1, 0x4321ull, 0x6d000000ull, 0 },
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rb_case *t = &cases[i];
		const struct hv_page_size *ps = &hv_page_sizes[t->row];
		unsigned int sshift = t->b ? 40 : 28;
		uint64_t va = (t->vsid << sshift) | t->off;
		uint64_t hash = t->b ? t->vsid ^ (t->vsid << 25) ^ (t->off >> ps->base_shift)
				     : t->vsid ^ (t->off >> ps->base_shift);
		if (t->secondary)
			hash = ~hash;
		uint64_t ptex = ((hash & (NPTEGS - 1)) << 3) | 3;
		uint64_t pteh = pteh_for(va, t->b, t->row != HV_PS_4K, t->secondary);
		uint64_t ptel = ptel_for(32 * MiB, t->row);
		int before = c.ntlb;
		enter_ok(ptex, pteh, ptel);
		assert_int_equal(c.ntlb, before);
		uint64_t v, r;
		assert_int_equal(hpt_h_remove(&h, 0, ptex, 0, &v, &r), H_SUCCESS);
		assert_int_equal(c.ntlb, before + 1);
		if (c.rb[before] != expected_rb(t, va))
			fail_msg("%s: rb %#llx, want %#llx", t->name, (unsigned long long)c.rb[before],
				 (unsigned long long)expected_rb(t, va));
		assert_int_equal(hpt_tlbie_rb(pteh, ptel, ptex), expected_rb(t, va));
	}
}

/* ---- VRMA ---- */

static uint64_t vrma_ptex(uint64_t i, unsigned int shift)
{
	uint64_t vsid = VRMA_VSID, off = i << shift;
	uint64_t hash = (vsid ^ (vsid << 25) ^ (off >> shift)) & (NPTEGS - 1);
	return hash * 8 + 7;
}

static void vrma_install(void **state)
{
	(void)state;
	static const unsigned int shifts[] = { 12, 16, 24 };
	for (unsigned s = 0; s < 3; s++) {
		teardown(NULL);
		assert_int_equal(setup_ram(RAM), 0);
		unsigned int sh = shifts[s];
		uint64_t rma = sh == 24 ? 128 * MiB : (sh == 16 ? 64 * MiB : 8 * MiB);
		uint64_t n = rma >> sh;
		assert_int_equal(hpt_install_vrma(&h, rma, sh), H_SUCCESS);
		uint64_t owned = 0;
		for (uint64_t i = 0; i < NPTES; i++)
			owned += hpt_is_hv_owned(&h, i);
		assert_int_equal(owned, n);
		for (uint64_t i = 0; i < n; i++) {
			uint64_t ptex = vrma_ptex(i, sh);
			assert_true(hpt_is_hv_owned(&h, ptex));
			uint64_t v = raw(ptex, 0), r = raw(ptex, 1);
			uint64_t addr = i << sh;
			uint64_t want_v = (VRMA_VSID << 24) | ((addr >> 16) & ~0x7full) | HPTE_V_BOLTED | HPTE_V_VALID |
					  (sh > 12 ? HPTE_V_LARGE : 0);
			assert_int_equal(v, want_v);
			assert_int_equal((r >> 58) & 3, 1); /* 1 TB segment */
			assert_int_equal(r & HPTE_R_RPN_3_0 & ~((1ull << sh) - 1), HOST_BASE + addr);
			assert_int_equal(r & (HPTE_R_WIMG | HPTE_R_PP | HPTE_R_PP0), HPTE_R_M);
			assert_int_equal(hpt_page_size_index(hpt_new_to_old_v(v, r), hpt_new_to_old_r(r)),
					 sh == 12   ? HV_PS_4K
					 : sh == 16 ? HV_PS_64K
						    : HV_PS_16M);
		}
	}
}

static void vrma_install_errors(void **state)
{
	(void)state;
	assert_int_equal(hpt_install_vrma(&h, 16 * MiB, 13), H_PARAMETER);
	assert_int_equal(hpt_install_vrma(&h, 16 * MiB, 34), H_PARAMETER);
	assert_int_equal(hpt_install_vrma(&h, 0, 12), H_PARAMETER);
	assert_int_equal(hpt_install_vrma(&h, 16 * MiB + 4 * KiB, 16), H_PARAMETER);
	assert_int_equal(hpt_install_vrma(&h, RAM + 16 * MiB, 24), H_PARAMETER);
	/* More pages than PTEGs (2048): 16 MiB of 4K pages is 4096. */
	assert_int_equal(hpt_install_vrma(&h, 16 * MiB, 12), H_PARAMETER);
	/* A target slot in use: nothing is installed. */
	uint64_t busy = vrma_ptex(3, 16);
	enter_ok(busy, pteh4k(1), ptel_for(0, HV_PS_4K));
	assert_int_equal(hpt_install_vrma(&h, 16 * MiB, 16), H_PTEG_FULL);
	for (size_t i = 0; i < sizeof(bitmap); i++)
		assert_int_equal(bitmap[i], 0);
	assert_int_equal(raw(vrma_ptex(0, 16), 0), 0);
	/* Pages 0..2 avoid the busy slot. */
	assert_int_equal(hpt_install_vrma(&h, 3 * 64 * KiB, 16), H_SUCCESS);
	/* Installing over an installed VRMA is refused too. */
	assert_int_equal(hpt_install_vrma(&h, 3 * 64 * KiB, 16), H_PTEG_FULL);
}

static void vrma_slots_protected_from_guest(void **state)
{
	(void)state;
	assert_int_equal(hpt_install_vrma(&h, 16 * MiB, 24), H_SUCCESS);
	uint64_t slot = vrma_ptex(0, 24);
	uint64_t group = slot & ~7ull;
	uint8_t saved[16];
	memcpy(saved, table + slot * 16, 16);
	int sync0 = c.nsync;

	uint64_t out[8];
	assert_int_equal(hpt_h_read(&h, 0, slot, out), H_SUCCESS);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 0);
	assert_int_equal(hpt_h_read(&h, H_READ_4, slot, out), H_SUCCESS);
	assert_int_equal(out[6], 0);
	assert_int_equal(out[7], 0);

	uint64_t v, r, old;
	assert_int_equal(hpt_h_remove(&h, 0, slot, 0, &v, &r), H_NOT_FOUND);
	assert_int_equal(hpt_h_protect(&h, 3, slot, 0), H_NOT_FOUND);
	assert_int_equal(hpt_h_clear_ref(&h, 0, slot, &old), H_NOT_FOUND);
	assert_int_equal(hpt_h_clear_mod(&h, 0, slot, &old), H_NOT_FOUND);
	uint64_t args[8] = { H_BULK_REMOVE_REQUEST | slot, 0, H_BULK_REMOVE_END, 0, 0, 0, 0, 0 };
	assert_int_equal(hpt_h_bulk_remove(&h, args), H_SUCCESS);
	assert_int_equal(args[0], H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_NOT_FOUND | slot);
	assert_int_equal(enter(H_EXACT, slot, pteh4k(1), ptel_for(0, HV_PS_4K), NULL), H_PTEG_FULL);
	/* Without H_EXACT the search skips it: 7 slots, then full. */
	for (int i = 0; i < 7; i++) {
		uint64_t s;
		assert_int_equal(enter(0, group, pteh4k(1), ptel_for(0, HV_PS_4K), &s), H_SUCCESS);
		assert_int_not_equal(s, slot);
	}
	assert_int_equal(enter(0, slot, pteh4k(1), ptel_for(0, HV_PS_4K), NULL), H_PTEG_FULL);
	assert_int_equal(c.ntlb, 0);
	assert_memory_equal(table + slot * 16, saved, 16);
	assert_int_equal(c.nsync, sync0 + 7);
	/* Bolted, as KVM makes them. */
	assert_int_equal(raw(slot, 0) & HPTE_V_BOLTED, HPTE_V_BOLTED);
}

/* A slot reserved in the bitmap but not (yet) holding an entry is still the
 * hypervisor's: the search skips it, H_EXACT refuses it, reads show zeros. */
static void hv_owned_empty_slot_is_skipped(void **state)
{
	(void)state;
	bitmap[(8 * 20) >> 3] = 0x05; /* slots 160 and 162 */
	uint64_t s;
	assert_int_equal(enter(0, 8 * 20 + 6, pteh4k(1), ptel_for(0, HV_PS_4K), &s), H_SUCCESS);
	assert_int_equal(s, 161);
	assert_int_equal(enter(0, 8 * 20, pteh4k(1), ptel_for(0, HV_PS_4K), &s), H_SUCCESS);
	assert_int_equal(s, 163);
	assert_int_equal(enter(H_EXACT, 162, pteh4k(1), ptel_for(0, HV_PS_4K), NULL), H_PTEG_FULL);
	assert_int_equal(raw(160, 0) | raw(160, 1) | raw(162, 0) | raw(162, 1), 0);
	raw_set(162, 0, 0x1234); /* whatever the hypervisor keeps there */
	uint64_t out[8];
	assert_int_equal(hpt_h_read(&h, H_READ_4, 161, out), H_SUCCESS);
	assert_int_equal(out[0] | out[1] | out[4] | out[5], 0);
	assert_int_not_equal(out[2], 0);
}

static void vrma_ps_and_vrmasd(void **state)
{
	(void)state;
	assert_int_equal(hpt_vrma_ps_bits(12), 0);
	assert_int_equal(hpt_vrma_ps_bits(16), 0xa0);
	assert_int_equal(hpt_vrma_ps_bits(24), 0x80);
	assert_int_equal(hpt_vrma_ps_bits(20), UINT64_MAX);
	assert_int_equal(hpt_vrma_lpcr_vrmasd(12), 0);
	assert_int_equal(hpt_vrma_lpcr_vrmasd(16), 0x11ull << 47);
	assert_int_equal(hpt_vrma_lpcr_vrmasd(24), 0x10ull << 47);
	assert_int_equal(hpt_vrma_lpcr_vrmasd(24) & ~LPCR_VRMASD, 0);
	assert_int_equal(hpt_vrma_lpcr_vrmasd(34), UINT64_MAX);
}

static void accessors_are_big_endian(void **state)
{
	(void)state;
	uint64_t w[2] = { 0, 0 };
	hpt_st_raw(&w[0], 0x0102030405060708ull);
	const uint8_t *b = (const uint8_t *)w;
	for (int i = 0; i < 8; i++)
		assert_int_equal(b[i], i + 1);
	assert_int_equal(hpt_ld(&w[0]), 0x0102030405060708ull);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(page_size_decode_matches_qemu),
		T(page_size_table),
		T(init_validates_and_zeroes),
		T(format_conversion_round_trips),
		T(accessors_are_big_endian),
		T(enter_4k_stores_big_endian_new_format),
		T(enter_1t_segment_moves_b),
		T(enter_search_and_exact),
		T(enter_each_page_size),
		T(enter_rejects_misaligned_rpn),
		T(enter_rejects_rpn_outside_ram),
		T(enter_rejects_page_straddling_ram_end),
		T(enter_rejects_bad_wimg),
		T(enter_ptex_range),
		T(enter_flags),
		T(enter_masks_and_keeps_bits),
		T(remove_basic),
		T(remove_avpn_and_andcond),
		T(protect_sets_bits_from_flags),
		T(protect_avpn_and_errors),
		T(read_one_and_four),
		T(clear_ref),
		T(clear_mod),
		T(bulk_remove_responses),
		T(bulk_remove_end_and_malformed),
		T(tlbie_rb_for_each_size_and_segment),
		T(vrma_install),
		T(vrma_install_errors),
		T(vrma_slots_protected_from_guest),
		T(hv_owned_empty_slot_is_skipped),
		T(vrma_ps_and_vrmasd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
