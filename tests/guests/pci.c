/*
 * The virtual PCI host bridge and ivshmem as a bare-metal guest sees them
 * (it does what Linux never does, too):
 *  - the device tree: the bridge node, its window ranges, the function node;
 *  - RTAS config space: identity, BAR sizing and placement, every bad access;
 *  - every load and store form on the emulated registers (BAR0), with the
 *    byte order, sign extension and update semantics the ISA gives them;
 *    unsupported forms get a machine check; unassigned addresses read ones;
 *  - the shared memory (BAR2): the state table and the other peer's output
 *    section are read-only, its own section and the common area writable;
 *  - doorbells to itself by MSI-X and by INTx, and from its peer;
 *  - the TCE hcalls.
 * bootargs "peer": the read-only peer instead, which checks that every
 * store to the shared memory faults, reads what the main guest wrote and
 * rings its doorbell.
 */
#include <string.h>
#include <libfdt.h>
#include "tests/guests/guest.h"
#include "papr.h"
#include "hv/mm/hpt.h"

#define SLB_V       (1ull << 27)
#define VSID        0x4242ull
#define EA_BASE     0x100000000ull /* a 256 MB segment of our own */
#define EA_BAR0     (EA_BASE + 0x0000)
#define EA_BAR1     (EA_BASE + 0x1000)
#define EA_HOLE     (EA_BASE + 0x2000)
#define EA_KEYED    (EA_BASE + 0x4000)   /* BAR0 again, with storage key 5 */
#define EA_SHM      (EA_BASE + 0x100000) /* + page */
#define SHM_SIZE    0x40000
#define OUT_SIZE    0x10000
#define COMMON      0x10000 /* the common area's first page, after the state table */
#define OUT0        (SHM_SIZE - 2 * OUT_SIZE)
#define OUT1        (SHM_SIZE - OUT_SIZE)
#define DSISR_PROT  0x08000000ull
#define DSISR_STORE 0x02000000ull

static uint64_t nptegs_mask, mem32_cpu, mem64_cpu;
static uint32_t buid_hi, buid_lo, t_read, t_write, t_msi, t_query;
static unsigned int slot = 99;

/* ---- page mapping (4K pages in our segment) ---- */

static uint64_t last_slot; /* of the last H_ENTER that succeeded */

static long enter_page(uint64_t ea, uint64_t ra, uint64_t wimg, uint64_t pp)
{
	uint64_t out[9];
	uint64_t va = (VSID << 28) | (ea & 0x0fffffffull);
	uint64_t pteh = ((va >> 23) << 7) | HPTE_V_VALID;
	uint64_t ptex = ((VSID ^ ((ea & 0x0fffffffull) >> 12)) & nptegs_mask) * 8;
	long rc = hcall(H_ENTER, out, 0, ptex, pteh, ra | wimg | pp, 0, 0);
	if (rc == H_SUCCESS)
		last_slot = out[0];
	return rc;
}

static void remove_slot(uint64_t slot_nr)
{
	uint64_t out[9];
	check(hcall(H_REMOVE, out, 0, slot_nr, 0, 0, 0, 0) == H_SUCCESS, "H_REMOVE of slot %llu",
	      (unsigned long long)slot_nr);
}

/* Maps read-write (PP 2). */
static void map_page(uint64_t ea, uint64_t ra, uint64_t wimg, long want)
{
	long rc = enter_page(ea, ra, wimg, 0x2);
	check(rc == want, "H_ENTER ea 0x%llx -> 0x%llx wimg %llx: rc %ld (want %ld)", (unsigned long long)ea,
	      (unsigned long long)ra, (unsigned long long)wimg, rc, want);
}

/* ---- RTAS config space ---- */

static uint32_t cfgaddr(unsigned int s, uint32_t reg)
{
	return ((reg & 0xf00) << 20) | (s << 11) | (reg & 0xff);
}

static int cfg_read_at(uint32_t addr, uint32_t bhi, uint32_t size, uint32_t *v)
{
	uint32_t a[6] = { addr, bhi, buid_lo, size };
	int rc = rtas_call(t_read, 4, 2, a);
	*v = a[5];
	return rc;
}

static uint32_t cfg_read(uint32_t reg, uint32_t size)
{
	uint32_t v = 0;
	int rc = cfg_read_at(cfgaddr(slot, reg), buid_hi, size, &v);
	check(rc == 0, "config read 0x%x: status %d", reg, rc);
	return v;
}

static int cfg_write_at(uint32_t addr, uint32_t size, uint32_t v)
{
	uint32_t a[6] = { addr, buid_hi, buid_lo, size, v };
	return rtas_call(t_write, 5, 1, a);
}

static void cfg_write(uint32_t reg, uint32_t size, uint32_t v)
{
	int rc = cfg_write_at(cfgaddr(slot, reg), size, v);
	check(rc == 0, "config write 0x%x: status %d", reg, rc);
}

/* ---- accesses with data translation on (everything in registers) ---- */

#define DR_ON  "mfmsr %[m]; ori %[t],%[m],0x10; mtmsrd %[t]; isync; "
#define DR_OFF "; mtmsrd %[m]; isync"

#define LOAD_D(name, insn, off)                                             \
	static uint64_t name(uint64_t ea)                                   \
	{                                                                   \
		uint64_t v = 0, m, t;                                       \
		__asm__ volatile(DR_ON insn " %[v]," #off "(%[a])" DR_OFF   \
				 : [v] "=&r"(v), [m] "=&r"(m), [t] "=&r"(t) \
				 : [a] "b"(ea)                              \
				 : "memory");                               \
		return v;                                                   \
	}
