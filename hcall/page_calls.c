/* H_PAGE_INIT: zero or copy a 4 KiB page inside the partition, with icache maintenance. */
#include <string.h>
#include "hcall/hcall.h"
#include "hv/partition.h"
#include "arch/cache.h"

static long h_page_init(struct vcpu *v)
{
	struct partition *p = v->part;
	uint64_t flags = v->gpr[4], dst = v->gpr[5], src = v->gpr[6];
	if (flags & ~(H_ICACHE_SYNCHRONIZE | H_ICACHE_INVALIDATE | H_COPY_PAGE | H_ZERO_PAGE))
		return H_PARAMETER;
	void *d = guest_ptr(p, dst, 4096);
	if ((dst & 4095) || !d)
		return H_PARAMETER;
	if (flags & H_COPY_PAGE) {
		void *s = guest_ptr(p, src, 4096);
		if ((src & 4095) || !s)
			return H_PARAMETER;
		memmove(d, s, 4096);
	} else if (flags & H_ZERO_PAGE) {
		memset(d, 0, 4096);
	}
	if (flags & (H_ICACHE_SYNCHRONIZE | H_ICACHE_INVALIDATE))
		icache_sync_range((uint64_t)(uintptr_t)d, 4096);
	return H_SUCCESS;
}
HCALL(H_PAGE_INIT, h_page_init, 0);
