#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <libfdt.h>
#include "tests/guests/guest.h"
#include "papr.h"

const void *guest_fdt;
unsigned int checks_passed, checks_failed;

void guest_start(const void *fdt);

static void put(const char *s, size_t n)
{
	while (n) {
		uint64_t w[2] = { 0, 0 };
		size_t k = n < 16 ? n : 16;
		for (size_t i = 0; i < k; i++)
			w[i / 8] |= (uint64_t)(uint8_t)s[i] << (56 - 8 * (i % 8));
		hcall(H_PUT_TERM_CHAR, 0, VTY, k, w[0], w[1], 0, 0);
		s += k;
		n -= k;
	}
}

void gprintf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put(buf, n < 0 ? 0 : (n >= (int)sizeof(buf) ? sizeof(buf) - 1 : (size_t)n));
}

void check(bool ok, const char *what, ...)
{
	if (ok) {
		checks_passed++;
		return;
	}
	checks_failed++;
	char buf[200];
	va_list ap;
	va_start(ap, what);
	vsnprintf(buf, sizeof(buf), what, ap);
	va_end(ap);
	gprintf("FAIL: %s\n", buf);
}

uint64_t guest_mem_size(void)
{
	int node = fdt_path_offset(guest_fdt, "/memory@0"), len;
	const fdt64_t *reg = fdt_getprop(guest_fdt, node, "reg", &len);
	return reg && len == 16 ? fdt64_to_cpu(reg[1]) : 0;
}

static uint32_t cpu_prop(const char *name, int cell)
{
	int cpus = fdt_path_offset(guest_fdt, "/cpus"), node = fdt_first_subnode(guest_fdt, cpus), len;
	const fdt32_t *p = node < 0 ? NULL : fdt_getprop(guest_fdt, node, name, &len);
	return p && len >= 4 * (cell + 1) ? fdt32_to_cpu(p[cell]) : 0;
}

uint64_t guest_tb_freq(void)
{
	return cpu_prop("timebase-frequency", 0);
}
unsigned int guest_hpt_shift(void)
{
	return cpu_prop("ibm,pft-size", 1);
}

uint32_t rtas_token(const char *name)
{
	int node = fdt_path_offset(guest_fdt, "/rtas"), len;
	const fdt32_t *t = fdt_getprop(guest_fdt, node, name, &len);
	return t && len == 4 ? fdt32_to_cpu(*t) : 0;
}

int rtas_call(uint32_t token, int nargs, int nret, uint32_t *args_rets)
{
	static uint32_t buf[3 + 32] __attribute__((aligned(8)));
	int node = fdt_path_offset(guest_fdt, "/rtas"), len;
	const fdt32_t *entry = fdt_getprop(guest_fdt, node, "linux,rtas-entry", &len);
	if (!entry || len != 4)
		return -99;
	buf[0] = token;
	buf[1] = (uint32_t)nargs;
	buf[2] = (uint32_t)nret;
	memcpy(&buf[3], args_rets, 4 * (size_t)nargs);
	void (*rtas)(uint64_t) = (void (*)(uint64_t))(uintptr_t)fdt32_to_cpu(*entry);
	rtas((uint64_t)(uintptr_t)buf);
	memcpy(args_rets + nargs, &buf[3 + nargs], 4 * (size_t)nret);
	return nret ? (int)buf[3 + nargs] : 0;
}

extern char secondary_entry[];

int start_cpu(unsigned int id)
{
	uint32_t ar[4] = { id, (uint32_t)(uintptr_t)secondary_entry, id, 0 };
	return rtas_call(rtas_token("start-cpu"), 3, 1, ar);
}

unsigned int guest_nvcpus(void)
{
	int cpus = fdt_path_offset(guest_fdt, "/cpus"), node;
	unsigned int n = 0;
	fdt_for_each_subnode (node, guest_fdt, cpus)
		n++;
	return n;
}

/* Programs without secondaries still link. */
__attribute__((weak)) void secondary_main(unsigned int id)
{
	(void)id;
	for (;;)
		hcall(H_CEDE, 0, 0, 0, 0, 0, 0, 0);
}

void guest_power_off(void)
{
	uint32_t rets[1];
	rtas_call(rtas_token("power-off"), 0, 1, rets);
	gprintf("FAIL: still running after power-off\n");
	for (;;)
		hcall(H_CEDE, 0, 0, 0, 0, 0, 0, 0);
}

extern char vec_dsi[], vec_other[], vec_dec[], vec_ext[], vec_syscall[];

static void put_branch(uint64_t vector, const char *target)
{
	uint32_t *slot;
	__asm__("" : "=r"(slot) : "0"(vector));                            /* a real address, not an object gcc knows */
	*slot = 0x48000002u | ((uint32_t)(uintptr_t)target & 0x03fffffcu); /* ba target */
	__asm__ volatile("dcbst 0,%0; sync; icbi 0,%0; sync; isync" : : "r"(slot) : "memory");
}

void install_vectors(void)
{
	static const uint64_t others[] = { 0x100, 0x200, 0x400, 0x480, 0x600, 0x700, 0x800,
					   0xa00, 0xd00, 0xe00, 0xf00, 0xf20, 0xf40, 0xf60 };
	for (unsigned int i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		put_branch(others[i], vec_other);
	put_branch(0x300, vec_dsi);
	put_branch(0x380, vec_dsi);
	put_branch(0x900, vec_dec);
	put_branch(0x500, vec_ext);
	put_branch(0xc00, vec_syscall); /* only user_sc1() expects one */
}

void guest_start(const void *fdt)
{
	guest_fdt = fdt;
	install_vectors();
	gprintf("guest started, device tree at %p, %llu MiB\n", fdt, (unsigned long long)(guest_mem_size() >> 20));
	guest_main();
	gprintf("GUEST RESULT: %u passed, %u failed\n", checks_passed, checks_failed);
	guest_power_off();
}

/* newlib's hooks: the guests use only snprintf-style formatting. */
void *sbrk(ptrdiff_t incr);
void *sbrk(ptrdiff_t incr)
{
	(void)incr;
	return (void *)-1;
}
