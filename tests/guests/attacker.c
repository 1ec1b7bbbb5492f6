/*
 * A hostile partition: tries to reach memory that is not its own through
 * every hcall that takes an address or an index, sends malformed lists, then
 * a seeded storm of random hcall numbers and arguments, and finally touches
 * memory past its end in real mode (which must stop it, and only it).
 */
#include "tests/guests/guest.h"
#include "papr.h"
#include "hv/mm/hpt.h"

#define STORM_CALLS 1000000u

static uint64_t rng_state;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Mostly random words, sometimes small numbers or near-boundary values,
 * so that both the checks and the paths behind them are reached. */
static uint64_t arg(uint64_t mem, uint64_t nptes)
{
	switch (rnd() % 8) {
	case 0:
		return rnd() % 8;
	case 1:
		return rnd() % nptes;
	case 2:
		return nptes + rnd() % 64;
	case 3:
		return mem - 4096 + (rnd() % 8192);
	case 4:
		return (rnd() % (mem >> 12)) << 12;
	case 5:
		return ~0ull - rnd() % 16;
	default:
		return rnd();
	}
}

static const uint64_t known[] = {
	H_REMOVE,       H_ENTER,       H_READ,      H_CLEAR_MOD,     H_CLEAR_REF,
	H_PROTECT,      H_SET_SPRG0,   H_PAGE_INIT, H_GET_TERM_CHAR, H_PUT_TERM_CHAR,
	H_REGISTER_VPA, H_CONFER,      H_PROD,      H_BULK_REMOVE,   H_GET_CPU_CHARACTERISTICS,
	H_RANDOM,       KVMPPC_H_RTAS,
};

static void targeted(uint64_t mem, uint64_t nptes)
{
	uint64_t out[9], pteh = (0x999ull << 12) | HPTE_V_VALID;
	const uint64_t far[] = { mem, mem + 0x1000000, 0x100000000ull, 1ull << 40, 0x0ffffffffffff000ull };
	for (unsigned int i = 0; i < sizeof(far) / sizeof(far[0]); i++) {
		check(hcall(H_ENTER, out, 0, 0, pteh, far[i] | HPTE_R_M, 0, 0) == H_PARAMETER,
		      "H_ENTER of real page 0x%llx is refused", (unsigned long long)far[i]);
		check(hcall(H_ENTER, out, 0, 0, pteh | HPTE_V_LARGE, far[i] | HPTE_R_M, 0, 0) == H_PARAMETER,
		      "H_ENTER of large page 0x%llx is refused", (unsigned long long)far[i]);
		check(hcall(H_PAGE_INIT, out, H_ZERO_PAGE, far[i], 0, 0, 0, 0) == H_PARAMETER,
		      "H_PAGE_INIT zeroing 0x%llx is refused", (unsigned long long)far[i]);
		check(hcall(H_PAGE_INIT, out, H_COPY_PAGE, 0x3000000, far[i], 0, 0, 0) == H_PARAMETER,
		      "H_PAGE_INIT copying from 0x%llx is refused", (unsigned long long)far[i]);
		check(hcall(H_REGISTER_VPA, out, 1ull << 45, 0, far[i], 0, 0, 0) == H_PARAMETER,
		      "H_REGISTER_VPA at 0x%llx is refused", (unsigned long long)far[i]);
		check(hcall(KVMPPC_H_RTAS, out, far[i], 0, 0, 0, 0, 0) == H_PARAMETER,
		      "RTAS arguments at 0x%llx are refused", (unsigned long long)far[i]);
	}
	check(hcall(H_REGISTER_VPA, out, 1ull << 45, 0, 0x3000000 + 8, 0, 0, 0) == H_PARAMETER, "unaligned VPA");
	const uint64_t bad_ptex[] = { nptes, nptes + 7, nptes * 2, 1ull << 63, ~0ull };
	for (unsigned int i = 0; i < sizeof(bad_ptex) / sizeof(bad_ptex[0]); i++) {
		uint64_t x = bad_ptex[i];
		check(hcall(H_ENTER, out, H_EXACT, x, pteh, 0x800000 | HPTE_R_M, 0, 0) == H_PARAMETER,
		      "H_ENTER at index %llx", (unsigned long long)x);
		check(hcall(H_REMOVE, out, 0, x, 0, 0, 0, 0) == H_PARAMETER, "H_REMOVE at index %llx",
		      (unsigned long long)x);
		check(hcall(H_READ, out, H_READ_4, x, 0, 0, 0, 0) == H_PARAMETER, "H_READ at index %llx",
		      (unsigned long long)x);
		check(hcall(H_PROTECT, out, 0, x, 0, 0, 0, 0) == H_PARAMETER, "H_PROTECT at index %llx",
		      (unsigned long long)x);
		check(hcall(H_CLEAR_REF, out, 0, x, 0, 0, 0, 0) == H_PARAMETER, "H_CLEAR_REF at index %llx",
		      (unsigned long long)x);
		check(hcall(H_CLEAR_MOD, out, 0, x, 0, 0, 0, 0) == H_PARAMETER, "H_CLEAR_MOD at index %llx",
		      (unsigned long long)x);
	}
	/* Malformed bulk lists: every shape of tsh, indexes out of range, no end marker. */
	for (int round = 0; round < 2000; round++) {
		uint64_t args[8];
		for (int i = 0; i < 8; i++)
			args[i] = (i & 1) ? rnd() : ((rnd() & 0xff00000000000000ull) | arg(mem, nptes));
		long rc = hcall8(H_BULK_REMOVE, args);
		check(rc == H_SUCCESS || rc == H_PARAMETER, "H_BULK_REMOVE of a malformed list: rc %ld", rc);
	}
}

