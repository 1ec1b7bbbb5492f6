/*
 * The emulated registers in one partition's guest-real address space:
 * device models register regions; each trapped access is looked up by
 * address and handed to its region's ops. An address no region claims
 * reads as all ones and drops writes, as a PCI master abort does. The
 * caller serialises accesses and changes (the partition's MMIO lock).
 * Portable.
 */
#ifndef HV_LIB_MMIO_BUS_H
#define HV_LIB_MMIO_BUS_H

#include <stdbool.h>
#include <stdint.h>

struct mmio_ops {
	/* offset inside the region; size 1, 2, 4 or 8, naturally aligned. */
	uint64_t (*read)(void *dev, uint64_t offset, unsigned int size);
	void (*write)(void *dev, uint64_t offset, unsigned int size, uint64_t value);
};

struct mmio_region {
	uint64_t base, size;
	const struct mmio_ops *ops;
	void *dev;
};

#define MMIO_BUS_MAX 32

struct mmio_bus {
	struct mmio_region regions[MMIO_BUS_MAX];
	unsigned int n;
	unsigned int last;   /* the region the last access found: tried first */
	uint64_t unassigned; /* accesses nothing claimed */
};

/* Claims [base, base + size) for dev; -1 if it overlaps a region, wraps,
 * is empty or the bus is full. */
int mmio_bus_add(struct mmio_bus *b, uint64_t base, uint64_t size, const struct mmio_ops *ops, void *dev);
/* Releases dev's region at base (nothing if there is none). */
void mmio_bus_remove(struct mmio_bus *b, const void *dev, uint64_t base);
/* One access; *value is what a load returns or what a store writes (its
 * low size bytes). False: nothing claims it (unassigned, counted). */
bool mmio_bus_access(struct mmio_bus *b, uint64_t addr, unsigned int size, bool store, uint64_t *value);

#endif
