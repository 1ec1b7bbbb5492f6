#include <string.h>
#include "drivers/pci/tce_window.h"
#include "hv/lib/bytes.h"

void tce_window_init(struct tce_window *w, uint64_t *table, uint64_t *bitmap, uint32_t entries, uint32_t page_shift,
		     uint64_t bus_base)
{
	memset(w, 0, sizeof(*w));
	w->table = table;
	w->bitmap = bitmap;
	w->entries = entries;
	w->page_shift = page_shift;
	w->bus_base = bus_base;
	memset(table, 0, (uint64_t)entries * 8);
	memset(bitmap, 0, entries / 8);
}

static bool in_use(const struct tce_window *w, uint32_t i)
{
	return w->bitmap[i / 64] >> (i % 64) & 1;
}

static void set_use(struct tce_window *w, uint32_t i, bool on)
{
	if (on)
		w->bitmap[i / 64] |= 1ull << (i % 64);
	else
		w->bitmap[i / 64] &= ~(1ull << (i % 64));
}

/* First run of n free entries at or after start, without wrapping; -1 if none. */
static int64_t find_run(const struct tce_window *w, uint32_t start, uint32_t n)
{
	uint32_t run = 0;
	for (uint32_t i = start; i < w->entries; i++) {
		if (!(i % 64) && w->bitmap[i / 64] == ~0ull) {
			run = 0;
			i += 63;
			continue;
		}
		run = in_use(w, i) ? 0 : run + 1;
		if (run == n)
			return (int64_t)(i + 1 - n);
	}
	return -1;
}

int tce_window_map(struct tce_window *w, uint64_t real, uint64_t len, uint64_t perm, uint64_t *bus)
{
	uint64_t page = 1ull << w->page_shift;
	if (!len || real + len < real || !(perm & (HOST_TCE_READ | HOST_TCE_WRITE))) {
		w->map_failures++;
		return -1;
	}
	uint64_t first = real & ~(page - 1), last = (real + len - 1) & ~(page - 1);
	uint64_t n = ((last - first) >> w->page_shift) + 1;
	if (n > w->entries - w->used) {
		w->map_failures++;
		return -1;
	}
	/* Next fit: freed entries are reused last, so a late DMA of a buggy
	 * device into a just-unmapped address hits nothing for a while. */
	int64_t at = find_run(w, w->next, (uint32_t)n);
	if (at < 0)
		at = find_run(w, 0, (uint32_t)n);
	if (at < 0) {
		w->map_failures++;
		return -1;
	}
	for (uint64_t i = 0; i < n; i++) {
		uint32_t e = (uint32_t)at + (uint32_t)i;
		set_use(w, e, true);
		be64_store(&w->table[e], (first + (i << w->page_shift)) | (perm & (HOST_TCE_READ | HOST_TCE_WRITE)));
	}
	w->used += (uint32_t)n;
	w->next = (uint32_t)((uint64_t)at + n) % w->entries;
	w->maps++;
	*bus = w->bus_base + ((uint64_t)at << w->page_shift) + (real - first);
	return 0;
}

int tce_window_unmap(struct tce_window *w, uint64_t bus, uint64_t len)
{
	if (!len || bus < w->bus_base || bus + len < bus)
		return -1;
	uint64_t off = bus - w->bus_base;
	uint64_t first = off >> w->page_shift, last = (off + len - 1) >> w->page_shift;
	if (last >= w->entries)
		return -1;
	for (uint64_t i = first; i <= last; i++)
		if (!in_use(w, (uint32_t)i))
			return -1;
	for (uint64_t i = first; i <= last; i++) {
		set_use(w, (uint32_t)i, false);
		be64_store(&w->table[i], 0);
	}
	w->used -= (uint32_t)(last - first + 1);
	return 0;
}

bool tce_window_translate(const struct tce_window *w, uint64_t bus, uint64_t *real, uint64_t *perm)
{
	if (bus < w->bus_base)
		return false;
	uint64_t i = (bus - w->bus_base) >> w->page_shift;
	if (i >= w->entries)
		return false;
	uint64_t tce = be64_load(&w->table[i]);
	if (!(tce & (HOST_TCE_READ | HOST_TCE_WRITE)))
		return false;
	uint64_t page = 1ull << w->page_shift;
	*real = (tce & ~(page - 1)) | (bus & (page - 1));
	*perm = tce & (HOST_TCE_READ | HOST_TCE_WRITE);
	return true;
}
