#include <string.h>
#include "hv/papr/phb.h"

#define RTAS_TYPE_MSIX      2
#define RTAS_CHANGE_FN      1
#define RTAS_CHANGE_MSIX_FN 4

void phb_init(struct phb *b, unsigned int index, const struct phb_hooks *hooks)
{
	memset(b, 0, sizeof(*b));
	b->index = index;
	b->buid = PHB_BUID_BASE + index;
	b->mem32_cpu = PHB_WINDOW_BASE + (index + 1) * PHB_MEM32_SIZE;
	b->mem64_cpu = PHB_WINDOW_BASE + (index + 1) * PHB_MEM64_SIZE;
	b->hooks = hooks;
	b->dma.liobn = PHB_LIOBN_BASE | (index << 8);
}

/* ---- the MSI-X table and pending bits ---- */

static bool vector_masked(const struct pci_function *f, unsigned int v)
{
	return f->msix_table[v][12] & 1;
}

static bool pending(const struct pci_function *f, unsigned int v)
{
	return (f->msix_pending[v / 64] >> (v % 64)) & 1;
}

static void set_pending(struct pci_function *f, unsigned int v, bool on)
{
	if (on)
		f->msix_pending[v / 64] |= 1ull << (v % 64);
	else
		f->msix_pending[v / 64] &= ~(1ull << (v % 64));
}

/* Delivers what became deliverable: pending vectors no longer masked. */
static void msix_flush(struct pci_function *f)
{
	if (!pci_config_msix_enabled(&f->cfg) || pci_config_msix_masked(&f->cfg))
		return;
	for (unsigned int v = 0; v < f->cfg.msix_vectors; v++)
		if (pending(f, v) && !vector_masked(f, v)) {
			set_pending(f, v, false);
			if (v < f->msi_count)
				f->phb->hooks->raise_msi(f->phb->hooks->ctx, f->msi_first + v);
		}
}

static void irq_lock(const struct phb *b, bool take)
{
	if (b->hooks->irq_lock)
		b->hooks->irq_lock(b->hooks->ctx, take);
}

void pci_msix_notify(struct pci_function *f, unsigned int vector)
{
	if (vector >= f->cfg.msix_vectors)
		return;
	irq_lock(f->phb, true);
	if (!pci_config_msix_enabled(&f->cfg)) {
		/* no message without MSI-X enabled */
	} else if (pci_config_msix_masked(&f->cfg) || vector_masked(f, vector)) {
		set_pending(f, vector, true); /* delivered when unmasked */
	} else if (vector < f->msi_count) {
		f->phb->hooks->raise_msi(f->phb->hooks->ctx, f->msi_first + vector);
	}
	irq_lock(f->phb, false);
}

static void msix_reset_table(struct pci_function *f)
{
	memset(f->msix_table, 0, sizeof(f->msix_table));
	memset(f->msix_pending, 0, sizeof(f->msix_pending));
	for (unsigned int v = 0; v < PHB_MAX_MSIX; v++)
		f->msix_table[v][12] = 1; /* masked */
}

/* Table or PBA access at off in the MSI-X BAR; false if off is neither. */
static bool msix_access(struct pci_function *f, uint64_t off, unsigned int size, bool store, uint64_t *value)
{
	const struct pci_config *c = &f->cfg;
	uint64_t table_end = c->msix_table + 16ull * c->msix_vectors;
	uint64_t pba_end = c->msix_pba + 8ull * ((c->msix_vectors + 63) / 64);
	if (off >= c->msix_table && off + size <= table_end) {
		uint64_t rel = off - c->msix_table;
		uint8_t *e = f->msix_table[rel / 16];
		unsigned int at = (unsigned int)(rel % 16);
		if (at + size > 16)
			return false;
		if (store) {
			for (unsigned int i = 0; i < size; i++)
				e[at + i] = (uint8_t)(*value >> (8 * i));
			msix_flush(f); /* an unmask delivers what is pending */
		} else {
			*value = 0;
			for (unsigned int i = size; i-- > 0;)
				*value = *value << 8 | e[at + i];
		}
		return true;
	}
	if (off >= c->msix_pba && off + size <= pba_end) {
		if (!store) { /* read-only: writes are dropped */
			uint64_t rel = off - c->msix_pba;
			uint64_t word = f->msix_pending[rel / 8];
			*value = word >> (8 * (rel % 8));
		}
		return true;
	}
	return false;
}