#define LOAD_X(name, insn)                                                  \
	static uint64_t name(uint64_t ea, uint64_t idx)                     \
	{                                                                   \
		uint64_t v = 0, m, t;                                       \
		__asm__ volatile(DR_ON insn " %[v],%[a],%[i]" DR_OFF        \
				 : [v] "=&r"(v), [m] "=&r"(m), [t] "=&r"(t) \
				 : [a] "b"(ea), [i] "r"(idx)                \
				 : "memory");                               \
		return v;                                                   \
	}
#define LOAD_DU(name, insn, off)                                                         \
	static uint64_t name(uint64_t *ea)                                               \
	{                                                                                \
		uint64_t v = 0, m, t, a = *ea;                                           \
		__asm__ volatile(DR_ON insn " %[v]," #off "(%[a])" DR_OFF                \
				 : [v] "=&r"(v), [m] "=&r"(m), [t] "=&r"(t), [a] "+b"(a) \
				 :                                                       \
				 : "memory");                                            \
		*ea = a;                                                                 \
		return v;                                                                \
	}
#define LOAD_XU(name, insn)                                                              \
	static uint64_t name(uint64_t *ea, uint64_t idx)                                 \
	{                                                                                \
		uint64_t v = 0, m, t, a = *ea;                                           \
		__asm__ volatile(DR_ON insn " %[v],%[a],%[i]" DR_OFF                     \
				 : [v] "=&r"(v), [m] "=&r"(m), [t] "=&r"(t), [a] "+b"(a) \
				 : [i] "r"(idx)                                          \
				 : "memory");                                            \
		*ea = a;                                                                 \
		return v;                                                                \
	}
#define STORE_D(name, insn, off)                                          \
	static void name(uint64_t ea, uint64_t v)                         \
	{                                                                 \
		uint64_t m, t;                                            \
		__asm__ volatile(DR_ON insn " %[v]," #off "(%[a])" DR_OFF \
				 : [m] "=&r"(m), [t] "=&r"(t)             \
				 : [v] "r"(v), [a] "b"(ea)                \
				 : "memory");                             \
	}
#define STORE_X(name, insn)                                              \
	static void name(uint64_t ea, uint64_t idx, uint64_t v)          \
	{                                                                \
		uint64_t m, t;                                           \
		__asm__ volatile(DR_ON insn " %[v],%[a],%[i]" DR_OFF     \
				 : [m] "=&r"(m), [t] "=&r"(t)            \
				 : [v] "r"(v), [a] "b"(ea), [i] "r"(idx) \
				 : "memory");                            \
	}
#define STORE_DU(name, insn, off)                                          \
	static void name(uint64_t *ea, uint64_t v)                         \
	{                                                                  \
		uint64_t m, t, a = *ea;                                    \
		__asm__ volatile(DR_ON insn " %[v]," #off "(%[a])" DR_OFF  \
				 : [m] "=&r"(m), [t] "=&r"(t), [a] "+b"(a) \
				 : [v] "r"(v)                              \
				 : "memory");                              \
		*ea = a;                                                   \
	}
#define STORE_XU(name, insn)                                               \
	static void name(uint64_t *ea, uint64_t idx, uint64_t v)           \
	{                                                                  \
		uint64_t m, t, a = *ea;                                    \
		__asm__ volatile(DR_ON insn " %[v],%[a],%[i]" DR_OFF       \
				 : [m] "=&r"(m), [t] "=&r"(t), [a] "+b"(a) \
				 : [v] "r"(v), [i] "r"(idx)                \
				 : "memory");                              \
		*ea = a;                                                   \
	}

/* clang-format off */
LOAD_D(lbz0, "lbz", 0) LOAD_D(lbz1, "lbz", 1) LOAD_D(lhz2, "lhz", 2) LOAD_D(lha0, "lha", 0)
LOAD_D(lwz0, "lwz", 0) LOAD_D(lwa0, "lwa", 0) LOAD_D(ld0, "ld", 0) LOAD_D(ld8, "ld", 8)
LOAD_X(lbzx, "lbzx") LOAD_X(lhzx, "lhzx") LOAD_X(lhax, "lhax") LOAD_X(lwzx, "lwzx") LOAD_X(lwax, "lwax")
LOAD_X(ldx, "ldx") LOAD_X(lhbrx, "lhbrx") LOAD_X(lwbrx, "lwbrx") LOAD_X(ldbrx, "ldbrx")
LOAD_DU(lbzu_m1, "lbzu", -1) LOAD_DU(lhzu_m2, "lhzu", -2) LOAD_DU(lhau_m4, "lhau", -4)
LOAD_DU(lwzu_m4, "lwzu", -4) LOAD_DU(ldu_m8, "ldu", -8)
LOAD_XU(lbzux, "lbzux") LOAD_XU(lhzux, "lhzux") LOAD_XU(lhaux, "lhaux") LOAD_XU(lwzux, "lwzux")
LOAD_XU(lwaux, "lwaux") LOAD_XU(ldux, "ldux")
STORE_D(stb3, "stb", 3) STORE_D(sth0, "sth", 0) STORE_D(stw0, "stw", 0) STORE_D(stw8, "stw", 8)
STORE_D(std0, "std", 0) STORE_D(stw12, "stw", 12)
STORE_X(stbx, "stbx") STORE_X(sthx, "sthx") STORE_X(stwx, "stwx") STORE_X(stdx, "stdx")
STORE_X(sthbrx, "sthbrx") STORE_X(stwbrx, "stwbrx") STORE_X(stdbrx, "stdbrx")
STORE_DU(stbu_m1, "stbu", -1) STORE_DU(sthu_m2, "sthu", -2) STORE_DU(stwu_m4, "stwu", -4)
STORE_DU(stdu_m8, "stdu", -8)
STORE_XU(stbux, "stbux") STORE_XU(sthux, "sthux") STORE_XU(stwux, "stwux") STORE_XU(stdux, "stdux")
/* clang-format on */

