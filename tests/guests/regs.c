/*
 * Two of these share one hardware thread (tests/guests/bundles/regs.dts),
 * time-sliced. Each fills every register a guest can set with values of
 * its own, lets the other run, and checks that it finds its values again:
 * all 64 VSRs, FPSCR, VSCR and the SPRs a partition owns. A value of the
 * other partition, or of the hypervisor, is a leak.
 */
#include <string.h>
#include "tests/guests/guest.h"
#include "papr.h"

#define ROUNDS 40

void vsx_fill(const uint64_t buf[132]);
void vsx_dump(uint64_t buf[132]);

#define MSR_FP_VEC_VSX ((1ull << 13) | (1ull << 25) | (1ull << 23))

/* SPRs a guest kernel can write and read back, with the bits that hold
 * (key 0 stays open in AMR and IAMR: real mode goes through it). */
struct spr {
	const char *name;
	unsigned int nr;
	uint64_t mask;
};

static const struct spr sprs[] = {
	{ "SPRG0", 272, ~0ull },
	{ "SPRG1", 273, ~0ull },
	{ "SPRG2", 274, ~0ull },
	{ "SPRG3", 275, ~0ull },
	{ "DSCR", 17, 0x1ffffffull },
	{ "TAR", 815, ~3ull },
	{ "VRSAVE", 256, 0xffffffffull },
	{ "EBBHR", 804, ~3ull },
	{ "EBBRR", 805, ~3ull },
	{ "BESCR", 806, 0x8000000000000000ull },
	{ "TIDR", 144, ~0ull },
	{ "WORT", 895, 0xffffffull },
	{ "ACOP", 31, ~0ull },
	{ "IAMR", 61, 0x3fffffffffffffffull },
	{ "UAMOR", 157, ~0ull },
	{ "AMR", 29, 0x3fffffffffffffffull },
	{ "PSPB", 159, 0xffffffffull },
	{ "PMC1", 787, 0xffffffffull },
	{ "PMC2", 788, 0xffffffffull },
	{ "PMC3", 789, 0xffffffffull },
	{ "PMC4", 790, 0xffffffffull },
	{ "PMC5", 791, 0xffffffffull },
	{ "PMC6", 792, 0xffffffffull },
	{ "MMCR1", 798, ~0ull },
	{ "MMCRA", 786, 0xffffffffull },
	{ "SIAR", 796, ~0ull },
	{ "SDAR", 797, ~0ull },
	{ "PIDR", 48, 0xfffffull },
};
#define NSPRS (sizeof(sprs) / sizeof(sprs[0]))

/* mtspr/mfspr take the SPR number as an immediate: one case each. */
/* clang-format off */
#define SPR_CASES(X) \
	X(272) \
	X(273) \
	X(274) \
	X(275) \
	X(17) \
	X(815) \
	X(256) \
	X(804) \
	X(805) \
	X(806) \
	X(144) \
	X(895) \
	X(31) \
	X(61) \
	X(157) \
	X(29) \
	X(159) \
	X(787) \
	X(788) \
	X(789) \
	X(790) \
	X(791) \
	X(792) \
	X(798) \
	X(786) \
	X(796) \
	X(797) \
	X(48)
/* clang-format on */

static void spr_write(unsigned int nr, uint64_t v)
{
	switch (nr) {
#define W(n)                                                               \
	case n:                                                            \
		__asm__ volatile("mtspr " #n ",%0" : : "r"(v) : "memory"); \
		break;
		SPR_CASES(W)
#undef W
	}
}

static uint64_t spr_read(unsigned int nr)
{
	uint64_t v = 0;
	switch (nr) {
#define R(n)                                                \
	case n:                                             \
		__asm__ volatile("mfspr %0," #n : "=r"(v)); \
		break;
		SPR_CASES(R)
#undef R
	}
	return v;
}

static uint64_t seed;

static uint64_t value(unsigned int round, unsigned int i)
{
	uint64_t x = seed ^ ((uint64_t)round << 32) ^ (i * 0x9e3779b97f4a7c15ull);
	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ull;
	return x ^ (x >> 32);
}

static uint64_t fill[132] __attribute__((aligned(16))), dump[132] __attribute__((aligned(16)));

static void wait_ms(uint64_t ms)
{
	uint64_t end = mftb_g() + ms * (guest_tb_freq() / 1000);
	while ((int64_t)(mftb_g() - end) < 0)
		; /* no "or 1,1,1" here: that would change our own PPR */
}

void guest_main(void)
{
	seed = guest_mem_size() == 0x10000000 ? 0x5eed0001 : 0x5eed0002; /* the bundle gives each its size */
	mtmsrd_g(mfmsr_g() | MSR_FP_VEC_VSX);
	__asm__ volatile("mtspr 795,%0" : : "r"(0x80000000ull)); /* MMCR0: counters frozen, so they hold */
	unsigned int bad = 0, bad_vsx = 0, bad_fpscr = 0, bad_vscr = 0, bad_ppr = 0;
	unsigned int spr_bad[NSPRS] = { 0 };
	for (unsigned int r = 0; r < ROUNDS; r++) {
		for (unsigned int i = 0; i < 128; i++)
			fill[i] = value(r, i);
		fill[128] = value(r, 200) & 0xff; /* FPSCR: rounding mode and exception enables, no exceptions */
		fill[129] = 0;
		fill[130] = 0;
		fill[131] = value(r, 201) & 0x10000;             /* VSCR: NJ */
		uint64_t ppr = (2 + (seed & 1) + (r & 2)) << 50; /* priorities 2..5 */
		for (unsigned int i = 0; i < NSPRS; i++)
			spr_write(sprs[i].nr, value(r, 300 + i) & sprs[i].mask);
		__asm__ volatile("mtspr 896,%0" : : "r"(ppr));
		vsx_fill(fill);
		wait_ms(4); /* the other partition runs meanwhile (1 ms slices) */
		vsx_dump(dump);
		uint64_t ppr_now;
		__asm__ volatile("mfspr %0,896" : "=r"(ppr_now));
		bad_ppr += (ppr_now & (7ull << 50)) != ppr;
		for (unsigned int i = 0; i < NSPRS; i++)
			if ((spr_read(sprs[i].nr) & sprs[i].mask) != (value(r, 300 + i) & sprs[i].mask))
				spr_bad[i]++;
		for (unsigned int i = 0; i < 128; i++)
			bad_vsx += dump[i] != fill[i];
		bad_fpscr += (dump[128] & 0xff) != fill[128];
		bad_vscr += (dump[131] & 0x10000) != fill[131];
	}
	for (unsigned int i = 0; i < NSPRS; i++) {
		check(spr_bad[i] == 0, "%s kept its value in %u of %d rounds", sprs[i].name, ROUNDS - spr_bad[i],
		      ROUNDS);
		bad += spr_bad[i];
	}
	check(bad_vsx == 0, "the 64 VSRs kept their values (%u doublewords differed)", bad_vsx);
	check(bad_fpscr == 0, "FPSCR kept its value (%u rounds differed)", bad_fpscr);
	check(bad_vscr == 0, "VSCR kept its value (%u rounds differed)", bad_vscr);
	check(bad_ppr == 0, "PPR kept its value (%u rounds differed)", bad_ppr);
	gprintf("%u rounds, %u register values lost\n", ROUNDS, bad + bad_vsx + bad_fpscr + bad_vscr + bad_ppr);
}
