/*
 * Processor-level hcalls: idling and yielding (H_CEDE, H_CONFER, H_PROD),
 * per-vCPU registers (H_SET_SPRG0, H_SET_DABR, H_SET_XDABR, H_SET_MODE),
 * H_PAGE_INIT, H_RANDOM, H_REGISTER_VPA and H_GET_CPU_CHARACTERISTICS.
 * Semantics follow QEMU's pseries machine (hw/ppc/spapr_hcall.c).
 */
#include <string.h>
#include "hcall/hcall.h"
#include "hcall/papr.h"
#include "hv/partition.h"
#include "hv/sched.h"
#include "hv/timer.h"
#include "arch/spr.h"

static struct vcpu *vcpu_by_id(struct partition *p, uint64_t id)
{
	return id < p->nvcpus ? &p->vcpus[id] : 0;
}

/* Idles until prodded, an interrupt or the decrementer; returns with MSR[EE] = 1. */
long h_cede(struct vcpu *v)
{
	v->msr |= MSR_EE;
	v->dec_expires = dec_expiry();
	if (v->prodded)
		v->prodded = false;
	else
		v->state = VCPU_CEDED;
	return H_SUCCESS;
}

long h_confer(struct vcpu *v)
{
	int64_t target = (int64_t)v->gpr[4];
	if (target != -1 && !vcpu_by_id(v->part, (uint64_t)target))
		return H_PARAMETER;
	v->slices++;            /* the scheduler's round robin moves on */
	return H_SUCCESS;
}

long h_prod(struct vcpu *v)
{
	struct vcpu *t = vcpu_by_id(v->part, v->gpr[4]);
	if (!t)
		return H_PARAMETER;
	sched_wake(t);
	sched_kick(t);
	return H_SUCCESS;
}

long h_set_sprg0(struct vcpu *v)
{
	mtspr(SPR_SPRG0, v->gpr[4]);
	return H_SUCCESS;
}

/* No DABR on POWER9: a DABR watchpoint becomes the equivalent DAWR0 one, as KVM does. */
#define DABR_DATA_READ   1ull
#define DABR_DATA_WRITE  2ull
#define DABR_TRANSLATION 4ull
#define DABRX_USER       1ull
#define DABRX_KERNEL     2ull
#define DAWRX_USER       (1ull << 0)
#define DAWRX_KERNEL     (1ull << 1)
#define DAWRX_WT         (1ull << 4)
#define DAWRX_DR         (1ull << 5)
#define DAWRX_DW         (1ull << 6)
#define DAWRX_HYP        (1ull << 2)

static long set_xdabr(uint64_t dabr, uint64_t dabrx)
{
	if (dabrx & ~(DABRX_USER | DABRX_KERNEL))
		return H_PARAMETER;
	uint64_t dawrx = 0;
	if (dabr & (DABR_DATA_READ | DABR_DATA_WRITE)) {
		dawrx = ((dabr & DABR_DATA_READ) ? DAWRX_DR : 0) | ((dabr & DABR_DATA_WRITE) ? DAWRX_DW : 0) |
			((dabr & DABR_TRANSLATION) ? DAWRX_WT : 0) |
			((dabrx & DABRX_USER) ? DAWRX_USER : 0) | ((dabrx & DABRX_KERNEL) ? DAWRX_KERNEL : 0);
	}
	mtspr(SPR_DAWR0, dabr & ~7ull);
	mtspr(SPR_DAWRX0, dawrx);
	return H_SUCCESS;
}

long h_set_dabr(struct vcpu *v)
{
	return set_xdabr(v->gpr[4], DABRX_USER | DABRX_KERNEL);
}

long h_set_xdabr(struct vcpu *v)
{
	return set_xdabr(v->gpr[4], v->gpr[5]);
}

long h_page_init(struct vcpu *v)
{
	struct partition *p = v->part;
	uint64_t flags = v->gpr[4], dst = v->gpr[5], src = v->gpr[6];
	if (flags & ~(H_ICACHE_SYNCHRONIZE | H_ICACHE_INVALIDATE | H_COPY_PAGE | H_ZERO_PAGE))
		return H_PARAMETER;
	void *d = guest_ptr(p, dst, 4096);
	if ((dst & 4095) || !d)
		return H_PARAMETER;
	if (flags & H_COPY_PAGE) {
		void *s = guest_ptr(p, src, 4096);
		if ((src & 4095) || !s)
			return H_PARAMETER;
		memmove(d, s, 4096);
	} else if (flags & H_ZERO_PAGE) {
		memset(d, 0, 4096);
	}
	if (flags & (H_ICACHE_SYNCHRONIZE | H_ICACHE_INVALIDATE))
		p->hpt.icache_sync(p, (uint64_t)(uintptr_t)d, 4096);
	return H_SUCCESS;
}