/* ---- BAR registers on the MMIO bus ---- */

static uint64_t bar_read(void *ref, uint64_t off, unsigned int size)
{
	struct pci_bar_ref *r = ref;
	struct pci_function *f = r->f;
	uint64_t v = 0;
	if (f->cfg.msix_vectors && r->bar == f->cfg.msix_bar) {
		irq_lock(f->phb, true);
		bool done = msix_access(f, off, size, false, &v);
		irq_lock(f->phb, false);
		if (done)
			return v;
	}
	return f->ops->read ? f->ops->read(f->dev, r->bar, off, size) : 0;
}

static void bar_write(void *ref, uint64_t off, unsigned int size, uint64_t value)
{
	struct pci_bar_ref *r = ref;
	struct pci_function *f = r->f;
	if (f->cfg.msix_vectors && r->bar == f->cfg.msix_bar) {
		irq_lock(f->phb, true);
		bool done = msix_access(f, off, size, true, &value);
		irq_lock(f->phb, false);
		if (done)
			return;
	}
	if (f->ops->write)
		f->ops->write(f->dev, r->bar, off, size, value);
}

const struct mmio_ops phb_bar_ops = { bar_read, bar_write };

/* ---- decoding ---- */

static bool to_cpu(const struct phb *b, uint64_t pci, uint64_t size, uint64_t *gpa)
{
	if (pci >= PHB_MEM32_PCI && pci - PHB_MEM32_PCI < PHB_MEM32_SIZE &&
	    PHB_MEM32_SIZE - (pci - PHB_MEM32_PCI) >= size) {
		*gpa = b->mem32_cpu + (pci - PHB_MEM32_PCI);
		return true;
	}
	if (pci >= b->mem64_cpu && pci - b->mem64_cpu < PHB_MEM64_SIZE &&
	    PHB_MEM64_SIZE - (pci - b->mem64_cpu) >= size) {
		*gpa = pci;
		return true;
	}
	return false;
}

static bool overlaps_decoded(const struct phb *b, uint64_t gpa, uint64_t size)
{
	for (unsigned int s = 0; s < PHB_SLOTS; s++)
		for (unsigned int i = 0; i < PCI_NUM_BARS; i++) {
			const struct pci_function *g = &b->fn[s];
			if (g->present && g->decoded[i] && gpa < g->decoded_gpa[i] + g->cfg.bar[i].size &&
			    g->decoded_gpa[i] < gpa + size)
				return true;
		}
	return false;
}

static void undecode(struct pci_function *f, unsigned int i)
{
	const struct phb_hooks *h = f->phb->hooks;
	if (!f->decoded[i])
		return;
	if (f->memory_bar[i])
		for (unsigned int k = 0; k < f->nseg[i]; k++)
			h->unmap_memory(h->ctx, f->decoded_gpa[i] + f->seg[i][k].offset);
	else
		h->unmap_registers(h->ctx, f->decoded_gpa[i], &f->bar_ref[i]);
	f->decoded[i] = false;
}

/* A memory BAR's segments at gpa: all of them, or none (0 / -1). They
 * must lie in the BAR, page-aligned, in order and without overlap. */
