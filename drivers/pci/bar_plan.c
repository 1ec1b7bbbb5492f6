#include "drivers/pci/bar_plan.h"

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

int bar_plan_function(struct bar_window *w, const struct bar_req *bars, unsigned int n, uint64_t *addr,
		      unsigned int *seg_first, unsigned int *seg_count)
{
	uint64_t end = w->pci_base + w->size;
	uint64_t start = align_up(w->next > w->pci_base ? w->next : w->pci_base, w->segment), at = start;
	if (start >= end)
		return -1;
	bool placed[16] = { false };
	if (n > 16)
		return -1;
	for (unsigned int k = 0; k < n; k++) {
		/* the largest BAR not yet placed */
		int best = -1;
		for (unsigned int i = 0; i < n; i++)
			if (!placed[i] && (best < 0 || bars[i].size > bars[best].size))
				best = (int)i;
		uint64_t size = bars[best].size;
		if (size < 16 || (size & (size - 1)) || size > w->size)
			return -1;
		at = align_up(at, size);
		if (at >= end || size > end - at)
			return -1;
		addr[best] = at;
		placed[best] = true;
		at += size;
	}
	uint64_t stop = align_up(at > start ? at : start + 1, w->segment);
	*seg_first = (unsigned int)((start - w->pci_base) / w->segment);
	*seg_count = (unsigned int)((stop - start) / w->segment);
	w->next = stop;
	return 0;
}
