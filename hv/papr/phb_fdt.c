#include <stdio.h>
#include <libfdt.h>
#include "hv/papr/phb_fdt.h"

#define TRY(x)                      \
	do {                        \
		int rc_ = (x);      \
		if (rc_ < 0)        \
			return rc_; \
	} while (0)

/* Cell layout of a PCI address: phys.hi = ss << 24 | bus << 16 | devfn << 8 | register. */
#define SS_MEM32 0x02000000u
#define SS_MEM64 0x03000000u

static int function_node(void *fdt, const struct pci_function *f)
{
	const struct pci_config *c = &f->cfg;
	uint32_t devfn = f->slot << 3;
	fdt32_t reg[5 * (1 + PCI_NUM_BARS)];
	unsigned int n = 0;
	/* Entry 0 is the config space; then each BAR by size (Linux assigns the addresses). */
	reg[n++] = cpu_to_fdt32(devfn << 8);
	for (int i = 0; i < 4; i++)
		reg[n++] = 0;
	for (unsigned int i = 0; i < PCI_NUM_BARS; i++) {
		uint64_t size = c->bar[i].size;
		if (!size)
			continue;
		uint32_t ss = (c->bar[i].flags & PCI_BAR_MEM64) ? SS_MEM64 : SS_MEM32;
		reg[n++] = cpu_to_fdt32(ss | devfn << 8 | (PCI_BAR0 + 4 * i));
		reg[n++] = 0;
		reg[n++] = 0;
		reg[n++] = cpu_to_fdt32((uint32_t)(size >> 32));
		reg[n++] = cpu_to_fdt32((uint32_t)size);
	}
	TRY(fdt_begin_node(fdt, f->node_name));
	TRY(fdt_property(fdt, "reg", reg, n * sizeof(fdt32_t)));
	TRY(fdt_property_u32(fdt, "vendor-id", pci_config_read(c, PCI_VENDOR_ID, 2)));
	TRY(fdt_property_u32(fdt, "device-id", pci_config_read(c, PCI_DEVICE_ID, 2)));
	TRY(fdt_property_u32(fdt, "revision-id", pci_config_read(c, PCI_REVISION_ID, 1)));
	TRY(fdt_property_u32(fdt, "class-code",
			     pci_config_read(c, PCI_CLASS_PROG, 1) | pci_config_read(c, PCI_CLASS_PROG + 1, 2) << 8));
	TRY(fdt_property_u32(fdt, "subsystem-vendor-id", pci_config_read(c, PCI_SUBSYSTEM_VENDOR, 2)));
	TRY(fdt_property_u32(fdt, "subsystem-id", pci_config_read(c, PCI_SUBSYSTEM_ID, 2)));
	uint32_t pin = pci_config_read(c, PCI_INTERRUPT_PIN, 1);
	if (pin)
		TRY(fdt_property_u32(fdt, "interrupts", pin));
	if (c->msix_vectors)
		TRY(fdt_property_u32(fdt, "ibm,req#msi-x", c->msix_vectors));
	return fdt_end_node(fdt);
}

int phb_fdt_node(void *fdt, const struct phb *b, uint32_t intc)
{
	char name[32];
	snprintf(name, sizeof(name), "pci@%llx", (unsigned long long)b->buid);
	TRY(fdt_begin_node(fdt, name));
	TRY(fdt_property_string(fdt, "device_type", "pci"));
	TRY(fdt_property_string(fdt, "compatible", "IBM,Logical_PHB"));
	fdt64_t reg[2] = { cpu_to_fdt64(b->buid), 0 };
	TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	TRY(fdt_property_u32(fdt, "#address-cells", 3));
	TRY(fdt_property_u32(fdt, "#size-cells", 2));
	TRY(fdt_property_u32(fdt, "#interrupt-cells", 1));
	TRY(fdt_property(fdt, "used-by-rtas", NULL, 0));
	fdt32_t bus_range[2] = { 0, cpu_to_fdt32(0xff) };
	TRY(fdt_property(fdt, "bus-range", bus_range, sizeof(bus_range)));
	/* 32-bit window: PCI 0x8000_0000 -> CPU mem32_cpu, 2 GiB; 64-bit: PCI = CPU, 1 TiB. */
	fdt32_t ranges[14] = {
		cpu_to_fdt32(SS_MEM32),
		0,
		cpu_to_fdt32((uint32_t)PHB_MEM32_PCI),
		cpu_to_fdt32((uint32_t)(b->mem32_cpu >> 32)),
		cpu_to_fdt32((uint32_t)b->mem32_cpu),
		cpu_to_fdt32((uint32_t)(PHB_MEM32_SIZE >> 32)),
		cpu_to_fdt32((uint32_t)PHB_MEM32_SIZE),
		cpu_to_fdt32(SS_MEM64),
		cpu_to_fdt32((uint32_t)(b->mem64_cpu >> 32)),
		cpu_to_fdt32((uint32_t)b->mem64_cpu),
		cpu_to_fdt32((uint32_t)(b->mem64_cpu >> 32)),
		cpu_to_fdt32((uint32_t)b->mem64_cpu),
		cpu_to_fdt32((uint32_t)(PHB_MEM64_SIZE >> 32)),
		cpu_to_fdt32((uint32_t)PHB_MEM64_SIZE),
	};
	TRY(fdt_property(fdt, "ranges", ranges, sizeof(ranges)));
	TRY(fdt_property_u32(fdt, "ibm,pci-config-space-type", 1));
	TRY(fdt_property_u32(fdt, "ibm,pe-total-#msi", PHB_MSI_BLOCK));
	/* INTx: every slot's four pins, swizzled onto the bridge's four LSIs. */
	fdt32_t mask[4] = { cpu_to_fdt32(0xf800), 0, 0, cpu_to_fdt32(0xffffffff) };
	TRY(fdt_property(fdt, "interrupt-map-mask", mask, sizeof(mask)));
	/* Each entry: the unit address (slot, 0, 0), the pin, then XICS's two
	 * cells: source, sense 1 (level). Written in place, no big buffer. */
	void *room;
	TRY(fdt_property_placeholder(fdt, "interrupt-map", PHB_SLOTS * 4 * 7 * sizeof(fdt32_t), &room));
	fdt32_t *e = room;
	for (unsigned int slot = 0; slot < PHB_SLOTS; slot++)
		for (unsigned int pin = 1; pin <= 4; pin++, e += 7) {
			e[0] = cpu_to_fdt32(slot << 11);
			e[1] = e[2] = 0;
			e[3] = cpu_to_fdt32(pin);
			e[4] = cpu_to_fdt32(intc);
			e[5] = cpu_to_fdt32(PHB_LSI_BASE + 4 * b->index + (slot + pin - 1) % 4);
			e[6] = cpu_to_fdt32(1);
		}
	/* The default DMA window, at bus address 0. */
	fdt32_t dma[5] = { cpu_to_fdt32(b->dma.liobn), 0, 0, cpu_to_fdt32((uint32_t)(PHB_DMA_WINDOW >> 32)),
			   cpu_to_fdt32((uint32_t)PHB_DMA_WINDOW) };
	TRY(fdt_property_u32(fdt, "ibm,#dma-address-cells", 2));
	TRY(fdt_property_u32(fdt, "ibm,#dma-size-cells", 2));
	TRY(fdt_property(fdt, "ibm,dma-window", dma, sizeof(dma)));
	for (unsigned int s = 0; s < PHB_SLOTS; s++)
		if (b->fn[s].present)
			TRY(function_node(fdt, &b->fn[s]));
	return fdt_end_node(fdt);
}
