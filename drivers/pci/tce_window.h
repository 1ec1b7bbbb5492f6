/*
 * A device's DMA window through the PHB's IOMMU: a one-level TCE table the
 * hardware reads (big-endian entries: real page | write | read), and the
 * allocation of its I/O addresses. A device can reach only what is mapped
 * here, never the hypervisor or a partition it does not serve.
 *
 * Portable: the table is memory the caller provides; the caller tells the
 * hardware to forget cached entries (OPAL_PCI_TCE_KILL) after unmapping.
 * Not locked: drivers/pci/host_pci.c serialises callers.
 */
#ifndef DRIVERS_PCI_TCE_WINDOW_H
#define DRIVERS_PCI_TCE_WINDOW_H

#include <stdbool.h>
#include <stdint.h>

#define HOST_TCE_READ  1ull /* the device may read the page */
#define HOST_TCE_WRITE 2ull /* the device may write the page */

struct tce_window {
	uint64_t *table;  /* entries, big-endian, as the PHB reads them */
	uint64_t *bitmap; /* one bit per entry: in use */
	uint32_t entries;
	uint32_t page_shift;
	uint64_t bus_base; /* the device address of entry 0 */
	uint32_t next;     /* where the next search starts */
	uint32_t used;
	uint64_t maps, map_failures;
};

/* table: entries * 8 bytes; bitmap: entries / 8 bytes; entries a power of two >= 64. */
void tce_window_init(struct tce_window *w, uint64_t *table, uint64_t *bitmap, uint32_t entries, uint32_t page_shift,
		     uint64_t bus_base);
/* Maps [real, real + len) for the device with perm (HOST_TCE_READ|HOST_TCE_WRITE);
 * returns 0 and the device address of real in *bus, or -1 when the window
 * has no room (nothing is mapped then). len > 0. */
int tce_window_map(struct tce_window *w, uint64_t real, uint64_t len, uint64_t perm, uint64_t *bus);
/* Unmaps what tce_window_map returned for (bus, len); -1 when that is not
 * a mapped range of this window (nothing changes then). */
int tce_window_unmap(struct tce_window *w, uint64_t bus, uint64_t len);
/* The real address the device reaches at bus, or false when unmapped. */
bool tce_window_translate(const struct tce_window *w, uint64_t bus, uint64_t *real, uint64_t *perm);

#endif
