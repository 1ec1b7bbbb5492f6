/*
 * The victim of tests/guests/rogue.c: counts how far it gets and the
 * longest time it was kept off its thread, for a while of guest time, and
 * prints "meter: ... rounds, longest stall N ms" every second; 'q' on its
 * console ends it.
 */
#include "tests/guests/guest.h"
#include "papr.h"

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
	uint64_t tb_ms = guest_tb_freq() / 1000, t0 = mftb_g(), last = t0, report = t0, stall = 0, rounds = 0;
	/* With external interrupts on, as a kernel runs: an interrupt that is
	 * not its own (a doorbell another partition rang) would show. */
	__asm__ volatile("mtdec %0" : : "r"(0x7fffffffull));
	mtmsrd_g(mfmsr_g() | 0x8000);
	while (mftb_g() - t0 < 300000 * tb_ms) {
		uint64_t now = mftb_g();
		if (now - last > stall)
			stall = now - last;
		last = now;
		rounds++;
		if (now - report > 1000 * tb_ms) {
			gprintf("meter: %llu rounds, longest stall %llu ms\n", (unsigned long long)rounds,
				(unsigned long long)(stall / tb_ms));
			report = now;
			if (quit_requested())
				break;
			last = mftb_g();
		}
	}
	mtmsrd_g(mfmsr_g() & ~0x8000ull);
	check(rounds > 0, "the meter ran");
	check(fault_info[3] == 0, "no interrupt it did not ask for (%llu)", (unsigned long long)fault_info[3]);
}
