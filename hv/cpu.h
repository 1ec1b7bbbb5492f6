/* Per-CPU areas: one per hardware thread, found through HSPRG0. */
#ifndef HV_CPU_H
#define HV_CPU_H

/* Offsets used by the boot/ assembly; checked against the struct in cpu.c. */
#define CPU_SELF       0
#define CPU_SCRATCH0   8
#define CPU_SCRATCH1   16
#define CPU_EXC_STACK  24
#define CPU_EXC_DEPTH  32
#define CPU_STACK_TOP  40
#define CPU_HV_SP      48 /* r1 of vcpu_enter() while a guest runs */
#define CPU_VCPU       56 /* the vCPU running on this thread */
#define CPU_TOC        64
#define CPU_SCRATCH_CR 72 /* the interrupted CR, saved before anything can touch it */
#define CPU_CFAR       80 /* the interrupted CFAR, saved before the vector's branch */
#define CPU_HCALL_SP   88 /* r1 for hcall_fast(): below vcpu_enter()'s frame */

#define CPU_STACK_SIZE     (64 * 1024)
#define CPU_EXC_STACK_SIZE (32 * 1024)
#define MAX_CPUS           64
#define CPU_MAX_VCPUS      8 /* vCPUs pinned to one hardware thread */

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stdbool.h>
#include "arch/spr.h"

enum cpu_state { CPU_OFFLINE, CPU_STARTING, CPU_ONLINE, CPU_FAILED };

typedef void (*cpu_call_fn)(void *arg);
struct vcpu;

struct cpu {
	struct cpu *self;
	uint64_t scratch0, scratch1; /* vector entry save slots */
	uint64_t exc_stack_top;
	uint64_t exc_depth; /* nested exceptions in progress */
	uint64_t stack_top;
	uint64_t hv_sp;
	struct vcpu *vcpu;
	uint64_t toc;
	uint64_t scratch_cr;
	uint64_t cfar;
	uint64_t hcall_sp;
	uint32_t index;  /* 0..ncpus-1 */
	uint32_t server; /* interrupt server number (= PIR) */
	volatile uint32_t state;
	bool boot_cpu;
	/* Work posted by another CPU (smp_call). */
	volatile cpu_call_fn call_fn;
	void *volatile call_arg;
	/* Timer. */
	volatile uint64_t hdec_ticks; /* HDEC interrupts taken */
	void (*hdec_handler)(struct cpu *);
	/* A trap this CPU expects (self-test): resume after it instead of panic. */
	uint64_t expect_trap_at;
	volatile uint64_t traps_caught;
	/* Scheduling: the vCPUs pinned to this thread (hv/sched.c). */
	struct vcpu *run_queue[CPU_MAX_VCPUS];
	unsigned int nrun;
	struct vcpu *current;     /* holds the thread and its slice */
	int64_t slice_left;       /* ticks left of current's slice */
	uint64_t entry_ends;      /* timebase when the guest entry running now is due back */
	struct vcpu *last_loaded; /* whose SPRs/SLB are in the registers */
	uint64_t hv_lpcr;         /* LPCR while no guest is loaded */
};

extern struct cpu *cpus[MAX_CPUS];
extern unsigned int ncpus;

static inline struct cpu *this_cpu(void)
{
	return (struct cpu *)mfspr(SPR_HSPRG0);
}

struct cpu *cpu_create(unsigned int index, uint32_t server, bool boot);
/* Per-thread register set-up that is not the timer's: the facilities
 * guests may use (HFSCR, AMOR), the PMU frozen, the LPCR the hypervisor
 * keeps while no guest is loaded (wake-ups from power saving included). */
void cpu_init_thread(void);
/* Interrupts thread c (a hypervisor doorbell) unless it is this one, so
 * that it leaves the guest and looks at its work. */
void cpu_kick(const struct cpu *c);

#endif
#endif
