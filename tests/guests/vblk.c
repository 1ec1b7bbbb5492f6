/*
 * A hostile driver of the hypervisor's virtio-blk (blk/virtio_blk.c): a
 * bare-metal guest that sets the device up by hand and then sends what
 * Linux never does. Each bad request must get its virtio status (or the
 * device must say it needs a reset), the device must keep working after
 * a reset, and the hypervisor must go on (the test reads its counters and
 * checks the other partition is untouched).
 */
#include <string.h>
#include <libfdt.h>
#include "tests/guests/guest.h"
#include "papr.h"
#include "hv/mm/hpt.h"

#define SLB_V     (1ull << 27)
#define VSID      0x4343ull
#define EA_BASE   0x100000000ull /* a 256 MB segment of our own */
#define EA_BAR4   EA_BASE        /* 16 KiB of registers */
#define COMMON    0x0000
#define ISR       0x1000
#define NOTIFY    0x3000
#define QSIZE     8
#define S_ACK     1
#define S_DRIVER  2
#define S_OK      4
#define S_FEAT_OK 8
#define S_RESET   0x40
#define F_NEXT    1
#define F_WRITE   2
#define F_INDIR   4
#define T_IN      0
#define T_OUT     1

static uint64_t mem64_cpu, nptegs_mask;
static uint32_t buid_hi, buid_lo, t_read, t_write;
static unsigned int slot = 99;

/* The rings and buffers: our real addresses are guest-physical. */
static uint8_t desc[QSIZE * 16] __attribute__((aligned(4096)));
static uint8_t avail[4 + 2 * QSIZE + 2] __attribute__((aligned(4096)));
static uint8_t used[4 + 8 * QSIZE + 2] __attribute__((aligned(4096)));
static uint8_t hdr[16] __attribute__((aligned(64)));
static uint8_t data[2][4096] __attribute__((aligned(4096)));
static volatile uint8_t status_byte __attribute__((aligned(64)));
static uint16_t avail_idx, used_seen;

/* ---- registers: little-endian, through a caching-inhibited mapping ---- */

#define DR_ON  "mfmsr %[m]; ori %[t],%[m],0x10; mtmsrd %[t]; isync; "
#define DR_OFF "; mtmsrd %[m]; isync"

static uint64_t rd(uint64_t off, unsigned int size)
{
	uint64_t v = 0, m, t, ea = EA_BAR4 + off;
	if (size == 1)
		__asm__ volatile(DR_ON "lbzx %[v],0,%[a]" DR_OFF
				 : [v] "=&r"(v), [m] "=&r"(m), [t] "=&r"(t)
				 : [a] "r"(ea)
				 : "memory");
	else if (size == 2)
		__asm__ volatile(DR_ON "lhbrx %[v],0,%[a]" DR_OFF
				 : [v] "=&r"(v), [m] "=&r"(m), [t] "=&r"(t)
				 : [a] "r"(ea)
				 : "memory");
	else
		__asm__ volatile(DR_ON "lwbrx %[v],0,%[a]" DR_OFF
				 : [v] "=&r"(v), [m] "=&r"(m), [t] "=&r"(t)
				 : [a] "r"(ea)
				 : "memory");
	return v;
}

static void wr(uint64_t off, unsigned int size, uint64_t v)
{
	uint64_t m, t, ea = EA_BAR4 + off;
	if (size == 1)
		__asm__ volatile(DR_ON "stbx %[v],0,%[a]" DR_OFF
				 : [m] "=&r"(m), [t] "=&r"(t)
				 : [v] "r"(v), [a] "r"(ea)
				 : "memory");
	else if (size == 2)
		__asm__ volatile(DR_ON "sthbrx %[v],0,%[a]" DR_OFF
				 : [m] "=&r"(m), [t] "=&r"(t)
				 : [v] "r"(v), [a] "r"(ea)
				 : "memory");
	else
		__asm__ volatile(DR_ON "stwbrx %[v],0,%[a]" DR_OFF
				 : [m] "=&r"(m), [t] "=&r"(t)
				 : [v] "r"(v), [a] "r"(ea)
				 : "memory");
}

