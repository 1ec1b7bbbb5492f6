/*
 * The page-frame-table hcalls, checked by their effect on real translation:
 * a mapping made with H_ENTER is used with MSR[DR] = 1, H_PROTECT makes a
 * store fault, H_REMOVE makes a load fault, the hardware's R and C bits show
 * through H_READ / H_CLEAR_REF / H_CLEAR_MOD. Every invalid argument gets its
 * PAPR error and changes nothing.
 */
#include <string.h>
#include "tests/guests/guest.h"
#include "papr.h"
#include "hv/mm/hpt.h"

#define SLB_V        (1ull << 27)
#define SLB_L_LP_64K 0x110ull
#define SLB_L_16M    0x100ull
#define DSISR_NOPTE  0x40000000ull
#define DSISR_PROT   0x08000000ull

static uint64_t nptegs_mask, nptes;

static void slb_set(int index, uint64_t esid, uint64_t vsid, uint64_t flags)
{
	uint64_t rs = (vsid << 12) | flags, rb = (esid << 28) | SLB_V | (uint64_t)index;
	__asm__ volatile("slbmte %0,%1; isync" : : "r"(rs), "r"(rb) : "memory");
}

/* Primary-hash PTEG of a page in a 256 MB segment. */
static uint64_t pteg_of(uint64_t vsid, uint64_t ea, unsigned int shift)
{
	return ((vsid ^ ((ea & 0x0fffffffull) >> shift)) & nptegs_mask) * 8;
}

static uint64_t pteh_of(uint64_t vsid, uint64_t ea, unsigned int shift)
{
	uint64_t va = (vsid << 28) | (ea & 0x0fffffffull);
	uint64_t avpn = (va >> 23) << 7;
	if (shift == 24)
		avpn &= ~(1ull << 7); /* the low AVPN bit is a page-offset bit for 16M */
	return avpn | (shift > 12 ? HPTE_V_LARGE : 0) | HPTE_V_VALID;
}

static uint64_t ptel_of(uint64_t ra, unsigned int shift, uint64_t pp)
{
	uint64_t lp = shift == 16 ? (0x1ull << 12) : 0; /* penc of 64K in a 64K segment; 16M is 0 */
	return ra | lp | HPTE_R_M | pp;
}

static uint64_t counter(int i)
{
	return fault_info[i];
}

