/* Starting the other hardware threads; they then run what cpu->call_fn posts. */
#ifndef HV_SMP_H
#define HV_SMP_H

#include "hv/cpu.h"
#include "hv/config/platform.h"

/* Starts every CPU of the platform; returns how many are online. */
unsigned int smp_start(const struct platform *p);
unsigned int smp_online(void);

#endif
