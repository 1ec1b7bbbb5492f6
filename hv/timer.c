#include "hv/timer.h"
#include "hv/cpu.h"
#include "arch/spr.h"

#define HDEC_PARKED 0x7fffffffull   /* largest positive value in 32-bit mode */

uint64_t tb_freq;

void timer_init(uint64_t freq)
{
	tb_freq = freq;
}

void timer_cpu_setup(void)
{
	mtspr(SPR_HDEC, HDEC_PARKED);
	mtspr(SPR_DEC, HDEC_PARKED);
	mtspr(SPR_LPCR, mfspr(SPR_LPCR) | LPCR_HDICE);
	/* PMC5 counts completed instructions in every mode, for the benchmarks
	 * (the hypervisor does not otherwise use or switch the PMU yet). */
	mtspr(SPR_MMCR0, 0);
	mtspr(SPR_HFSCR, HFSCR_GUEST);
	isync();
}

uint64_t tb_now(void)           { return mftb(); }
uint64_t tb_to_us(uint64_t t)   { return t / (tb_freq / 1000000); }
uint64_t us_to_tb(uint64_t us)  { return us * (tb_freq / 1000000); }

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

void hdec_arm(uint64_t ticks)
{
	if (ticks > HDEC_PARKED)
		ticks = HDEC_PARKED;
	mtspr(SPR_HDEC, ticks);
}

void hdec_interrupt(void)
{
	struct cpu *c = this_cpu();
	mtspr(SPR_HDEC, HDEC_PARKED);   /* one-shot: the handler re-arms if it wants more */
	c->hdec_ticks++;
	if (c->hdec_handler)
		c->hdec_handler(c);
}