static void storm(uint64_t mem, uint64_t nptes, uint64_t seed)
{
	uint64_t out[9], ok = 0, refused = 0;
	rng_state = seed;
	for (unsigned int n = 0; n < STORM_CALLS; n++) {
		uint64_t nr;
		switch (rnd() % 4) {
		case 0:
			nr = rnd();
			break; /* anything */
		case 1:
			nr = (rnd() % 0x500) & ~3ull;
			break; /* the PAPR range */
		default:
			nr = known[rnd() % (sizeof(known) / sizeof(known[0]))];
		}
		/* Calls that would only hurt the attacker itself in ways that stop the test:
		 * sleeping, debug watchpoints on its own code, interrupt modes. */
		if (nr == H_CEDE || nr == H_SET_DABR || nr == H_SET_XDABR || nr == H_SET_MODE)
			continue;
		uint64_t a[8];
		for (int i = 0; i < 8; i++)
			a[i] = arg(mem, nptes);
		if (nr == H_PAGE_INIT && a[1] < mem) /* keep its own code and data */
			a[1] = 0x3000000 + (a[1] & 0xfff000);
		/* A VPA or DTL the hypervisor updates on every dispatch: in memory it can spare. */
		if (nr == H_REGISTER_VPA && a[2] < mem)
			a[2] = 0x3000000 + (a[2] & 0xfff000);
		if (nr == H_PUT_TERM_CHAR && (a[0] == VTY || a[0] == 0)) /* vty 0 is the default vty */
			a[1] = 0;
		long rc = nr == H_BULK_REMOVE ? hcall8(nr, a) : hcall(nr, out, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (rc == H_SUCCESS)
			ok++;
		else
			refused++;
	}
	gprintf("storm of %u hcalls (seed %llx): %llu succeeded, %llu refused\n", STORM_CALLS, (unsigned long long)seed,
		(unsigned long long)ok, (unsigned long long)refused);
}

void guest_main(void)
{
	uint64_t mem = guest_mem_size(), nptes = (1ull << guest_hpt_shift()) / 16, seed = 0x5eed5eed12345ull;
	uint64_t out[9];
	if (hcall(H_RANDOM, out, 0, 0, 0, 0, 0, 0) == H_SUCCESS)
		seed ^= out[0] & 0xffff;
	rng_state = seed;
	targeted(mem, nptes);
	gprintf("targeted attacks done, %u refused as expected, %u not\n", checks_passed, checks_failed);
	storm(mem, nptes, seed);
	/* Past the end of its memory in real mode: nothing answers there, which
	 * is a machine check for it (at 0x200: it registered no FWNMI), and no
	 * one else's business. */
	volatile uint64_t *past = (volatile uint64_t *)(uintptr_t)(mem + 0x10000);
	uint64_t before = fault_info[3], msr0 = mfmsr_g();
	(void)*past;
	check(fault_info[3] == before + 1, "a read past its memory is a machine check (%llu interrupts)",
	      (unsigned long long)(fault_info[3] - before));
	*past = 1;
	check(fault_info[3] == before + 2, "so is a write (%llu interrupts)",
	      (unsigned long long)(fault_info[3] - before));
	check(mfmsr_g() == msr0, "and it goes on as it was");
	gprintf("machine checks for its reads and writes past its memory\n");
}
