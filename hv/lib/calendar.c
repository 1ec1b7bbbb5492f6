/* Civil date <-> days since 1970-01-01 (Howard Hinnant's algorithm, restated). */
#include "hv/lib/calendar.h"

static int64_t days_from_civil(int64_t y, uint32_t m, uint32_t d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	uint64_t yoe = (uint64_t)(y - era * 400);
	uint64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	uint64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int64_t rtc_to_epoch(const struct rtc_time *t)
{
	return days_from_civil(t->year, t->month, t->day) * 86400 + t->hour * 3600 + t->minute * 60 + t->second;
}

void rtc_from_epoch(int64_t secs, struct rtc_time *t)
{
	int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
	int64_t rem = secs - days * 86400;
	days += 719468;
	int64_t era = (days >= 0 ? days : days - 146096) / 146097;
	uint64_t doe = (uint64_t)(days - era * 146097);
	uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	uint64_t mp = (5 * doy + 2) / 153;
	t->day = (uint32_t)(doy - (153 * mp + 2) / 5 + 1);
	t->month = (uint32_t)(mp < 10 ? mp + 3 : mp - 9);
	t->year = (uint32_t)((int64_t)yoe + era * 400 + (t->month <= 2));
	t->hour = (uint32_t)(rem / 3600);
	t->minute = (uint32_t)(rem % 3600 / 60);
	t->second = (uint32_t)(rem % 60);
	t->nanosecond = 0;
}
