/*
 * The processor, console and memory hcalls other than the page table:
 * results, side effects and every refused argument.
 */
#include <string.h>
#include "tests/guests/guest.h"
#include "papr.h"

static uint8_t page_a[4096] __attribute__((aligned(4096)));
static uint8_t page_b[4096] __attribute__((aligned(4096)));
static uint8_t vpa[4096] __attribute__((aligned(4096)));
static uint8_t dtl[4096] __attribute__((aligned(4096)));

static void test_console(void)
{
	uint64_t out[9];
	check(hcall(H_PUT_TERM_CHAR, out, VTY, 17, 0, 0, 0, 0) == H_PARAMETER, "H_PUT_TERM_CHAR of 17 bytes");
	check(hcall(H_PUT_TERM_CHAR, out, VTY + 1, 1, 0x4100000000000000ull, 0, 0, 0) == H_PARAMETER,
	      "H_PUT_TERM_CHAR to a terminal that does not exist");
	check(hcall(H_PUT_TERM_CHAR, out, VTY, 0, 0, 0, 0, 0) == H_SUCCESS, "H_PUT_TERM_CHAR of 0 bytes");
	/* 16 bytes in one call, split across r6/r7, make a whole line. */
	check(hcall(H_PUT_TERM_CHAR, out, VTY, 16, 0x7674792031362062ull, 0x7974657320206f6bull, 0, 0) == H_SUCCESS &&
		      hcall(H_PUT_TERM_CHAR, out, VTY, 1, 0x0a00000000000000ull, 0, 0, 0) == H_SUCCESS,
	      "H_PUT_TERM_CHAR of 16 bytes");
	check(hcall(H_GET_TERM_CHAR, out, VTY + 8, 0, 0, 0, 0, 0) == H_PARAMETER,
	      "H_GET_TERM_CHAR of a terminal that does not exist");
	long rc = hcall(H_GET_TERM_CHAR, out, VTY, 0, 0, 0, 0, 0);
	check(rc == H_SUCCESS && out[0] <= 16, "H_GET_TERM_CHAR: rc %ld, %llu bytes", rc, (unsigned long long)out[0]);
}

static void test_page_init(void)
{
	uint64_t out[9], a = (uint64_t)(uintptr_t)page_a, b = (uint64_t)(uintptr_t)page_b, mem = guest_mem_size();
	memset(page_a, 0xaa, sizeof(page_a));
	for (int i = 0; i < 4096; i++)
		page_b[i] = (uint8_t)i;
	check(hcall(H_PAGE_INIT, out, H_COPY_PAGE, a, b, 0, 0, 0) == H_SUCCESS && !memcmp(page_a, page_b, 4096),
	      "H_PAGE_INIT copies a page");
	check(hcall(H_PAGE_INIT, out, H_ZERO_PAGE | H_ICACHE_SYNCHRONIZE, a, 0, 0, 0, 0) == H_SUCCESS &&
		      page_a[0] == 0 && page_a[4095] == 0,
	      "H_PAGE_INIT zeroes a page");
	page_a[7] = 7;
	check(hcall(H_PAGE_INIT, out, H_ZERO_PAGE, a + 8, 0, 0, 0, 0) == H_PARAMETER && page_a[7] == 7,
	      "H_PAGE_INIT of an unaligned destination is refused and writes nothing");
	check(hcall(H_PAGE_INIT, out, H_COPY_PAGE, a, b + 16, 0, 0, 0) == H_PARAMETER,
	      "H_PAGE_INIT from an unaligned source");
	check(hcall(H_PAGE_INIT, out, H_ZERO_PAGE, mem, 0, 0, 0, 0) == H_PARAMETER,
	      "H_PAGE_INIT past the partition's memory");
	check(hcall(H_PAGE_INIT, out, H_COPY_PAGE, a, mem - 2048, 0, 0, 0) == H_PARAMETER,
	      "H_PAGE_INIT from a page that straddles the end of memory");
	check(hcall(H_PAGE_INIT, out, H_COPY_PAGE, a, 1ull << 40, 0, 0, 0) == H_PARAMETER,
	      "H_PAGE_INIT from a far address");
	check(hcall(H_PAGE_INIT, out, H_ZERO_PAGE | 1, a, 0, 0, 0, 0) == H_PARAMETER && page_a[7] == 7,
	      "H_PAGE_INIT with an unknown flag");
}