/* An instruction the emulation refuses: it must come back as a machine check. */
#define REFUSED(insn_text)                                                                                \
	do {                                                                                              \
		uint64_t before = fault_info[3], dsi_before = fault_info[2], m, t, scratch = 0;           \
		__asm__ volatile(DR_ON insn_text DR_OFF                                                   \
				 : [m] "=&r"(m), [t] "=&r"(t), [s] "+r"(scratch)                          \
				 : [a] "b"(EA_BAR0), [z] "r"(0ull)                                        \
				 : "memory");                                                             \
		check(fault_info[3] == before + 1 && fault_info[2] == dsi_before,                         \
		      "%s: a machine check (others %llu -> %llu)", insn_text, (unsigned long long)before, \
		      (unsigned long long)fault_info[3]);                                                 \
	} while (0)

	/* ---- the device tree ---- */

	static int find_bridge(void)
{
	int node = fdt_path_offset(guest_fdt, "/pci@800000020000000");
	check(node >= 0, "the bridge node /pci@800000020000000");
	if (node < 0)
		return -1;
	int len;
	const char *type = fdt_getprop(guest_fdt, node, "device_type", &len);
	check(type && !strcmp(type, "pci"), "device_type \"pci\"");
	const fdt32_t *reg = fdt_getprop(guest_fdt, node, "reg", &len);
	check(reg && len == 16, "reg: BUID and a zero size");
	buid_hi = fdt32_to_cpu(reg[0]);
	buid_lo = fdt32_to_cpu(reg[1]);
	const fdt32_t *r = fdt_getprop(guest_fdt, node, "ranges", &len);
	check(r && len == 56, "ranges: the 32-bit and 64-bit windows (%d bytes)", len);
	if (!r || len != 56)
		return -1;
	check(fdt32_to_cpu(r[0]) == 0x02000000 && fdt32_to_cpu(r[2]) == 0x80000000, "32-bit window at PCI 0x80000000");
	mem32_cpu = (uint64_t)fdt32_to_cpu(r[3]) << 32 | fdt32_to_cpu(r[4]);
	mem64_cpu = (uint64_t)fdt32_to_cpu(r[10]) << 32 | fdt32_to_cpu(r[11]);
	check(mem32_cpu == (1ull << 45) + (2ull << 30), "32-bit window at CPU 2^45 + 2 GiB");
	check(mem64_cpu == (1ull << 45) + (1ull << 40), "64-bit window at 2^45 + 1 TiB");
	const fdt32_t *dma = fdt_getprop(guest_fdt, node, "ibm,dma-window", &len);
	check(dma && len == 20 && fdt32_to_cpu(dma[0]) == 0x80000000, "ibm,dma-window with LIOBN 0x80000000");
	const fdt32_t *msi = fdt_getprop(guest_fdt, node, "ibm,pe-total-#msi", &len);
	check(msi && fdt32_to_cpu(*msi) >= 4, "ibm,pe-total-#msi");
	int fn = fdt_first_subnode(guest_fdt, node);
	check(fn >= 0, "a function node");
	if (fn < 0)
		return -1;
	const fdt32_t *freg = fdt_getprop(guest_fdt, fn, "reg", &len);
	const fdt32_t *vid = fdt_getprop(guest_fdt, fn, "vendor-id", NULL);
	const fdt32_t *did = fdt_getprop(guest_fdt, fn, "device-id", NULL);
	const fdt32_t *nmsix = fdt_getprop(guest_fdt, fn, "ibm,req#msi-x", NULL);
	check(vid && did && fdt32_to_cpu(*vid) == 0x1af4 && fdt32_to_cpu(*did) == 0x1110, "function 1af4:1110");
	check(nmsix && fdt32_to_cpu(*nmsix) == 4, "ibm,req#msi-x = 4");
	check(freg && len == 4 * 5 * 4, "reg: config space and three BARs (%d bytes)", len);
	if (!freg)
		return -1;
	slot = (fdt32_to_cpu(freg[0]) >> 11) & 31;
	check(fdt32_to_cpu(freg[5]) == (0x02000000u | slot << 11 | 0x10) && fdt32_to_cpu(freg[9]) == 256,
	      "BAR0: 32-bit, 256 bytes");
	check(fdt32_to_cpu(freg[15]) == (0x03000000u | slot << 11 | 0x18) && fdt32_to_cpu(freg[19]) == SHM_SIZE,
	      "BAR2: 64-bit, the region's size");
	t_read = rtas_token("ibm,read-pci-config");
	t_write = rtas_token("ibm,write-pci-config");
	t_msi = rtas_token("ibm,change-msi");
	t_query = rtas_token("ibm,query-interrupt-source-number");
	check(t_read && t_write && t_msi && t_query, "the four RTAS PCI tokens");
	return 0;
}