static void test_4k_mapping(void)
{
	const uint64_t vsid = 0x12345, ea = 0x100000000ull + 0x5000, ra = 0x800000;
	uint64_t out[9], *target = (uint64_t *)(uintptr_t)ra;
	target[0] = 0x1111222233334444ull;
	slb_set(1, ea >> 28, vsid, 0);
	uint64_t ptex = pteg_of(vsid, ea, 12), pteh = pteh_of(vsid, ea, 12), ptel = ptel_of(ra, 12, 0);

	uint64_t dsi = counter(2);
	check(vload(ea) == ~0ull && counter(2) == dsi + 1 && (fault_info[1] & DSISR_NOPTE),
	      "load from an unmapped page faults with DSISR 'no PTE'");

	long rc = hcall(H_ENTER, out, 0, ptex, pteh, ptel, 0, 0);
	check(rc == H_SUCCESS && out[0] >= ptex && out[0] < ptex + 8, "H_ENTER 4K: rc %ld slot %llu", rc,
	      (unsigned long long)out[0]);
	uint64_t slot = out[0];
	check(vload(ea) == 0x1111222233334444ull, "translated load reads the mapped page");
	vstore(ea + 8, 0xabcdefull);
	check(target[1] == 0xabcdefull, "translated store lands in the mapped page");

	rc = hcall(H_READ, out, 0, slot, 0, 0, 0, 0);
	check(rc == H_SUCCESS && out[0] == pteh && (out[1] & HPTE_R_RPN) == ra &&
		      (out[1] & (HPTE_R_R | HPTE_R_C)) == (HPTE_R_R | HPTE_R_C),
	      "H_READ returns the guest's entry with R and C set by the accesses (%llx %llx)",
	      (unsigned long long)out[0], (unsigned long long)out[1]);
	rc = hcall(H_READ, out, H_READ_4, slot, 0, 0, 0, 0);
	check(rc == H_SUCCESS && out[2 * (slot & 3)] == pteh, "H_READ_4 returns four entries, ours among them");

	rc = hcall(H_CLEAR_MOD, out, 0, slot, 0, 0, 0, 0);
	check(rc == H_SUCCESS && (out[0] & HPTE_R_C), "H_CLEAR_MOD returns the old C bit");
	hcall(H_READ, out, 0, slot, 0, 0, 0, 0);
	check(!(out[1] & HPTE_R_C), "C is clear after H_CLEAR_MOD");
	rc = hcall(H_CLEAR_REF, out, 0, slot, 0, 0, 0, 0);
	check(rc == H_SUCCESS && (out[0] & HPTE_R_R), "H_CLEAR_REF returns the old R bit");
	hcall(H_READ, out, 0, slot, 0, 0, 0, 0);
	check(!(out[1] & HPTE_R_R), "R is clear after H_CLEAR_REF");
	vstore(ea + 16, 7);
	hcall(H_READ, out, 0, slot, 0, 0, 0, 0);
	check((out[1] & HPTE_R_C) != 0, "a store after H_CLEAR_MOD sets C again (stale TLB flushed)");

	/* Read-only: stores fault with a protection DSISR, loads still work. */
	rc = hcall(H_PROTECT, out, HPTE_R_PP, slot, 0, 0, 0, 0);
	check(rc == H_SUCCESS, "H_PROTECT to read-only: rc %ld", rc);
	dsi = counter(2);
	vstore(ea + 8, 0x666);
	check(counter(2) == dsi + 1 && (fault_info[1] & DSISR_PROT) && target[1] == 0xabcdefull,
	      "a store to a read-only page faults (DSISR %llx) and changes nothing", (unsigned long long)fault_info[1]);
	check(vload(ea) == 0x1111222233334444ull, "a load from the read-only page still works");
	rc = hcall(H_PROTECT, out, 0, slot, 0, 0, 0, 0);
	vstore(ea + 8, 0x777);
	check(rc == H_SUCCESS && target[1] == 0x777, "H_PROTECT back to read-write allows stores");
	check(hcall(H_PROTECT, out, H_AVPN, slot, pteh ^ 0x80, 0, 0, 0) == H_NOT_FOUND,
	      "H_PROTECT with a wrong AVPN is H_NOT_FOUND");

	/* Removing: the old entry comes back and the page is gone. */
	check(hcall(H_REMOVE, out, H_AVPN, slot, pteh ^ 0x80, 0, 0, 0) == H_NOT_FOUND,
	      "H_REMOVE with a wrong AVPN is H_NOT_FOUND and keeps the entry");
	check(vload(ea) == 0x1111222233334444ull, "the entry survived the refused H_REMOVE");
	check(hcall(H_REMOVE, out, H_ANDCOND, slot, HPTE_V_VALID, 0, 0, 0) == H_NOT_FOUND,
	      "H_REMOVE with H_ANDCOND on a set bit is H_NOT_FOUND");
	rc = hcall(H_REMOVE, out, H_AVPN, slot, pteh & ~0x7full, 0, 0, 0);
	check(rc == H_SUCCESS && out[0] == pteh && (out[1] & HPTE_R_RPN) == ra,
	      "H_REMOVE returns the old entry: rc %ld", rc);
	dsi = counter(2);
	check(vload(ea) == ~0ull && counter(2) == dsi + 1, "a load after H_REMOVE faults (TLB was flushed)");
	check(hcall(H_REMOVE, out, 0, slot, 0, 0, 0, 0) == H_NOT_FOUND, "H_REMOVE of an empty slot is H_NOT_FOUND");
}