/* ---- guest memory in the device's (little-endian) byte order ---- */

static void le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}
static void le32(uint8_t *p, uint32_t v)
{
	le16(p, (uint16_t)v);
	le16(p + 2, (uint16_t)(v >> 16));
}
static void le64(uint8_t *p, uint64_t v)
{
	le32(p, (uint32_t)v);
	le32(p + 4, (uint32_t)(v >> 32));
}
static uint16_t get16(const volatile uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* ---- finding and setting up the function ---- */

static int cfg(bool write, uint32_t reg, uint32_t size, uint32_t *v)
{
	uint32_t addr = ((reg & 0xf00) << 20) | (slot << 11) | (reg & 0xff);
	uint32_t a[6] = { addr, buid_hi, buid_lo, size, write ? *v : 0 };
	int rc = write ? rtas_call(t_write, 5, 1, a) : rtas_call(t_read, 4, 2, a);
	if (!write)
		*v = a[5];
	return rc;
}

static int find_function(void)
{
	int node = fdt_path_offset(guest_fdt, "/pci@800000020000000"), len;
	check(node >= 0, "the bridge node");
	if (node < 0)
		return -1;
	const fdt32_t *reg = fdt_getprop(guest_fdt, node, "reg", &len);
	const fdt32_t *r = fdt_getprop(guest_fdt, node, "ranges", &len);
	if (!reg || !r || len != 56)
		return -1;
	buid_hi = fdt32_to_cpu(reg[0]);
	buid_lo = fdt32_to_cpu(reg[1]);
	mem64_cpu = (uint64_t)fdt32_to_cpu(r[10]) << 32 | fdt32_to_cpu(r[11]);
	int fn;
	fdt_for_each_subnode (fn, guest_fdt, node) {
		const fdt32_t *vid = fdt_getprop(guest_fdt, fn, "vendor-id", NULL);
		const fdt32_t *did = fdt_getprop(guest_fdt, fn, "device-id", NULL);
		const fdt32_t *freg = fdt_getprop(guest_fdt, fn, "reg", NULL);
		if (vid && did && freg && fdt32_to_cpu(*vid) == 0x1af4 && fdt32_to_cpu(*did) == 0x1042) {
			slot = (fdt32_to_cpu(freg[0]) >> 11) & 31;
			break;
		}
	}
	check(slot < 32, "a virtio-blk function (1af4:1042)");
	t_read = rtas_token("ibm,read-pci-config");
	t_write = rtas_token("ibm,write-pci-config");
	if (slot >= 32 || !t_read || !t_write)
		return -1;
	/* BAR 4 (64-bit) at the start of the 64-bit window, memory decoding on */
	uint32_t lo = (uint32_t)mem64_cpu, hi = (uint32_t)(mem64_cpu >> 32), cmd = 2;
	check(!cfg(true, 0x20, 4, &lo) && !cfg(true, 0x24, 4, &hi) && !cfg(true, 4, 2, &cmd), "BAR 4 placed");
	unsigned int shift = guest_hpt_shift();
	nptegs_mask = (1ull << (shift - 7)) - 1;
	__asm__ volatile("slbmte %0,%1; isync" : : "r"(VSID << 12), "r"((EA_BASE >> 28) << 28 | SLB_V | 1) : "memory");
	for (uint64_t off = 0; off < 0x4000; off += 0x1000) {
		uint64_t out[9], ea = EA_BAR4 + off, va = (VSID << 28) | (ea & 0x0fffffffull);
		uint64_t ptex = ((VSID ^ ((ea & 0x0fffffffull) >> 12)) & nptegs_mask) * 8;
		long rc = hcall(H_ENTER, out, 0, ptex, ((va >> 23) << 7) | HPTE_V_VALID,
				(mem64_cpu + off) | HPTE_R_I | HPTE_R_G | 0x2, 0, 0);
		check(rc == H_SUCCESS, "BAR 4 page %llu mapped (%ld)", (unsigned long long)(off >> 12), rc);
	}
	return 0;
}

static uint8_t status(void)
{
	return (uint8_t)rd(COMMON + 0x14, 1);
}

/* Reset, features (VERSION_1 only), queue 0 of size qsize, DRIVER_OK. */
static void setup(uint16_t qsize)
{
	wr(COMMON + 0x14, 1, 0);
	check(status() == 0, "reset reads 0");
	wr(COMMON + 0x14, 1, S_ACK | S_DRIVER);
	wr(COMMON + 0x00, 4, 1);
	check(rd(COMMON + 0x04, 4) & 1, "VERSION_1 offered");
	wr(COMMON + 0x08, 4, 0);
	wr(COMMON + 0x0c, 4, 0);
	wr(COMMON + 0x08, 4, 1);
	wr(COMMON + 0x0c, 4, 1);
	wr(COMMON + 0x14, 1, S_ACK | S_DRIVER | S_FEAT_OK);
	check(status() & S_FEAT_OK, "FEATURES_OK kept");
	memset(desc, 0, sizeof(desc));
	memset(avail, 0, sizeof(avail));
	memset(used, 0, sizeof(used));
	avail_idx = used_seen = 0;
	wr(COMMON + 0x16, 2, 0);
	wr(COMMON + 0x18, 2, qsize);
	wr(COMMON + 0x20, 4, (uint32_t)(uintptr_t)desc);
	wr(COMMON + 0x24, 4, 0);
	wr(COMMON + 0x28, 4, (uint32_t)(uintptr_t)avail);
	wr(COMMON + 0x2c, 4, 0);
	wr(COMMON + 0x30, 4, (uint32_t)(uintptr_t)used);
	wr(COMMON + 0x34, 4, 0);
	wr(COMMON + 0x1c, 2, 1);
	wr(COMMON + 0x14, 1, S_ACK | S_DRIVER | S_FEAT_OK | S_OK);
}

static void put_desc(unsigned int i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	le64(desc + 16 * i, addr);
	le32(desc + 16 * i + 8, len);
	le16(desc + 16 * i + 12, flags);
	le16(desc + 16 * i + 14, next);
}

/* Makes head available, rings queue q, waits for a used entry (or 1 s);
 * returns the used length, or -1 when none came. */
static long ring(uint16_t head, uint16_t q)
{
	le16(avail + 4 + 2 * (avail_idx % QSIZE), head);
	__asm__ volatile("sync" ::: "memory");
	avail_idx++;
	le16(avail + 2, avail_idx);
	__asm__ volatile("sync" ::: "memory");
	wr(NOTIFY + 4 * q, 2, q);
	uint64_t t0 = mftb_g(), limit = guest_tb_freq();
	while (get16(used + 2) == used_seen && mftb_g() - t0 < limit)
		guest_relax();
	if (get16(used + 2) == used_seen)
		return -1;
	__asm__ volatile("sync" ::: "memory");
	const uint8_t *e = used + 4 + 8 * (used_seen % QSIZE);
	used_seen++;
	return (long)(e[4] | e[5] << 8 | e[6] << 16 | (uint32_t)e[7] << 24);
}

/* A request: header, data (dlen bytes, device-writable for reads), status. */
static int request(uint32_t type, uint64_t sector, void *buf, uint32_t dlen, bool device_writes)
{
	le32(hdr, type);
	le32(hdr + 4, 0);
	le64(hdr + 8, sector);
	status_byte = 0xee;
	unsigned int n = 0;
	put_desc(n, (uintptr_t)hdr, 16, F_NEXT, (uint16_t)(n + 1));
	n++;
	if (dlen) {
		put_desc(n, (uintptr_t)buf, dlen, (uint16_t)(F_NEXT | (device_writes ? F_WRITE : 0)),
			 (uint16_t)(n + 1));
		n++;
	}
	put_desc(n, (uintptr_t)&status_byte, 1, F_WRITE, 0);
	if (ring(0, 0) < 0)
		return -1;
	return status_byte;
}

void guest_main(void)
{
	if (find_function())
		return;
	setup(QSIZE);
	check(status() == (S_ACK | S_DRIVER | S_FEAT_OK | S_OK), "DRIVER_OK (status 0x%x)", status());
	uint64_t capacity = rd(0x2000, 4) | rd(0x2004, 4) << 32;
	check(capacity == 2048, "capacity 2048 sectors (%llu)", (unsigned long long)capacity);

	/* What a driver may do: write, read back. */
	for (int i = 0; i < 4096; i++)
		data[0][i] = (uint8_t)(i * 7 + 1);
	check(request(T_OUT, 8, data[0], 4096, false) == 0, "a write");
	memset(data[1], 0, 4096);
	check(request(T_IN, 8, data[1], 4096, true) == 0, "a read");
	check(!memcmp(data[0], data[1], 4096), "reads what was written");

	/* Bad requests: their status, the device goes on. */
	check(request(T_IN, capacity, data[1], 512, true) == 1, "past the end: IOERR");
	check(request(T_IN, capacity - 1, data[1], 1024, true) == 1, "across the end: IOERR");
	check(request(T_IN, ~0ull - 1, data[1], 512, true) == 1, "a wrapping sector: IOERR");
	check(request(T_IN, 0, data[1], 0, true) == 1, "zero-length: IOERR");
	check(request(T_OUT, 0, data[0], 100, false) == 1, "not whole sectors: IOERR");
	check(request(99, 0, data[1], 512, true) == 2, "an unknown type: UNSUPP");
	check(request(T_IN, 0, data[1], 512, false) == 1, "a read into read-only data: IOERR");
	/* 9 MiB of our own memory at 64 MiB: more than the device takes at once */
	check(request(T_IN, 0, (void *)(uintptr_t)0x4000000, 9u << 20, true) == 1, "oversized: IOERR");
	/* no status byte at all: nothing to answer, the chain comes back empty */
	put_desc(0, (uintptr_t)hdr, 16, 0, 0);
	check(ring(0, 0) == 0, "no status byte: returned with nothing written");
	/* notifications for queues that do not exist */
	wr(NOTIFY + 4 * 5, 2, 5);
	wr(NOTIFY + 0xffc, 2, 0x3ff);
	check(status() == (S_ACK | S_DRIVER | S_FEAT_OK | S_OK), "stray notifications ignored");
	check(request(T_IN, 8, data[1], 4096, true) == 0 && !memcmp(data[0], data[1], 4096), "still working");

	/* Broken rings: the device needs a reset, and works after one. */
	put_desc(0, (uintptr_t)hdr, 16, F_NEXT, 1);
	put_desc(1, (uintptr_t)data[0], 512, F_NEXT, 0); /* back to 0: a loop */
	check(ring(0, 0) < 0 && (status() & S_RESET), "a descriptor loop: NEEDS_RESET");
	setup(QSIZE);
	check(request(T_IN, 8, data[1], 4096, true) == 0, "working after a reset");
	put_desc(0, 0x7fff00000000ull, 16, F_NEXT, 1);
	put_desc(1, (uintptr_t)&status_byte, 1, F_WRITE, 0);
	check(ring(0, 0) < 0 && (status() & S_RESET), "a buffer outside our memory: NEEDS_RESET");
	setup(QSIZE);
	put_desc(0, (uintptr_t)data[1], 32, F_INDIR, 0);
	check(ring(0, 0) < 0 && (status() & S_RESET), "an indirect table not negotiated: NEEDS_RESET");
	setup(QSIZE);
	check(ring(QSIZE + 3, 0) < 0 && (status() & S_RESET), "a head past the queue: NEEDS_RESET");
	setup(6);
	check(status() & S_RESET, "a queue of 6 (not a power of two): NEEDS_RESET");
	setup(QSIZE);
	check(request(T_IN, 8, data[1], 4096, true) == 0 && !memcmp(data[0], data[1], 4096),
	      "working after every reset");
	(void)rd(ISR, 1);
}