static void config_space(void)
{
	uint32_t v;
	check(cfg_read(0, 4) == 0x11101af4, "vendor and device");
	check(cfg_read(8, 4) == 0x05000001, "class 0x050000, revision 1");
	check(cfg_read(0x2c, 4) == 0x11001af4, "subsystem");
	check(cfg_read(0x3d, 1) == 1, "interrupt pin A");
	cfg_write(0, 4, 0xffffffff);
	check(cfg_read(0, 4) == 0x11101af4, "vendor and device are read-only");
	/* Sizing. */
	cfg_write(0x10, 4, 0xffffffff);
	check(cfg_read(0x10, 4) == 0xffffff00, "BAR0 sizes as 256 bytes");
	cfg_write(0x14, 4, 0xffffffff);
	check(cfg_read(0x14, 4) == 0xfffff000, "BAR1 sizes as 4 KiB");
	cfg_write(0x18, 4, 0xffffffff);
	cfg_write(0x1c, 4, 0xffffffff);
	check(cfg_read(0x18, 4) == (0xffffffffu & ~(SHM_SIZE - 1)) + 0xc && cfg_read(0x1c, 4) == 0xffffffff,
	      "BAR2 sizes as the region, 64-bit prefetchable");
	check(cfg_read(0x20, 4) == 0, "no BAR4");
	/* Bad accesses: each a hardware error, nothing changes. */
	check(cfg_read_at(cfgaddr(slot, 0), buid_hi, 3, &v) == -1, "size 3 refused");
	check(cfg_read_at(cfgaddr(slot, 2), buid_hi, 4, &v) == -1, "misaligned refused");
	check(cfg_read_at(cfgaddr(slot, 0x100), buid_hi, 4, &v) == -1, "extended config refused");
	check(cfg_read_at(cfgaddr((slot + 1) % 32, 0), buid_hi, 4, &v) == -1, "an empty slot refused");
	check(cfg_read_at(cfgaddr(slot, 0) | 0x10000, buid_hi, 4, &v) == -1, "bus 1 refused");
	check(cfg_read_at(cfgaddr(slot, 0) | 0x100, buid_hi, 4, &v) == -1, "function 1 refused");
	check(cfg_read_at(cfgaddr(slot, 0), buid_hi + 1, 4, &v) == -1, "another BUID refused");
	check(cfg_write_at(cfgaddr(slot, 4), 8, 0) == -1, "a write of size 8 refused");
	check(cfg_write_at(cfgaddr(slot, 0xfff), 1, 0) == -1, "a write at 0xfff refused");
	/* Placement. */
	cfg_write(0x10, 4, 0x80000000);
	cfg_write(0x14, 4, 0x80001000);
	cfg_write(0x18, 4, (uint32_t)mem64_cpu);
	cfg_write(0x1c, 4, (uint32_t)(mem64_cpu >> 32));
	cfg_write(4, 2, 0x2); /* memory space */
	check(cfg_read(4, 2) == 0x2, "command: memory space on");
	check(cfg_read(0x10, 4) == 0x80000000, "BAR0 placed");
}

/* Every form on IntrMask (0, read-write), IntrStatus (4) and IVPosition
 * (8, read-only). We are big-endian: a word stored as 0x11223344 is the bytes
 * 11 22 33 44 on the bus. */
