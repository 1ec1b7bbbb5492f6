#include "drivers/pci/bar_plan.h"

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* Lays the BARs out from start, largest first, each aligned to its size;
 * returns the end, or 0 when one is not a power of two >= 16 or the
 * layout passes end. */
static uint64_t pack(const struct bar_req *bars, unsigned int n, uint64_t start, uint64_t end, uint64_t *addr)
{
	bool placed[16] = { false };
	uint64_t at = start;
	if (n > 16)
		return 0;
	for (unsigned int k = 0; k < n; k++) {
		int best = -1;
		for (unsigned int i = 0; i < n; i++)
			if (!placed[i] && (best < 0 || bars[i].size > bars[best].size))
				best = (int)i;
		uint64_t size = bars[best].size;
		if (size < 16 || (size & (size - 1)) || size > end - start)
			return 0;
		at = align_up(at, size);
		if (at >= end || size > end - at)
			return 0;
		addr[best] = at;
		placed[best] = true;
		at += size;
	}
	return at;
}

int bar_plan_function(struct bar_window *w, const struct bar_req *bars, unsigned int n, uint64_t *addr,
		      unsigned int *seg_first, unsigned int *seg_count)
{
	uint64_t end = w->pci_base + w->size;
	uint64_t start = align_up(w->next > w->pci_base ? w->next : w->pci_base, w->segment);
	if (start >= end)
		return -1;
	uint64_t at = pack(bars, n, start, end, addr);
	if (!at)
		return -1;
	uint64_t stop = align_up(at > start ? at : start + 1, w->segment);
	*seg_first = (unsigned int)((start - w->pci_base) / w->segment);
	*seg_count = (unsigned int)((stop - start) / w->segment);
	w->next = stop;
	return 0;
}

int bar_plan_region(struct bar_window *w, const struct bar_req *bars, unsigned int n, uint64_t *addr,
		    uint64_t *region_base, uint64_t *region_size)
{
	uint64_t end = w->pci_base + w->size;
	if (!n)
		return -1;
	/* sorted largest first, power-of-two sizes leave no holes: the
	 * layout from 0 ends at their sum */
	uint64_t sum = pack(bars, n, 0, w->size, addr);
	if (!sum)
		return -1;
	uint64_t size = BAR_REGION_MIN;
	while (size < sum)
		size <<= 1;
	uint64_t base = align_up(w->next > w->pci_base ? w->next : w->pci_base, size);
	if (size > w->size || base < w->pci_base || base >= end || size > end - base)
		return -1;
	for (unsigned int i = 0; i < n; i++)
		addr[i] += base;
	*region_base = base;
	*region_size = size;
	w->next = base + size;
	return 0;
}
