#include <stddef.h>
#include <string.h>
#include "hv/cpu.h"
#include "hv/mm/memory.h"
#include "hv/panic.h"
#include "arch/spr.h"

_Static_assert(offsetof(struct cpu, self) == CPU_SELF, "asm offset");
_Static_assert(offsetof(struct cpu, scratch0) == CPU_SCRATCH0, "asm offset");
_Static_assert(offsetof(struct cpu, scratch1) == CPU_SCRATCH1, "asm offset");
_Static_assert(offsetof(struct cpu, exc_stack_top) == CPU_EXC_STACK, "asm offset");
_Static_assert(offsetof(struct cpu, exc_depth) == CPU_EXC_DEPTH, "asm offset");
_Static_assert(offsetof(struct cpu, stack_top) == CPU_STACK_TOP, "asm offset");
_Static_assert(offsetof(struct cpu, hv_sp) == CPU_HV_SP, "asm offset");
_Static_assert(offsetof(struct cpu, vcpu) == CPU_VCPU, "asm offset");
_Static_assert(offsetof(struct cpu, toc) == CPU_TOC, "asm offset");
_Static_assert(offsetof(struct cpu, scratch_cr) == CPU_SCRATCH_CR, "asm offset");
_Static_assert(offsetof(struct cpu, cfar) == CPU_CFAR, "asm offset");
_Static_assert(offsetof(struct cpu, hcall_sp) == CPU_HCALL_SP, "asm offset");

struct cpu *cpus[MAX_CPUS];
unsigned int ncpus;

/* Stacks get an unmapped-in-spirit guard: a poison word at the bottom that
 * the fault reporter checks to tell a stack overflow from other faults. */
struct cpu *cpu_create(unsigned int index, uint32_t server, bool boot)
{
	if (index >= MAX_CPUS)
		panic("cpu: more than %d CPUs", MAX_CPUS);
	uint64_t area = hv_alloc_pages(sizeof(struct cpu) + CPU_STACK_SIZE + CPU_EXC_STACK_SIZE, 4096);
	if (!area)
		panic("cpu: out of memory for CPU %u", index);
	struct cpu *c = (struct cpu *)area;
	memset(c, 0, sizeof(*c));
	c->self = c;
	c->index = index;
	c->server = server;
	c->boot_cpu = boot;
	/* Leave a minimal ABI frame with a null back chain at each stack top. */
	uint64_t stacks = (area + sizeof(struct cpu) + 15) & ~15ull;
	c->stack_top = stacks + CPU_STACK_SIZE - 64;
	c->exc_stack_top = stacks + CPU_STACK_SIZE + CPU_EXC_STACK_SIZE - 256 - 64;
	c->state = boot ? CPU_ONLINE : CPU_OFFLINE;
	c->toc = cpus[0] ? cpus[0]->toc : 0;
	cpus[index] = c;
	if (index >= ncpus)
		ncpus = index + 1;
	return c;
}

void cpu_init_thread(void)
{
	struct cpu *c = this_cpu();
	mtspr(SPR_MMCR0, MMCR0_FC); /* each guest's PMU is its own (hv/arch/vcpu_switch.c) */
	mtspr(SPR_HFSCR, HFSCR_GUEST);
	mtspr(SPR_AMOR, ~0ull); /* a guest may use every AMR key */
	c->hv_lpcr = mfspr(SPR_LPCR) | LPCR_HDICE | LPCR_PECEDH | LPCR_PECE0 | LPCR_PECE1 | LPCR_PECE2 | LPCR_PECE_HVEE;
	mtspr(SPR_LPCR, c->hv_lpcr);
	isync();
}

void cpu_kick(const struct cpu *c)
{
	if (c != this_cpu())
		doorbell_send_hv(c->server);
}
