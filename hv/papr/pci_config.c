#include <string.h>
#include "hv/papr/pci_config.h"

static void put(uint8_t *p, unsigned int off, unsigned int size, uint32_t v)
{
	for (unsigned int i = 0; i < size; i++, v >>= 8)
		p[off + i] = (uint8_t)v;
}

static uint32_t get(const uint8_t *p, unsigned int off, unsigned int size)
{
	uint32_t v = 0;
	for (unsigned int i = size; i-- > 0;)
		v = v << 8 | p[off + i];
	return v;
}

int pci_config_init(struct pci_config *c, const struct pci_identity *id, const struct pci_bar_def bars[PCI_NUM_BARS])
{
	memset(c, 0, sizeof(*c));
	put(c->b, PCI_VENDOR_ID, 2, id->vendor);
	put(c->b, PCI_DEVICE_ID, 2, id->device);
	put(c->b, PCI_REVISION_ID, 1, id->revision);
	put(c->b, PCI_CLASS_PROG, 3, id->class_code);
	put(c->b, PCI_SUBSYSTEM_VENDOR, 2, id->subsystem_vendor);
	put(c->b, PCI_SUBSYSTEM_ID, 2, id->subsystem);
	put(c->b, PCI_INTERRUPT_PIN, 1, id->interrupt_pin);
	/* Memory space, bus master, SERR, INTx disable; nothing else. */
	put(c->wmask, PCI_COMMAND, 2,
	    PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE);
	put(c->wmask, PCI_INTERRUPT_LINE, 1, 0xff);
	/* Status: the error bits are write-1-to-clear (we never set them). */
	put(c->w1c, PCI_STATUS, 2, 0xf900);
	for (unsigned int i = 0; i < PCI_NUM_BARS; i++) {
		uint64_t size = bars[i].size;
		c->bar[i] = bars[i];
		if (!size)
			continue;
		bool wide = bars[i].flags & PCI_BAR_MEM64;
		if (size < 16 || (size & (size - 1)) || (wide && i == PCI_NUM_BARS - 1) ||
		    (!wide && size > (1ull << 31)))
			return -1;
		unsigned int off = PCI_BAR0 + 4 * i;
		put(c->b, off, 1, bars[i].flags & (PCI_BAR_MEM64 | PCI_BAR_PREFETCH));
		uint64_t mask = ~(size - 1);
		put(c->wmask, off, 4, (uint32_t)mask & ~0xfu);
		if (wide) {
			put(c->wmask, off + 4, 4, (uint32_t)(mask >> 32));
			c->bar[++i].size = 0; /* the upper half */
		}
	}
	return 0;
}

int pci_config_add_msix(struct pci_config *c, unsigned int vectors, unsigned int bar, uint32_t table_off,
			uint32_t pba_off)
{
	if (!vectors || vectors > 2048 || bar >= PCI_NUM_BARS || !c->bar[bar].size || (table_off | pba_off) & 7)
		return -1;
	uint64_t size = c->bar[bar].size;
	if (table_off >= size || size - table_off < 16ull * vectors || pba_off >= size ||
	    size - pba_off < 8ull * ((vectors + 63) / 64))
		return -1;
	unsigned int cap = PCI_MSIX_CAP_OFFSET;
	put(c->b, cap, 1, PCI_CAP_ID_MSIX);
	put(c->b, cap + 1, 1, 0); /* the last capability */
	put(c->b, cap + 2, 2, vectors - 1);
	put(c->wmask, cap + 2, 2, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	put(c->b, cap + 4, 4, table_off | bar);
	put(c->b, cap + 8, 4, pba_off | bar);
	put(c->b, PCI_CAPABILITY_LIST, 1, cap);
	put(c->b, PCI_STATUS, 2, get(c->b, PCI_STATUS, 2) | PCI_STATUS_CAP_LIST);
	c->msix_vectors = (uint16_t)vectors;
	c->msix_bar = (uint8_t)bar;
	c->msix_table = table_off;
	c->msix_pba = pba_off;
	return 0;
}

int pci_config_add_cap(struct pci_config *c, unsigned int off, const uint8_t *bytes, unsigned int len)
{
	if (off < 0x40 || off % 4 || len < 2 || len > PCI_CFG_SIZE - off)
		return -1;
	/* not over an existing capability */
	unsigned int at = get(c->b, PCI_CAPABILITY_LIST, 1), last = 0, hops = 0;
	while (at && hops++ < 48) {
		unsigned int clen = get(c->b, at, 1) == PCI_CAP_ID_MSIX ? 12 : get(c->b, at + 2, 1);
		if (off < at + clen && at < off + len)
			return -1;
		last = at;
		at = get(c->b, at + 1, 1);
	}
	for (unsigned int i = 0; i < len; i++)
		put(c->b, off + i, 1, bytes[i]);
	put(c->b, off + 1, 1, 0); /* the new last one */
	if (last)
		put(c->b, last + 1, 1, off);
	else
		put(c->b, PCI_CAPABILITY_LIST, 1, off);
	put(c->b, PCI_STATUS, 2, get(c->b, PCI_STATUS, 2) | PCI_STATUS_CAP_LIST);
	return 0;
}

uint32_t pci_config_read(const struct pci_config *c, unsigned int off, unsigned int size)
{
	return get(c->b, off, size);
}

void pci_config_write(struct pci_config *c, unsigned int off, unsigned int size, uint32_t value)
{
	for (unsigned int i = 0; i < size; i++, value >>= 8) {
		uint8_t v = (uint8_t)value;
		unsigned int n = off + i;
		c->b[n] = (uint8_t)((c->b[n] & ~c->wmask[n]) | (v & c->wmask[n]));
		c->b[n] &= (uint8_t) ~(v & c->w1c[n]);
	}
}

uint16_t pci_config_command(const struct pci_config *c)
{
	return (uint16_t)get(c->b, PCI_COMMAND, 2);
}

bool pci_config_bar_address(const struct pci_config *c, unsigned int i, uint64_t *addr)
{
	if (i >= PCI_NUM_BARS || !c->bar[i].size || !(pci_config_command(c) & PCI_COMMAND_MEMORY))
		return false;
	unsigned int off = PCI_BAR0 + 4 * i;
	uint64_t a = get(c->b, off, 4) & ~0xfu;
	if (c->bar[i].flags & PCI_BAR_MEM64)
		a |= (uint64_t)get(c->b, off + 4, 4) << 32;
	*addr = a;
	return true;
}

void pci_config_set_intx_status(struct pci_config *c, bool level)
{
	if (level)
		c->b[PCI_STATUS] |= PCI_STATUS_INTERRUPT;
	else
		c->b[PCI_STATUS] &= (uint8_t)~PCI_STATUS_INTERRUPT;
}

bool pci_config_msix_enabled(const struct pci_config *c)
{
	return c->msix_vectors && (get(c->b, PCI_MSIX_CAP_OFFSET + 2, 2) & PCI_MSIX_FLAGS_ENABLE);
}

bool pci_config_msix_masked(const struct pci_config *c)
{
	return c->msix_vectors && (get(c->b, PCI_MSIX_CAP_OFFSET + 2, 2) & PCI_MSIX_FLAGS_MASKALL);
}
