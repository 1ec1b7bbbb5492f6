/*
 * The hcall microbenchmark's guest (run by tests/bench/qemu/hcall_bench.py).
 * It waits for 'g' on its console, so the harness can start QEMU's
 * instruction trace, then makes a fixed sequence of hcalls and says "done".
 * The harness counts the hypervisor instructions of each call in the trace.
 */
#include "tests/guests/guest.h"
#include "papr.h"
#include "hv/mm/hpt.h"

#define N 256

static int got_go(void)
{
	uint64_t out[9];
	return hcall(H_GET_TERM_CHAR, out, VTY, 0, 0, 0, 0, 0) == H_SUCCESS && out[0] > 0 &&
	       (char)(out[1] >> 56) == 'g';
}

static uint64_t pteh_for(int i)
{
	return ((0x100000ull + (uint64_t)i) << 12) | HPTE_V_VALID; /* distinct AVPNs */
}

void guest_main(void)
{
	uint64_t out[9], args[8];
	gprintf("BENCH ready\n");
	while (!got_go())
		;
	for (int i = 0; i < N; i++)
		hcall(0x7f00, out, 0, 0, 0, 0, 0, 0);
	for (int i = 0; i < N; i++)
		hcall(H_SET_SPRG0, out, (uint64_t)i, 0, 0, 0, 0, 0);
	for (int i = 0; i < N; i++)
		hcall(H_ENTER, out, H_EXACT, (uint64_t)i * 8, pteh_for(i), 0x800000 | HPTE_R_M, 0, 0);
	for (int i = 0; i < N; i++)
		hcall(H_READ, out, 0, (uint64_t)i * 8, 0, 0, 0, 0);
	for (int i = 0; i < N / 2; i++)
		hcall(H_REMOVE, out, 0, (uint64_t)i * 8, 0, 0, 0, 0);
	for (int i = N / 2; i < N; i += 4) {
		for (int k = 0; k < 4; k++) {
			args[2 * k] = H_BULK_REMOVE_REQUEST | (uint64_t)(i + k) * 8;
			args[2 * k + 1] = 0;
		}
		hcall8(H_BULK_REMOVE, args);
	}
	for (int i = 0; i < 64; i++) /* 16 bytes a call, each a whole line */
		hcall(H_PUT_TERM_CHAR, out, VTY, 16, 0x62656e6368206f75ull, 0x747075742e2e2e0aull, 0, 0);
	int empty = 0;
	for (int i = 0; i < N; i++)
		empty += hcall(H_READ, out, 0, (uint64_t)i * 8, 0, 0, 0, 0) == H_SUCCESS && out[0] == 0;
	check(empty == N, "H_REMOVE and H_BULK_REMOVE emptied all %d slots (%d)", N, empty);
	gprintf("BENCH done\n");
}