static void test_random(void)
{
	uint64_t out[9], r1, r2;
	long rc1 = hcall(H_RANDOM, out, 0, 0, 0, 0, 0, 0);
	r1 = out[0];
	long rc2 = hcall(H_RANDOM, out, 0, 0, 0, 0, 0, 0);
	r2 = out[0];
	check(rc1 == H_SUCCESS && rc2 == H_SUCCESS && r1 != r2, "H_RANDOM gives different numbers (%llx %llx)",
	      (unsigned long long)r1, (unsigned long long)r2);
}

static void put_be(uint8_t *p, int bytes, uint32_t v)
{
	for (int i = bytes - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

#define VPA_REG   (1ull << 45)
#define DTL_REG   (2ull << 45)
#define SLB_REG   (3ull << 45)
#define VPA_DEREG (5ull << 45)
#define DTL_DEREG (6ull << 45)
#define SLB_DEREG (7ull << 45)

static void test_vpa(void)
{
	uint64_t out[9], v = (uint64_t)(uintptr_t)vpa, d = (uint64_t)(uintptr_t)dtl, mem = guest_mem_size();
	memset(vpa, 0, sizeof(vpa));
	put_be(vpa + 4, 2, 640);
	put_be(dtl + 4, 4, 4096);
	check(hcall(H_REGISTER_VPA, out, DTL_REG, 0, d, 0, 0, 0) == H_RESOURCE, "a DTL before a VPA is H_RESOURCE");
	check(hcall(H_REGISTER_VPA, out, VPA_REG, 0, v + 64, 0, 0, 0) == H_PARAMETER, "a VPA not cache-line aligned");
	check(hcall(H_REGISTER_VPA, out, VPA_REG, 0, v + 4096 - 256, 0, 0, 0) == H_PARAMETER,
	      "a VPA that crosses a page");
	put_be(vpa + 4, 2, 100);
	check(hcall(H_REGISTER_VPA, out, VPA_REG, 0, v, 0, 0, 0) == H_PARAMETER, "a VPA smaller than 640 bytes");
	put_be(vpa + 4, 2, 640);
	check(hcall(H_REGISTER_VPA, out, VPA_REG, 7, v, 0, 0, 0) == H_PARAMETER,
	      "a VPA for a vCPU that does not exist");
	check(hcall(H_REGISTER_VPA, out, VPA_REG, 0, 0, 0, 0, 0) == H_HARDWARE, "a VPA at address 0");
	check(hcall(H_REGISTER_VPA, out, VPA_REG, 0, mem - 128, 0, 0, 0) == H_PARAMETER, "a VPA at the end of memory");
	check(hcall(H_REGISTER_VPA, out, VPA_REG, 0, 1ull << 41, 0, 0, 0) == H_PARAMETER, "a VPA at a foreign address");
	check(hcall(H_REGISTER_VPA, out, 0, 0, v, 0, 0, 0) == H_PARAMETER, "H_REGISTER_VPA with no subfunction");
	check(hcall(H_REGISTER_VPA, out, VPA_REG, 0, v, 0, 0, 0) == H_SUCCESS, "a valid VPA registers");
	check(vpa[9] & 0x2, "the hypervisor marks the VPA as a shared processor");
	check(hcall(H_REGISTER_VPA, out, DTL_REG, 0, d, 0, 0, 0) == H_SUCCESS, "a DTL after the VPA registers");
	put_be(vpa + 2048 + 4, 4, 4);
	check(hcall(H_REGISTER_VPA, out, SLB_REG, 0, v + 2048, 0, 0, 0) == H_PARAMETER,
	      "an SLB shadow smaller than 8 bytes");
	put_be(vpa + 2048 + 4, 4, 1024);
	check(hcall(H_REGISTER_VPA, out, SLB_REG, 0, v + 2048, 0, 0, 0) == H_SUCCESS, "an SLB shadow registers");
	check(hcall(H_REGISTER_VPA, out, VPA_DEREG, 0, 0, 0, 0, 0) == H_RESOURCE,
	      "the VPA cannot go while the DTL is registered");
	check(hcall(H_REGISTER_VPA, out, DTL_DEREG, 0, 0, 0, 0, 0) == H_SUCCESS &&
		      hcall(H_REGISTER_VPA, out, SLB_DEREG, 0, 0, 0, 0, 0) == H_SUCCESS &&
		      hcall(H_REGISTER_VPA, out, VPA_DEREG, 0, 0, 0, 0, 0) == H_SUCCESS,
	      "deregistering in order works");
}

static void test_set_mode_and_friends(void)
{
	uint64_t out[9];
	check(hcall(H_SET_MODE, out, 0, 4, 0, 0, 0, 0) == H_SUCCESS, "H_SET_MODE big-endian interrupts");
	check(hcall(H_SET_MODE, out, 2, 4, 0, 0, 0, 0) == H_UNSUPPORTED_FLAG, "H_SET_MODE endianness 2");
	check(hcall(H_SET_MODE, out, 0, 4, 1, 0, 0, 0) == H_P3, "H_SET_MODE endianness with value1");
	check(hcall(H_SET_MODE, out, 0, 4, 0, 1, 0, 0) == H_P4, "H_SET_MODE endianness with value2");
	check(hcall(H_SET_MODE, out, 3, 3, 0, 0, 0, 0) == H_UNSUPPORTED_FLAG,
	      "H_SET_MODE AIL 3 is refused (POWER9 applies no AIL to hash guests)");
	check(hcall(H_SET_MODE, out, 1, 3, 0, 0, 0, 0) == H_UNSUPPORTED_FLAG, "H_SET_MODE AIL 1");
	check(hcall(H_SET_MODE, out, 0, 3, 0, 0, 0, 0) == H_SUCCESS, "H_SET_MODE AIL 0");
	check(hcall(H_SET_MODE, out, 0, 1, 3, 0, 0, 0) == H_P3, "H_SET_MODE CIABR at hypervisor privilege");
	check(hcall(H_SET_MODE, out, 0, 1, 0x1000, 0, 0, 0) == H_SUCCESS, "H_SET_MODE CIABR");
	check(hcall(H_SET_MODE, out, 0, 1, 0, 0, 0, 0) == H_SUCCESS, "H_SET_MODE CIABR off");
	check(hcall(H_SET_MODE, out, 0, 2, 0x2000, 1ull << 2, 0, 0) == H_P4, "H_SET_MODE DAWR0 for the hypervisor");
	check(hcall(H_SET_MODE, out, 0, 2, 0, 0, 0, 0) == H_SUCCESS, "H_SET_MODE DAWR0 off");
	check(hcall(H_SET_MODE, out, 0, 99, 0, 0, 0, 0) == H_P2, "H_SET_MODE of an unknown resource");
	check(hcall(H_SET_DABR, out, 0x2000 | 2, 0, 0, 0, 0, 0) == H_SUCCESS, "H_SET_DABR");
	check(hcall(H_SET_XDABR, out, 0x2000 | 2, 3, 0, 0, 0, 0) == H_SUCCESS, "H_SET_XDABR user and kernel");
	check(hcall(H_SET_XDABR, out, 0x2000, 4, 0, 0, 0, 0) == H_PARAMETER, "H_SET_XDABR for the hypervisor");
	check(hcall(H_SET_DABR, out, 0, 0, 0, 0, 0, 0) == H_SUCCESS, "H_SET_DABR off");
	long rc = hcall(H_GET_CPU_CHARACTERISTICS, out, 0, 0, 0, 0, 0, 0);
	check(rc == H_SUCCESS && out[0] && out[1], "H_GET_CPU_CHARACTERISTICS: %llx %llx", (unsigned long long)out[0],
	      (unsigned long long)out[1]);
	check(hcall(H_SET_SPRG0, out, 0xfeed, 0, 0, 0, 0, 0) == H_SUCCESS, "H_SET_SPRG0");
	uint64_t sprg0;
	__asm__ volatile("mfsprg0 %0" : "=r"(sprg0));
	check(sprg0 == 0xfeed, "SPRG0 holds what H_SET_SPRG0 set");
}

static void test_cede_and_prod(void)
{
	uint64_t out[9], tb_per_ms = guest_tb_freq() / 1000;
	uint64_t decs = fault_info[5];
	/* The timebase is read before DEC is set, so the 2 ms hold however
	 * long the host keeps this vCPU's thread off its CPU. */
	uint64_t t0 = mftb_g();
	__asm__ volatile("mtdec %0" : : "r"(2 * tb_per_ms));
	long rc = hcall(H_CEDE, out, 0, 0, 0, 0, 0, 0);
	uint64_t waited = mftb_g() - t0;
	check(rc == H_SUCCESS && waited >= 2 * tb_per_ms, "H_CEDE idles until the decrementer (%llu us)",
	      (unsigned long long)(waited * 1000 / tb_per_ms));
	check(mfmsr_g() & 0x8000, "H_CEDE returns with MSR[EE] set");
	/* QEMU raises the decrementer interrupt from a host timer, so give it
	 * time (guest time, not a loop count) to arrive. */
	uint64_t t1 = mftb_g();
	while (fault_info[5] == decs && mftb_g() - t1 < 200 * tb_per_ms)
		guest_relax();
	check(fault_info[5] == decs + 1, "the decrementer interrupt was delivered after H_CEDE (%llu)",
	      (unsigned long long)(fault_info[5] - decs));
	mtmsrd_g(mfmsr_g() & ~0x8000ull);

	check(hcall(H_PROD, out, 0, 0, 0, 0, 0, 0) == H_SUCCESS, "H_PROD of ourselves");
	__asm__ volatile("mtdec %0" : : "r"(100 * tb_per_ms));
	t0 = mftb_g();
	hcall(H_CEDE, out, 0, 0, 0, 0, 0, 0);
	waited = mftb_g() - t0;
	mtmsrd_g(mfmsr_g() & ~0x8000ull);
	__asm__ volatile("mtdec %0" : : "r"(0x7fffffffull));
	check(waited < 50 * tb_per_ms, "a prodded vCPU's H_CEDE returns at once (%llu us)",
	      (unsigned long long)(waited * 1000 / tb_per_ms));
	check(hcall(H_PROD, out, 5, 0, 0, 0, 0, 0) == H_PARAMETER, "H_PROD of a vCPU that does not exist");
	check(hcall(H_CONFER, out, (uint64_t)-1, 0, 0, 0, 0, 0) == H_SUCCESS, "H_CONFER to all");
	check(hcall(H_CONFER, out, 3, 0, 0, 0, 0, 0) == H_PARAMETER, "H_CONFER to a vCPU that does not exist");
}

/* An instruction the partition may not run comes back as a program interrupt. */
static void test_illegal_instruction(void)
{
	uint64_t others = fault_info[3];
	__asm__ volatile(".long 0x00000000" ::: "memory");
	check(fault_info[3] == others + 1, "an illegal instruction raises a program interrupt in the guest");
}

void guest_main(void)
{
	test_console();
	test_page_init();
	test_random();
	test_vpa();
	test_set_mode_and_friends();
	test_cede_and_prod();
	test_illegal_instruction();
}
