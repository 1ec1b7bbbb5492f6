#include "hv/lib/mmio_bus.h"

int mmio_bus_add(struct mmio_bus *b, uint64_t base, uint64_t size, const struct mmio_ops *ops, void *dev)
{
	if (b->n == MMIO_BUS_MAX || !size || base + size < base || !ops)
		return -1;
	for (unsigned int i = 0; i < b->n; i++)
		if (base < b->regions[i].base + b->regions[i].size && b->regions[i].base < base + size)
			return -1;
	b->regions[b->n++] = (struct mmio_region){ base, size, ops, dev };
	return 0;
}

void mmio_bus_remove(struct mmio_bus *b, const void *dev, uint64_t base)
{
	for (unsigned int i = 0; i < b->n; i++)
		if (b->regions[i].dev == dev && b->regions[i].base == base) {
			b->regions[i] = b->regions[--b->n];
			return;
		}
}

bool mmio_bus_access(struct mmio_bus *b, uint64_t addr, unsigned int size, bool store, uint64_t *value)
{
	uint64_t mask = size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
	for (unsigned int i = 0; i < b->n; i++) {
		const struct mmio_region *r = &b->regions[i];
		uint64_t off = addr - r->base;
		if (off >= r->size || r->size - off < size)
			continue;
		if (store)
			r->ops->write(r->dev, off, size, *value & mask);
		else
			*value = r->ops->read(r->dev, off, size) & mask;
		return true;
	}
	b->unassigned++;
	if (!store)
		*value = mask;
	return false;
}
