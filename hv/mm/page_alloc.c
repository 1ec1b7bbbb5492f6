#include <string.h>
#include "hv/mm/page_alloc.h"

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}
static uint64_t round_down(uint64_t v, uint64_t a)
{
	return v & ~(a - 1);
}

void palloc_init(struct palloc *pa)
{
	memset(pa, 0, sizeof(*pa));
}

static void remove_at(struct palloc *pa, unsigned int i)
{
	memmove(&pa->free[i], &pa->free[i + 1], (pa->nfree - i - 1) * sizeof(pa->free[0]));
	pa->nfree--;
}

static enum palloc_err insert_at(struct palloc *pa, unsigned int i, uint64_t start, uint64_t end)
{
	if (pa->nfree == PALLOC_MAX_EXTENTS)
		return PALLOC_EFULL;
	memmove(&pa->free[i + 1], &pa->free[i], (pa->nfree - i) * sizeof(pa->free[0]));
	pa->free[i].start = start;
	pa->free[i].end = end;
	pa->nfree++;
	return PALLOC_OK;
}

/* Inserts a free extent, merging with neighbours; refuses any overlap. */
static enum palloc_err insert_free(struct palloc *pa, uint64_t start, uint64_t end)
{
	unsigned int i = 0;
	while (i < pa->nfree && pa->free[i].start < start)
		i++;
	if (i > 0 && pa->free[i - 1].end > start)
		return PALLOC_EOVERLAP;
	if (i < pa->nfree && pa->free[i].start < end)
		return PALLOC_EOVERLAP;

	bool join_prev = i > 0 && pa->free[i - 1].end == start;
	bool join_next = i < pa->nfree && pa->free[i].start == end;
	if (join_prev && join_next) {
		pa->free[i - 1].end = pa->free[i].end;
		remove_at(pa, i);
	} else if (join_prev) {
		pa->free[i - 1].end = end;
	} else if (join_next) {
		pa->free[i].start = start;
	} else {
		enum palloc_err e = insert_at(pa, i, start, end);
		if (e)
			return e;
	}
	pa->free_bytes += end - start;
	return PALLOC_OK;
}

enum palloc_err palloc_add(struct palloc *pa, uint64_t start, uint64_t end)
{
	if (end < start || start > UINT64_MAX - PAGE_SIZE)
		return PALLOC_EINVAL;
	start = round_up(start, PAGE_SIZE);
	end = round_down(end, PAGE_SIZE);
	if (end <= start)
		return PALLOC_OK; /* less than a page: nothing usable */
	enum palloc_err e = insert_free(pa, start, end);
	if (!e)
		pa->total += end - start;
	return e;
}

/* Takes [start, end) out of the free list wherever it is free. */
static enum palloc_err carve(struct palloc *pa, uint64_t start, uint64_t end)
{
	for (unsigned int i = 0; i < pa->nfree; i++) {
		struct extent *x = &pa->free[i];
		if (x->end <= start || x->start >= end)
			continue;
		uint64_t cut_s = x->start > start ? x->start : start;
		uint64_t cut_e = x->end < end ? x->end : end;
		pa->free_bytes -= cut_e - cut_s;
		if (cut_s == x->start && cut_e == x->end) {
			remove_at(pa, i);
			i--;
		} else if (cut_s == x->start) {
			x->start = cut_e;
		} else if (cut_e == x->end) {
			x->end = cut_s;
		} else {
			uint64_t old_end = x->end;
			x->end = cut_s;
			enum palloc_err e = insert_at(pa, i + 1, cut_e, old_end);
			if (e) {
				x->end = old_end; /* undo: leave the extent whole */
				pa->free_bytes += cut_e - cut_s;
				return e;
			}
			i++;
		}
	}
	return PALLOC_OK;
}

enum palloc_err palloc_reserve(struct palloc *pa, uint64_t start, uint64_t end)
{
	if (end < start)
		return PALLOC_EINVAL;
	if (end == start)
		return PALLOC_OK;
	start = round_down(start, PAGE_SIZE);
	end = end > UINT64_MAX - PAGE_SIZE ? round_down(UINT64_MAX, PAGE_SIZE) : round_up(end, PAGE_SIZE);
	return carve(pa, start, end);
}

enum palloc_err palloc_alloc(struct palloc *pa, uint64_t size, uint64_t align, uint64_t *out)
{
	if (size == 0 || size > UINT64_MAX / 2 || align < PAGE_SIZE || (align & (align - 1)))
		return PALLOC_EINVAL;
	size = round_up(size, PAGE_SIZE);
	for (unsigned int i = 0; i < pa->nfree; i++) {
		struct extent *x = &pa->free[i];
		if (x->start > UINT64_MAX - align)
			continue;
		uint64_t s = round_up(x->start, align);
		if (s >= x->end || x->end - s < size)
			continue;
		enum palloc_err e = carve(pa, s, s + size);
		if (e)
			return e;
		*out = s;
		return PALLOC_OK;
	}
	return PALLOC_ENOMEM;
}

enum palloc_err palloc_free(struct palloc *pa, uint64_t addr, uint64_t size)
{
	if (size == 0 || (addr & (PAGE_SIZE - 1)) || addr > UINT64_MAX - size)
		return PALLOC_EINVAL;
	return insert_free(pa, addr, addr + round_up(size, PAGE_SIZE));
}

bool palloc_is_allocated(const struct palloc *pa, uint64_t start, uint64_t end)
{
	for (unsigned int i = 0; i < pa->nfree; i++)
		if (pa->free[i].start < end && pa->free[i].end > start)
			return false;
	return true;
}

const char *palloc_strerror(enum palloc_err e)
{
	switch (e) {
	case PALLOC_OK:
		return "ok";
	case PALLOC_ENOMEM:
		return "out of memory";
	case PALLOC_EINVAL:
		return "invalid size or alignment";
	case PALLOC_EOVERLAP:
		return "range overlaps free memory";
	case PALLOC_EFULL:
		return "too many free extents";
	}
	return "unknown error";
}
