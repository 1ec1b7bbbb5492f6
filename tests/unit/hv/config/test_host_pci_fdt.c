/* The host's PCI topology from skiboot's device tree (hv/config/host_pci_fdt.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include "hv/config/host_pci_fdt.h"
#include "tests/unit/support/fdt_builder.h"

static uint64_t tree_buf[256 * 1024 / 8]; /* 8-byte aligned, as firmware gives it */
static void *fdt;
static struct host_pci_topology topo;
static char warn[200], err[200];

/* fdt_add_subnode() puts a new node before its siblings: the tests add
 * siblings last first, so that the tree reads in the natural order. */

static const char compat[] = "ibm,power9-pciex\0ibm,ioda3-phb";

/* The machine fdt_builder makes (memory, CPUs, OPAL), room to add PHBs to. */
static int setup(void **state)
{
	(void)state;
	struct fdt_spec s;
	fdt_spec_default(&s);
	fdt = tree_buf;
	assert_int_equal(fdt_open_into(fdt_build(&s), fdt, sizeof(tree_buf)), 0);
	memset(warn, 'x', sizeof(warn));
	memset(err, 0, sizeof(err));
	return 0;
}

static int node(const char *path)
{
	int n = fdt_path_offset(fdt, path);
	assert_true(n >= 0);
	return n;
}

