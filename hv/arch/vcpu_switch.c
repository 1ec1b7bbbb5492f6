#include "hv/arch/vcpu_switch.h"
#include "drivers/timebase.h"
#include "arch/mmu.h"
#include "arch/spr.h"

void vcpu_load(struct vcpu *v, uint32_t lpid, uint64_t lpcr)
{
	mtspr(SPR_LPIDR, lpid);
	mtspr(SPR_LPCR, lpcr);
	isync();
	mtspr(SPR_SRR0, v->srr0);
	mtspr(SPR_SRR1, v->srr1);
	mtspr(SPR_SPRG0, v->sprg[0]);
	mtspr(SPR_SPRG1, v->sprg[1]);
	mtspr(SPR_SPRG2, v->sprg[2]);
	mtspr(SPR_SPRG3, v->sprg[3]);
	mtspr(SPR_DAR, v->dar);
	mtspr(SPR_DSISR, v->dsisr);
	mtspr(SPR_AMR, v->amr);
	mtspr(SPR_PIDR, v->pidr);
	mtspr(SPR_DAWR0, v->dawr0);
	mtspr(SPR_DAWRX0, v->dawrx0);
	mtspr(SPR_CIABR, v->ciabr);
	int64_t dec = (int64_t)(v->dec_expires - tb_now());
	mtspr(SPR_DEC, dec < INT32_MIN ? (uint64_t)-1 : (dec > INT32_MAX ? INT32_MAX : (uint64_t)dec));
	slb_invalidate_all();
	for (unsigned int i = 0; i < v->slb_max; i++)
		slb_write(v->slb[i].esid, v->slb[i].vsid);
	isync();
}

void vcpu_put(struct vcpu *v)
{
	/* The next vCPU on this thread must not inherit a reservation: its
	 * stcx. could otherwise succeed on a word this one reserved. */
	reservation_clear();
	v->srr0 = mfspr(SPR_SRR0);
	v->srr1 = mfspr(SPR_SRR1);
	v->sprg[0] = mfspr(SPR_SPRG0);
	v->sprg[1] = mfspr(SPR_SPRG1);
	v->sprg[2] = mfspr(SPR_SPRG2);
	v->sprg[3] = mfspr(SPR_SPRG3);
	v->dar = mfspr(SPR_DAR);
	v->dsisr = mfspr(SPR_DSISR);
	v->amr = mfspr(SPR_AMR);
	v->pidr = mfspr(SPR_PIDR);
	v->dawr0 = mfspr(SPR_DAWR0);
	v->dawrx0 = mfspr(SPR_DAWRX0);
	v->ciabr = mfspr(SPR_CIABR);
	v->dec_expires = dec_expiry();
	v->slb_max = 0;
	for (uint64_t i = 0; i < SLB_ENTRIES; i++) {
		uint64_t esid = slb_read_esid(i);
		if (!(esid & SLB_ESID_V))
			continue;
		v->slb[v->slb_max].esid = (esid & ~0xfffull) | i;
		v->slb[v->slb_max].vsid = slb_read_vsid(i);
		v->slb_max++;
	}
	slb_invalidate_all();
	/* The hypervisor's own partition context while no guest is loaded. */
	mtspr(SPR_LPIDR, 0);
	isync();
}