/* POWER9's darn gives conditioned random numbers; all ones means it failed. */
long h_random(struct vcpu *v)
{
	for (int i = 0; i < 16; i++) {
		uint64_t r;
		__asm__ volatile("darn %0,1" : "=r"(r));
		if (r != ~0ull) {
			v->gpr[4] = r;
			return H_SUCCESS;
		}
	}
	return H_HARDWARE;
}

#define VPA_FLAGS_MASK         (7ull << 45)
#define VPA_REGISTER           (1ull << 45)
#define VPA_REGISTER_DTL       (2ull << 45)
#define VPA_REGISTER_SLBSHADOW (3ull << 45)
#define VPA_DEREGISTER         (5ull << 45)
#define VPA_DEREGISTER_DTL     (6ull << 45)
#define VPA_DEREGISTER_SLBSHADOW (7ull << 45)
#define VPA_MIN_SIZE           640
#define VPA_SHARED_PROC        0x9      /* byte: bit 0x2 = shared processor */
#define DTL_MIN_SIZE           48
#define SLB_SHADOW_MIN_SIZE    8

static uint64_t be_u16(const void *p) { const uint8_t *b = p; return (uint64_t)b[0] << 8 | b[1]; }
static uint64_t be_u32(const void *p) { const uint8_t *b = p; return be_u16(b) << 16 | be_u16(b + 2); }

/* Each area states its size at offset 4 and must lie in one 4 KiB page (the VPA, the SLB shadow) or in memory (the DTL). */
static long check_area(struct partition *p, uint64_t addr, uint64_t min, int is_vpa, int one_page, uint64_t *size)
{
	if (addr == 0)
		return H_HARDWARE;
	if (is_vpa && (addr % 128))
		return H_PARAMETER;
	const uint8_t *hdr = guest_ptr(p, addr, 8);
	if (!hdr)
		return H_PARAMETER;
	*size = is_vpa ? be_u16(hdr + 4) : be_u32(hdr + 4);
	if (*size < min)
		return H_PARAMETER;
	if (one_page && (addr / 4096) != ((addr + *size - 1) / 4096))
		return H_PARAMETER;
	if (!guest_ptr(p, addr, *size))
		return H_PARAMETER;
	return H_SUCCESS;
}

long h_register_vpa(struct vcpu *v)
{
	struct partition *p = v->part;
	uint64_t flags = v->gpr[4], addr = v->gpr[6], size = 0;
	struct vcpu *t = vcpu_by_id(p, v->gpr[5]);
	if (!t)
		return H_PARAMETER;
	long rc;
	switch (flags & VPA_FLAGS_MASK) {
	case VPA_REGISTER:
		if ((rc = check_area(p, addr, VPA_MIN_SIZE, 1, 1, &size)))
			return rc;
		t->vpa = addr;
		t->vpa_size = size;
		*(uint8_t *)guest_ptr(p, addr + VPA_SHARED_PROC, 1) |= 0x2;
		return H_SUCCESS;
	case VPA_REGISTER_DTL:
		if ((rc = check_area(p, addr, DTL_MIN_SIZE, 0, 0, &size)))
			return rc;
		if (!t->vpa)
			return H_RESOURCE;
		t->dtl = addr;
		t->dtl_size = size;
		return H_SUCCESS;
	case VPA_REGISTER_SLBSHADOW:
		if ((rc = check_area(p, addr, SLB_SHADOW_MIN_SIZE, 0, 1, &size)))
			return rc;
		if (!t->vpa)
			return H_RESOURCE;
		t->slb_shadow = addr;
		t->slb_shadow_size = size;
		return H_SUCCESS;
	case VPA_DEREGISTER:
		if (t->slb_shadow || t->dtl)
			return H_RESOURCE;
		t->vpa = t->vpa_size = 0;
		return H_SUCCESS;
	case VPA_DEREGISTER_DTL:
		t->dtl = t->dtl_size = 0;
		return H_SUCCESS;
	case VPA_DEREGISTER_SLBSHADOW:
		t->slb_shadow = t->slb_shadow_size = 0;
		return H_SUCCESS;
	}
	return H_PARAMETER;
}

#define SET_MODE_CIABR        1
#define SET_MODE_DAWR0        2
#define SET_MODE_ADDR_TRANS   3
#define SET_MODE_LE           4