static void test_large_pages(void)
{
	uint64_t out[9];
	/* 64K pages in a 64K segment. */
	const uint64_t vsid64 = 0x2468, ea64 = 0x200000000ull + 0x30000, ra64 = 0x1230000;
	*(volatile uint64_t *)(uintptr_t)(ra64 + 0x8008) = 0x6464;
	slb_set(2, ea64 >> 28, vsid64, SLB_L_LP_64K);
	long rc = hcall(H_ENTER, out, 0, pteg_of(vsid64, ea64, 16), pteh_of(vsid64, ea64, 16), ptel_of(ra64, 16, 0), 0,
			0);
	check(rc == H_SUCCESS, "H_ENTER 64K: rc %ld", rc);
	check(vload(ea64 + 0x8008) == 0x6464, "a 64K page maps all 64 KiB (offset 0x8008 read)");
	check(hcall(H_REMOVE, out, 0, out[0], 0, 0, 0, 0) == H_SUCCESS, "H_REMOVE of the 64K page");
	uint64_t dsi = counter(2);
	check(vload(ea64 + 0x8008) == ~0ull && counter(2) == dsi + 1,
	      "the 64K page is gone from the TLB after H_REMOVE");
	check(hcall(H_ENTER, out, 0, pteg_of(vsid64, ea64, 16), pteh_of(vsid64, ea64, 16),
		    ptel_of(ra64 + 0x2000, 16, 0), 0, 0) == H_PARAMETER,
	      "a 64K page at a misaligned address (its low bits read as LP 0x3) is H_PARAMETER");

	/* 16M pages in a 16M segment. */
	const uint64_t vsid16 = 0x3579, ea16 = 0x300000000ull + 0x2000000, ra16 = 0x2000000;
	*(volatile uint64_t *)(uintptr_t)(ra16 + 0xabc000) = 0x1616;
	slb_set(3, ea16 >> 28, vsid16, SLB_L_16M);
	rc = hcall(H_ENTER, out, 0, pteg_of(vsid16, ea16, 24), pteh_of(vsid16, ea16, 24), ptel_of(ra16, 24, 0), 0, 0);
	check(rc == H_SUCCESS, "H_ENTER 16M: rc %ld", rc);
	check(vload(ea16 + 0xabc000) == 0x1616, "a 16M page maps all 16 MiB (offset 0xabc000 read)");
	check(hcall(H_REMOVE, out, 0, out[0], 0, 0, 0, 0) == H_SUCCESS, "H_REMOVE of the 16M page");
	dsi = counter(2);
	check(vload(ea16 + 0xabc000) == ~0ull && counter(2) == dsi + 1,
	      "the 16M page is gone from the TLB after H_REMOVE");
	uint64_t mem = guest_mem_size();
	check(hcall(H_ENTER, out, 0, pteg_of(vsid16, ea16, 24), pteh_of(vsid16, ea16, 24), ptel_of(mem, 24, 0), 0, 0) ==
		      H_PARAMETER,
	      "a 16M page just past the partition's memory is H_PARAMETER");
}

static void test_bulk_remove(void)
{
	const uint64_t vsid = 0x7777, base = 0x400000000ull;
	uint64_t out[9], args[8], slots[4];
	slb_set(4, base >> 28, vsid, 0);
	for (int i = 0; i < 4; i++) {
		uint64_t ea = base + (uint64_t)i * 0x1000;
		hcall(H_ENTER, out, 0, pteg_of(vsid, ea, 12), pteh_of(vsid, ea, 12),
		      ptel_of(0x900000 + i * 0x1000ull, 12, 0), 0, 0);
		slots[i] = out[0];
		check(vload(ea) == *(uint64_t *)(uintptr_t)(0x900000 + i * 0x1000ull), "page %d mapped for bulk remove",
		      i);
	}
	for (int i = 0; i < 4; i++) {
		args[2 * i] = H_BULK_REMOVE_REQUEST | H_BULK_REMOVE_AVPN | slots[i];
		args[2 * i + 1] = pteh_of(vsid, base + (uint64_t)i * 0x1000, 12) & ~0x7full;
	}
	long rc = hcall8(H_BULK_REMOVE, args);
	check(rc == H_SUCCESS, "H_BULK_REMOVE of four entries: rc %ld", rc);
	for (int i = 0; i < 4; i++) {
		check((args[2 * i] & H_BULK_REMOVE_TYPE) == H_BULK_REMOVE_RESPONSE &&
			      (args[2 * i] & H_BULK_REMOVE_CODE) == H_BULK_REMOVE_SUCCESS,
		      "bulk response %d is success (%llx)", i, (unsigned long long)args[2 * i]);
		uint64_t dsi = counter(2);
		check(vload(base + (uint64_t)i * 0x1000) == ~0ull && counter(2) == dsi + 1,
		      "page %d gone after bulk remove", i);
	}
	/* Again: every entry is now "not found"; a bad type is a parameter error. */
	for (int i = 0; i < 4; i++)
		args[2 * i] = H_BULK_REMOVE_REQUEST | slots[i];
	hcall8(H_BULK_REMOVE, args);
	check((args[0] & H_BULK_REMOVE_CODE) == H_BULK_REMOVE_NOT_FOUND,
	      "bulk remove of a removed entry reports not found");
	args[0] = H_BULK_REMOVE_RESPONSE | slots[0];
	args[2] = H_BULK_REMOVE_END;
	check(hcall8(H_BULK_REMOVE, args) == H_PARAMETER, "a bulk request of type 'response' is H_PARAMETER");
	args[0] = H_BULK_REMOVE_REQUEST | nptes;
	args[2] = H_BULK_REMOVE_END;
	rc = hcall8(H_BULK_REMOVE, args);
	check(rc == H_PARAMETER || (args[0] & H_BULK_REMOVE_CODE) == H_BULK_REMOVE_PARM,
	      "a bulk request beyond the HPT is refused (rc %ld, %llx)", rc, (unsigned long long)args[0]);
}

