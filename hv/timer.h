/* The hypervisor decrementer (HDEC) as this thread's timer. */
#ifndef HV_TIMER_H
#define HV_TIMER_H

#include <stdint.h>
#include "drivers/timebase.h"

/* Per thread: enables HDEC interrupts and parks the HDEC and DEC far ahead. */
void timer_cpu_setup(void);
/* Fires one HDEC interrupt on this CPU after ticks; the handler in
 * this_cpu()->hdec_handler runs then (interrupts must be enabled). */
void hdec_arm(uint64_t ticks);
void hdec_interrupt(void);

#endif
