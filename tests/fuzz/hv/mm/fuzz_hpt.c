/*
 * Fuzzes the HPT engine: the input is a configuration (RAM size, VRMA) and a
 * sequence of page-table hcalls with arbitrary or half-valid arguments
 * against a 256 KiB HPT. After each call the touched groups are checked, and
 * after the sequence the whole table:
 *  - a slot that is neither valid nor absent is all zero;
 *  - a valid guest slot decodes to an offered page size, has B 0 or 1, WIMG
 *    = M, and maps a page entirely inside [host_ram_base, host_ram_base +
 *    ram_size) or inside the mapped range's host memory (read-only there
 *    when the range is);
 *  - an absent slot is not valid and holds a guest-real page beyond RAM;
 *  - hpt_lookup finds only entries the table holds, at their addresses;
 *  - the hypervisor-owned (VRMA) slots are byte-for-byte unchanged;
 *  - hooks only see in-range pages and sane tlbie operands;
 *  - return codes are ones the hcall may give.
 * ASan/UBSan catch out-of-bounds accesses.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "papr.h"
#include "hv/mm/hpt.h"
#include "hv/mm/hpt_lookup.h"
#include "hv/mm/page_sizes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SHIFT     18
#define NPTES     (1ull << (SHIFT - 4))
#define HOST_BASE 0x100000000ull
#define MAX_CALLS 128
#define MMIO      (1ull << 45) /* emulated window, 4 GiB */
#define SHM       (MMIO + 0x10000000ull)
#define SHM_SIZE  (32ull << 20)
#define SHM_HOST  0x800000000ull

