#include <stdio.h>
#include <string.h>
#include <libfdt.h>
#include "hv/papr/guest_fdt.h"
#include "hv/papr/phb_fdt.h"
#include "hv/mm/page_sizes.h"
#include "hv/papr/fwnmi.h"
#include "hv/papr/rtas.h"

#define TRY(x)                      \
	do {                        \
		int rc_ = (x);      \
		if (rc_)            \
			return rc_; \
	} while (0)

static int prop_u64(void *fdt, const char *name, uint64_t v)
{
	fdt64_t be = cpu_to_fdt64(v);
	return fdt_property(fdt, name, &be, sizeof(be));
}

/* ibm,segment-page-sizes: per base size, its SLB encoding and the actual sizes. */
static int segment_page_sizes(void *fdt)
{
	fdt32_t cells[64];
	unsigned int n = 0;
	for (unsigned int i = 0; i < HV_NUM_PAGE_SIZES;) {
		const struct hv_page_size *base = &hv_page_sizes[i];
		unsigned int count_at = n + 2, k = i;
		cells[n++] = cpu_to_fdt32(base->base_shift);
		cells[n++] = cpu_to_fdt32(base->slb_enc);
		n++;
		for (; k < HV_NUM_PAGE_SIZES && hv_page_sizes[k].base_shift == base->base_shift; k++) {
			cells[n++] = cpu_to_fdt32(hv_page_sizes[k].actual_shift);
			cells[n++] = cpu_to_fdt32(hv_page_sizes[k].penc);
		}
		cells[count_at] = cpu_to_fdt32(k - i);
		i = k;
	}
	return fdt_property(fdt, "ibm,segment-page-sizes", cells, n * 4);
}

