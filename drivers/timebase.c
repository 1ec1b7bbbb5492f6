#include "drivers/timebase.h"
#include "arch/spr.h"

uint64_t tb_freq;
static uint64_t tb_per_us; /* so that us_to_tb(), on every guest entry, does not divide */

void timebase_init(uint64_t freq)
{
	tb_freq = freq;
	tb_per_us = freq / 1000000;
}

uint64_t tb_now(void)
{
	return mftb();
}

void timebase_set(uint64_t tb)
{
	mtspr(SPR_TBL_W, 0); /* so that TBL cannot carry into TBU in between */
	mtspr(SPR_TBU_W, tb >> 32);
	mtspr(SPR_TBL_W, (uint32_t)tb);
}

uint64_t tb_to_us(uint64_t t)
{
	return t / tb_per_us;
}

uint64_t us_to_tb(uint64_t us)
{
	return us * tb_per_us;
}

#define LARGE_DEC_MAX ((1ll << 55) - 1) /* 56-bit signed: ibm,dec-bits = 56 */

int64_t dec_read(void)
{
	uint64_t dec = mfspr(SPR_DEC);
	if (mfspr(SPR_LPCR) & LPCR_LD)
		return (int64_t)(dec << 8) >> 8; /* sign-extend from 56 bits */
	return (int32_t)dec;
}

void dec_write(int64_t ticks)
{
	int64_t max = (mfspr(SPR_LPCR) & LPCR_LD) ? LARGE_DEC_MAX : INT32_MAX;
	if (ticks > max)
		ticks = max;
	if (ticks < -max - 1)
		ticks = -1; /* long expired: still pending */
	mtspr(SPR_DEC, (uint64_t)ticks);
}

uint64_t dec_expiry(void)
{
	return tb_now() + (uint64_t)dec_read();
}

void udelay(uint64_t us)
{
	uint64_t end = mftb() + us_to_tb(us);
	while ((int64_t)(mftb() - end) < 0)
		cpu_relax();
}
