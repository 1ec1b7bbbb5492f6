#include <string.h>
#include "shm/ivshmem.h"

int ivshmem_region_check(const struct ivshmem_region *r)
{
	if (!r->npeers || r->npeers > IVSHMEM_MAX_PEERS || r->size < 4096 || (r->size & (r->size - 1)) ||
	    (r->host & 0xfff) || (r->output_size % IVSHMEM_STATE_TABLE))
		return -1;
	if (r->output_size && (r->output_size > r->size || IVSHMEM_STATE_TABLE + r->npeers * r->output_size > r->size))
		return -1;
	return 0;
}

static void state_write(struct ivshmem_region *r, unsigned int id, uint32_t v)
{
	if (!r->output_size)
		return;
	uint8_t *p = (uint8_t *)(uintptr_t)(r->host + 4 * id);
	for (int i = 0; i < 4; i++, v >>= 8)
		__atomic_store_n(&p[i], (uint8_t)v, __ATOMIC_RELAXED);
}

/* With the interrupt-state lock held: INTx follows status & mask unless
 * the guest uses MSI-X. */
static void update_intx(struct ivshmem *d)
{
	bool level = (d->intr_status & d->intr_mask) && !pci_config_msix_enabled(&d->fn->cfg);
	pci_set_intx_locked(d->fn, level);
}

static void ring(struct ivshmem *from, uint32_t value)
{
	struct ivshmem_region *r = from->region;
	unsigned int dest = value >> 16, vector = value & 0xffff;
	from->rung++;
	if (dest >= r->npeers || vector >= IVSHMEM_VECTORS || !r->peer[dest].fn || !r->alive(r->peer[dest].owner)) {
		from->dropped++;
		return;
	}
	struct ivshmem *to = &r->peer[dest];
	__atomic_add_fetch(&to->received, 1, __ATOMIC_RELAXED);
	pci_irq_lock(to->fn, true);
	bool msix = pci_config_msix_enabled(&to->fn->cfg);
	if (!msix) {
		to->intr_status |= 1;
		update_intx(to);
	}
	pci_irq_lock(to->fn, false);
	if (msix)
		pci_msix_notify(to->fn, vector);
}

/* One 32-bit register; read side effects included. */
static uint32_t reg_read(struct ivshmem *d, unsigned int reg)
{
	uint32_t v = 0;
	switch (reg) {
	case IVSHMEM_REG_MASK:
		pci_irq_lock(d->fn, true);
		v = d->intr_mask;
		pci_irq_lock(d->fn, false);
		break;
	case IVSHMEM_REG_STATUS:
		pci_irq_lock(d->fn, true);
		v = d->intr_status;
		d->intr_status = 0;
		update_intx(d);
		pci_irq_lock(d->fn, false);
		break;
	case IVSHMEM_REG_POSITION:
		v = d->id;
		break;
	}
	return v;
}

/* One register written: only the bytes in be (bit i = byte i) are new. */
static void reg_write(struct ivshmem *d, unsigned int reg, uint32_t v, unsigned int be)
{
	uint32_t keep = 0;
	for (unsigned int i = 0; i < 4; i++)
		if (!((be >> i) & 1))
			keep |= 0xffu << (8 * i);
	switch (reg) {
	case IVSHMEM_REG_MASK:
	case IVSHMEM_REG_STATUS:
		pci_irq_lock(d->fn, true);
		uint32_t *r = reg == IVSHMEM_REG_MASK ? &d->intr_mask : &d->intr_status;
		*r = (*r & keep) | (v & ~keep);
		update_intx(d);
		pci_irq_lock(d->fn, false);
		break;
	case IVSHMEM_REG_DOORBELL:
		ring(d, v & ~keep);
		break;
	}
}