#define CHECK(cond)                                                                                   \
	do {                                                                                          \
		if (!(cond)) {                                                                        \
			fprintf(stderr, "invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
			abort();                                                                      \
		}                                                                                     \
	} while (0)

struct input {
	const uint8_t *p;
	size_t n;
};

static uint64_t take(struct input *in, unsigned int bytes)
{
	uint64_t x = 0;
	for (unsigned int i = 0; i < bytes; i++) {
		x <<= 8;
		if (in->n) {
			x |= *in->p++;
			in->n--;
		}
	}
	return x;
}

static uint8_t *table;
static uint8_t bitmap[NPTES / 8];
static uint8_t hv_saved[NPTES][16]; /* contents of the owned slots */
static struct hpt h;
static uint64_t ram_size;
static uint64_t vrma_slots[2048];
static unsigned int nvrma;
static bool shm_read_only, shm_present;

static bool in_shm_host(uint64_t a, uint64_t s)
{
	return a >= SHM_HOST && a - SHM_HOST + s <= SHM_SIZE;
}

static void check_page(uint64_t a, uint64_t s)
{
	if (s == 0) /* emulated: nothing to prepare */
		return;
	CHECK(s == 4096 || s == 65536 || s == (16u << 20));
	CHECK((a & (s - 1)) == 0);
	CHECK((a >= HOST_BASE && a - HOST_BASE + s <= ram_size) || in_shm_host(a, s));
}

static void tlb_hook(void *ctx, uint64_t rb)
{
	(void)ctx;
	CHECK(((rb >> 8) & 3) <= 1); /* B: never a reserved value */
}

static void check_slot(uint64_t i)
{
	const uint64_t *p = h.table + 2 * i;
	uint64_t v = hpt_ld(p), r = hpt_ld(p + 1);
	if (hpt_is_hv_owned(&h, i)) {
		CHECK(memcmp(p, hv_saved[i], 16) == 0);
		return;
	}
	if (!(v & (HPTE_V_VALID | HPTE_V_ABSENT))) {
		CHECK(v == 0 && r == 0);
		return;
	}
	CHECK((v >> 52) == 0);
	CHECK(((r >> HPTE_R_3_0_SSIZE_SHIFT) & 3) <= 1);
	CHECK((r & (HPTE_R_TS | 0x0200000000000000ull)) == 0);
	int ps = hpt_page_size_index(hpt_new_to_old_v(v, r), hpt_new_to_old_r(r));
	CHECK(ps >= 0);
	uint64_t sz = 1ull << hv_page_sizes[ps].actual_shift;
	uint64_t addr = r & HPTE_R_RPN_3_0 & ~(sz - 1);
	if (v & HPTE_V_ABSENT) {
		CHECK(!(v & HPTE_V_VALID));
		CHECK(addr >= MMIO && addr - MMIO + sz <= (1ull << 32));
		return;
	}
	CHECK((r & HPTE_R_WIMG) == HPTE_R_M);
	if (in_shm_host(addr, sz)) {
		CHECK(shm_present);
		/* Read-only memory: no PP that lets either key store (000, 001,
		 * 010 and the reserved 101, 111). */
		uint64_t pp = r & HPTE_R_PP;
		CHECK(!shm_read_only || ((r & HPTE_R_PP0) ? !(pp & 1) : pp == 3));
		return;
	}
	CHECK(addr >= HOST_BASE && addr - HOST_BASE + sz <= ram_size);
}

static void check_group(uint64_t ptex)
{
	if (ptex >= NPTES)
		return;
	for (uint64_t i = ptex & ~7ull; i < (ptex & ~7ull) + 8; i++)
		check_slot(i);
}

/* Flags: mostly meaningful bits, sometimes anything. */
static uint64_t pick_flags(struct input *in)
{
	static const uint64_t bits[] = {
		H_EXACT,   H_ZERO_PAGE, H_ICACHE_INVALIDATE, H_ICACHE_SYNCHRONIZE, H_COALESCE_CAND,    H_AVPN,
		H_ANDCOND, H_READ_4,    H_PROTECT_PP0,       H_PROTECT_KEY_HI,     H_PROTECT_LOW_BITS,
	};
	uint8_t mode = (uint8_t)take(in, 1);
	if (mode >= 0xf0)
		return take(in, 8);
	uint64_t f = 0;
	uint16_t sel = (uint16_t)take(in, 2);
	for (unsigned i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (sel & (1u << i))
			f |= bits[i];
	return f;
}

static uint64_t pick_ptex(struct input *in)
{
	uint8_t mode = (uint8_t)take(in, 1);
	if (mode >= 0xf0)
		return take(in, 8);
	if (mode >= 0xe0 && nvrma)
		return vrma_slots[take(in, 2) % nvrma];
	return take(in, 2) % (NPTES + 8); /* a few past the end */
}

static void pick_entry(struct input *in, uint64_t *pteh, uint64_t *ptel)
{
	uint8_t mode = (uint8_t)take(in, 1);
	if (mode >= 0xf0) {
		*pteh = take(in, 8);
		*ptel = take(in, 8);
		return;
	}
	int row = (int)(take(in, 1) % HV_NUM_PAGE_SIZES);
	const struct hv_page_size *ps = &hv_page_sizes[row];
	uint64_t sz = 1ull << ps->actual_shift;
	uint64_t va = take(in, 6) << 12;
	uint64_t b = mode & 3;
	*pteh = ((va >> 23) << 7) | (b << 62) | (take(in, 1) & 0x7f) | HPTE_V_VALID;
	*pteh = row == HV_PS_4K ? *pteh & ~HPTE_V_LARGE : *pteh | HPTE_V_LARGE;
	uint64_t gpa = (take(in, 3) << 12) % (ram_size + (ram_size >> 3)) & ~(sz - 1);
	uint64_t low = take(in, 2);
	uint64_t wimg = (low & 0x8000) ? (low & HPTE_R_WIMG) : HPTE_R_M;
	if (mode & 0x08) { /* beyond RAM: the emulated window or the mapped range */
		gpa = ((mode & 0x04) ? SHM + (take(in, 3) << 12) % (SHM_SIZE + SHM_SIZE / 8)
				     : MMIO + (take(in, 4) << 12) % ((1ull << 32) + (1ull << 28))) &
		      ~(sz - 1);
		wimg = (low & 0x8000) ? (low & HPTE_R_WIMG) : HPTE_R_I | HPTE_R_G;
	}
	*ptel = gpa | (low & (HPTE_R_R | HPTE_R_C | HPTE_R_KEY_LO | HPTE_R_N | HPTE_R_PP)) | wimg |
		(mode & 0x40 ? HPTE_R_PP0 : 0) | (mode & 0x20 ? HPTE_R_KEY_HI : 0);
	if (row != HV_PS_4K)
		*ptel |= (uint64_t)ps->penc << HPTE_R_LP_SHIFT;
	if (mode & 0x10) /* perturb the LP / low RPN bits */
		*ptel ^= (take(in, 2) & 0xfff) << 12;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };

	if (!table)
		table = aligned_alloc(1ull << SHIFT, 1ull << SHIFT);
	uint8_t cfg = (uint8_t)take(&in, 1);
	ram_size = (16ull << 20) * (1 + (cfg & 7)) + ((cfg & 0x08) ? 64 * 1024 : 0);
	CHECK(hpt_init(&h, table, SHIFT, bitmap, ram_size, HOST_BASE) == 0);
	h.tlb_invalidate = tlb_hook;
	shm_read_only = cfg & 0x40;
	shm_present = true;
	CHECK(hpt_add_range(&h, MMIO, 1ull << 32, 0, false) == 0);
	CHECK(hpt_add_range(&h, SHM, SHM_SIZE, SHM_HOST, shm_read_only) == 0);

	/* VRMA: 4K, 64K or 16M pages, or none. */
	nvrma = 0;
	unsigned int vsel = (cfg >> 4) & 3;
	if (vsel) {
		unsigned int sh = vsel == 1 ? 12 : vsel == 2 ? 16 : 24;
		uint64_t pages = 1 + take(&in, 1) % (vsel == 1 ? 2048 : 64);
		long rc = hpt_install_vrma(&h, pages << sh, sh);
		CHECK(rc == H_SUCCESS || rc == H_PARAMETER);
		for (uint64_t i = 0; i < NPTES; i++) {
			if (hpt_is_hv_owned(&h, i)) {
				CHECK(nvrma < 2048);
				vrma_slots[nvrma++] = i;
				memcpy(hv_saved[i], h.table + 2 * i, 16);
				CHECK(hpt_ld(h.table + 2 * i) & HPTE_V_VALID);
			}
		}
		CHECK(rc != H_SUCCESS || nvrma == pages);
	}

	for (int call = 0; call < MAX_CALLS && in.n; call++) {
		uint8_t op = (uint8_t)take(&in, 1) % 10;
		uint64_t flags = pick_flags(&in);
		uint64_t ptex = pick_ptex(&in);
		uint64_t a, b, out[8];
		long rc;
		switch (op) {
		case 0: {
			uint64_t pteh, ptel;
			pick_entry(&in, &pteh, &ptel);
			/* Repeated, so that groups fill up. */
			unsigned int rep = 1 + (unsigned int)(take(&in, 1) & 7);
			for (unsigned int k = 0; k < rep; k++) {
				uint64_t host = 0, psize = 0;
				long page_rc = hpt_h_enter_page(&h, flags, ptex, pteh, ptel, &host, &psize);
				if (page_rc == H_SUCCESS)
					check_page(host, psize); /* what H_ZERO_PAGE may touch */
				rc = hpt_h_enter(&h, flags, ptex, pteh, ptel, &a);
				CHECK(rc == page_rc);
				CHECK(rc == H_SUCCESS || rc == H_PARAMETER || rc == H_PTEG_FULL);
				if (rc != H_SUCCESS)
					break;
				CHECK(a < NPTES && (a & ~7ull) == (ptex & ~7ull));
				CHECK(!(flags & H_EXACT) || a == ptex);
				CHECK(!hpt_is_hv_owned(&h, a));
				CHECK(hpt_h_read(&h, 0, a, out) == H_SUCCESS);
				CHECK(out[0] == hpt_new_to_old_v(hpt_old_to_new_v((pteh & ~0x60ull) | 1),
								 hpt_old_to_new_r(pteh, 0)));
			}
			break;
		}
		case 1:
			rc = hpt_h_remove(&h, flags, ptex, take(&in, 1) ? take(&in, 8) : 0, &a, &b);
			CHECK(rc == H_SUCCESS || rc == H_PARAMETER || rc == H_NOT_FOUND);
			if (rc == H_SUCCESS)
				CHECK(hpt_ld(h.table + 2 * ptex) == 0 && (a & HPTE_V_VALID));
			break;
		case 2:
			rc = hpt_h_protect(&h, flags, ptex, take(&in, 1) ? take(&in, 8) : 0);
			CHECK(rc == H_SUCCESS || rc == H_PARAMETER || rc == H_NOT_FOUND);
			break;
		case 3:
			rc = hpt_h_read(&h, flags, ptex, out);
			CHECK(rc == H_SUCCESS || rc == H_PARAMETER);
			break;
		case 4: {
			uint64_t args[8];
			for (int i = 0; i < 8; i += 2) {
				uint8_t m = (uint8_t)take(&in, 1);
				uint64_t t = m >> 6;
				args[i] = (t << 62) | ((uint64_t)(m & 3) << 56) |
					  ((m & 0x20) ? take(&in, 7) : pick_ptex(&in) & H_BULK_REMOVE_PTEX);
				args[i + 1] = take(&in, 1) ? take(&in, 8) : 0;
			}
			uint64_t req[8];
			memcpy(req, args, sizeof(req));
			rc = hpt_h_bulk_remove(&h, args);
			CHECK(rc == H_SUCCESS || rc == H_PARAMETER);
			for (int i = 0; i < 8; i += 2) {
				CHECK(args[i + 1] == req[i + 1]);
				if (args[i] != req[i]) {
					CHECK((args[i] & H_BULK_REMOVE_TYPE) == H_BULK_REMOVE_RESPONSE);
					CHECK((args[i] & (H_BULK_REMOVE_PTEX | H_BULK_REMOVE_FLAGS)) ==
					      (req[i] & (H_BULK_REMOVE_PTEX | H_BULK_REMOVE_FLAGS)));
				}
				check_group(req[i] & H_BULK_REMOVE_PTEX);
			}
			break;
		}
		case 5:
			rc = hpt_h_clear_ref(&h, flags, ptex, &a);
			CHECK(rc == H_SUCCESS || rc == H_PARAMETER || rc == H_NOT_FOUND);
			break;
		case 6:
			rc = hpt_h_clear_mod(&h, flags, ptex, &a);
			CHECK(rc == H_SUCCESS || rc == H_PARAMETER || rc == H_NOT_FOUND);
			break;
		case 7: /* the mapped range withdrawn, or declared again */
			rc = H_SUCCESS;
			if (shm_present)
				hpt_remove_range(&h, SHM, true);
			else
				CHECK(hpt_add_range(&h, SHM, SHM_SIZE, SHM_HOST, shm_read_only) == 0);
			shm_present = !shm_present;
			for (uint64_t i = 0; i < NPTES; i++)
				check_slot(i);
			break;
		case 8: { /* a fault's lookup, for an arbitrary segment and address */
			rc = H_SUCCESS;
			uint64_t slb = take(&in, 8), ea = take(&in, 8);
			struct hpt_match m;
			if (!hpt_lookup(&h, slb, ea, &m))
				break;
			CHECK(m.ptex < NPTES);
			uint64_t v = hpt_ld(h.table + 2 * m.ptex);
			CHECK(v & (HPTE_V_VALID | HPTE_V_ABSENT));
			CHECK(m.absent == !(v & HPTE_V_VALID));
			CHECK(m.shift == 12 || m.shift == 16 || m.shift == 24);
			CHECK((m.gpa & ((1ull << m.shift) - 1)) == (ea & ((1ull << m.shift) - 1)));
			if (!m.absent)
				CHECK((m.host >= HOST_BASE && m.host - HOST_BASE < ram_size) ||
				      in_shm_host(m.host, 1) || hpt_is_hv_owned(&h, m.ptex));
			(void)hpt_pp_allows(slb, m.r, ea & 1, ea & 2);
			break;
		}
		default:
			rc = H_SUCCESS;
			if (ptex < NPTES && !hpt_is_hv_owned(&h, ptex))
				(void)hpt_make_present(&h, ptex);
			break;
		}
		CHECK(rc != H_PARAMETER || op == 0 || op == 4 || ptex >= NPTES);
		check_group(ptex);
	}
	for (uint64_t i = 0; i < NPTES; i++)
		check_slot(i);
	return 0;
}
