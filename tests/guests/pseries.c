/*
 * What a small kernel written for QEMU's pseries machine takes for granted:
 * big-endian real-mode entry (also when its ELF header says little-endian),
 * the default vty 0, the VPA dispatch count and the DTL, the large
 * decrementer, H_CEDE returning with its decrementer interrupt already
 * taken, a CFAR that is its own after an hcall, an MSR[ME] it cannot lose,
 * and an exit nobody handles coming back as a program interrupt.
 */
#include <string.h>
#include <libfdt.h>
#include "tests/guests/guest.h"
#include "papr.h"

#define MSR_SF 0x8000000000000000ull
#define MSR_ME 0x1000ull
#define MSR_IR 0x20ull
#define MSR_DR 0x10ull
#define MSR_LE 0x1ull

static uint8_t vpa[1024] __attribute__((aligned(4096)));
static uint8_t dtl[4096] __attribute__((aligned(4096)));

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static void test_entry(void)
{
	check((entry_msr & (MSR_SF | MSR_LE | MSR_IR | MSR_DR)) == MSR_SF,
	      "entered 64-bit, big-endian, real mode (MSR %016llx)", (unsigned long long)entry_msr);
	check(entry_msr & MSR_ME, "entered with machine checks on");
}

static void test_default_vty(void)
{
	uint64_t out[9];
	/* "vty 0 ok\n" */
	check(hcall(H_PUT_TERM_CHAR, out, 0, 9, 0x7674792030206f6bull, 0x0a00000000000000ull, 0, 0) == H_SUCCESS,
	      "H_PUT_TERM_CHAR on vty 0");
	check(hcall(H_GET_TERM_CHAR, out, 0, 0, 0, 0, 0, 0) == H_SUCCESS, "H_GET_TERM_CHAR on vty 0");
	check(hcall(H_PUT_TERM_CHAR, out, 1, 1, 0x4100000000000000ull, 0, 0, 0) == H_PARAMETER,
	      "a vty that does not exist is refused");
	/* A terminal escape reaches the operator as text, not as an escape. */
	gprintf("escape \x1b[2J\x1b[31mred\x1b[0m done\n");
}

static void test_vpa_and_dtl(void)
{
	uint64_t out[9], tb_per_ms = guest_tb_freq() / 1000;
	vpa[4] = 0x02; /* size 640, big-endian u16 at offset 4 */
	vpa[5] = 0x80;
	check(hcall(H_REGISTER_VPA, out, 1ull << 45, 0, (uint64_t)(uintptr_t)vpa, 0, 0, 0) == H_SUCCESS,
	      "H_REGISTER_VPA");
	uint32_t count = be32(vpa + 0x100);
	check((count & 1) == 0, "the dispatch count is even while running (%u)", count);
	dtl[4] = 0;
	dtl[5] = 0;
	dtl[6] = 0x10; /* 4096 bytes, big-endian u32 at offset 4 */
	dtl[7] = 0;
	check(hcall(H_REGISTER_VPA, out, 2ull << 45, 0, (uint64_t)(uintptr_t)dtl, 0, 0, 0) == H_SUCCESS,
	      "H_REGISTER_VPA of the DTL");
	memset(dtl, 0, sizeof(dtl));
	vpa[0xb8] = 0x1; /* log the dispatches that follow H_CEDE */
	uint64_t t0 = mftb_g();
	/* A cede whose decrementer already fired (the host preempted QEMU
	 * between mtdec and sc) returns at once without a dispatch, as on
	 * pseries: only the cedes that slept are counted. */
	unsigned int slept = 0;
	for (int i = 0; i < 5; i++) {
		__asm__ volatile("mtdec %0" : : "r"(20 * tb_per_ms));
		uint64_t t = mftb_g();
		hcall(H_CEDE, out, 0, 0, 0, 0, 0, 0);
		slept += mftb_g() - t >= 10 * tb_per_ms;
		mtmsrd_g(mfmsr_g() & ~0x8000ull);
	}
	uint32_t after = be32(vpa + 0x100);
	check(slept > 0 && (after & 1) == 0 && after - count >= 2 * slept,
	      "%u cedes that slept moved the dispatch count by two each (%u -> %u)", slept, count, after);
	uint64_t idx = be64(vpa + 0x218);
	check(idx >= slept, "the DTL has an entry per dispatch after a cede (%llu for %u)", (unsigned long long)idx,
	      slept);
	check(dtl[0] == 3 && be64(dtl + 16) >= t0 && be64(dtl + 16) <= mftb_g(),
	      "a DTL entry: dispatched for its decrementer (reason %u), at a timebase in range", dtl[0]);
	vpa[0xb8] = 0;
	hcall(H_REGISTER_VPA, out, 6ull << 45, 0, 0, 0, 0, 0);
	hcall(H_REGISTER_VPA, out, 5ull << 45, 0, 0, 0, 0, 0);
}

