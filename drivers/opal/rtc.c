#include "drivers/opal/rtc.h"
#include "drivers/opal/opal.h"
#include "drivers/timebase.h"
#include "hv/lib/spinlock.h"

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

static struct spinlock anchor_lock = SPINLOCK_INIT;
static int anchor_state; /* 0 not read yet, 1 anchored, -1 no RTC */
static int64_t anchor_secs;
static uint32_t anchor_ns;
static uint64_t anchor_tb;

void rtc_anchor(void)
{
	spin_lock(&anchor_lock);
	if (!anchor_state) {
		struct rtc_time t;
		if (rtc_read(&t)) {
			anchor_state = -1;
		} else {
			anchor_tb = tb_now();
			anchor_secs = rtc_to_epoch(&t);
			anchor_ns = t.nanosecond;
			anchor_state = 1;
		}
	}
	spin_unlock(&anchor_lock);
}

int rtc_now(struct rtc_time *t)
{
	rtc_anchor();
	if (anchor_state < 0 || !tb_freq)
		return -1;
	uint64_t ticks = tb_now() - anchor_tb;
	/* Whole seconds first: ticks * 10^9 would overflow after 36 s. */
	uint64_t ns = anchor_ns + (ticks % tb_freq) * 1000000000ull / tb_freq;
	int64_t secs = anchor_secs + (int64_t)(ticks / tb_freq) + (int64_t)(ns / 1000000000ull);
	rtc_from_epoch(secs, t);
	t->nanosecond = (uint32_t)(ns % 1000000000ull);
	return 0;
}
