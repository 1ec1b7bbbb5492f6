/*
 * Where a host function's memory BARs go in its PHB's 32-bit window. The
 * PHB routes the window to PEs by equal segments, so each function gets
 * segments of its own (its PE is then the only one its BARs decode for):
 * BARs largest first, each aligned to its size, starting on a fresh
 * segment. Portable.
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

/* Places n BARs; returns 0 with addr[i] for bars[i] and the function's
 * segments [*seg_first, *seg_first + *seg_count), or -1 when they do not
 * fit (the window is unchanged then). */
int bar_plan_function(struct bar_window *w, const struct bar_req *bars, unsigned int n, uint64_t *addr,
		      unsigned int *seg_first, unsigned int *seg_count);

#endif
