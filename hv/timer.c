#include "hv/timer.h"
#include "hv/cpu.h"
#include "arch/spr.h"

void timer_cpu_setup(void)
{
	mtspr(SPR_HDEC, DEC_PARKED);
	mtspr(SPR_DEC, DEC_PARKED);
	mtspr(SPR_LPCR, mfspr(SPR_LPCR) | LPCR_HDICE);
	isync();
}

void hdec_arm(uint64_t ticks)
{
	if (ticks > DEC_PARKED)
		ticks = DEC_PARKED;
	mtspr(SPR_HDEC, ticks);
}

void hdec_interrupt(void)
{
	struct cpu *c = this_cpu();
	mtspr(SPR_HDEC, DEC_PARKED); /* one-shot: the handler re-arms if it wants more */
	c->hdec_ticks++;
	if (c->hdec_handler)
		c->hdec_handler(c);
}
