/*
 * Where a host function's memory BARs go. Portable.
 *
 * The 32-bit window: the PHB routes it to PEs by equal segments, so each
 * function gets segments of its own (its PE is then the only one its BARs
 * decode for): BARs largest first, each aligned to its size, starting on a
 * fresh segment.
 *
 * The 64-bit window: a function's 64-bit prefetchable BARs share one region
 * of their own, a naturally aligned power of two that one of the PHB's M64
 * BARs decodes for the function's PE alone (single-PE mode).
 */
#ifndef DRIVERS_PCI_BAR_PLAN_H
#define DRIVERS_PCI_BAR_PLAN_H

#include <stdbool.h>
#include <stdint.h>

struct bar_window {
	uint64_t pci_base, size, segment; /* segment: a power of two dividing the window */
	uint64_t next;                    /* first free PCI address */
};

struct bar_req {
	unsigned int index; /* BAR number */
	uint64_t size;      /* a power of two >= 16 */
};

/* The smallest M64 region: PHB4 masks in 4 KiB units; 1 MiB keeps clear of
 * any finer limit of the hardware at no cost in a window of gigabytes. */
#define BAR_REGION_MIN (1ull << 20)

/* Places n BARs; returns 0 with addr[i] for bars[i] and the function's
 * segments [*seg_first, *seg_first + *seg_count), or -1 when they do not
 * fit (the window is unchanged then). */
int bar_plan_function(struct bar_window *w, const struct bar_req *bars, unsigned int n, uint64_t *addr,
		      unsigned int *seg_first, unsigned int *seg_count);

/* Places n BARs in a region of their own in w (its segment is not used);
 * returns 0 with addr[i] for bars[i] and the region, or -1 when they do
 * not fit (the window is unchanged then). */
int bar_plan_region(struct bar_window *w, const struct bar_req *bars, unsigned int n, uint64_t *addr,
		    uint64_t *region_base, uint64_t *region_size);

#endif
