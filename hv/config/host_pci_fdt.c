#include <stdio.h>
#include <string.h>
#include <libfdt.h>
#include "hv/config/host_pci_fdt.h"
#include "hv/lib/error.h"

static bool get_u32(const void *fdt, int node, const char *name, uint32_t *out)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);
	if (!p || len != 4)
		return false;
	*out = fdt32_to_cpu(*p);
	return true;
}

static uint64_t cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 32 | fdt32_to_cpu(p[i]);
	return v;
}

/* The 32-bit memory entry of ranges: <pci hi mid lo> <cpu 2 cells> <size 2 cells>. */
static bool find_m32(const void *fdt, int node, struct host_phb_desc *d)
{
	int len;
	const fdt32_t *r = fdt_getprop(fdt, node, "ranges", &len);
	if (!r || len <= 0 || len % 28)
		return false;
	for (int i = 0; i < len / 28; i++, r += 7) {
		uint32_t space = fdt32_to_cpu(r[0]) >> 24 & 3;
		uint64_t pci = cells(r + 1, 2), cpu = cells(r + 3, 2), size = cells(r + 5, 2);
		if (space != 2 || !size || pci >= 1ull << 32 || size > (1ull << 32) - pci || cpu + size < cpu)
			continue;
		d->m32_pci = pci;
		d->m32_cpu = cpu;
		d->m32_size = size;
		return true;
	}
	return false;
}

/* ibm,opal-m64-window = <cpu 2 cells> <pci 2 cells> <size 2 cells>, and the
 * M64 BARs skiboot leaves to the OS (ibm,opal-available-m64-ranges =
 * <first count>). Without both, or with a window that is not a naturally
 * aligned power of two, the PHB has no 64-bit window for us. */
static void find_m64(const void *fdt, int node, struct host_phb_desc *d)
{
	int len, rlen;
	const fdt32_t *w = fdt_getprop(fdt, node, "ibm,opal-m64-window", &len);
	const fdt32_t *r = fdt_getprop(fdt, node, "ibm,opal-available-m64-ranges", &rlen);
	if (!w || len != 24 || !r || rlen != 8)
		return;
	uint64_t cpu = cells(w, 2), pci = cells(w + 2, 2), size = cells(w + 4, 2);
	uint32_t first = fdt32_to_cpu(r[0]), count = fdt32_to_cpu(r[1]);
	if (!size || (size & (size - 1)) || (cpu & (size - 1)) || (pci & (size - 1)) || cpu + size < cpu ||
	    pci + size < pci || !count || first == 0 || first > 64 || count > 64 - first)
		return;
	d->m64_cpu = cpu;
	d->m64_pci = pci;
	d->m64_size = size;
	d->m64_bar_first = first;
	d->m64_bar_count = count;
}

static void add_fn(const void *fdt, int node, struct host_phb_desc *d)
{
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	uint32_t vendor, device, class_code;
	if (!reg || len < 4 || !get_u32(fdt, node, "vendor-id", &vendor) || !get_u32(fdt, node, "device-id", &device) ||
	    !get_u32(fdt, node, "class-code", &class_code))
		return;
	if (d->nfns == HOST_PCI_MAX_FNS) {
		d->fns_ignored++;
		return;
	}
	struct host_pci_fn_desc *f = &d->fn[d->nfns++];
	memset(f, 0, sizeof(*f));
	f->bdfn = (uint16_t)(fdt32_to_cpu(reg[0]) >> 8);
	f->vendor = (uint16_t)vendor;
	f->device = (uint16_t)device;
	f->class_code = class_code & 0xffffff;
	f->bridge = (f->class_code >> 8) == 0x0604;
	const char *loc = fdt_getprop(fdt, node, "ibm,loc-code", &len);
	if (loc && len > 0 && memchr(loc, 0, (size_t)len))
		snprintf(f->loc, sizeof(f->loc), "%s", loc);
}

