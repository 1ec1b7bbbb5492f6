/*
 * Several vCPUs: started through RTAS start-cpu, idling in H_CEDE and woken
 * by H_PROD from another vCPU, and more vCPUs than hardware threads, which
 * only all make progress if the hypervisor time-slices them.
 */
#include "tests/guests/guest.h"
#include "papr.h"

#define MAX 8
static volatile uint64_t progress[MAX];
static volatile uint32_t started[MAX], woken[MAX], stop, ipi_ready, ipi_done;
static volatile uint64_t ipi_xirr, ipi_externals, cr_checks, cr_bad, cr_bad_value;

void secondary_main(unsigned int id)
{
	uint64_t out[9];
	started[id] = 1;
	if (id == 1) {
		/* Sleep with a far decrementer: only an H_PROD can wake us quickly. */
		__asm__ volatile("mtdec %0" : : "r"(0x7fffffffull));
		hcall(H_CEDE, out, 0, 0, 0, 0, 0, 0);
		mtmsrd_g(mfmsr_g() & ~0x8000ull);
		woken[id] = 1;

		/* IPI: open the CPPR, cede, and let vCPU 0's H_IPI wake us. The
		 * external interrupt arrives once H_CEDE returns with EE on. */
		uint64_t before = fault_info[6];
		hcall(H_CPPR, out, 0xff, 0, 0, 0, 0, 0);
		ipi_ready = 1;
		while (fault_info[6] == before) {
			__asm__ volatile("mtdec %0" : : "r"(0x7fffffffull));
			hcall(H_CEDE, out, 0, 0, 0, 0, 0, 0);
		}
		mtmsrd_g(mfmsr_g() & ~0x8000ull);
		ipi_externals = fault_info[6] - before;
		hcall(H_XIRR, out, 0, 0, 0, 0, 0, 0);
		ipi_xirr = out[0];
		hcall(H_IPI, out, 1, 0xff, 0, 0, 0, 0);
		hcall(H_EOI, out, ipi_xirr, 0, 0, 0, 0, 0);
		ipi_done = 1;
	}
	while (!stop) {
		progress[id]++;
		uint64_t cr = cr_hold(20000); /* time slices end in the middle of this */
		__atomic_add_fetch(&cr_checks, 1, __ATOMIC_RELAXED);
		if (cr != 0x9abcdef1) {
			cr_bad_value = cr;
			__atomic_add_fetch(&cr_bad, 1, __ATOMIC_RELAXED);
		}
	}
	for (;;)
		hcall(H_CEDE, out, 0, 0, 0, 0, 0, 0);
}

void guest_main(void)
{
	uint64_t out[9], tb_ms = guest_tb_freq() / 1000;
	unsigned int n = guest_nvcpus();
	gprintf("%u vCPUs\n", n);
	check(n >= 2 && n <= MAX, "the device tree lists the vCPUs (%u)", n);
	for (unsigned int i = 1; i < n; i++)
		check(start_cpu(i) == 0, "start-cpu %u", i);
	uint32_t ar[3] = { 1, 0, 0 };
	int st = rtas_call(rtas_token("query-cpu-stopped-state"), 1, 2, ar);
	check(st == 0 && ar[2] == 2, "query-cpu-stopped-state says vCPU 1 runs (%d, %u)", st, ar[2]);
	check(start_cpu(1) != 0, "start-cpu of a running vCPU is refused");
	check(start_cpu(n) != 0, "start-cpu of a vCPU that does not exist is refused");
	uint64_t t0 = mftb_g();
	for (unsigned int i = 1; i < n; i++)
		while (!started[i] && mftb_g() - t0 < 2000 * tb_ms)
			guest_relax();
	unsigned int up = 0;
	for (unsigned int i = 1; i < n; i++)
		up += started[i];
	check(up == n - 1, "%u of %u secondaries ran", up, n - 1);

	/* vCPU 1 is in H_CEDE with no timer due: wake it. */
	uint64_t wait_start = mftb_g();
	while (mftb_g() - wait_start < 20 * tb_ms)
		guest_relax();
	check(!woken[1], "vCPU 1 stays ceded without a reason to wake");
	check(hcall(H_PROD, out, 1, 0, 0, 0, 0, 0) == H_SUCCESS, "H_PROD vCPU 1");
	t0 = mftb_g();
	while (!woken[1] && mftb_g() - t0 < 2000 * tb_ms)
		guest_relax();
	check(woken[1], "H_PROD woke vCPU 1 after %llu us", (unsigned long long)((mftb_g() - t0) * 1000 / tb_ms));

	/* An IPI to a ceded vCPU wakes it and arrives as an external interrupt. */
	t0 = mftb_g();
	while (!ipi_ready && mftb_g() - t0 < 2000 * tb_ms)
		guest_relax();
	check(hcall(H_IPI, out, 1, 5, 0, 0, 0, 0) == H_SUCCESS, "H_IPI to vCPU 1");
	t0 = mftb_g();
	while (!ipi_done && mftb_g() - t0 < 2000 * tb_ms)
		guest_relax();
	check(ipi_done && ipi_externals == 1,
	      "vCPU 1 took exactly one external interrupt for the IPI (%llu) after %llu us",
	      (unsigned long long)ipi_externals, (unsigned long long)((mftb_g() - t0) * 1000 / tb_ms));
	check(ipi_xirr == (0xffull << 24 | 2), "H_XIRR returned the IPI with the old CPPR (%llx)",
	      (unsigned long long)ipi_xirr);
	uint64_t xirr_mfrr[2];
	hcall(H_IPOLL, out, 1, 0, 0, 0, 0, 0);
	xirr_mfrr[0] = out[0];
	xirr_mfrr[1] = out[1];
	check((xirr_mfrr[0] & 0xffffff) == 0 && xirr_mfrr[1] == 0xff,
	      "after EOI nothing is pending on vCPU 1 (%llx %llx)", (unsigned long long)xirr_mfrr[0],
	      (unsigned long long)xirr_mfrr[1]);
	check(hcall(H_IPI, out, n, 5, 0, 0, 0, 0) == H_PARAMETER, "H_IPI to a vCPU that does not exist");

	/* Every vCPU must keep making progress, even where vCPUs share a thread. */
	uint64_t before[MAX];
	for (unsigned int i = 1; i < n; i++)
		before[i] = progress[i];
	t0 = mftb_g();
	while (mftb_g() - t0 < 300 * tb_ms)
		hcall(H_CONFER, out, (uint64_t)-1, 0, 0, 0, 0, 0);
	for (unsigned int i = 1; i < n; i++)
		check(progress[i] > before[i], "vCPU %u made progress while vCPU 0 ran (%llu -> %llu)", i,
		      (unsigned long long)before[i], (unsigned long long)progress[i]);
	stop = 1;
	check(cr_checks > 0 && cr_bad == 0, "CR survived every exit the vCPUs took (%llu checks, %llu bad, last %llx)",
	      (unsigned long long)cr_checks, (unsigned long long)cr_bad, (unsigned long long)cr_bad_value);
}