static void test_invalid_arguments(void)
{
	const uint64_t vsid = 0x4242, ea = 0x500000000ull;
	uint64_t out[9];
	uint64_t ptex = pteg_of(vsid, ea, 12), pteh = pteh_of(vsid, ea, 12), mem = guest_mem_size();
	check(hcall(H_ENTER, out, 0, nptes, pteh, ptel_of(0x800000, 12, 0), 0, 0) == H_PARAMETER,
	      "H_ENTER ptex beyond the HPT");
	check(hcall(H_ENTER, out, 0, ~0ull, pteh, ptel_of(0x800000, 12, 0), 0, 0) == H_PARAMETER, "H_ENTER ptex ~0");
	check(hcall(H_ENTER, out, 0, ptex, pteh, ptel_of(mem, 12, 0), 0, 0) == H_PARAMETER,
	      "H_ENTER of the page after the partition's memory");
	check(hcall(H_ENTER, out, 0, ptex, pteh, ptel_of(0x40000000000ull, 12, 0), 0, 0) == H_PARAMETER,
	      "H_ENTER of a far real address");
	check(hcall(H_ENTER, out, 0, ptex, pteh, 0x800000 | HPTE_R_I | HPTE_R_G, 0, 0) == H_PARAMETER,
	      "H_ENTER of RAM cache-inhibited");
	check(hcall(H_ENTER, out, 0, ptex, pteh, 0x800000 | HPTE_R_W | HPTE_R_M, 0, 0) == H_PARAMETER,
	      "H_ENTER of RAM write-through");
	check(hcall(H_ENTER, out, 0, ptex, pteh | HPTE_V_LARGE, ptel_of(0x800000, 12, 0) | (0xffull << 12), 0, 0) ==
		      H_PARAMETER,
	      "H_ENTER with an undecodable page size");
	check(hcall(H_READ, out, 0, nptes, 0, 0, 0, 0) == H_PARAMETER, "H_READ ptex beyond the HPT");
	check(hcall(H_REMOVE, out, 0, nptes + 8, 0, 0, 0, 0) == H_PARAMETER, "H_REMOVE ptex beyond the HPT");
	check(hcall(H_PROTECT, out, 0, nptes, 0, 0, 0, 0) == H_PARAMETER, "H_PROTECT ptex beyond the HPT");
	check(hcall(H_CLEAR_REF, out, 0, nptes, 0, 0, 0, 0) == H_PARAMETER, "H_CLEAR_REF ptex beyond the HPT");
	check(hcall(H_CLEAR_MOD, out, 0, nptes, 0, 0, 0, 0) == H_PARAMETER, "H_CLEAR_MOD ptex beyond the HPT");

	/* A full PTEG: H_EXACT into a used slot and a search both give H_PTEG_FULL. */
	int used = 0;
	for (int i = 0; i < 8; i++)
		used += hcall(H_ENTER, out, H_EXACT, ptex + (uint64_t)i, pteh, ptel_of(0x800000, 12, 0), 0, 0) ==
			H_SUCCESS;
	check(used == 8, "eight H_EXACT entries fill a PTEG (%d)", used);
	check(hcall(H_ENTER, out, 0, ptex, pteh, ptel_of(0x800000, 12, 0), 0, 0) == H_PTEG_FULL,
	      "H_ENTER into a full PTEG");
	check(hcall(H_ENTER, out, H_EXACT, ptex + 3, pteh, ptel_of(0x800000, 12, 0), 0, 0) == H_PTEG_FULL,
	      "H_EXACT onto a used slot");
	for (int i = 0; i < 8; i++)
		hcall(H_REMOVE, out, 0, ptex + (uint64_t)i, 0, 0, 0, 0);
}

/* The VRMA entries that map our own real mode are the hypervisor's: we see
 * a PTEG with slots we cannot take or remove, and real mode keeps working. */
