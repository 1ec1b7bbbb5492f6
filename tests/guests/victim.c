/*
 * The victim of the isolation test: fills 16 MiB with a pattern, then keeps
 * re-checking it and printing a heartbeat until told to stop on its console
 * ('q'), and reports whether anything changed. It shares the machine with
 * tests/guests/attacker.c.
 */
#include "tests/guests/guest.h"
#include "papr.h"

#define AREA  ((volatile uint64_t *)(uintptr_t)0x2000000)
#define WORDS ((16u << 20) / 8)

static uint64_t pattern(uint64_t i)
{
	return (i * 0x9e3779b97f4a7c15ull) ^ 0x5555aaaa5555aaaaull;
}

static uint64_t checksum(void)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (uint64_t i = 0; i < WORDS; i += 64) /* every 512th byte: fast under emulation */
		h = (h ^ AREA[i]) * 0x100000001b3ull;
	return h;
}

static int quit_requested(void)
{
	uint64_t out[9];
	if (hcall(H_GET_TERM_CHAR, out, VTY, 0, 0, 0, 0, 0) != H_SUCCESS)
		return 0;
	for (uint64_t i = 0; i < out[0] && i < 16; i++)
		if ((char)(out[1 + i / 8] >> (56 - 8 * (i % 8))) == 'q')
			return 1;
	return 0;
}

void guest_main(void)
{
	for (uint64_t i = 0; i < WORDS; i++)
		AREA[i] = pattern(i);
	uint64_t sum = checksum(), tb_s = guest_tb_freq(), t0 = mftb_g(), last = t0;
	gprintf("memory filled, checksum %016llx\n", (unsigned long long)sum);
	unsigned int rounds = 0, bad = 0;
	while (!quit_requested() && mftb_g() - t0 < 600 * tb_s) {
		bad += checksum() != sum;
		rounds++;
		if (mftb_g() - last > tb_s) {
			gprintf("alive, %u rounds, checksum %s\n", rounds, bad ? "CHANGED" : "unchanged");
			last = mftb_g();
		}
	}
	uint64_t full_bad = 0;
	for (uint64_t i = 0; i < WORDS; i++)
		full_bad += AREA[i] != pattern(i);
	check(bad == 0 && full_bad == 0, "memory unchanged (%u bad rounds, %llu bad words)", bad,
	      (unsigned long long)full_bad);
	check(rounds > 0, "the victim kept running (%u rounds)", rounds);
	gprintf("%u rounds, %llu words differ\n", rounds, (unsigned long long)full_bad);
}