static uint32_t dec_bits(void)
{
	int cpus = fdt_path_offset(guest_fdt, "/cpus"), node = fdt_first_subnode(guest_fdt, cpus), len;
	const fdt32_t *p = node < 0 ? NULL : fdt_getprop(guest_fdt, node, "ibm,dec-bits", &len);
	return p && len == 4 ? fdt32_to_cpu(*p) : 0;
}

static void test_large_decrementer(void)
{
	check(dec_bits() == 56, "ibm,dec-bits is 56 (%u)", dec_bits());
	uint64_t big = 0x100000000000ull, dec;
	__asm__ volatile("mtdec %1; mfdec %0" : "=r"(dec) : "r"(big));
	check(dec > 0xffffffffull && dec <= big, "the decrementer holds more than 32 bits (%llx)",
	      (unsigned long long)dec);
	__asm__ volatile("mtdec %0" : : "r"(0x7fffffffull));
}

/* 300 times: a 1 ms decrementer, H_CEDE, and the interrupt taken before the
 * first instruction after the sc, as on QEMU pseries. */
static void test_cede_returns_with_interrupt_taken(void)
{
	uint64_t out[9], tb_per_ms = guest_tb_freq() / 1000;
	unsigned int early = 0;
	for (int i = 0; i < 300; i++) {
		uint64_t decs = fault_info[5];
		__asm__ volatile("mtdec %0" : : "r"(tb_per_ms));
		hcall(H_CEDE, out, 0, 0, 0, 0, 0, 0);
		early += fault_info[5] == decs;
		mtmsrd_g(mfmsr_g() & ~0x8000ull);
		__asm__ volatile("mtdec %0" : : "r"(0x7fffffffull));
	}
	check(early == 0, "every H_CEDE returned with its decrementer interrupt taken (%u of 300 early)", early);
}

/* The CFAR after an hcall is the guest's own last branch, not the hypervisor's. */
static void test_cfar(void)
{
	uint64_t cfar, branch;
	__asm__ volatile("li 3,0x7f00\n"
			 "bl 1f\n"
			 "1: mflr %1\n" /* the bl above is the last taken branch */
			 "addi %1,%1,-4\n"
			 "sc 1\n"
			 "mfspr %0,28\n"
			 : "=r"(cfar), "=&b"(branch)
			 :
			 : "r0", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "lr", "ctr", "cr0",
			   "memory");
	check(cfar == branch, "CFAR after an hcall is the guest's last branch (%llx, expected %llx)",
	      (unsigned long long)cfar, (unsigned long long)branch);
}

extern char me_off_here[];

/* QEMU lets rfid clear MSR[ME]; hardware keeps it set for a guest, and so
 * must the hypervisor (it runs with the guest's ME while it serves it). */
static void test_machine_checks_stay_on(void)
{
	uint64_t out[9], msr;
	__asm__ volatile("mfmsr %0\n"
			 "li 0,0x1000\n" /* MSR[ME] */
			 "andc %0,%0,0\n"
			 "mtsrr1 %0\n"
			 "lis 0,me_off_here@highest\n"
			 "ori 0,0,me_off_here@higher\n"
			 "rldicr 0,0,32,31\n"
			 "oris 0,0,me_off_here@h\n"
			 "ori 0,0,me_off_here@l\n"
			 "mtsrr0 0\n"
			 "rfid\n"
			 ".globl me_off_here\n"
			 "me_off_here:\n"
			 : "=&r"(msr)
			 :
			 : "r0", "memory");
	hcall(H_CONFER, out, (uint64_t)-1, 0, 0, 0, 0, 0); /* a full exit and back */
	check(mfmsr_g() & MSR_ME, "MSR[ME] is on again after the hypervisor ran (%016llx)",
	      (unsigned long long)mfmsr_g());
}

