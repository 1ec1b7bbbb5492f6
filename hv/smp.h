/* Starting the other hardware threads and running work on them. */
#ifndef HV_SMP_H
#define HV_SMP_H

#include "hv/cpu.h"
#include "hv/platform.h"

/* Starts every CPU of the platform; returns how many are online. */
unsigned int smp_start(const struct platform *p);
/* Runs fn(arg) on CPU c and waits up to timeout_us; 0 on success. */
int smp_call(struct cpu *c, cpu_call_fn fn, void *arg, uint64_t timeout_us);
unsigned int smp_online(void);

#endif