static void register_forms(unsigned int id)
{
	const uint64_t a = EA_BAR0;
	uint64_t b;
	stw0(a, 0x11223344);
	check(lwz0(a) == 0x11223344, "stw then lwz");
	check(lbz0(a) == 0x11 && lbz1(a) == 0x22 && lhz2(a) == 0x3344, "lbz, lhz at offsets");
	check(lwbrx(a, 0) == 0x44332211 && lhbrx(a, 2) == 0x4433, "lwbrx, lhbrx reverse");
	check(lwzx(a, 0) == 0x11223344 && lbzx(a, 3) == 0x44 && lhzx(a, 0) == 0x1122, "X forms");
	stw0(a, 0xff80aa55);
	check(lha0(a) == 0xffffffffffffff80ull && lhax(a, 2) == 0xffffffffffffaa55ull, "lha, lhax sign-extend");
	check(lwa0(a) == 0xffffffffff80aa55ull && lwax(a, 0) == 0xffffffffff80aa55ull, "lwa, lwax sign-extend");
	stb3(a, 0x99);
	check(lwz0(a) == 0xff80aa99, "stb merges one byte");
	sth0(a, 0x1234);
	check(lwz0(a) == 0x1234aa99, "sth merges two");
	stbx(a, 1, 0x56);
	sthx(a, 2, 0x789a);
	check(lwz0(a) == 0x1256789a, "stbx, sthx");
	stwx(a, 0, 0xcafef00d);
	check(lwz0(a) == 0xcafef00d, "stwx");
	stwbrx(a, 0, 0x11223344);
	check(lwz0(a) == 0x44332211, "stwbrx");
	sthbrx(a, 0, 0xbbaa);
	check(lwz0(a) == 0xaabb2211, "sthbrx");
	/* 8 bytes cover IntrMask and IntrStatus; reading IntrStatus clears it. */
	std0(a, 0x0102030405060708ull);
	check(lwz0(a) == 0x01020304, "std sets IntrMask");
	check(ld0(a) == 0x0102030405060708ull, "ld reads IntrMask and IntrStatus");
	check(ld0(a) == 0x0102030400000000ull, "IntrStatus cleared by the read");
	stdx(a, 0, 0xa1a2a3a4b1b2b3b4ull);
	check(ldx(a, 0) == 0xa1a2a3a4b1b2b3b4ull, "stdx, ldx");
	stdbrx(a, 0, 0x1122334455667788ull);
	check(lwz0(a) == 0x88776655, "stdbrx: IntrMask holds the low bytes reversed");
	check(ldbrx(a, 0) == 0x1122334455667788ull, "ldbrx reads them back (and clears IntrStatus)");
	check(lwzx(a, 4) == 0, "IntrStatus cleared");
	check(ld8(a) == ((uint64_t)id << 56), "ld at 8: IVPosition %u, Doorbell reads 0", id);
	check(lwbrx(a, 8) == id, "IVPosition");
	stw8(a, 77);
	check(lwbrx(a, 8) == id, "IVPosition is read-only");
	/* Update forms: RA gets the effective address. */
	stw0(a, 0x5a6b7c8d);
	b = a + 4;
	check(lwzu_m4(&b) == 0x5a6b7c8d && b == a, "lwzu");
	b = a + 1;
	check(lbzu_m1(&b) == 0x5a && b == a, "lbzu");
	b = a + 2;
	check(lhzu_m2(&b) == 0x5a6b && b == a, "lhzu");
	b = a + 4;
	check(lhau_m4(&b) == 0x5a6b && b == a, "lhau");
	b = a + 8;
	check(ldu_m8(&b) == 0x5a6b7c8d00000000ull && b == a, "ldu");
	b = a - 4;
	check(lwzux(&b, 4) == 0x5a6b7c8d && b == a, "lwzux");
	b = a - 1;
	check(lbzux(&b, 2) == 0x6b && b == a + 1, "lbzux");
	b = a;
	check(lhzux(&b, 2) == 0x7c8d && b == a + 2, "lhzux");
	b = a;
	check(lhaux(&b, 0) == 0x5a6b && b == a, "lhaux");
	b = a;
	check(lwaux(&b, 0) == 0x5a6b7c8d && b == a, "lwaux");
	b = a + 8;
	check(ldux(&b, -8) == 0x5a6b7c8d00000000ull && b == a, "ldux");
	b = a + 4;
	stwu_m4(&b, 0x01010101);
	check(b == a && lwz0(a) == 0x01010101, "stwu");
	b = a + 4;
	stbu_m1(&b, 0x02);
	check(b == a + 3 && lwz0(a) == 0x01010102, "stbu");
	b = a + 2;
	sthu_m2(&b, 0x0303);
	check(b == a && lwz0(a) == 0x03030102, "sthu");
	b = a + 8;
	stdu_m8(&b, 0x0404040400000000ull);
	check(b == a && lwz0(a) == 0x04040404, "stdu");
	b = a - 8;
	stwux(&b, 8, 0x05050505);
	check(b == a && lwz0(a) == 0x05050505, "stwux");
	b = a;
	stbux(&b, 3, 0x06);
	check(b == a + 3 && lwz0(a) == 0x05050506, "stbux");
	b = a;
	sthux(&b, 0, 0x0707);
	check(b == a && lwz0(a) == 0x07070506, "sthux");
	b = a;
	stdux(&b, 0, 0x0808080800000000ull);
	check(b == a && lwz0(a) == 0x08080808, "stdux");
	stw0(a, 0);
	/* What the emulation does not do: a machine check, the hypervisor fine. */
	REFUSED("lswi %[s],%[a],4");
	REFUSED("lwarx %[s],0,%[a]");
	REFUSED("dcbz 0,%[a]");
	REFUSED("lwz %[s],2(%[a])"); /* misaligned */
	REFUSED("lmw 30,0(%[a])");
	check(lwbrx(a, 8) == id, "registers still answer after the refusals");
	/* Beyond the registers but in BAR0: zero; outside any BAR: all ones. */
	check(lwz0(a + 0x80) == 0, "BAR0 beyond the registers reads 0");
	check(lwz0(EA_HOLE) == 0xffffffff && ld0(EA_HOLE) == ~0ull, "an address no BAR decodes reads ones");
	stw0(EA_HOLE, 0);
	check(lwz0(EA_HOLE) == 0xffffffff, "and drops writes");
}

static void shared_memory(void)
{
	uint64_t dsi = fault_info[2];
	vstore(EA_SHM + OUT0, 0x6f75747075743021ull);
	check(vload(EA_SHM + OUT0) == 0x6f75747075743021ull, "our output section is read-write");
	vstore(EA_SHM + COMMON, 0x636f6d6d6f6e2121ull); /* "common!!": the peer waits for it */
	check(vload(EA_SHM + COMMON) == 0x636f6d6d6f6e2121ull, "the common area is read-write");
	check(fault_info[2] == dsi, "no fault so far");
	vstore(EA_SHM + OUT1, 1);
	check(fault_info[2] == dsi + 1 && fault_info[1] == (DSISR_PROT | DSISR_STORE) && fault_info[0] == EA_SHM + OUT1,
	      "a store to the peer's output section is a protection DSI (DSISR 0x%llx)",
	      (unsigned long long)fault_info[1]);
	vstore(EA_SHM, 1);
	check(fault_info[2] == dsi + 2, "a store to the state table is a DSI");
	check((vload(EA_SHM) & 0xffffffff00000000ull) == 0x0100000000000000ull, "the state table: we run");
}

static void wait_ext(uint64_t before, const char *what, uint64_t ms)
{
	uint64_t t0 = mftb_g(), tb_ms = guest_tb_freq() / 1000;
	mtmsrd_g(mfmsr_g() | 0x8000);
	while (fault_info[6] == before && mftb_g() - t0 < ms * tb_ms)
		guest_relax();
	mtmsrd_g(mfmsr_g() & ~0x8000ull);
	check(fault_info[6] == before + 1, "%s: an external interrupt (%llu)", what,
	      (unsigned long long)(fault_info[6] - before));
}

static uint64_t accept(void)
{
	uint64_t out[9];
	hcall(H_XIRR, out, 0, 0, 0, 0, 0, 0);
	return out[0] & 0xffffff;
}

