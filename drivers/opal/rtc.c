#include "drivers/opal/rtc.h"
#include "drivers/opal/opal.h"

static uint32_t bcd(uint64_t v)
{
	return (uint32_t)((v >> 4) * 10 + (v & 0xf));
}

/* OPAL_RTC_READ gives y_m_d = YYYYMMDD and h_m_s_ms = HHMMSSmm.. in BCD. */
int rtc_read(struct rtc_time *t)
{
	uint32_t ymd = 0;
	uint64_t hmsm = 0;
	int64_t rc = OPAL_BUSY;
	for (int tries = 0; tries < 100000 && (rc == OPAL_BUSY || rc == OPAL_BUSY_EVENT); tries++) {
		rc = OPAL2(OPAL_RTC_READ, (uint64_t)&ymd, (uint64_t)&hmsm);
		if (rc == OPAL_BUSY || rc == OPAL_BUSY_EVENT)
			OPAL0(OPAL_POLL_EVENTS);
	}
	if (rc != OPAL_SUCCESS)
		return -1;
	t->year = bcd(ymd >> 24) * 100 + bcd((ymd >> 16) & 0xff);
	t->month = bcd((ymd >> 8) & 0xff);
	t->day = bcd(ymd & 0xff);
	t->hour = bcd(hmsm >> 56);
	t->minute = bcd((hmsm >> 48) & 0xff);
	t->second = bcd((hmsm >> 40) & 0xff);
	t->nanosecond = bcd((hmsm >> 32) & 0xff) * 10000000;
	return 0;
}
