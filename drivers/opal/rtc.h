/* Wall-clock time from the firmware's real-time clock (OPAL_RTC_READ). */
#ifndef DRIVERS_OPAL_RTC_H
#define DRIVERS_OPAL_RTC_H

#include "hv/lib/calendar.h"

/* Reads the RTC; 0, or -1 when firmware has none. */
int rtc_read(struct rtc_time *t);

#endif