static int map_segments(struct pci_function *f, unsigned int i, uint64_t gpa)
{
	const struct phb_hooks *h = f->phb->hooks;
	struct pci_memory_segment *seg = f->seg[i];
	unsigned int n = f->ops->memory(f->dev, i, seg);
	uint64_t end = 0;
	if (n == 0 || n > PCI_MAX_SEGMENTS)
		return -1;
	for (unsigned int k = 0; k < n; k++) {
		if (seg[k].offset < end || !seg[k].size || ((seg[k].offset | seg[k].size) & 0xfff) ||
		    seg[k].offset + seg[k].size > f->cfg.bar[i].size)
			return -1;
		end = seg[k].offset + seg[k].size;
	}
	for (unsigned int k = 0; k < n; k++)
		if (h->map_memory(h->ctx, gpa + seg[k].offset, seg[k].size, seg[k].host, seg[k].read_only)) {
			while (k-- > 0)
				h->unmap_memory(h->ctx, gpa + seg[k].offset);
			return -1;
		}
	f->nseg[i] = n;
	return 0;
}

void pci_irq_lock(struct pci_function *f, bool take)
{
	irq_lock(f->phb, take);
}

/* Brings the bridge's view of f's BARs in line with its config space. */
static void decode(struct pci_function *f)
{
	struct phb *b = f->phb;
	const struct phb_hooks *h = b->hooks;
	for (unsigned int i = 0; i < PCI_NUM_BARS; i++) {
		uint64_t pci, gpa = 0, size = f->cfg.bar[i].size;
		bool want = pci_config_bar_address(&f->cfg, i, &pci) && pci && to_cpu(b, pci, size, &gpa);
		if (f->decoded[i] && want && f->decoded_gpa[i] == gpa)
			continue;
		undecode(f, i);
		if (!want)
			continue;
		int rc = -1;
		if (!overlaps_decoded(b, gpa, size)) {
			if (f->memory_bar[i]) {
				rc = map_segments(f, i, gpa);
			} else {
				rc = h->map_registers(h->ctx, gpa, size, &phb_bar_ops, &f->bar_ref[i]);
			}
		}
		if (rc) {
			b->refused++;
			continue;
		}
		f->decoded[i] = true;
		f->decoded_gpa[i] = gpa;
	}
}

uint32_t pci_intx_source(const struct pci_function *f)
{
	unsigned int pin = f->cfg.b[PCI_INTERRUPT_PIN];
	return PHB_LSI_BASE + 4 * f->phb->index + (f->slot + (pin ? pin : 1) - 1) % 4;
}

static void intx_update(struct pci_function *f)
{
	pci_config_set_intx_status(&f->cfg, f->intx_level);
	if (!f->cfg.b[PCI_INTERRUPT_PIN])
		return;
	bool up = f->intx_level && !(pci_config_command(&f->cfg) & PCI_COMMAND_INTX_DISABLE);
	f->phb->hooks->set_lsi(f->phb->hooks->ctx, pci_intx_source(f), up);
}

void pci_set_intx_locked(struct pci_function *f, bool level)
{
	f->intx_level = level;
	intx_update(f);
}

void pci_set_intx(struct pci_function *f, bool level)
{
	irq_lock(f->phb, true);
	pci_set_intx_locked(f, level);
	irq_lock(f->phb, false);
}

/* ---- plugging, reset ---- */

struct pci_function *phb_plug(struct phb *b, unsigned int slot, const char *kind, const struct pci_config *cfg,
			      unsigned int memory_bars, const struct pci_device_ops *ops, void *dev)
{
	if (slot >= PHB_SLOTS || b->fn[slot].present || cfg->msix_vectors > PHB_MAX_MSIX)
		return NULL;
	struct pci_function *f = &b->fn[slot];
	memset(f, 0, sizeof(*f));
	f->phb = b;
	f->slot = slot;
	f->present = true;
	f->cfg = *cfg;
	f->ops = ops;
	f->dev = dev;
	unsigned int n = 0;
	for (; kind[n] && n < 16; n++)
		f->node_name[n] = kind[n];
	f->node_name[n++] = '@';
	if (slot >= 16)
		f->node_name[n++] = "0123456789abcdef"[slot >> 4];
	f->node_name[n++] = "0123456789abcdef"[slot & 15];
	f->node_name[n] = 0;
	for (unsigned int i = 0; i < PCI_NUM_BARS; i++) {
		f->memory_bar[i] = (memory_bars >> i) & 1;
		f->bar_ref[i] = (struct pci_bar_ref){ f, i };
	}
	msix_reset_table(f);
	return f;
}