static void doorbells(void)
{
	uint64_t out[9];
	uint32_t a[10];
	hcall(H_CPPR, out, 0xff, 0, 0, 0, 0, 0);
	/* INTx: MSI-X off, IntrMask bit 0 on, a doorbell to ourselves. */
	uint32_t lsi = 0x1200 + (slot + 1 - 1) % 4;
	a[0] = lsi, a[1] = 0, a[2] = 5;
	check(rtas_call(rtas_token("ibm,set-xive"), 3, 1, a) == 0, "set-xive on the INTx source 0x%x", lsi);
	stw0(EA_BAR0, 0x01000000); /* IntrMask = 1 (little-endian register, we are BE) */
	uint64_t ext = fault_info[6];
	stw12(EA_BAR0, 0); /* doorbell: peer 0, vector 0 */
	wait_ext(ext, "INTx doorbell", 2000);
	check(accept() == lsi, "H_XIRR gives the INTx source");
	check(lwz0(EA_BAR0 + 4) == 0x01000000, "IntrStatus bit 0 set, and now cleared by the read");
	hcall(H_EOI, out, 0xff000000u | lsi, 0, 0, 0, 0, 0);
	check(accept() == 0, "nothing more after EOI (the level went down)");
	/* MSI-X: one vector from change-msi, unmasked in the table. */
	a[0] = cfgaddr(slot, 0), a[1] = buid_hi, a[2] = buid_lo, a[3] = 4, a[4] = 1, a[5] = 0;
	int rc = rtas_call(t_msi, 6, 4, a);
	check(rc == 0 && a[7] == 1 && a[9] == 2, "change-msi: 1 MSI-X vector (rc %d n %u type %u)", rc, a[7], a[9]);
	a[0] = cfgaddr(slot, 0), a[1] = buid_hi, a[2] = buid_lo, a[3] = 0;
	rc = rtas_call(t_query, 4, 3, a);
	uint32_t msi = a[5];
	check(rc == 0 && msi >= 0x1300 && a[6] == 1, "query-interrupt-source-number: 0x%x, edge", msi);
	a[0] = cfgaddr(slot, 0), a[1] = buid_hi, a[2] = buid_lo, a[3] = 1;
	check(rtas_call(t_query, 4, 3, a) == -1, "no vector 1");
	a[0] = msi, a[1] = 0, a[2] = 5;
	rtas_call(rtas_token("ibm,set-xive"), 3, 1, a);
	cfg_write(0x42, 2, 0x8000); /* MSI-X enable */
	check(lwbrx(EA_BAR1, 8) == msi, "MSI-X table data = the source number");
	check(lwbrx(EA_BAR1, 0) == 0 && lwbrx(EA_BAR1, 4) == 0x400, "MSI-X table address 0x40000000000");
	stw12(EA_BAR1, 0); /* unmask vector 0 */
	ext = fault_info[6];
	stw12(EA_BAR0, 0);
	wait_ext(ext, "MSI-X doorbell", 2000);
	check(accept() == msi, "H_XIRR gives the MSI source");
	hcall(H_EOI, out, 0xff000000u | msi, 0, 0, 0, 0, 0);
	/* Masked: pending, delivered on unmask. */
	stw12(EA_BAR1, 0x01000000);
	stw12(EA_BAR0, 0);
	check(lwz0(EA_BAR1 + 0x800) == 0x01000000, "masked: the pending bit");
	ext = fault_info[6];
	stw12(EA_BAR1, 0);
	wait_ext(ext, "unmask delivers the pending doorbell", 2000);
	check(accept() == msi, "the same source");
	hcall(H_EOI, out, 0xff000000u | msi, 0, 0, 0, 0, 0);
	check(lwz0(EA_BAR1 + 0x800) == 0, "pending bit clear");
	/* Doorbells to nobody: dropped. */
	stw12(EA_BAR0, 0x00000700); /* peer 7 (BE bytes: value 0x00070000) */
	stw12(EA_BAR0, 0x09000000); /* vector 9 */
	check(accept() == 0, "bad doorbells deliver nothing");
}

/* The guest's AMR guards emulated pages as the hardware guards memory: a
 * key whose loads or stores it forbids gets a key-fault DSI. */
static void storage_keys(void)
{
	const uint64_t key5 = 5ull << 9; /* HPTE bits 52:54 */
	const uint64_t rd = 1ull << (63 - 10), wr = 1ull << (62 - 10), dsisr_key = 0x00200000ull;
	check(enter_page(EA_KEYED, mem32_cpu, HPTE_R_I | HPTE_R_G | key5, 0x2) == H_SUCCESS, "BAR0 mapped with key 5");
	uint64_t dsi = fault_info[2];
	check(lwbrx(EA_KEYED, 8) == 0, "key 5 readable while the AMR allows it");
	__asm__ volatile("mtspr 29,%0; isync" : : "r"(wr) : "memory");
	check(lwbrx(EA_KEYED, 8) == 0 && fault_info[2] == dsi, "loads pass when only stores are forbidden");
	stw0(EA_KEYED, 0);
	check(fault_info[2] == dsi + 1 && fault_info[1] == (dsisr_key | DSISR_STORE) && fault_info[0] == EA_KEYED,
	      "a store the AMR forbids is a key-fault DSI (DSISR 0x%llx)", (unsigned long long)fault_info[1]);
	__asm__ volatile("mtspr 29,%0; isync" : : "r"(rd) : "memory");
	(void)lwz0(EA_KEYED + 8);
	check(fault_info[2] == dsi + 2 && fault_info[1] == dsisr_key && fault_info[0] == EA_KEYED + 8,
	      "a load the AMR forbids is a key-fault DSI (DSISR 0x%llx)", (unsigned long long)fault_info[1]);
	__asm__ volatile("mtspr 29,%0; isync" : : "r"(0ull) : "memory");
	check(lwbrx(EA_BAR0, 8) == 0 && fault_info[2] == dsi + 2, "key 0 pages were never affected");
}

