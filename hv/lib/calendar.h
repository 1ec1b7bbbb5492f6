/* Wall-clock time from the firmware's real-time clock (OPAL). */
#ifndef HV_RTC_H
#define HV_RTC_H

#include <stdint.h>

struct rtc_time {
	uint32_t year, month, day, hour, minute, second, nanosecond;
};

/* Reads the RTC; 0, or -1 when firmware has none. */
int rtc_read(struct rtc_time *t);
/* Seconds since 1970 and back (proleptic Gregorian, UTC). Portable. */
int64_t rtc_to_epoch(const struct rtc_time *t);
void rtc_from_epoch(int64_t secs, struct rtc_time *t);

#endif
