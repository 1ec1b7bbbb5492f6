/* Calendar time and seconds since 1970 (proleptic Gregorian, UTC). Portable. */
#ifndef HV_LIB_CALENDAR_H
#define HV_LIB_CALENDAR_H

#include <stdint.h>

struct rtc_time {
	uint32_t year, month, day, hour, minute, second, nanosecond;
};

int64_t rtc_to_epoch(const struct rtc_time *t);
void rtc_from_epoch(int64_t secs, struct rtc_time *t);

#endif
