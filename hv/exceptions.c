/* C side of every interrupt taken in hypervisor mode. */
#include "hv/exceptions.h"
#include "hv/lib/backtrace.h"
#include "hv/cpu.h"
#include "hv/lib/log.h"
#include "hv/panic.h"
#include "hv/lib/symbols.h"
#include "hv/timer.h"
#include "arch/spr.h"
#include "arch/vectors.h"

const char *vector_name(uint64_t v)
{
	switch (v) {
	case VEC_SYSTEM_RESET:
		return "system reset";
	case VEC_MACHINE_CHECK:
		return "machine check";
	case VEC_DATA_STORAGE:
		return "data storage";
	case VEC_DATA_SEGMENT:
		return "data segment";
	case VEC_INSN_STORAGE:
		return "instruction storage";
	case VEC_INSN_SEGMENT:
		return "instruction segment";
	case VEC_EXTERNAL:
		return "external";
	case VEC_ALIGNMENT:
		return "alignment";
	case VEC_PROGRAM:
		return "program";
	case VEC_FP_UNAVAILABLE:
		return "floating-point unavailable";
	case VEC_DECREMENTER:
		return "decrementer";
	case VEC_HV_DECREMENTER:
		return "hypervisor decrementer";
	case VEC_DOORBELL:
		return "doorbell";
	case VEC_SYSTEM_CALL:
		return "system call";
	case VEC_TRACE:
		return "trace";
	case VEC_HV_DATA_STORAGE:
		return "hypervisor data storage";
	case VEC_HV_INSN_STORAGE:
		return "hypervisor instruction storage";
	case VEC_HV_EMU_ASSIST:
		return "hypervisor emulation assistance";
	case VEC_HV_MAINTENANCE:
		return "hypervisor maintenance";
	case VEC_HV_DOORBELL:
		return "hypervisor doorbell";
	case VEC_HV_VIRTUALIZATION:
		return "hypervisor virtualization";
	case VEC_PERF_MONITOR:
		return "performance monitor";
	case VEC_VMX_UNAVAILABLE:
		return "vector unavailable";
	case VEC_VSX_UNAVAILABLE:
		return "VSX unavailable";
	case VEC_FAC_UNAVAILABLE:
		return "facility unavailable";
	case VEC_HV_FAC_UNAVAILABLE:
		return "hypervisor facility unavailable";
	case VEC_DENORMALISATION:
		return "denormalisation";
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
		hvprint("  r%d-r%-2d %016llx %016llx %016llx %016llx", i, i + 3, (unsigned long long)r->gpr[i],
			(unsigned long long)r->gpr[i + 1], (unsigned long long)r->gpr[i + 2],
			(unsigned long long)r->gpr[i + 3]);
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
	case VEC_HV_DECREMENTER:
		hdec_interrupt();
		return;
	case VEC_DECREMENTER:
		/* The hypervisor does not use DEC; it only fires if left to run down. */
		mtspr(SPR_DEC, DEC_PARKED);
		return;
	case VEC_PROGRAM:
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
	panic("unexpected %s interrupt at 0x%llx on CPU %u", vector_name(r->vector), (unsigned long long)r->nip,
	      c->index);
}
