/* Timebase, delays and the hypervisor decrementer (HDEC) as timer source. */
#ifndef HV_TIMER_H
#define HV_TIMER_H

#include <stdint.h>

extern uint64_t tb_freq;    /* ticks per second, from the device tree */

void timer_init(uint64_t freq);
/* Per-CPU: enables HDEC interrupts and parks the HDEC and DEC far ahead. */
void timer_cpu_setup(void);
uint64_t tb_now(void);
uint64_t tb_to_us(uint64_t ticks);
uint64_t us_to_tb(uint64_t us);
void udelay(uint64_t us);
/* The timebase value at which this thread's (32-bit) DEC reaches 0. */
uint64_t dec_expiry(void);
/* Fires one HDEC interrupt on this CPU after ticks; the handler in
 * this_cpu()->hdec_handler runs then (interrupts must be enabled). */
void hdec_arm(uint64_t ticks);
void hdec_interrupt(void);

#endif
