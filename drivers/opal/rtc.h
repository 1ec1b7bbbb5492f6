/* Wall-clock time from the firmware's real-time clock (OPAL_RTC_READ). */
#ifndef DRIVERS_OPAL_RTC_H
#define DRIVERS_OPAL_RTC_H

#include "hv/lib/calendar.h"

/* Reads the RTC; 0, or -1 when firmware has none. Slow: under QEMU each
 * read is an IPMI exchange with the simulated BMC (about 200 ms). */
int rtc_read(struct rtc_time *t);
/* The wall clock: the RTC read once (the first call, or rtc_anchor() at
 * boot) and carried on by the timebase; 0, or -1 without an RTC. */
int rtc_now(struct rtc_time *t);
void rtc_anchor(void);

#endif