static uint64_t regs_read(void *dev, unsigned int bar, uint64_t off, unsigned int size)
{
	struct ivshmem *d = dev;
	uint64_t v = 0;
	if (bar != 0 || off >= 16)
		return 0;
	for (unsigned int reg = off & ~3ull; reg < off + size && reg < 16; reg += 4) {
		uint64_t word = reg_read(d, reg);
		/* place the register's bytes where they fall in the access */
		int shift = 8 * ((int)reg - (int)off);
		v |= shift >= 0 ? word << shift : word >> -shift;
	}
	return size == 8 ? v : v & ((1ull << (8 * size)) - 1);
}

static void regs_write(void *dev, unsigned int bar, uint64_t off, unsigned int size, uint64_t value)
{
	struct ivshmem *d = dev;
	if (bar != 0 || off >= 16)
		return;
	if (size == 4 && !(off & 3)) { /* what drivers do */
		reg_write(d, (unsigned int)off, (uint32_t)value, 0xf);
		return;
	}
	for (unsigned int reg = off & ~3ull; reg < off + size && reg < 16; reg += 4) {
		int shift = 8 * ((int)reg - (int)off);
		uint32_t word = (uint32_t)(shift >= 0 ? value >> shift : value << -shift);
		unsigned int be = 0;
		for (unsigned int i = 0; i < 4; i++)
			if (reg + i >= off && reg + i < off + size)
				be |= 1u << i;
		reg_write(d, reg, word, be);
	}
}

static unsigned int memory(void *dev, unsigned int bar, struct pci_memory_segment seg[PCI_MAX_SEGMENTS])
{
	struct ivshmem *d = dev;
	const struct ivshmem_region *r = d->region;
	if (bar != 2)
		return 0;
	if (!r->output_size) {
		seg[0] = (struct pci_memory_segment){ 0, r->size, r->host, d->read_only };
		return 1;
	}
	unsigned int n = 0;
	uint64_t out = r->size - r->npeers * r->output_size;
	seg[n++] = (struct pci_memory_segment){ 0, IVSHMEM_STATE_TABLE, r->host, true };
	if (out > IVSHMEM_STATE_TABLE)
		seg[n++] = (struct pci_memory_segment){ IVSHMEM_STATE_TABLE, out - IVSHMEM_STATE_TABLE,
							r->host + IVSHMEM_STATE_TABLE, d->read_only };
	for (unsigned int k = 0; k < r->npeers; k++) {
		uint64_t at = out + k * r->output_size;
		seg[n++] = (struct pci_memory_segment){ at, r->output_size, r->host + at, d->read_only || k != d->id };
	}
	return n;
}

static const struct pci_device_ops ivshmem_ops = { regs_read, regs_write, memory };

struct pci_function *ivshmem_plug(struct ivshmem_region *r, unsigned int id, struct phb *b, unsigned int slot)
{
	if (id >= r->npeers)
		return NULL;
	struct ivshmem *d = &r->peer[id];
	const struct pci_identity ident = { 0x1af4, 0x1110, 0x1af4, 0x1100, 0x050000, 1, 1 };
	const struct pci_bar_def bars[PCI_NUM_BARS] = {
		{ 256, 0 },
		{ 4096, 0 },
		{ r->size, PCI_BAR_MEM64 | PCI_BAR_PREFETCH },
	};
	struct pci_config cfg;
	if (pci_config_init(&cfg, &ident, bars) || pci_config_add_msix(&cfg, IVSHMEM_VECTORS, 1, 0, 0x800))
		return NULL;
	d->region = r;
	d->id = id;
	d->fn = phb_plug(b, slot, "memory", &cfg, 1u << 2, &ivshmem_ops, d);
	return d->fn;
}

void ivshmem_peer_state(struct ivshmem *d, bool running)
{
	pci_irq_lock(d->fn, true);
	d->intr_mask = 0;
	d->intr_status = 0;
	update_intx(d);
	pci_irq_lock(d->fn, false);
	state_write(d->region, d->id, running ? 1 : 0);
}
