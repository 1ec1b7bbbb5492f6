/* C side of every interrupt taken in hypervisor mode. */
#include "hv/exceptions.h"
#include "hv/backtrace.h"
#include "hv/cpu.h"
#include "hv/log.h"
#include "hv/panic.h"
#include "hv/symbols.h"
#include "hv/timer.h"
#include "arch/spr.h"

const char *vector_name(uint64_t v)
{
	switch (v) {
	case 0x100: return "system reset";
	case 0x200: return "machine check";
	case 0x300: return "data storage";
	case 0x380: return "data segment";
	case 0x400: return "instruction storage";
	case 0x480: return "instruction segment";
	case 0x500: return "external";
	case 0x600: return "alignment";
	case 0x700: return "program";
	case 0x800: return "floating-point unavailable";
	case 0x900: return "decrementer";
	case 0x980: return "hypervisor decrementer";
	case 0xa00: return "doorbell";
	case 0xc00: return "system call";
	case 0xd00: return "trace";
	case 0xe00: return "hypervisor data storage";
	case 0xe20: return "hypervisor instruction storage";
	case 0xe40: return "hypervisor emulation assistance";
	case 0xe60: return "hypervisor maintenance";
	case 0xe80: return "hypervisor doorbell";
	case 0xea0: return "hypervisor virtualization";
	case 0xf00: return "performance monitor";
	case 0xf20: return "vector unavailable";
	case 0xf40: return "VSX unavailable";
	case 0xf60: return "facility unavailable";
	case 0xf80: return "hypervisor facility unavailable";
	case 0x1500: return "denormalisation";
	}
	return "reserved";
}

static void print_addr(const char *label, uint64_t a)
{
	uint64_t off;
	const char *name = symbol_lookup(&hv_symtab, a, &off);
	if (name)
		hvprint("  %-6s 0x%016llx  %s+0x%llx", label, (unsigned long long)a, name, (unsigned long long)off);
	else
		hvprint("  %-6s 0x%016llx", label, (unsigned long long)a);
}

/* The stack sp lives on, if it is one of this CPU's. */
static int stack_bounds(const struct cpu *c, uint64_t sp, uint64_t *lo, uint64_t *hi)
{
	uint64_t tops[2] = { c->stack_top + 64, c->exc_stack_top + 256 + 64 };
	uint64_t sizes[2] = { CPU_STACK_SIZE, CPU_EXC_STACK_SIZE };
	for (int i = 0; i < 2; i++) {
		if (sp >= tops[i] - sizes[i] && sp < tops[i]) {
			*lo = tops[i] - sizes[i];
			*hi = tops[i];
			return 1;
		}
	}
	return 0;
}

void fault_report(const struct regs *r)
{
	struct cpu *c = this_cpu();
	hvprint("FAULT: %s interrupt (0x%llx) on CPU %u (server 0x%x)%s", vector_name(r->vector),
		(unsigned long long)r->vector, c->index, c->server,
		(r->msr & MSR_HV) ? " in the hypervisor" : " in a guest");
	hvprint("  HSRR0  0x%016llx  HSRR1  0x%016llx", (unsigned long long)r->hsrr0, (unsigned long long)r->hsrr1);
	hvprint("  SRR0   0x%016llx  SRR1   0x%016llx", (unsigned long long)r->srr0, (unsigned long long)r->srr1);
	hvprint("  DAR    0x%016llx  DSISR  0x%08llx", (unsigned long long)r->dar, (unsigned long long)r->dsisr);
	hvprint("  HDAR   0x%016llx  HDSISR 0x%08llx", (unsigned long long)r->hdar, (unsigned long long)r->hdsisr);
	hvprint("  CTR    0x%016llx  CR     0x%08llx  XER 0x%llx", (unsigned long long)r->ctr,
		(unsigned long long)r->cr, (unsigned long long)r->xer);
	print_addr("NIP", r->nip);
	print_addr("LR", r->lr);
	hvprint("  r1     0x%016llx", (unsigned long long)r->gpr[1]);
	for (int i = 0; i < 32; i += 4)
		hvprint("  r%d-r%-2d %016llx %016llx %016llx %016llx", i, i + 3,
			(unsigned long long)r->gpr[i], (unsigned long long)r->gpr[i + 1],
			(unsigned long long)r->gpr[i + 2], (unsigned long long)r->gpr[i + 3]);
	uint64_t lo, hi, ret[16];
	if (!(r->msr & MSR_HV) || !stack_bounds(c, r->gpr[1], &lo, &hi)) {
		hvprint("  backtrace: r1 is not on this CPU's hypervisor stacks");
		return;
	}
	unsigned int n = backtrace_walk(r->gpr[1], lo, hi, ret, 16);
	hvprint("  backtrace (%u frames):", n);
	for (unsigned int i = 0; i < n; i++)
		print_addr("  from", ret[i]);
}

void exception_handler(struct regs *r)
{
	struct cpu *c = this_cpu();
	switch (r->vector) {
	case 0x980:
		hdec_interrupt();
		return;
	case 0x900:
		/* The hypervisor does not use DEC; it only fires if left to run down. */
		mtspr(SPR_DEC, 0x7fffffff);
		return;
	case 0x700:
		if ((r->msr & SRR1_PROGTRAP) && c->expect_trap_at && r->nip == c->expect_trap_at) {
			c->expect_trap_at = 0;
			c->traps_caught++;
			r->nip += 4;
			return;
		}
		break;
	}
	if (c->exc_depth > 1)
		hvprint("FAULT: nested exception (depth %llu)", (unsigned long long)c->exc_depth);
	fault_report(r);
	panic("unexpected %s interrupt at 0x%llx on CPU %u", vector_name(r->vector),
	      (unsigned long long)r->nip, c->index);
}