/* Every function below the PHB, depth first (a bridge's children follow it). */
static void walk(const void *fdt, int parent, struct host_phb_desc *d, int depth)
{
	int child;
	if (depth > 8)
		return;
	fdt_for_each_subnode (child, fdt, parent) {
		add_fn(fdt, child, d);
		walk(fdt, child, d, depth + 1);
	}
}

int host_pci_fdt_parse(const void *fdt, struct host_pci_topology *t, char *warn, size_t warnlen, char *err,
		       size_t errlen)
{
	memset(t, 0, sizeof(*t));
	if (warn && warnlen)
		warn[0] = '\0';
	if (fdt_check_header(fdt))
		return errorf(err, errlen, "host pci: the firmware device tree has a bad header");
	int node = -1;
	while ((node = fdt_node_offset_by_compatible(fdt, node, "ibm,ioda3-phb")) >= 0) {
		if (t->nphbs == HOST_PCI_MAX_PHBS) {
			snprintf(warn, warnlen, "host pci: more than %d PHBs; the rest are not used",
				 HOST_PCI_MAX_PHBS);
			break;
		}
		struct host_phb_desc *d = &t->phb[t->nphbs];
		memset(d, 0, sizeof(*d));
		if (fdt_get_path(fdt, node, d->path, sizeof(d->path)) < 0)
			snprintf(d->path, sizeof(d->path), "<node %d>", node);
		int len;
		const fdt32_t *id = fdt_getprop(fdt, node, "ibm,opal-phbid", &len);
		if (!id || len != 8) {
			snprintf(warn, warnlen, "host pci: %s: no ibm,opal-phbid; PHB not used", d->path);
			continue;
		}
		d->opal_id = cells(id, 2);
		if (!get_u32(fdt, node, "ibm,opal-num-pes", &d->num_pes) || d->num_pes < 2 || d->num_pes > 4096 ||
		    (d->num_pes & (d->num_pes - 1))) {
			snprintf(warn, warnlen, "host pci: %s: bad ibm,opal-num-pes; PHB not used", d->path);
			continue;
		}
		if (!get_u32(fdt, node, "ibm,opal-reserved-pe", &d->reserved_pe) || d->reserved_pe >= d->num_pes)
			d->reserved_pe = d->num_pes - 1;
		if (!find_m32(fdt, node, d)) {
			snprintf(warn, warnlen, "host pci: %s: no 32-bit memory window in ranges; PHB not used",
				 d->path);
			continue;
		}
		/* The hardware window is a power of two; skiboot keeps its top 64 KiB
		 * out of ranges for 32-bit MSIs. Segments divide the whole window. */
		uint64_t whole = 1;
		while (whole < d->m32_size)
			whole <<= 1;
		d->m32_segment = whole / d->num_pes;
		if (d->m32_segment < 0x10000 || d->m32_pci % d->m32_segment) {
			snprintf(warn, warnlen,
				 "host pci: %s: 32-bit window too small for its PEs, or not on a segment; PHB not used",
				 d->path);
			continue;
		}
		find_m64(fdt, node, d);
		walk(fdt, node, d, 0);
		t->nphbs++;
	}
	return (int)t->nphbs;
}

const char *host_pci_class_name(uint32_t class_code)
{
	static const struct {
		uint16_t cls;
		const char *name;
	} names[] = {
		{ 0x0100, "SCSI storage controller" },
		{ 0x0101, "IDE interface" },
		{ 0x0106, "SATA controller" },
		{ 0x0107, "Serial Attached SCSI controller" },
		{ 0x0108, "Non-Volatile memory controller" },
		{ 0x0180, "Mass storage controller" },
		{ 0x0200, "Ethernet controller" },
		{ 0x0280, "Network controller" },
		{ 0x0300, "VGA compatible controller" },
		{ 0x0500, "RAM memory" },
		{ 0x0604, "PCI bridge" },
		{ 0x0c03, "USB controller" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].cls == class_code >> 8)
			return names[i].name;
	return "Device";
}
