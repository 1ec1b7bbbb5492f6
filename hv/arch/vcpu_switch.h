/*
 * Moving a vCPU's state in and out of a hardware thread: the partition
 * context (LPIDR, LPCR), the guest SPRs, FP/VMX/VSX and the SLB. The run
 * loop loads a vCPU when it takes a thread that last ran another one, and
 * puts the other one away first; the guest's GPRs and the registers every
 * entry and exit switch anyway are hv/arch/world_switch.S's.
 */
#ifndef HV_ARCH_VCPU_SWITCH_H
#define HV_ARCH_VCPU_SWITCH_H

#include <stdint.h>
#include "hv/vcpu.h"

void vcpu_load(struct vcpu *v, uint32_t lpid, uint64_t lpcr);
/* Saves v's state and leaves the thread in the hypervisor's context: LPID
 * 0, hv_lpcr, DEC parked, the PMU frozen. */
void vcpu_put(struct vcpu *v, uint64_t hv_lpcr);

void vcpu_fp_save(struct vcpu_fp *fp); /* hv/arch/fpu.S */
void vcpu_fp_load(const struct vcpu_fp *fp);

#endif
