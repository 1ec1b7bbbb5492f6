/* The timebase: time since power-on in ticks of tb_freq Hz, and the
 * 32-bit decrementers that count it down. */
#ifndef DRIVERS_TIMEBASE_H
#define DRIVERS_TIMEBASE_H

#include <stdint.h>

extern uint64_t tb_freq; /* ticks per second, from the device tree */

/* The largest positive value of the 32-bit DEC and HDEC: "not soon". */
#define DEC_PARKED 0x7fffffffull

void timebase_init(uint64_t freq);
uint64_t tb_now(void);
/* Sets this thread's timebase (a hypervisor privilege). */
void timebase_set(uint64_t tb);
uint64_t tb_to_us(uint64_t ticks);
uint64_t us_to_tb(uint64_t us);
void udelay(uint64_t us);
/* This thread's DEC as a signed count: 32 bits, or 56 with LPCR[LD] (the
 * large decrementer, which guests get), as the current LPCR says. */
int64_t dec_read(void);
/* Sets DEC to ticks, clamped to what the current mode can hold. */
void dec_write(int64_t ticks);
/* The timebase value at which this thread's DEC reaches 0. */
uint64_t dec_expiry(void);

#endif