/* The hypervisor remembers the entry of a vCPU's last emulated page; a
 * changed entry must never be used as it was: the same EA moved from a
 * register page to a page no BAR decodes reads ones, and moved to our own
 * RAM reaches the RAM. */
static void changed_translations(void)
{
	static uint32_t ram[1024] __attribute__((aligned(4096)));
	const uint64_t ea = EA_BASE + 0x5000;
	check(enter_page(ea, mem32_cpu, HPTE_R_I | HPTE_R_G, 0x2) == H_SUCCESS, "BAR0 mapped at a second EA");
	check(lwz0(ea + 0x80) == 0 && lwz0(ea + 0x80) == 0, "BAR0 beyond its registers reads 0 (twice)");
	remove_slot(last_slot);
	check(enter_page(ea, mem32_cpu + 0x100000, HPTE_R_I | HPTE_R_G, 0x2) == H_SUCCESS, "the EA moved");
	check(lwz0(ea + 0x80) == 0xffffffff, "then it reads what is there now: nothing (ones)");
	remove_slot(last_slot);
	ram[0x20] = 0x11223344;
	check(enter_page(ea, (uint64_t)(uintptr_t)ram, HPTE_R_M, 0x2) == H_SUCCESS, "the EA moved to our RAM");
	check(lwz0(ea + 0x80) == 0x11223344, "and reads the RAM");
	stw0(ea + 0x84, 0x55667788);
	check(ram[0x21] == 0x55667788, "and writes it");
	remove_slot(last_slot);
}

/* A memory BAR moved under an EA that had been a device page of this vCPU
 * is memory at once (the ranges changed), and its old place reads ones. */
static void moved_memory_bar(void)
{
	const uint64_t ea = EA_BASE + 0x200000, at = mem64_cpu + 0x100000;
	check(enter_page(ea, at, HPTE_R_I | HPTE_R_G, 0x2) == H_SUCCESS, "a page of the 64-bit window mapped");
	check(ld0(ea) == ~0ull && ld0(ea) == ~0ull, "no BAR there yet: ones (twice)");
	cfg_write(0x04, 2, 0);
	cfg_write(0x18, 4, (uint32_t)at | 0xc);
	cfg_write(0x1c, 4, (uint32_t)(at >> 32));
	cfg_write(0x04, 2, 0x2); /* memory space */
	/* The state table's first word: peer 0 (we) runs. */
	check((vload(ea) >> 32) == 0x01000000, "BAR2 moved there: the shared memory (%llx)",
	      (unsigned long long)vload(ea));
	check(vload(EA_SHM) == ~0ull, "its old place reads ones");
}

static void tces(void)
{
	uint64_t out[9];
	check(hcall(H_PUT_TCE, out, 0x80000000, 0x5000, 0x100000 | 3, 0, 0, 0) == H_SUCCESS, "H_PUT_TCE");
	check(hcall(H_GET_TCE, out, 0x80000000, 0x5000, 0, 0, 0, 0) == H_SUCCESS && out[0] == 0x100003, "H_GET_TCE");
	check(hcall(H_PUT_TCE, out, 0x80000000, 0x5000, guest_mem_size() | 1, 0, 0, 0) == H_PARAMETER,
	      "a TCE beyond our memory refused");
	check(hcall(H_PUT_TCE, out, 0x80000001, 0x5000, 0x100003, 0, 0, 0) == H_PARAMETER, "an unknown LIOBN");
	check(hcall(H_PUT_TCE, out, 0x80000000, 256ull << 20, 0x100003, 0, 0, 0) == H_PARAMETER,
	      "an I/O address past the window");
	check(hcall(H_STUFF_TCE, out, 0x80000000, 0, 0, 65536, 0, 0) == H_SUCCESS, "H_STUFF_TCE clears the window");
	check(hcall(H_GET_TCE, out, 0x80000000, 0x5000, 0, 0, 0, 0) == H_SUCCESS && out[0] == 0, "cleared");
	static uint64_t list[512] __attribute__((aligned(4096)));
	for (int i = 0; i < 4; i++)
		list[i] = (0x200000 + 0x1000 * (uint64_t)i) | 1;
	check(hcall(H_PUT_TCE_INDIRECT, out, 0x80000000, 0x10000, (uint64_t)(uintptr_t)list, 4, 0, 0) == H_SUCCESS,
	      "H_PUT_TCE_INDIRECT");
	check(hcall(H_GET_TCE, out, 0x80000000, 0x13000, 0, 0, 0, 0) == H_SUCCESS && out[0] == 0x203001,
	      "the fourth entry");
	check(hcall(H_PUT_TCE_INDIRECT, out, 0x80000000, 0, (uint64_t)(uintptr_t)list + 8, 1, 0, 0) == H_PARAMETER,
	      "an unaligned list refused");
	check(hcall(H_PUT_TCE_INDIRECT, out, 0x80000000, 0, guest_mem_size(), 1, 0, 0) == H_PARAMETER,
	      "a list outside our memory refused");
	check(hcall(H_PUT_TCE_INDIRECT, out, 0x80000000, 0, (uint64_t)(uintptr_t)list, 513, 0, 0) == H_PARAMETER,
	      "more than 512 refused");
}

static bool peer_mode(void);
static bool bench_mode(void);

