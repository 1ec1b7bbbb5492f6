/*
 * How the vCPU runs: H_SET_MODE (CIABR, DAWR0, interrupt endianness,
 * address translation mode), H_REGISTER_PROC_TBL, H_SET_SPRG0 and
 * H_GET_CPU_CHARACTERISTICS. Semantics follow QEMU's pseries machine.
 */
#include "hcall/hcall.h"
#include "hv/partition.h"
#include "arch/spr.h"

static long h_set_sprg0(struct vcpu *v)
{
	mtspr(SPR_SPRG0, v->gpr[4]);
	return H_SUCCESS;
}
HCALL(H_SET_SPRG0, h_set_sprg0, 0);

#define SET_MODE_CIABR      1
#define SET_MODE_DAWR0      2
#define SET_MODE_ADDR_TRANS 3
#define SET_MODE_LE         4

static long h_set_mode(struct vcpu *v)
{
	struct partition *p = v->part;
	uint64_t mflags = v->gpr[4], resource = v->gpr[5], v1 = v->gpr[6], v2 = v->gpr[7];
	switch (resource) {
	case SET_MODE_CIABR:
		if (mflags)
			return H_UNSUPPORTED_FLAG;
		if (v2)
			return H_P4;
		if ((v1 & 3) == 3) /* hypervisor privilege */
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
		partition_set_lpcr(p, LPCR_ILE, mflags ? LPCR_ILE : 0);
		return H_SUCCESS;
	}
	return H_P2;
}
HCALL(H_SET_MODE, h_set_mode, 0);

/*
 * H_REGISTER_PROC_TBL: a hash guest on ISA 3.0 registers "hash MMU with
 * SLB, no process table". Radix and hash-with-process-table are not
 * offered (ibm,pa-features says so), as QEMU does without those caps, and
 * neither is GTSE (guest tlbie), which only a radix guest may have.
 */
#define PROC_TBL_MASK     0x1full
#define PROC_TBL_MODIFY   0x10ull
#define PROC_TBL_REGISTER 0x08ull
#define PROC_TBL_RADIX    0x04ull
#define PROC_TBL_HASH_PT  0x02ull
#define PROC_TBL_GTSE     0x01ull

static long h_register_proc_tbl(struct vcpu *v)
{
	struct partition *p = v->part;
	uint64_t flags = v->gpr[4], table = v->gpr[5];
	if (flags & ~PROC_TBL_MASK)
		return H_PARAMETER;
	if (!(flags & PROC_TBL_MODIFY))
		return H_SUCCESS; /* nothing to change */
	if (flags & PROC_TBL_REGISTER) {
		if (flags & (PROC_TBL_RADIX | PROC_TBL_HASH_PT))
			return H_NOT_AVAILABLE;
		if (table)
			return H_PARAMETER; /* hash with SLB has no table */
	}
	if (flags & PROC_TBL_GTSE)
		return H_PARAMETER;
	(void)p;
	return H_SUCCESS;
}
HCALL(H_REGISTER_PROC_TBL, h_register_proc_tbl, 0);

/* A POWER9 with the speculation workarounds in firmware, as QEMU reports with its workaround caps. */
#define CHAR_SPEC_BAR_ORI31     (1ull << 63)
#define CHAR_BCCTRL_SERIALISED  (1ull << 62)
#define CHAR_L1D_FLUSH_ORI30    (1ull << 61)
#define CHAR_L1D_FLUSH_TRIG2    (1ull << 60)
#define BEHAV_FAVOUR_SECURITY   (1ull << 63)
#define BEHAV_L1D_FLUSH_PR      (1ull << 62)
#define BEHAV_BNDS_CHK_SPEC_BAR (1ull << 61)

static long h_get_cpu_characteristics(struct vcpu *v)
{
	v->gpr[4] = CHAR_SPEC_BAR_ORI31 | CHAR_BCCTRL_SERIALISED | CHAR_L1D_FLUSH_ORI30 | CHAR_L1D_FLUSH_TRIG2;
	v->gpr[5] = BEHAV_FAVOUR_SECURITY | BEHAV_L1D_FLUSH_PR | BEHAV_BNDS_CHK_SPEC_BAR;
	return H_SUCCESS;
}
HCALL(H_GET_CPU_CHARACTERISTICS, h_get_cpu_characteristics, 0);