static int cpus_node(void *fdt, const struct guest_fdt_params *gp)
{
	TRY(fdt_begin_node(fdt, "cpus"));
	TRY(fdt_property_u32(fdt, "#address-cells", 1));
	TRY(fdt_property_u32(fdt, "#size-cells", 0));
	for (unsigned int i = 0; i < gp->nvcpus; i++) {
		char name[32];
		snprintf(name, sizeof(name), "PowerPC,POWER9@%x", i);
		TRY(fdt_begin_node(fdt, name));
		TRY(fdt_property_string(fdt, "device_type", "cpu"));
		TRY(fdt_property_u32(fdt, "reg", i));
		TRY(fdt_property_u32(fdt, "ibm,ppc-interrupt-server#s", i));
		TRY(fdt_property_u32(fdt, "timebase-frequency", (uint32_t)gp->tb_freq));
		TRY(fdt_property_u32(fdt, "ibm,dec-bits", GUEST_DEC_BITS));
		TRY(fdt_property_u32(fdt, "clock-frequency", 1000000000));
		TRY(fdt_property_u32(fdt, "ibm,slb-size", 32));
		fdt32_t pft[2] = { 0, cpu_to_fdt32(gp->hpt_shift) };
		TRY(fdt_property(fdt, "ibm,pft-size", pft, sizeof(pft)));
		TRY(fdt_property_u32(fdt, "d-cache-size", 0x8000));
		TRY(fdt_property_u32(fdt, "i-cache-size", 0x8000));
		TRY(fdt_property_u32(fdt, "cpu-version", 0x4e1200));
		TRY(fdt_property_u32(fdt, "ibm,vmx", 2)); /* VMX and VSX */
		TRY(fdt_property_u32(fdt, "ibm,dfp", 1));
		TRY(fdt_property_u32(fdt, "ibm,purr", 1));
		TRY(fdt_property_u32(fdt, "ibm,spurr", 1));
		fdt32_t segs[4] = { cpu_to_fdt32(28), cpu_to_fdt32(40), cpu_to_fdt32(0xffffffff),
				    cpu_to_fdt32(0xffffffff) };
		TRY(fdt_property(fdt, "ibm,processor-segment-sizes", segs, sizeof(segs)));
		TRY(fdt_property_u32(fdt, "d-cache-block-size", 128));
		TRY(fdt_property_u32(fdt, "i-cache-block-size", 128));
		TRY(fdt_property_u32(fdt, "d-cache-line-size", 128));
		TRY(fdt_property_u32(fdt, "i-cache-line-size", 128));
		TRY(segment_page_sizes(fdt));
		TRY(fdt_property_string(fdt, "status", "okay"));
		TRY(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

#define XICS_PHANDLE 0x1111

/* The XICS presentation controllers, one server per vCPU (sources are RTAS's). */
static int xics_node(void *fdt, const struct guest_fdt_params *gp)
{
	fdt32_t ranges[2] = { 0, cpu_to_fdt32(gp->nvcpus) };
	TRY(fdt_begin_node(fdt, "interrupt-controller"));
	TRY(fdt_property_string(fdt, "device_type", "PowerPC-External-Interrupt-Presentation"));
	TRY(fdt_property_string(fdt, "compatible", "IBM,ppc-xicp"));
	TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	TRY(fdt_property(fdt, "ibm,interrupt-server-ranges", ranges, sizeof(ranges)));
	TRY(fdt_property_u32(fdt, "#interrupt-cells", 2));
	TRY(fdt_property_u32(fdt, "linux,phandle", XICS_PHANDLE));
	TRY(fdt_property_u32(fdt, "phandle", XICS_PHANDLE));
	return fdt_end_node(fdt);
}

static bool has_phb(const struct guest_fdt_params *gp)
{
	for (unsigned int i = 0; i < PHB_MAX; i++)
		if (gp->phb[i])
			return true;
	return false;
}

static int rtas_node(void *fdt, const struct guest_fdt_params *gp)
{
	TRY(fdt_begin_node(fdt, "rtas"));
	/* A string list: every name NUL-terminated, so not fdt_property_string. */
	static const char hypertas[] = "hcall-pft\0hcall-term\0hcall-dabr\0hcall-interrupt\0hcall-splpar\0"
				       "hcall-bulk\0hcall-set-mode\0hcall-xdabr\0hcall-sprg0";
	static const char hypertas_pci[] = "hcall-pft\0hcall-term\0hcall-dabr\0hcall-interrupt\0hcall-splpar\0"
					   "hcall-bulk\0hcall-set-mode\0hcall-xdabr\0hcall-sprg0\0hcall-tce\0"
					   "hcall-multi-tce";
	if (has_phb(gp))
		TRY(fdt_property(fdt, "ibm,hypertas-functions", hypertas_pci, sizeof(hypertas_pci)));
	else
		TRY(fdt_property(fdt, "ibm,hypertas-functions", hypertas, sizeof(hypertas)));
	TRY(fdt_property_u32(fdt, "rtas-size", (uint32_t)gp->rtas_size));
	TRY(fdt_property_u32(fdt, "rtas-error-log-max", RTAS_ERROR_LOG_MAX));
	/* Linux reads these two as single cells. */
	TRY(fdt_property_u32(fdt, "linux,rtas-base", (uint32_t)gp->rtas_base));
	TRY(fdt_property_u32(fdt, "linux,rtas-entry", (uint32_t)gp->rtas_base));
	TRY(fdt_property(fdt, "ibm,extended-os-term", NULL, 0));
	TRY(fdt_property_u32(fdt, "rtas-event-scan-rate", 1));
	RTAS_FOREACH (s) {
		TRY(fdt_property_u32(fdt, s->name, s->token));
	}
	return fdt_end_node(fdt);
}

int guest_fdt_build(void *buf, size_t size, const struct guest_fdt_params *gp)
{
	char s[64];
	TRY(fdt_create(buf, (int)size));
	/* Nothing else tells the OS that the RTAS blob's memory is taken. */
	TRY(fdt_add_reservemap_entry(buf, gp->rtas_base & ~0xfffull, (gp->rtas_size + 0xfff) & ~0xfffull));
	TRY(fdt_finish_reservemap(buf));
	TRY(fdt_begin_node(buf, ""));
	TRY(fdt_property_u32(buf, "#address-cells", 2));
	TRY(fdt_property_u32(buf, "#size-cells", 2));
	TRY(fdt_property_string(buf, "device_type", "chrp"));
	TRY(fdt_property_string(buf, "compatible", "qemu,pseries"));
	TRY(fdt_property_string(buf, "model", "IBM pSeries (emulated by powerhv)"));
	TRY(fdt_property_string(buf, "ibm,partition-name", gp->name));

	snprintf(s, sizeof(s), "memory@0");
	TRY(fdt_begin_node(buf, s));
	TRY(fdt_property_string(buf, "device_type", "memory"));
	fdt64_t reg[2] = { 0, cpu_to_fdt64(gp->mem_size) };
	TRY(fdt_property(buf, "reg", reg, sizeof(reg)));
	TRY(fdt_end_node(buf));

	TRY(cpus_node(buf, gp));

	TRY(fdt_begin_node(buf, "chosen"));
	TRY(fdt_property_string(buf, "bootargs", gp->bootargs ? gp->bootargs : ""));
	snprintf(s, sizeof(s), "/vdevice/vty@%x", gp->vty_reg);
	TRY(fdt_property_string(buf, "stdout-path", s));
	if (has_phb(gp)) /* Linux assigns the BARs itself, as on QEMU pseries */
		TRY(fdt_property_u32(buf, "linux,pci-probe-only", 0));
	if (gp->initrd_size) {
		TRY(prop_u64(buf, "linux,initrd-start", gp->initrd_start));
		TRY(prop_u64(buf, "linux,initrd-end", gp->initrd_start + gp->initrd_size));
	}
	TRY(fdt_end_node(buf));

	TRY(fdt_begin_node(buf, "vdevice"));
	TRY(fdt_property_string(buf, "device_type", "vdevice"));
	TRY(fdt_property_string(buf, "compatible", "IBM,vdevice"));
	TRY(fdt_property_u32(buf, "#address-cells", 1));
	TRY(fdt_property_u32(buf, "#size-cells", 0));
	snprintf(s, sizeof(s), "vty@%x", gp->vty_reg);
	TRY(fdt_begin_node(buf, s));
	TRY(fdt_property_string(buf, "name", "vty"));
	TRY(fdt_property_string(buf, "device_type", "serial"));
	TRY(fdt_property_string(buf, "compatible", "hvterm1"));
	TRY(fdt_property_u32(buf, "reg", gp->vty_reg));
	TRY(fdt_end_node(buf));
	TRY(fdt_end_node(buf));

	TRY(rtas_node(buf, gp));
	TRY(xics_node(buf, gp));
	if (gp->nvram_size) { /* reached through RTAS nvram-fetch/store */
		TRY(fdt_begin_node(buf, "nvram"));
		TRY(fdt_property_string(buf, "device_type", "nvram"));
		TRY(fdt_property_u32(buf, "#bytes", gp->nvram_size));
		TRY(fdt_end_node(buf));
	}

	for (unsigned int i = 0; i < PHB_MAX; i++)
		if (gp->phb[i])
			TRY(phb_fdt_node(buf, gp->phb[i], XICS_PHANDLE));
	TRY(fdt_end_node(buf));
	return fdt_finish(buf);
}
