#include "hv/arch/vcpu_switch.h"
#include "drivers/timebase.h"
#include "arch/mmu.h"
#include "arch/spr.h"

/* One list for both directions, so that saving and loading cannot drift apart. */
/* clang-format off */
#define SWITCHED_SPRS(X) \
	X(SPR_SRR0, srr0) \
	X(SPR_SRR1, srr1) \
	X(SPR_SPRG0, sprg[0]) \
	X(SPR_SPRG1, sprg[1]) \
	X(SPR_SPRG2, sprg[2]) \
	X(SPR_SPRG3, sprg[3]) \
	X(SPR_DAR, dar) \
	X(SPR_DSISR, dsisr) \
	X(SPR_AMR, amr) \
	X(SPR_IAMR, iamr) \
	X(SPR_UAMOR, uamor) \
	X(SPR_PIDR, pidr) \
	X(SPR_DAWR0, dawr0) \
	X(SPR_DAWRX0, dawrx0) \
	X(SPR_CIABR, ciabr) \
	X(SPR_DSCR, dscr) \
	X(SPR_TAR, tar) \
	X(SPR_FSCR, fscr) \
	X(SPR_VRSAVE, vrsave) \
	X(SPR_TIDR, tidr) \
	X(SPR_WORT, wort) \
	X(SPR_ACOP, acop) \
	X(SPR_PSPB, pspb) \
	X(SPR_EBBHR, ebbhr) \
	X(SPR_EBBRR, ebbrr) \
	X(SPR_BESCR, bescr) \
	X(SPR_MMCR1, mmcr1) \
	X(SPR_MMCR2, mmcr2) \
	X(SPR_MMCRA, mmcra) \
	X(SPR_PMC1, pmc[0]) \
	X(SPR_PMC1 + 1, pmc[1]) \
	X(SPR_PMC1 + 2, pmc[2]) \
	X(SPR_PMC1 + 3, pmc[3]) \
	X(SPR_PMC1 + 4, pmc[4]) \
	X(SPR_PMC1 + 5, pmc[5]) \
	X(SPR_SIAR, siar) \
	X(SPR_SDAR, sdar) \
	X(SPR_SIER, sier) \
	X(SPR_PURR, purr) \
	X(SPR_SPURR, spurr)
/* clang-format on */

void vcpu_load(struct vcpu *v, uint32_t lpid, uint64_t lpcr)
{
	struct vcpu_sprs *s = &v->sprs;
	mtspr(SPR_LPIDR, lpid);
	mtspr(SPR_LPCR, lpcr);
	isync();
#define LOAD(spr, field) mtspr(spr, s->field);
	SWITCHED_SPRS(LOAD)
#undef LOAD
	mtspr(SPR_CTRL_W, s->ctrl);
	mtspr(SPR_MMCR0, s->mmcr0); /* last: the counters start with everything in place */
	vcpu_fp_load(&v->fp);
	dec_write((int64_t)(v->dec_expires - tb_now())); /* in the guest's DEC mode (LPCR[LD]) */
	slb_invalidate_all();
	for (unsigned int i = 0; i < v->slb_max; i++)
		slb_write(v->slb[i].esid, v->slb[i].vsid);
	isync();
	v->loaded = true;
}

void vcpu_put(struct vcpu *v, uint64_t hv_lpcr)
{
	struct vcpu_sprs *s = &v->sprs;
	/* The next vCPU on this thread must not inherit a reservation: its
	 * stcx. could otherwise succeed on a word this one reserved. */
	reservation_clear();
	s->mmcr0 = mfspr(SPR_MMCR0);
	mtspr(SPR_MMCR0, MMCR0_FC); /* first: nothing more counts for this guest */
	isync();
#define SAVE(spr, field) s->field = mfspr(spr);
	SWITCHED_SPRS(SAVE)
#undef SAVE
	s->ctrl = mfspr(SPR_CTRL_R);
	if (mfspr(SPR_DPDES)) { /* a real doorbell it rang (QEMU) is its own, not the next vCPU's */
		v->dpdes = 1;
		mtspr(SPR_DPDES, 0);
	}
	vcpu_fp_save(&v->fp);
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
	/* The hypervisor's own context while no guest is loaded: nothing of
	 * the guest's may wake or interrupt the thread. */
	mtspr(SPR_LPIDR, 0);
	mtspr(SPR_LPCR, hv_lpcr);
	isync();
	dec_write(DEC_PARKED);
	v->loaded = false;
}
