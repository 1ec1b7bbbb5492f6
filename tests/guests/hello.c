/* The smallest useful guest: console output, a couple of hcalls, power-off. */
#include "tests/guests/guest.h"
#include "papr.h"

void guest_main(void)
{
	uint64_t out[9];
	gprintf("hello from a guest\n");
	check(hcall(0x7f00, out, 0, 0, 0, 0, 0, 0) == H_FUNCTION, "unknown hcall gives H_FUNCTION");
	check(hcall(H_SET_SPRG0, out, 0x1234, 0, 0, 0, 0, 0) == H_SUCCESS, "H_SET_SPRG0");
	uint64_t sprg0;
	__asm__ volatile("mfsprg0 %0" : "=r"(sprg0));
	check(sprg0 == 0x1234, "SPRG0 is 0x1234 after H_SET_SPRG0 (got 0x%llx)", (unsigned long long)sprg0);
}
