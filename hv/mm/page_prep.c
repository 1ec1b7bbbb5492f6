#include "hv/mm/page_prep.h"

bool page_prep_run(struct page_prep *pp, uint64_t host, uint64_t size, uint64_t flags, const struct page_prep_ops *ops)
{
	flags &= PAGE_PREP_FLAGS;
	if (pp->host != host || pp->size != size || pp->flags != flags || pp->done >= size) {
		pp->host = host;
		pp->size = size;
		pp->flags = flags;
		pp->done = 0;
	}
	while (pp->done < size) {
		uint64_t n = size - pp->done < PAGE_PREP_CHUNK ? size - pp->done : PAGE_PREP_CHUNK;
		if (flags & H_ZERO_PAGE)
			ops->zero(host + pp->done, n);
		if (flags & (H_ICACHE_INVALIDATE | H_ICACHE_SYNCHRONIZE))
			ops->icache_sync(host + pp->done, n);
		pp->done += n;
		if (pp->done < size && ops->should_stop())
			return false;
	}
	pp->size = 0; /* consumed: the next request starts afresh */
	pp->done = 0;
	return true;
}