static void map_all(void)
{
	unsigned int shift = guest_hpt_shift();
	nptegs_mask = (1ull << (shift - 7)) - 1;
	__asm__ volatile("slbmte %0,%1; isync" : : "r"(VSID << 12), "r"((EA_BASE >> 28) << 28 | SLB_V | 1) : "memory");
	map_page(EA_BAR0, mem32_cpu, HPTE_R_I | HPTE_R_G, H_SUCCESS);
	map_page(EA_BAR1, mem32_cpu + 0x1000, HPTE_R_I | HPTE_R_G, H_SUCCESS);
	map_page(EA_HOLE, mem32_cpu + 0x100000, HPTE_R_I | HPTE_R_G, H_SUCCESS);
	map_page(EA_HOLE + 0x1000, mem32_cpu + 0x101000, HPTE_R_M, H_PARAMETER);  /* cacheable device page */
	map_page(EA_HOLE + 0x1000, (1ull << 45) - 0x1000, HPTE_R_I, H_PARAMETER); /* outside the windows */
	/* Shared memory: read-write where we may write, else the writable
	 * mapping is refused and a read-only one (PP 3) taken. */
	unsigned int refused = 0, ro_failed = 0;
	for (uint64_t off = 0; off < SHM_SIZE; off += 0x1000) {
		if (enter_page(EA_SHM + off, mem64_cpu + off, HPTE_R_I | HPTE_R_G, 0x2) == H_SUCCESS)
			continue;
		refused++;
		if (enter_page(EA_SHM + off, mem64_cpu + off, HPTE_R_I | HPTE_R_G, 0x3) != H_SUCCESS)
			ro_failed++;
	}
	unsigned int want = bench_mode() ? 0 : peer_mode() ? SHM_SIZE / 0x1000 : (COMMON + OUT_SIZE) / 0x1000;
	check(refused == want && ro_failed == 0,
	      "writable mappings refused on the %u read-only pages (%u), read-only ones taken (%u failed)", want,
	      refused, ro_failed);
}

static bool bootargs_are(const char *want)
{
	int node = fdt_path_offset(guest_fdt, "/chosen"), len;
	const char *s = node < 0 ? 0 : fdt_getprop(guest_fdt, node, "bootargs", &len);
	return s && !strcmp(s, want);
}

static bool peer_mode(void)
{
	return bootargs_are("peer");
}

/* bootargs "bench": the MMIO benchmark (tests/bench/qemu/mmio_bench.py) in
 * a bundle whose region is plain, with this partition its only peer. */
static bool bench_mode(void)
{
	return bootargs_are("bench");
}

static bool got_go(void)
{
	uint64_t out[9];
	return hcall(H_GET_TERM_CHAR, out, VTY, 0, 0, 0, 0, 0) == H_SUCCESS && out[0] > 0 &&
	       (char)(out[1] >> 56) == 'g';
}

/* Waits for 'g' (the harness starts QEMU's trace), then 256 emulated
 * stores to IntrMask, 256 to an offset of BAR0 that holds no register (the
 * exit alone) and 256 emulated loads of IVPosition. */
static void bench(void)
{
	gprintf("BENCH ready\n");
	while (!got_go())
		;
	for (int i = 0; i < 256; i++)
		stw0(EA_BAR0, 0); /* IntrMask */
	for (int i = 0; i < 256; i++)
		stw0(EA_BAR0 + 0x80, 0);
	uint32_t sum = 0;
	for (int i = 0; i < 256; i++)
		sum += lwz0(EA_BAR0 + 8); /* IVPosition */
	check(sum == 0, "IVPosition read 0 each time");
	gprintf("BENCH done\n");
}

/* The read-only peer: waits for the main guest's word, checks that it can
 * write nothing, rings the main guest and idles. */
static void peer(void)
{
	uint64_t t0 = mftb_g(), tb_ms = guest_tb_freq() / 1000, dsi = fault_info[2];
	while (vload(EA_SHM + COMMON) != 0x636f6d6d6f6e2121ull && mftb_g() - t0 < 60000 * tb_ms)
		guest_relax();
	check(vload(EA_SHM + COMMON) == 0x636f6d6d6f6e2121ull, "the peer reads what the main guest wrote");
	check(vload(EA_SHM + OUT0) == 0x6f75747075743021ull, "and its output section");
	vstore(EA_SHM + COMMON, 0);
	vstore(EA_SHM + OUT1, 0);
	vstore(EA_SHM + OUT0, 0);
	check(fault_info[2] == dsi + 3, "a read-only peer's stores all fault (%llu)",
	      (unsigned long long)(fault_info[2] - dsi));
	check(vload(EA_SHM + COMMON) == 0x636f6d6d6f6e2121ull, "and change nothing");
	check(lwbrx(EA_BAR0, 8) == 1, "IVPosition 1");
	stw12(EA_BAR0, 0); /* ring peer 0, vector 0 */
	gprintf("peer: rang\n");
}

void guest_main(void)
{
	bool is_peer = peer_mode();
	if (find_bridge())
		return;
	config_space();
	map_all();
	if (bench_mode()) {
		bench();
		return;
	}
	if (is_peer) {
		peer();
		return;
	}
	register_forms(0);
	storage_keys();
	changed_translations();
	tces();
	doorbells();
	shared_memory(); /* the peer waits for this one's words, then rings */
	/* The peer's doorbell, by MSI-X. */
	gprintf("pci: waiting for the peer\n");
	uint64_t ext = fault_info[6];
	wait_ext(ext, "the peer's doorbell", 60000);
	uint64_t src = accept();
	check(src >= 0x1300, "from the MSI source (0x%llx)", (unsigned long long)src);
	uint64_t out[9];
	hcall(H_EOI, out, 0xff000000u | src, 0, 0, 0, 0, 0);
	moved_memory_bar();
}
