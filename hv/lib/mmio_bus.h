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
	uint64_t gen;        /* counts adds and removes: a region found before is still there if unchanged */
};

/* A caller's memory of the region an access found (per instruction, say). */
struct mmio_bus_hint {
	const struct mmio_region *r;
	uint64_t gen;
};

/* Claims [base, base + size) for dev; -1 if it overlaps a region, wraps,
 * is empty or the bus is full. */
int mmio_bus_add(struct mmio_bus *b, uint64_t base, uint64_t size, const struct mmio_ops *ops, void *dev);
/* Releases dev's region at base (nothing if there is none). */
void mmio_bus_remove(struct mmio_bus *b, const void *dev, uint64_t base);
/* One access; *value is what a load returns or what a store writes (its
 * low size bytes). False: nothing claims it (unassigned, counted). */
bool mmio_bus_access(struct mmio_bus *b, uint64_t addr, unsigned int size, bool store, uint64_t *value);
/* mmio_bus_access() that refreshes hint (see below). */
bool mmio_bus_access_refresh(struct mmio_bus *b, struct mmio_bus_hint *hint, uint64_t addr, unsigned int size,
			     bool store, uint64_t *value);

/* The same through hint: no search while the bus is unchanged and the
 * hinted region claims the access (the MMIO fast path, inlined there). */
static inline bool mmio_bus_access_hinted(struct mmio_bus *b, struct mmio_bus_hint *hint, uint64_t addr,
					  unsigned int size, bool store, uint64_t *value)
{
	const struct mmio_region *r = hint->r;
	uint64_t off = addr - (r ? r->base : 0);
	if (!r || hint->gen != b->gen || off >= r->size || r->size - off < size)
		return mmio_bus_access_refresh(b, hint, addr, size, store, value);
	uint64_t mask = size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
	if (store)
		r->ops->write(r->dev, off, size, *value & mask);
	else
		*value = r->ops->read(r->dev, off, size) & mask;
	return true;
}

#endif