void phb_reset(struct phb *b)
{
	for (unsigned int s = 0; s < PHB_SLOTS; s++) {
		struct pci_function *f = &b->fn[s];
		if (!f->present)
			continue;
		for (unsigned int i = 0; i < PCI_NUM_BARS; i++)
			undecode(f, i);
		/* Power-on config: command, BARs, interrupt line and MSI-X control clear. */
		pci_config_write(&f->cfg, PCI_COMMAND, 2, 0);
		for (unsigned int i = 0; i < PCI_NUM_BARS; i++)
			pci_config_write(&f->cfg, PCI_BAR0 + 4 * i, 4, 0);
		pci_config_write(&f->cfg, PCI_INTERRUPT_LINE, 1, 0);
		irq_lock(b, true);
		if (f->cfg.msix_vectors)
			pci_config_write(&f->cfg, PCI_MSIX_CAP_OFFSET + 2, 2, 0);
		msix_reset_table(f);
		f->msi_first = f->msi_count = 0;
		f->intx_level = false;
		intx_update(f);
		irq_lock(b, false);
	}
	memset(b->msi_used, 0, sizeof(b->msi_used));
}

/* ---- RTAS ---- */

static struct pci_function *function_at(struct phb *b, uint32_t cfgaddr)
{
	unsigned int bus = (cfgaddr >> 16) & 0xff, devfn = (cfgaddr >> 8) & 0xff;
	if (bus != 0 || (devfn & 7) != 0 || (cfgaddr & 0x0f000000))
		return NULL;
	struct pci_function *f = &b->fn[devfn >> 3];
	return f->present ? f : NULL;
}

static unsigned int config_offset(uint32_t cfgaddr)
{
	return ((cfgaddr >> 20) & 0xf00) | (cfgaddr & 0xff);
}

static bool config_access_ok(struct pci_function *f, unsigned int off, unsigned int size)
{
	return f && (size == 1 || size == 2 || size == 4) && off % size == 0 && off < PCI_CFG_SIZE;
}

int phb_config_read(struct phb *b, uint32_t cfgaddr, unsigned int size, uint32_t *value)
{
	struct pci_function *f = function_at(b, cfgaddr);
	unsigned int off = config_offset(cfgaddr);
	if (!config_access_ok(f, off, size)) {
		b->refused++;
		return PHB_RTAS_HW_ERROR;
	}
	*value = pci_config_read(&f->cfg, off, size);
	return PHB_RTAS_OK;
}

int phb_config_write(struct phb *b, uint32_t cfgaddr, unsigned int size, uint32_t value)
{
	struct pci_function *f = function_at(b, cfgaddr);
	unsigned int off = config_offset(cfgaddr);
	if (!config_access_ok(f, off, size)) {
		b->refused++;
		return PHB_RTAS_HW_ERROR;
	}
	irq_lock(b, true);
	uint16_t old_command = pci_config_command(&f->cfg);
	pci_config_write(&f->cfg, off, size, value);
	uint16_t command = pci_config_command(&f->cfg);
	if ((old_command ^ command) & PCI_COMMAND_INTX_DISABLE)
		intx_update(f);
	if (f->cfg.msix_vectors && off <= PCI_MSIX_CAP_OFFSET + 3 && off + size > PCI_MSIX_CAP_OFFSET + 2)
		msix_flush(f); /* MSI-X enabled or unmasked */
	irq_lock(b, false);
	if (off < PCI_BAR0 + 4 * PCI_NUM_BARS && off + size > PCI_COMMAND)
		decode(f); /* command or a BAR: what decodes where may have changed */
	return PHB_RTAS_OK;
}

