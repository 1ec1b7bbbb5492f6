/* RTAS get-time-of-day and set-time-of-day: the firmware clock (read once,
 * carried on by the timebase: drivers/opal/rtc.h), moved per partition. */
#include "hcall/hcall.h"
#include "drivers/opal/rtc.h"
#include "hv/papr/rtas.h"
#include "hv/partition.h"

/* -> status, year, month, day, hour, minute, second, ns */
static int32_t rtas_get_time_of_day(struct vcpu *v, struct rtas_args *a)
{
	struct rtc_time t;
	if (rtc_now(&t))
		return RTAS_HW_ERROR;
	rtc_from_epoch(rtc_to_epoch(&t) + v->part->rtc_offset, &t);
	uint32_t f[7] = { t.year, t.month, t.day, t.hour, t.minute, t.second, t.nanosecond };
	for (int i = 0; i < 7; i++)
		rtas_ret(a, 1 + i, f[i]);
	return RTAS_OK;
}
RTAS_SERVICE(get_time_of_day, "get-time-of-day", 0x200c, 0, 8, rtas_get_time_of_day);

/* (year, month, day, hour, minute, second, ns): this partition's clock only */
static int32_t rtas_set_time_of_day(struct vcpu *v, struct rtas_args *a)
{
	struct rtc_time now, want = {
		rtas_arg(a, 0), rtas_arg(a, 1), rtas_arg(a, 2), rtas_arg(a, 3), rtas_arg(a, 4), rtas_arg(a, 5), 0
	};
	if (want.month < 1 || want.month > 12 || want.day < 1 || want.day > 31 || want.hour > 23 || want.minute > 59 ||
	    want.second > 60)
		return RTAS_PARAM_ERROR;
	if (rtc_now(&now))
		return RTAS_HW_ERROR;
	v->part->rtc_offset = rtc_to_epoch(&want) - rtc_to_epoch(&now);
	return RTAS_OK;
}
RTAS_SERVICE(set_time_of_day, "set-time-of-day", 0x200d, 7, 1, rtas_set_time_of_day);