static void set_cells(const char *path, const char *prop, const uint32_t *v, unsigned int n)
{
	fdt32_t be[16];
	assert_true(n <= 16);
	for (unsigned int i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(v[i]);
	assert_int_equal(fdt_setprop(fdt, node(path), prop, be, (int)(n * 4)), 0);
}

static void set_u32(const char *path, const char *prop, uint32_t v)
{
	set_cells(path, prop, &v, 1);
}

static void del(const char *path, const char *prop)
{
	assert_int_equal(fdt_delprop(fdt, node(path), prop), 0);
}

/* A PHB4 as skiboot describes it under QEMU powernv9: chip 0's PHB n at
 * /pciex@600c3c01n0000 (n = 0 gives /pciex@600c3c0000000), its 32-bit
 * window at CPU 0x600c0_00000000 + n * 4 GiB, PCI 0x80000000, chopped to
 * 0x7fff0000 (skiboot keeps the top 64 KiB for 32-bit MSIs). m64_first: the
 * 64-bit entry of ranges before the 32-bit one. */
static char *add_phb(unsigned int n, bool m64_first)
{
	static char path[8][64];
	char *p = path[n % 8];
	snprintf(p, 64, "/pciex@600c3c0%u00000", n);
	assert_true(fdt_add_subnode(fdt, 0, p + 1) >= 0);
	assert_int_equal(fdt_setprop(fdt, node(p), "compatible", compat, sizeof(compat)), 0);
	assert_int_equal(fdt_setprop_string(fdt, node(p), "device_type", "pciex"), 0);
	set_u32(p, "#address-cells", 3);
	set_u32(p, "#size-cells", 2);
	uint32_t id[2] = { 0, n };
	set_cells(p, "ibm,opal-phbid", id, 2);
	set_u32(p, "ibm,opal-num-pes", 0x200);
	set_u32(p, "ibm,opal-reserved-pe", 0x1ff);
	uint32_t m32[7] = { 0x2000000, 0x0, 0x80000000, 0x600c0 + 4 * n, 0x0, 0x0, 0x7fff0000 };
	uint32_t m64[7] = { 0x43000000, 0x6000, 0x0, 0x6000 + n, 0x0, 0x4, 0x0 };
	uint32_t ranges[14];
	memcpy(ranges, m64_first ? m64 : m32, sizeof(m32));
	memcpy(ranges + 7, m64_first ? m32 : m64, sizeof(m32));
	set_cells(p, "ranges", ranges, 14);
	/* skiboot's M64 window (CPU and PCI addresses alike, 256 GiB) and M64 BARs 1..15 */
	uint32_t m64w[6] = { 0x60000 + 0x40 * n, 0x0, 0x60000 + 0x40 * n, 0x0, 0x40, 0x0 };
	set_cells(p, "ibm,opal-m64-window", m64w, 6);
	uint32_t avail[2] = { 1, 15 };
	set_cells(p, "ibm,opal-available-m64-ranges", avail, 2);
	return p;
}

/* A function below parent: reg's first cell is bus << 16 | devfn << 8. */
static void add_fn(const char *parent, const char *name, uint32_t reg_hi, uint32_t vendor, uint32_t device,
		   uint32_t class_code, const char *loc, char *child_path)
{
	char path[160];
	snprintf(path, sizeof(path), "%s/%s", parent, name);
	assert_true(fdt_add_subnode(fdt, node(parent), name) >= 0);
	uint32_t reg[5] = { reg_hi, 0, 0, 0, 0 };
	set_cells(path, "reg", reg, 5);
	set_u32(path, "vendor-id", vendor);
	set_u32(path, "device-id", device);
	set_u32(path, "class-code", class_code);
	if (loc)
		assert_int_equal(fdt_setprop_string(fdt, node(path), "ibm,loc-code", loc), 0);
	if (child_path)
		snprintf(child_path, 160, "%s", path);
}

/* A root port with an NVMe drive below it, as QEMU's -device nvme,bus=pcie.0 gives. */
static void add_root_port_and_drive(const char *phb)
{
	char rp[160];
	add_fn(phb, "pci@0", 0, 0x1014, 0x04c1, 0x60400, NULL, rp);
	add_fn(rp, "mass-storage@0", 0x10000, 0x1b36, 0x10, 0x10802, "pcie.0", NULL);
}

static int parse(void)
{
	return host_pci_fdt_parse(fdt, &topo, warn, sizeof(warn), err, sizeof(err));
}

static void a_powernv9_phb(void **state)
{
	(void)state;
	add_root_port_and_drive(add_phb(0, false));
	assert_int_equal(parse(), 1);
	assert_string_equal(warn, "");
	const struct host_phb_desc *p = &topo.phb[0];
	assert_string_equal(p->path, "/pciex@600c3c0000000");
	assert_int_equal(p->opal_id, 0);
	assert_int_equal(p->m32_cpu, 0x600c000000000ull);
	assert_int_equal(p->m32_pci, 0x80000000);
	assert_int_equal(p->m32_size, 0x7fff0000);
	assert_int_equal(p->m32_segment, 4ull << 20); /* 2 GiB / 512 PEs */
	assert_int_equal(p->m64_cpu, 0x6000000000000ull);
	assert_int_equal(p->m64_pci, 0x6000000000000ull);
	assert_int_equal(p->m64_size, 256ull << 30);
	assert_int_equal(p->m64_bar_first, 1);
	assert_int_equal(p->m64_bar_count, 15);
	assert_int_equal(p->num_pes, 0x200);
	assert_int_equal(p->reserved_pe, 0x1ff);
	assert_int_equal(p->nfns, 2);
	assert_int_equal(p->fns_ignored, 0);
	const struct host_pci_fn_desc *rp = &p->fn[0], *nvme = &p->fn[1];
	assert_int_equal(rp->bdfn, 0);
	assert_true(rp->bridge);
	assert_int_equal(rp->vendor, 0x1014);
	assert_int_equal(rp->device, 0x04c1);
	assert_int_equal(rp->class_code, 0x60400);
	assert_string_equal(rp->loc, "");
	assert_int_equal(nvme->bdfn, 0x0100); /* bus 1, device 0, function 0 */
	assert_false(nvme->bridge);
	assert_int_equal(nvme->vendor, 0x1b36);
	assert_int_equal(nvme->device, 0x10);
	assert_int_equal(nvme->class_code, 0x10802);
	assert_string_equal(nvme->loc, "pcie.0");
	assert_string_equal(host_pci_class_name(nvme->class_code), "Non-Volatile memory controller");
}

static void two_phbs(void **state)
{
	(void)state;
	char *p1 = add_phb(1, true); /* 64-bit entry first */
	del(p1, "ibm,opal-reserved-pe");
	char rp[160];
	add_fn(p1, "pci@0", 0, 0x1014, 0x04c1, 0x60400, NULL, rp);
	add_fn(rp, "ethernet@0,1", 0x10100, 0x8086, 0x10d3, 0x20000, "pcie.1", NULL);
	add_fn(rp, "ethernet@0", 0x10000, 0x8086, 0x10d3, 0x20000, "pcie.1", NULL);
	add_root_port_and_drive(add_phb(0, false));
	assert_int_equal(parse(), 2);
	assert_string_equal(warn, "");
	assert_int_equal(topo.phb[0].opal_id, 0);
	assert_int_equal(topo.phb[0].nfns, 2);
	const struct host_phb_desc *p = &topo.phb[1];
	assert_string_equal(p->path, "/pciex@600c3c0100000");
	assert_int_equal(p->opal_id, 1);
	assert_int_equal(p->m32_cpu, 0x600c400000000ull);
	assert_int_equal(p->m32_pci, 0x80000000);
	assert_int_equal(p->reserved_pe, 0x1ff); /* absent: the last PE */
	assert_int_equal(p->nfns, 3);
	assert_int_equal(p->fn[1].bdfn, 0x0100);
	assert_int_equal(p->fn[2].bdfn, 0x0101); /* function 1 */
	assert_int_equal(p->fn[2].class_code, 0x20000);
	assert_false(p->fn[2].bridge);
}

static void a_64_bit_phbid(void **state)
{
	(void)state;
	char *p = add_phb(0, false);
	uint32_t id[2] = { 0x1, 0x2 };
	set_cells(p, "ibm,opal-phbid", id, 2);
	uint32_t pes = 0x100, rsv = 0x7f;
	set_cells(p, "ibm,opal-num-pes", &pes, 1);
	set_cells(p, "ibm,opal-reserved-pe", &rsv, 1);
	assert_int_equal(parse(), 1);
	assert_int_equal(topo.phb[0].opal_id, 0x100000002ull);
	assert_int_equal(topo.phb[0].num_pes, 0x100);
	assert_int_equal(topo.phb[0].reserved_pe, 0x7f);
	assert_int_equal(topo.phb[0].m32_segment, 8ull << 20);
	assert_int_equal(topo.phb[0].nfns, 0);
}

static void a_reserved_pe_out_of_range_is_the_last(void **state)
{
	(void)state;
	set_u32(add_phb(0, false), "ibm,opal-reserved-pe", 0x200);
	assert_int_equal(parse(), 1);
	assert_int_equal(topo.phb[0].reserved_pe, 0x1ff);
}

struct breakage {
	const char *what, *reason;
	void (*apply)(const char *phb);
};

static void no_phbid(const char *p)
{
	del(p, "ibm,opal-phbid");
}
static void short_phbid(const char *p)
{
	set_u32(p, "ibm,opal-phbid", 1);
}
static void no_num_pes(const char *p)
{
	del(p, "ibm,opal-num-pes");
}
static void num_pes_not_a_power_of_two(const char *p)
{
	set_u32(p, "ibm,opal-num-pes", 0x180);
}
static void one_pe(const char *p)
{
	set_u32(p, "ibm,opal-num-pes", 1);
}
static void too_many_pes(const char *p)
{
	set_u32(p, "ibm,opal-num-pes", 8192);
}
static void num_pes_two_cells(const char *p)
{
	uint32_t v[2] = { 0, 0x200 };
	set_cells(p, "ibm,opal-num-pes", v, 2);
}
static void no_ranges(const char *p)
{
	del(p, "ranges");
}
static void only_m64(const char *p)
{
	uint32_t r[7] = { 0x43000000, 0x6000, 0x0, 0x6001, 0x0, 0x4, 0x0 };
	set_cells(p, "ranges", r, 7);
}
static void only_io_and_m64_below_4g(const char *p)
{
	/* I/O space and 64-bit memory space at PCI addresses below 4 GiB: neither is the 32-bit window */
	uint32_t r[14] = { 0x1000000,  0x0, 0x0,        0x600c4, 0x0, 0x0, 0x10000,
			   0x43000000, 0x0, 0x80000000, 0x600c4, 0x0, 0x0, 0x7fff0000 };
	set_cells(p, "ranges", r, 14);
}
static void ranges_bad_length(const char *p)
{
	uint32_t r[6] = { 0x2000000, 0x0, 0x80000000, 0x600c4, 0x0, 0x7fff0000 };
	set_cells(p, "ranges", r, 6);
}
static void m32_zero_size(const char *p)
{
	uint32_t r[7] = { 0x2000000, 0x0, 0x80000000, 0x600c4, 0x0, 0x0, 0x0 };
	set_cells(p, "ranges", r, 7);
}
static void m32_above_4g(const char *p)
{
	uint32_t r[7] = { 0x2000000, 0x0, 0xc0000000, 0x600c4, 0x0, 0x0, 0x80000000 };
	set_cells(p, "ranges", r, 7);
}
static void m32_pci_wraps(const char *p)
{
	/* PCI 0xffffffff_00000000 + 4 GiB wraps to 0: not below 4 GiB */
	uint32_t r[7] = { 0x2000000, 0xffffffff, 0x0, 0x600c4, 0x0, 0x1, 0x0 };
	set_cells(p, "ranges", r, 7);
}
static void m32_cpu_wraps(const char *p)
{
	uint32_t r[7] = { 0x2000000, 0x0, 0x80000000, 0xffffffff, 0xffff0000, 0x0, 0x7fff0000 };
	set_cells(p, "ranges", r, 7);
}
static void m32_too_small(const char *p)
{
	uint32_t r[7] = { 0x2000000, 0x0, 0x80000000, 0x600c4, 0x0, 0x0, 0x1000000 }; /* 32 KiB per PE */
	set_cells(p, "ranges", r, 7);
}

static const struct breakage breakages[] = {
	{ "no phbid", "no ibm,opal-phbid", no_phbid },
	{ "one-cell phbid", "no ibm,opal-phbid", short_phbid },
	{ "no num-pes", "bad ibm,opal-num-pes", no_num_pes },
	{ "num-pes 0x180", "bad ibm,opal-num-pes", num_pes_not_a_power_of_two },
	{ "num-pes 1", "bad ibm,opal-num-pes", one_pe },
	{ "num-pes 8192", "bad ibm,opal-num-pes", too_many_pes },
	{ "two-cell num-pes", "bad ibm,opal-num-pes", num_pes_two_cells },
	{ "no ranges", "no 32-bit memory window", no_ranges },
	{ "only a 64-bit range", "no 32-bit memory window", only_m64 },
	{ "I/O and 64-bit ranges below 4 GiB", "no 32-bit memory window", only_io_and_m64_below_4g },
	{ "ranges of 6 cells", "no 32-bit memory window", ranges_bad_length },
	{ "m32 of size 0", "no 32-bit memory window", m32_zero_size },
	{ "m32 beyond 4 GiB", "no 32-bit memory window", m32_above_4g },
	{ "m32 PCI base wraps", "no 32-bit memory window", m32_pci_wraps },
	{ "m32 CPU base wraps", "no 32-bit memory window", m32_cpu_wraps },
	{ "m32 too small", "too small for its PEs", m32_too_small },
};

static void broken_phbs_are_skipped_with_a_warning(void **state)
{
	for (size_t i = 0; i < sizeof(breakages) / sizeof(breakages[0]); i++) {
		setup(state);
		add_root_port_and_drive(add_phb(2, false));
		char *bad = add_phb(1, false);
		add_root_port_and_drive(bad);
		breakages[i].apply(bad);
		add_root_port_and_drive(add_phb(0, false));
		int n = parse();
		if (n != 2 || !strstr(warn, breakages[i].reason) || !strstr(warn, "/pciex@600c3c0100000"))
			fail_msg("%s: %d PHBs, warning \"%s\"", breakages[i].what, n, warn);
		assert_int_equal(topo.phb[0].opal_id, 0);
		assert_int_equal(topo.phb[1].opal_id, 2); /* the one after it is kept, in its place */
		assert_string_equal(topo.phb[1].path, "/pciex@600c3c0200000");
		assert_int_equal(topo.phb[1].m32_cpu, 0x600c800000000ull);
		assert_int_equal(topo.phb[1].nfns, 2);
		assert_int_equal(topo.phb[1].fn[1].bdfn, 0x0100);
	}
}

/* A 64-bit window that cannot be used leaves the PHB with its 32-bit one
 * only: no warning, m64_size 0. */
static const struct {
	const char *what;
	uint32_t window[6], avail[2];
	int window_cells, avail_cells;
} bad_m64[] = {
	{ "no window", { 0 }, { 1, 15 }, 0, 2 },
	{ "no available BARs", { 0x60000, 0, 0x60000, 0, 0x40, 0 }, { 0 }, 6, 0 },
	{ "window of 4 cells", { 0x60000, 0, 0x40, 0 }, { 1, 15 }, 4, 2 },
	{ "size 0", { 0x60000, 0, 0x60000, 0, 0, 0 }, { 1, 15 }, 6, 2 },
	{ "size not a power of two", { 0x60000, 0, 0x60000, 0, 0x30, 0 }, { 1, 15 }, 6, 2 },
	{ "CPU base not aligned to the size", { 0x60020, 0, 0x60020, 0, 0x40, 0 }, { 1, 15 }, 6, 2 },
	{ "PCI base not aligned to the size", { 0x60000, 0, 0x60000, 0x1000, 0x40, 0 }, { 1, 15 }, 6, 2 },
	{ "CPU window wraps", { 0xffffff80, 0, 0x60000, 0, 0x80, 0 }, { 1, 15 }, 6, 2 },
	{ "BAR 0 offered (the M32 BAR)", { 0x60000, 0, 0x60000, 0, 0x40, 0 }, { 0, 15 }, 6, 2 },
	{ "no BARs", { 0x60000, 0, 0x60000, 0, 0x40, 0 }, { 1, 0 }, 6, 2 },
	{ "BAR range wraps", { 0x60000, 0, 0x60000, 0, 0x40, 0 }, { 2, 0xffffffff }, 6, 2 },
};

static void unusable_m64_windows_are_ignored(void **state)
{
	for (size_t i = 0; i < sizeof(bad_m64) / sizeof(bad_m64[0]); i++) {
		setup(state);
		char *p = add_phb(0, false);
		del(p, "ibm,opal-m64-window");
		del(p, "ibm,opal-available-m64-ranges");
		if (bad_m64[i].window_cells)
			set_cells(p, "ibm,opal-m64-window", bad_m64[i].window, bad_m64[i].window_cells);
		if (bad_m64[i].avail_cells)
			set_cells(p, "ibm,opal-available-m64-ranges", bad_m64[i].avail, bad_m64[i].avail_cells);
		if (parse() != 1 || warn[0] || topo.phb[0].m64_size || topo.phb[0].m32_size != 0x7fff0000)
			fail_msg("%s: m64 size 0x%llx, warning \"%s\"", bad_m64[i].what,
				 (unsigned long long)topo.phb[0].m64_size, warn);
	}
}

static void the_last_warning_wins(void **state)
{
	(void)state;
	del(add_phb(1, false), "ranges");
	del(add_phb(0, false), "ibm,opal-phbid");
	assert_int_equal(parse(), 0);
	assert_non_null(strstr(warn, "/pciex@600c3c0100000: no 32-bit memory window"));
}

static void a_broken_header(void **state)
{
	(void)state;
	add_phb(0, false);
	assert_int_equal(parse(), 1);
	fdt_set_magic(fdt, 0x12345678);
	assert_int_equal(parse(), -1);
	assert_non_null(strstr(err, "bad header"));
	assert_int_equal(topo.nphbs, 0);
	fdt_set_magic(fdt, FDT_MAGIC);
	fdt_set_version(fdt, 1);
	assert_int_equal(parse(), -1);
}

static void only_ioda3_phbs(void **state)
{
	(void)state;
	assert_int_equal(parse(), 0);
	assert_string_equal(warn, ""); /* no PHB at all is no warning */
	char *p = add_phb(0, false);
	static const char p8[] = "ibm,power8-pciex\0ibm,ioda2-phb";
	assert_int_equal(fdt_setprop(fdt, node(p), "compatible", p8, sizeof(p8)), 0);
	assert_int_equal(parse(), 0);
	static const char ioda3[] = "ibm,ioda3-phb"; /* the only entry: still a PHB4 */
	assert_int_equal(fdt_setprop(fdt, node(p), "compatible", ioda3, sizeof(ioda3)), 0);
	assert_int_equal(parse(), 1);
}

static void more_functions_than_fit(void **state)
{
	(void)state;
	char rp[160];
	add_fn(add_phb(0, false), "pci@0", 0, 0x1014, 0x04c1, 0x60400, NULL, rp);
	for (unsigned int i = 20; i-- > 0;) {
		char name[32];
		snprintf(name, sizeof(name), "dev@%x", i);
		add_fn(rp, name, 0x10000 | i << 11, 0x1af4, 0x1000 + i, 0x20000, NULL, NULL);
	}
	assert_int_equal(parse(), 1);
	assert_int_equal(topo.phb[0].nfns, HOST_PCI_MAX_FNS);
	assert_int_equal(topo.phb[0].fns_ignored, 21 - HOST_PCI_MAX_FNS);
	/* the first ones, in tree order */
	for (unsigned int i = 1; i < HOST_PCI_MAX_FNS; i++) {
		assert_int_equal(topo.phb[0].fn[i].bdfn, 0x100 | (i - 1) << 3);
		assert_int_equal(topo.phb[0].fn[i].device, 0x1000 + i - 1);
	}
}

static void functions_at_any_depth(void **state)
{
	(void)state;
	char rp[160], sw[160], down[160], noreg[160];
	char *p = add_phb(0, false);
	add_fn(p, "pci@0", 0, 0x1014, 0x04c1, 0x60400, NULL, rp);
	/* a function without reg is not used */
	add_fn(rp, "broken@1", 0x10800, 0x1234, 0x5678, 0x20000, NULL, noreg);
	del(noreg, "reg");
	/* a node that is no function (no ids) is passed through, not counted */
	assert_true(fdt_add_subnode(fdt, node(rp), "holder") >= 0);
	char holder[200];
	snprintf(holder, sizeof(holder), "%s/holder", rp);
	add_fn(holder, "net@0", 0x40000, 0x8086, 0x1521, 0x20000, NULL, NULL);
	/* a switch: upstream port, downstream port (function 1), a drive below */
	add_fn(rp, "pci@0", 0x10000, 0x10b5, 0x8725, 0x60400, NULL, sw);
	add_fn(sw, "pci@0,1", 0x20100, 0x10b5, 0x8725, 0x60400, NULL, down);
	add_fn(down, "mass-storage@0", 0x30000, 0x144d, 0xa808, 0x10802, "slot3", NULL);
	assert_int_equal(parse(), 1);
	const struct host_phb_desc *d = &topo.phb[0];
	assert_int_equal(d->nfns, 5);
	/* depth first: a bridge's children follow it */
	static const uint16_t bdfns[5] = { 0x0000, 0x0100, 0x0201, 0x0300, 0x0400 };
	static const uint16_t vendors[5] = { 0x1014, 0x10b5, 0x10b5, 0x144d, 0x8086 };
	for (unsigned int i = 0; i < 5; i++) {
		assert_int_equal(d->fn[i].bdfn, bdfns[i]);
		assert_int_equal(d->fn[i].vendor, vendors[i]);
	}
	assert_true(d->fn[2].bridge);
	assert_false(d->fn[3].bridge);
	assert_string_equal(d->fn[3].loc, "slot3");
}

static void location_codes(void **state)
{
	(void)state;
	char *p = add_phb(0, false);
	char b[160];
	add_fn(p, "b@0", 0x20000, 1, 2, 0x10802, NULL, b);
	add_fn(p, "a@0", 0x10000, 1, 2, 0x10802, "U78D2.001.WZS00AB-P1-C7-T1-L1", NULL); /* longer than loc */
	assert_int_equal(fdt_setprop(fdt, node(b), "ibm,loc-code", "abc", 3), 0);        /* no terminator */
	assert_int_equal(parse(), 1);
	assert_int_equal(topo.phb[0].nfns, 2);
	assert_string_equal(topo.phb[0].fn[0].loc, "U78D2.001.WZS00AB-P1-C7"); /* cut at 23 */
	assert_string_equal(topo.phb[0].fn[1].loc, "");
	assert_int_equal(topo.phb[0].fn[1].bdfn, 0x0200);
}

static void more_phbs_than_fit(void **state)
{
	(void)state;
	for (unsigned int i = HOST_PCI_MAX_PHBS + 2; i-- > 0;) {
		char name[40];
		snprintf(name, sizeof(name), "pciex@%x", 0x1000 + i);
		assert_true(fdt_add_subnode(fdt, 0, name) >= 0);
		char path[48];
		snprintf(path, sizeof(path), "/%s", name);
		assert_int_equal(fdt_setprop(fdt, node(path), "compatible", compat, sizeof(compat)), 0);
		uint32_t id[2] = { 0, i };
		set_cells(path, "ibm,opal-phbid", id, 2);
		set_u32(path, "ibm,opal-num-pes", 0x200);
		uint32_t m32[7] = { 0x2000000, 0x0, 0x80000000, 0x600c0 + i, 0x0, 0x0, 0x7fff0000 };
		set_cells(path, "ranges", m32, 7);
	}
	assert_int_equal(parse(), HOST_PCI_MAX_PHBS);
	assert_non_null(strstr(warn, "more than 24 PHBs"));
	assert_int_equal(topo.phb[HOST_PCI_MAX_PHBS - 1].opal_id, HOST_PCI_MAX_PHBS - 1);
}

static void class_names(void **state)
{
	(void)state;
	assert_string_equal(host_pci_class_name(0x010802), "Non-Volatile memory controller");
	assert_string_equal(host_pci_class_name(0x060400), "PCI bridge");
	assert_string_equal(host_pci_class_name(0x060401), "PCI bridge"); /* prog-if does not matter */
	assert_string_equal(host_pci_class_name(0x020000), "Ethernet controller");
	assert_string_equal(host_pci_class_name(0x010601), "SATA controller");
	assert_string_equal(host_pci_class_name(0x0c0330), "USB controller");
	assert_string_equal(host_pci_class_name(0x030000), "VGA compatible controller");
	assert_string_equal(host_pci_class_name(0x050000), "RAM memory");
	assert_string_equal(host_pci_class_name(0x010000), "SCSI storage controller");
	assert_string_equal(host_pci_class_name(0x028000), "Network controller");
	assert_string_equal(host_pci_class_name(0x0b4000), "Device"); /* a co-processor: not named */
	assert_string_equal(host_pci_class_name(0x000000), "Device");
	assert_string_equal(host_pci_class_name(0x01010802), "Device"); /* beyond 24 bits is no class */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(a_powernv9_phb, setup),
		cmocka_unit_test_setup(two_phbs, setup),
		cmocka_unit_test_setup(a_64_bit_phbid, setup),
		cmocka_unit_test_setup(a_reserved_pe_out_of_range_is_the_last, setup),
		cmocka_unit_test_setup(broken_phbs_are_skipped_with_a_warning, setup),
		cmocka_unit_test_setup(the_last_warning_wins, setup),
		cmocka_unit_test(unusable_m64_windows_are_ignored),
		cmocka_unit_test_setup(a_broken_header, setup),
		cmocka_unit_test_setup(only_ioda3_phbs, setup),
		cmocka_unit_test_setup(more_functions_than_fit, setup),
		cmocka_unit_test_setup(functions_at_any_depth, setup),
		cmocka_unit_test_setup(location_codes, setup),
		cmocka_unit_test_setup(more_phbs_than_fit, setup),
		cmocka_unit_test(class_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
