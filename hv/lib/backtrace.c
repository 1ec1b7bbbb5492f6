#include <stddef.h>
#include "hv/lib/backtrace.h"

#define FRAME_LR_SAVE 16 /* ELFv2: caller's frame keeps our LR at 16(sp) */

unsigned int backtrace_walk(uint64_t sp, uint64_t lo, uint64_t hi, uint64_t *out, unsigned int max)
{
	unsigned int n = 0;
	while (n < max && sp >= lo && sp <= hi - 8 && !(sp & 7)) {
		uint64_t next = *(const uint64_t *)(uintptr_t)sp;
		if (next == 0 || next <= sp || next > hi - FRAME_LR_SAVE - 8 || (next & 7))
			break;
		uint64_t lr = *(const uint64_t *)(uintptr_t)(next + FRAME_LR_SAVE);
		if (lr == 0)
			break;
		out[n++] = lr;
		sp = next;
	}
	return n;
}
