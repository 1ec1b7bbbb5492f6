/*
 * A partition that misbehaves in one way, chosen by its command line
 * (/chosen/bootargs), beside a victim (tests/guests/meter.c) on the same
 * hardware thread:
 *   prod    vCPU 0 (on another thread) prods and IPIs vCPU 1, which shares
 *           the victim's thread and spins: every prod is a doorbell there;
 *   reboot  asks for a reboot as soon as it starts, every time;
 *   tbwind  winds the timebase back a second, over and over (QEMU lets a
 *           guest write it; hardware traps that);
 *   doorbell rings its own privileged doorbell (msgsndp) with MSR[EE] off
 *           and holds the thread a while: on QEMU 7.2 that rings a real
 *           one (it does not trap msgsndp), which must not reach the
 *           victim; then takes its doorbell interrupt with EE on;
 *   zero16m has 16 MiB pages zeroed and icache-synced by H_ENTER over and
 *           over (milliseconds each): the victim must get its turns in
 *           between, and every page must come back all zero.
 */
#include <string.h>
#include <libfdt.h>
#include "tests/guests/guest.h"
#include "papr.h"
#include "hv/mm/hpt.h"

static volatile uint32_t go;

static const char *mode(void)
{
	int node = fdt_path_offset(guest_fdt, "/chosen"), len;
	const char *s = node < 0 ? 0 : fdt_getprop(guest_fdt, node, "bootargs", &len);
	return s ? s : "";
}

void secondary_main(unsigned int id)
{
	(void)id;
	go = 1;
	for (;;)
		guest_relax(); /* spin on the victim's thread */
}

static void prod_storm(void)
{
	uint64_t out[9];
	start_cpu(1);
	while (!go)
		guest_relax();
	hcall(H_CPPR, out, 0xff, 0, 0, 0, 0, 0);
	for (uint64_t n = 0;; n++) {
		hcall(H_PROD, out, 1, 0, 0, 0, 0, 0);
		hcall(H_IPI, out, 1, n & 1 ? 0xff : 5, 0, 0, 0, 0);
	}
}

static void tb_wind(void)
{
	uint64_t tb_s = guest_tb_freq();
	gprintf("winding the timebase back\n");
	for (;;) {
		uint64_t t = mftb_g() - tb_s;
		__asm__ volatile("mtspr 284,%0; mtspr 285,%1; mtspr 284,%2"
				 :
				 : "r"(0ull), "r"(t >> 32), "r"(t & 0xffffffffull)
				 : "memory");
		for (volatile int i = 0; i < 1000; i++)
			;
	}
}

static void doorbell(void)
{
	uint64_t tb_ms = guest_tb_freq() / 1000, others = fault_info[3];
	__asm__ volatile("msgsndp %0" : : "r"(5ull << 27) : "memory");
	for (int round = 0; round < 3; round++) {
		uint64_t t0 = mftb_g();
		while (mftb_g() - t0 < 50 * tb_ms) /* longer than a slice: the victim runs in between */
			;
	}
	__asm__ volatile("mtdec %0" : : "r"(0x7fffffffull));
	mtmsrd_g(mfmsr_g() | 0x8000);
	uint64_t t0 = mftb_g();
	while (fault_info[3] == others && mftb_g() - t0 < 1000 * tb_ms)
		;
	mtmsrd_g(mfmsr_g() & ~0x8000ull);
	gprintf("doorbell: %llu interrupt(s) with EE on\n", (unsigned long long)(fault_info[3] - others));
	for (;;)
		guest_relax();
}

static void zero16m(void)
{
	const uint64_t ra = 64ull << 20, size = 16ull << 20, rounds = 20;
	const uint64_t pteh = (0x1234ull << 8) | HPTE_V_LARGE | HPTE_V_VALID; /* AVPN bit 7: page offset */
	volatile uint64_t *page = (volatile uint64_t *)(uintptr_t)ra;
	uint64_t out[9], dirty = 0, refused = 0;
	for (uint64_t round = 0; round < rounds; round++) {
		for (uint64_t off = 0; off < size; off += 4096)
			page[off / 8] = 0x5a5a5a5a00000000ull | off;
		page[size / 8 - 1] = 1;
		if (hcall(H_ENTER, out, H_ZERO_PAGE | H_ICACHE_SYNCHRONIZE, 0, pteh, ra | HPTE_R_M, 0, 0) !=
		    H_SUCCESS) {
			refused++;
			continue;
		}
		for (uint64_t off = 0; off < size; off += 4096)
			dirty += page[off / 8] != 0;
		dirty += page[size / 8 - 1] != 0;
		hcall(H_REMOVE, out, 0, out[0], 0, 0, 0, 0);
	}
	gprintf("zero16m: %llu pages, %llu not all zero, %llu refused\n", (unsigned long long)rounds,
		(unsigned long long)dirty, (unsigned long long)refused);
	for (;;)
		guest_relax();
}

void guest_main(void)
{
	const char *m = mode();
	gprintf("rogue: %s\n", m);
	if (!strcmp(m, "prod"))
		prod_storm();
	if (!strcmp(m, "tbwind"))
		tb_wind();
	if (!strcmp(m, "doorbell"))
		doorbell();
	if (!strcmp(m, "zero16m"))
		zero16m();
	if (!strcmp(m, "reboot")) {
		uint32_t rets[1];
		rtas_call(rtas_token("system-reboot"), 0, 1, rets);
		for (;;)
			guest_relax();
	}
}
