/*
 * Running a vCPU once on a hardware thread and handling the exit that
 * ends it. Each exit vector has one handler; a handler joins by defining
 * itself with EXIT_HANDLER in its own file (the hcall layer takes 0xC00).
 * An exit without a handler stops the partition with a register report.
 */
#ifndef HV_EXITS_H
#define HV_EXITS_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/cpu.h"
#include "hv/lib/registry.h"
#include "hv/papr/fwnmi.h"
#include "hv/vcpu.h"

struct exit_handler {
	uint64_t vector;
	void (*handle)(struct vcpu *v);
};

#define EXIT_HANDLER(id, vector_, fn_) \
	REGISTER(exit_handlers, struct exit_handler, exit_handler_##id) = { vector_, fn_ }

/* Builds the vector table from the registered handlers; once, at boot. */
void exits_init(void);
/* Runs v until it leaves this thread (ceded, stopped, slice over). */
void vcpu_run_once(struct cpu *c, struct vcpu *v, uint64_t slice_ticks);
/* Delivers an interrupt to the guest as the hardware would have (program, machine check). */
void vcpu_reflect(struct vcpu *v, uint64_t vector, uint64_t srr1_bits);
/* The guest instruction at v's NIP, fetched through its translation
 * (real mode, or its SLB and HPT); false if that page is not its memory. */
bool vcpu_fetch_insn(struct vcpu *v, uint32_t *insn);
/* The 0xE00/0xE20 fast path (hv/arch/world_switch.S, hv/storage_exits.c):
 * 0 done, resume the guest (r14-r31 unchanged); 3 done, resume with all
 * GPRs reloaded; 1 take the full exit; 2 done, the full exit delivers an
 * interrupt. */
long storage_fast(struct vcpu *v, uint64_t vec);
/* A machine check for an access nothing answers (hv/storage_exits.c). */
void vcpu_machine_check(struct vcpu *v, enum mc_access kind, uint64_t ea);
/* Prints the register report of a vCPU (for a partition that is stopped on an error). */
void vcpu_report(const struct vcpu *v, const char *why);

#endif