static void test_vrma_is_protected(void)
{
	const uint64_t vrma_vsid = 0x1ffffff;
	uint64_t hash = (vrma_vsid ^ (vrma_vsid << 25) ^ 0) & nptegs_mask, ptex = hash * 8, out[9];
	int owned = -1;
	for (int i = 0; i < 8 && owned < 0; i++) {
		long rc = hcall(H_ENTER, out, H_EXACT, ptex + (uint64_t)i, pteh_of(0x55, 0, 12),
				ptel_of(0x800000, 12, 0), 0, 0);
		if (rc == H_PTEG_FULL)
			owned = i;
		else
			hcall(H_REMOVE, out, 0, ptex + (uint64_t)i, 0, 0, 0, 0);
	}
	check(owned >= 0, "the VRMA entry for guest-real 0 occupies a slot of its PTEG");
	if (owned < 0)
		return;
	check(hcall(H_REMOVE, out, 0, ptex + (uint64_t)owned, 0, 0, 0, 0) == H_NOT_FOUND,
	      "H_REMOVE of the VRMA slot is refused");
	check(hcall(H_PROTECT, out, HPTE_R_PP, ptex + (uint64_t)owned, 0, 0, 0, 0) == H_NOT_FOUND,
	      "H_PROTECT of the VRMA slot is refused");
	hcall(H_READ, out, 0, ptex + (uint64_t)owned, 0, 0, 0, 0);
	check(out[0] == 0 && out[1] == 0, "H_READ does not reveal the VRMA entry (host address)");
	uint64_t args[8] = { H_BULK_REMOVE_REQUEST | (ptex + (uint64_t)owned), 0, H_BULK_REMOVE_END };
	hcall8(H_BULK_REMOVE, args);
	check((args[0] & H_BULK_REMOVE_CODE) != H_BULK_REMOVE_SUCCESS, "H_BULK_REMOVE of the VRMA slot is refused");
	volatile uint64_t *low = (volatile uint64_t *)(uintptr_t)0x1000;
	*low = 0x5a5a;
	check(*low == 0x5a5a, "real mode still works");
}

/* Guest userspace may not make hcalls: its "sc 1" is the guest kernel's
 * system call, as on KVM, never served by the hypervisor. Problem state
 * needs translation, so a 16M page maps EA 0 to guest-real 0 for it. */
static void test_hcall_from_problem_state(void)
{
	const uint64_t vsid = 0x4242;
	uint64_t out[9];
	slb_set(4, 0, vsid, SLB_L_16M);
	long rc = hcall(H_ENTER, out, 0, pteg_of(vsid, 0, 24), pteh_of(vsid, 0, 24), ptel_of(0, 24, 2), 0, 0);
	check(rc == H_SUCCESS, "H_ENTER of a user-accessible 16M page at 0: rc %ld", rc);
	uint64_t ptex = out[0];
	uint64_t r3 = user_sc1(H_RANDOM, 0x30); /* MSR[IR, DR] */
	check(syscall_info[2] == (uint64_t)(uintptr_t)user_sc1_after && r3 == H_RANDOM,
	      "sc 1 from problem state comes back as our system call (SRR0 %llx, r3 %llx)",
	      (unsigned long long)syscall_info[2], (unsigned long long)r3);
	check(syscall_info[3] & 0x4000, "the system call's SRR1 says problem state (%llx)",
	      (unsigned long long)syscall_info[3]);
	check(!(mfmsr_g() & 0x4000), "back in supervisor state afterwards");
	hcall(H_REMOVE, out, 0, ptex, 0, 0, 0, 0);
	__asm__ volatile("slbie %0; isync" : : "r"(0ull) : "memory");
}

void guest_main(void)
{
	unsigned int shift = guest_hpt_shift();
	nptes = (1ull << shift) / 16;
	nptegs_mask = nptes / 8 - 1;
	gprintf("HPT of 2^%u bytes (%llu entries)\n", shift, (unsigned long long)nptes);
	check(shift >= 18, "the device tree gives ibm,pft-size");
	test_4k_mapping();
	test_large_pages();
	test_bulk_remove();
	test_invalid_arguments();
	test_vrma_is_protected();
	test_hcall_from_problem_state();
	check(counter(3) == 0, "no unexpected interrupt (%llu, last at %llx)", (unsigned long long)counter(3),
	      (unsigned long long)counter(4));
}
