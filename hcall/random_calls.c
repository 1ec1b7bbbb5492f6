/* H_RANDOM: POWER9's darn gives conditioned random numbers; all ones means it failed. */
#include "hcall/hcall.h"
#include "arch/insn.h"

static long h_random(struct vcpu *v)
{
	for (int i = 0; i < 16; i++) {
		uint64_t r = darn64();
		if (r != ~0ull) {
			v->gpr[4] = r;
			return H_SUCCESS;
		}
	}
	return H_HARDWARE;
}
HCALL(H_RANDOM, h_random, 0);