extern char fwnmi_mce_entry[], fwnmi_sreset_entry[];
extern volatile uint64_t fwnmi_seen[6];

static uint64_t rtas_base(void)
{
	int node = fdt_path_offset(guest_fdt, "/rtas"), len;
	const fdt32_t *p = fdt_getprop(guest_fdt, node, "linux,rtas-base", &len);
	return p && len == 4 ? fdt32_to_cpu(*p) : 0;
}

/* FWNMI: a machine check and a system reset at the vectors it registered,
 * r3 pointing into its RTAS area at its saved r3 (and the error log). */
static void test_fwnmi(void)
{
	uint64_t out[9], base = rtas_base();
	uint32_t ar[3] = { (uint32_t)(uintptr_t)fwnmi_sreset_entry, (uint32_t)(uintptr_t)fwnmi_mce_entry, 0 };
	check(rtas_call(rtas_token("ibm,nmi-register"), 2, 1, ar) == 0, "ibm,nmi-register");
	volatile uint64_t *past = (volatile uint64_t *)(uintptr_t)(guest_mem_size() + 0x1000);
	register uint64_t r3 __asm__("r3") = 0x1234;
	__asm__ volatile("ld 0,0(%1)" : "+r"(r3) : "b"(past) : "r0", "memory");
	uint64_t r3_after = r3; /* before any call can change r3 */
	check(fwnmi_seen[0] == 1 && fwnmi_seen[1] == base + 0x30,
	      "a machine check at its vector, r3 = %llx (RTAS at %llx)", (unsigned long long)fwnmi_seen[1],
	      (unsigned long long)base);
	check(r3_after == 0x1234, "its r3 came back from the save slot (%llx)", (unsigned long long)r3_after);
	const uint8_t *log = (const uint8_t *)(uintptr_t)(base + 0x30 + 8);
	check(log[0] == 6 && be64(log + 8 + 16 + 8 + 16) == guest_mem_size() + 0x1000,
	      "an RTAS v6 error log naming the address");
	uint32_t none[1];
	check(rtas_call(rtas_token("ibm,nmi-interlock"), 0, 1, none) == 0, "ibm,nmi-interlock");
	check(hcall(H_SIGNAL_SYS_RESET, out, (uint64_t)-1, 0, 0, 0, 0, 0) == H_SUCCESS && fwnmi_seen[3] == 1 &&
		      fwnmi_seen[4] == base + 2048,
	      "H_SIGNAL_SYS_RESET of all: a system reset at its vector, r3 = %llx", (unsigned long long)fwnmi_seen[4]);
	check(hcall(H_SIGNAL_SYS_RESET, out, 7, 0, 0, 0, 0, 0) == H_PARAMETER, "H_SIGNAL_SYS_RESET of no such vCPU");
	check(hcall(H_SIGNAL_SYS_RESET, out, (uint64_t)-3, 0, 0, 0, 0, 0) == H_PARAMETER, "H_SIGNAL_SYS_RESET of -3");
}

static void test_gtse_refused(void)
{
	uint64_t out[9];
	/* PROC_TABLE_MODIFY | PROC_TABLE_REGISTER | GTSE for a hash guest */
	check(hcall(H_REGISTER_PROC_TBL, out, 0x10 | 0x08 | 0x01, 0, 0, 0, 0, 0) == H_PARAMETER,
	      "GTSE is refused to a hash guest");
	check(hcall(H_REGISTER_PROC_TBL, out, 0x10 | 0x08, 0, 0, 0, 0, 0) == H_SUCCESS, "hash with SLB is accepted");
}

void guest_main(void)
{
	test_entry();
	test_default_vty();
	test_vpa_and_dtl();
	test_large_decrementer();
	test_cede_returns_with_interrupt_taken();
	test_cfar();
	test_machine_checks_stay_on();
	test_gtse_refused();
	test_fwnmi();
}