/* size sources in a row from the bridge's block; the first, or -1. */
static int msi_alloc(struct phb *b, unsigned int size)
{
	for (unsigned int start = 0; start + size <= PHB_MSI_BLOCK; start++) {
		unsigned int i = 0;
		while (i < size && !((b->msi_used[(start + i) / 8] >> ((start + i) % 8)) & 1))
			i++;
		if (i == size) {
			for (i = 0; i < size; i++)
				b->msi_used[(start + i) / 8] |= (uint8_t)(1u << ((start + i) % 8));
			return (int)start;
		}
		start += i; /* skip past the used one */
	}
	return -1;
}

static void msi_free(struct pci_function *f)
{
	struct phb *b = f->phb;
	for (unsigned int i = 0; i < f->msi_count; i++) {
		unsigned int n = f->msi_first - PHB_MSI_BASE - PHB_MSI_BLOCK * b->index + i;
		b->msi_used[n / 8] &= (uint8_t) ~(1u << (n % 8));
	}
	f->msi_first = f->msi_count = 0;
}

static void msix_set_message(struct pci_function *f, unsigned int v, uint64_t addr, uint32_t data)
{
	uint8_t *e = f->msix_table[v];
	for (unsigned int i = 0; i < 8; i++)
		e[i] = (uint8_t)(addr >> (8 * i));
	for (unsigned int i = 0; i < 4; i++)
		e[8 + i] = (uint8_t)(data >> (8 * i));
}

static unsigned int change_msi(struct phb *b, uint32_t cfgaddr, uint32_t func, uint32_t num, uint32_t seq,
			       uint32_t rets[4])
{
	struct pci_function *f = function_at(b, cfgaddr);
	/* Only MSI-X is offered: "change" means MSI-X; plain MSI is absent. */
	if (!f || !f->cfg.msix_vectors || (func != RTAS_CHANGE_FN && func != RTAS_CHANGE_MSIX_FN)) {
		b->refused++;
		rets[0] = (uint32_t)PHB_RTAS_PARAM_ERR;
		return 1;
	}
	if (num == 0) {
		if (!f->msi_count) {
			rets[0] = (uint32_t)PHB_RTAS_HW_ERROR; /* nothing to release, as QEMU */
			return 1;
		}
		for (unsigned int v = 0; v < f->msi_count; v++)
			msix_set_message(f, v, 0, 0);
		msi_free(f);
		rets[0] = PHB_RTAS_OK;
		rets[1] = 0;
		return 2;
	}
	if (num > f->cfg.msix_vectors) {
		/* The most it can have; the guest asks again (QEMU). */
		num = f->cfg.msix_vectors;
	} else {
		msi_free(f);
		int first = msi_alloc(b, num);
		if (first < 0) {
			b->refused++;
			rets[0] = (uint32_t)PHB_RTAS_HW_ERROR;
			return 1;
		}
		f->msi_first = PHB_MSI_BASE + PHB_MSI_BLOCK * b->index + (uint32_t)first;
		f->msi_count = num;
		for (unsigned int v = 0; v < num; v++)
			msix_set_message(f, v, PHB_MSI_ADDRESS, f->msi_first + v);
	}
	rets[0] = PHB_RTAS_OK;
	rets[1] = num;
	rets[2] = seq + 1;
	rets[3] = RTAS_TYPE_MSIX;
	return 4;
}

unsigned int phb_change_msi(struct phb *b, uint32_t cfgaddr, uint32_t func, uint32_t num, uint32_t seq,
			    uint32_t rets[4])
{
	irq_lock(b, true);
	unsigned int n = change_msi(b, cfgaddr, func, num, seq, rets);
	irq_lock(b, false);
	return n;
}

int phb_query_irq(struct phb *b, uint32_t cfgaddr, uint32_t index, uint32_t *irq, uint32_t *edge)
{
	struct pci_function *f = function_at(b, cfgaddr);
	if (!f) {
		b->refused++;
		return PHB_RTAS_PARAM_ERR;
	}
	if (index >= f->msi_count)
		return PHB_RTAS_HW_ERROR;
	*irq = f->msi_first + index;
	*edge = 1;
	return PHB_RTAS_OK;
}
