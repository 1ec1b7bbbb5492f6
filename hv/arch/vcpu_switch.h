/*
 * Moving a vCPU's supervisor state in and out of a hardware thread: the
 * partition context (LPIDR, LPCR), the guest SPRs and the SLB. The run
 * loop loads a vCPU when it takes a thread that last ran another one, and
 * puts the other one away first.
 */
#ifndef HV_ARCH_VCPU_SWITCH_H
#define HV_ARCH_VCPU_SWITCH_H

#include <stdint.h>
#include "hv/vcpu.h"

void vcpu_load(struct vcpu *v, uint32_t lpid, uint64_t lpcr);
/* Saves v's state and leaves the thread in the hypervisor's context (LPID 0). */
void vcpu_put(struct vcpu *v);

#endif
