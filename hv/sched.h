/*
 * vCPU placement and the per-thread scheduler. vCPUs are pinned to
 * hardware threads (the bundle's `cpus`, or round robin); a thread with
 * several runnable vCPUs gives each a time slice ended by the HDEC.
 */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include <stdint.h>
#include "hv/config/config.h"
#include "hv/vcpu.h"

/* Pins the vCPUs of every partition; logs and returns -1 on a bad `cpus`. */
int sched_assign(const struct hv_config *cfg);
/* Makes v runnable again if it waits in H_CEDE. */
void sched_wake(struct vcpu *v);
/* The scheduler loop of a hardware thread: runs the vCPUs pinned to it,
 * and between them calls service (if any), which returns in how many
 * microseconds it wants to be called again. Never returns. */
void sched_thread_loop(uint64_t (*service)(void)) __attribute__((noreturn));

#endif
