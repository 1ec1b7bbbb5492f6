#include "drivers/timebase.h"
#include "arch/spr.h"

uint64_t tb_freq;

void timebase_init(uint64_t freq)
{
	tb_freq = freq;
}

uint64_t tb_now(void)
{
	return mftb();
}

uint64_t tb_to_us(uint64_t t)
{
	return t / (tb_freq / 1000000);
}

uint64_t us_to_tb(uint64_t us)
{
	return us * (tb_freq / 1000000);
}

uint64_t dec_expiry(void)
{
	return tb_now() + (uint64_t)(int64_t)(int32_t)mfspr(SPR_DEC);
}

void udelay(uint64_t us)
{
	uint64_t end = mftb() + us_to_tb(us);
	while ((int64_t)(mftb() - end) < 0)
		cpu_relax();
}
