/*
 * vCPU placement and the per-thread scheduler. vCPUs are pinned to
 * hardware threads (the bundle's `cpus`, or round robin); a thread with
 * several runnable vCPUs gives each a time slice ended by the HDEC.
 */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include <stdint.h>
#include "hv/config.h"
#include "hv/cpu.h"
#include "hv/vcpu.h"

/* Pins the vCPUs of every partition; logs and returns -1 on a bad `cpus`. */
int sched_assign(const struct hv_config *cfg);
/* Makes v runnable again if it waits in H_CEDE. */
void sched_wake(struct vcpu *v);
/* Makes v notice new work soon: wakes it from H_CEDE and, if it is in the
 * guest on another thread, interrupts that thread with a doorbell. */
void sched_kick(struct vcpu *v);
void vcpu_run_once(struct cpu *c, struct vcpu *v, uint64_t slice_ticks);
/* Whether the machine powers off when no partition is left running. */
extern int sched_power_off_when_idle;

#endif
