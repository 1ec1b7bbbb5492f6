#include "hv/lib/mmio_bus.h"
#include <stddef.h>

int mmio_bus_add(struct mmio_bus *b, uint64_t base, uint64_t size, const struct mmio_ops *ops, void *dev)
{
	if (b->n == MMIO_BUS_MAX || !size || base + size < base || !ops)
		return -1;
	for (unsigned int i = 0; i < b->n; i++)
		if (base < b->regions[i].base + b->regions[i].size && b->regions[i].base < base + size)
			return -1;
	b->regions[b->n++] = (struct mmio_region){ base, size, ops, dev };
	b->gen++;
	return 0;
}

void mmio_bus_remove(struct mmio_bus *b, const void *dev, uint64_t base)
{
	for (unsigned int i = 0; i < b->n; i++)
		if (b->regions[i].dev == dev && b->regions[i].base == base) {
			b->regions[i] = b->regions[--b->n];
			b->gen++;
			return;
		}
}

static bool claims(const struct mmio_region *r, uint64_t addr, unsigned int size)
{
	uint64_t off = addr - r->base;
	return off < r->size && r->size - off >= size;
}

static const struct mmio_region *find(struct mmio_bus *b, uint64_t addr, unsigned int size)
{
	/* First the region found last time (a driver works one), then all. */
	const struct mmio_region *r = b->last < b->n ? &b->regions[b->last] : NULL;
	if (r && claims(r, addr, size))
		return r;
	for (unsigned int i = 0; i < b->n; i++)
		if (claims(&b->regions[i], addr, size)) {
			b->last = i;
			return &b->regions[i];
		}
	return NULL;
}

static inline bool access(struct mmio_bus *b, const struct mmio_region *r, uint64_t addr, unsigned int size, bool store,
			  uint64_t *value)
{
	uint64_t mask = size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
	if (!r) {
		b->unassigned++;
		if (!store)
			*value = mask;
		return false;
	}
	if (store)
		r->ops->write(r->dev, addr - r->base, size, *value & mask);
	else
		*value = r->ops->read(r->dev, addr - r->base, size) & mask;
	return true;
}

bool mmio_bus_access(struct mmio_bus *b, uint64_t addr, unsigned int size, bool store, uint64_t *value)
{
	return access(b, find(b, addr, size), addr, size, store, value);
}

bool mmio_bus_access_refresh(struct mmio_bus *b, struct mmio_bus_hint *hint, uint64_t addr, unsigned int size,
			     bool store, uint64_t *value)
{
	hint->r = find(b, addr, size);
	hint->gen = b->gen;
	return access(b, hint->r, addr, size, store, value);
}