long h_set_mode(struct vcpu *v)
{
	struct partition *p = v->part;
	uint64_t mflags = v->gpr[4], resource = v->gpr[5], v1 = v->gpr[6], v2 = v->gpr[7];
	switch (resource) {
	case SET_MODE_CIABR:
		if (mflags)
			return H_UNSUPPORTED_FLAG;
		if (v2)
			return H_P4;
		if ((v1 & 3) == 3)      /* hypervisor privilege */
			return H_P3;
		mtspr(SPR_CIABR, v1);
		return H_SUCCESS;
	case SET_MODE_DAWR0:
		if (mflags)
			return H_UNSUPPORTED_FLAG;
		if (v2 & DAWRX_HYP)
			return H_P4;
		mtspr(SPR_DAWR0, v1);
		mtspr(SPR_DAWRX0, v2);
		return H_SUCCESS;
	case SET_MODE_ADDR_TRANS:
		/* POWER9 does not apply LPCR[AIL] to interrupts of a hashed-page-table
		 * guest (they arrive in real mode, scv at 0x17000), so only AIL 0 is
		 * honest; the guest then runs without relocation-on interrupts or scv. */
		if (v1)
			return H_P3;
		if (v2)
			return H_P4;
		if (mflags != 0)
			return H_UNSUPPORTED_FLAG;
		return H_SUCCESS;
	case SET_MODE_LE:
		if (v1)
			return H_P3;
		if (v2)
			return H_P4;
		if (mflags > 1)
			return H_UNSUPPORTED_FLAG;
		p->lpcr = mflags ? (p->lpcr | LPCR_ILE) : (p->lpcr & ~LPCR_ILE);
		mtspr(SPR_LPCR, p->lpcr);
		isync();
		return H_SUCCESS;
	}
	return H_P2;
}

/*
 * H_REGISTER_PROC_TBL: a hash guest on ISA 3.0 registers "hash MMU with
 * SLB, no process table". Radix and hash-with-process-table are not
 * offered (ibm,pa-features says so), as QEMU does without those caps.
 */
#define PROC_TBL_MASK      0x1full
#define PROC_TBL_MODIFY    0x10ull
#define PROC_TBL_REGISTER  0x08ull
#define PROC_TBL_RADIX     0x04ull
#define PROC_TBL_HASH_PT   0x02ull
#define PROC_TBL_GTSE      0x01ull

long h_register_proc_tbl(struct vcpu *v)
{
	struct partition *p = v->part;
	uint64_t flags = v->gpr[4], table = v->gpr[5];
	if (flags & ~PROC_TBL_MASK)
		return H_PARAMETER;
	if (!(flags & PROC_TBL_MODIFY))
		return H_SUCCESS;           /* nothing to change */
	if (flags & PROC_TBL_REGISTER) {
		if (flags & (PROC_TBL_RADIX | PROC_TBL_HASH_PT))
			return H_NOT_AVAILABLE;
		if (table)
			return H_PARAMETER;     /* hash with SLB has no table */
	}
	p->lpcr = (flags & PROC_TBL_GTSE) ? (p->lpcr | LPCR_GTSE) : (p->lpcr & ~LPCR_GTSE);
	mtspr(SPR_LPCR, p->lpcr);
	isync();
	return H_SUCCESS;
}

/* A POWER9 with the speculation workarounds in firmware, as QEMU reports with its workaround caps. */
#define CHAR_SPEC_BAR_ORI31    (1ull << 63)
#define CHAR_BCCTRL_SERIALISED (1ull << 62)
#define CHAR_L1D_FLUSH_ORI30   (1ull << 61)
#define CHAR_L1D_FLUSH_TRIG2   (1ull << 60)
#define BEHAV_FAVOUR_SECURITY  (1ull << 63)
#define BEHAV_L1D_FLUSH_PR     (1ull << 62)
#define BEHAV_BNDS_CHK_SPEC_BAR (1ull << 61)

long h_get_cpu_characteristics(struct vcpu *v)
{
	v->gpr[4] = CHAR_SPEC_BAR_ORI31 | CHAR_BCCTRL_SERIALISED | CHAR_L1D_FLUSH_ORI30 | CHAR_L1D_FLUSH_TRIG2;
	v->gpr[5] = BEHAV_FAVOUR_SECURITY | BEHAV_L1D_FLUSH_PR | BEHAV_BNDS_CHK_SPEC_BAR;
	return H_SUCCESS;
}
