/* The page-frame-table hcalls: argument marshalling and the partition's HPT lock. */
#include "hcall/hcall.h"
#include "hv/partition.h"
#include "hv/arch/page_prep_hw.h"

/* A page to zero or to sync with the icache is prepared first, outside the
 * lock and in chunks: when this vCPU's slice runs out in the middle, the
 * hcall restarts and continues after the others on the thread had theirs. */
static long h_enter(struct vcpu *v)
{
	struct partition *p = v->part;
	uint64_t slot = 0;
	if (v->gpr[4] & PAGE_PREP_FLAGS) {
		uint64_t host = 0, size = 0;
		spin_lock(&p->hpt_lock);
		long rc = hpt_h_enter_page(&p->hpt, v->gpr[4], v->gpr[5], v->gpr[6], v->gpr[7], &host, &size);
		spin_unlock(&p->hpt_lock);
		if (rc != H_SUCCESS)
			return rc;
		if (!page_prep_run(&v->page_prep, host, size, v->gpr[4], &page_prep_hw))
			return hcall_restart(v);
	}
	spin_lock(&p->hpt_lock);
	long rc = hpt_h_enter(&p->hpt, v->gpr[4], v->gpr[5], v->gpr[6], v->gpr[7], &slot);
	spin_unlock(&p->hpt_lock);
	if (rc == H_SUCCESS)
		v->gpr[4] = slot;
	return rc;
}
HCALL(H_ENTER, h_enter, 0);

static long h_remove(struct vcpu *v)
{
	struct partition *p = v->part;
	uint64_t pteh = 0, ptel = 0;
	spin_lock(&p->hpt_lock);
	long rc = hpt_h_remove(&p->hpt, v->gpr[4], v->gpr[5], v->gpr[6], &pteh, &ptel);
	spin_unlock(&p->hpt_lock);
	if (rc == H_SUCCESS) {
		v->gpr[4] = pteh;
		v->gpr[5] = ptel;
	}
	return rc;
}
HCALL(H_REMOVE, h_remove, 0);

static long h_protect(struct vcpu *v)
{
	struct partition *p = v->part;
	spin_lock(&p->hpt_lock);
	long rc = hpt_h_protect(&p->hpt, v->gpr[4], v->gpr[5], v->gpr[6]);
	spin_unlock(&p->hpt_lock);
	return rc;
}
HCALL(H_PROTECT, h_protect, 0);

static long h_read(struct vcpu *v)
{
	struct partition *p = v->part;
	uint64_t out[8];
	spin_lock(&p->hpt_lock);
	long rc = hpt_h_read(&p->hpt, v->gpr[4], v->gpr[5], out);
	spin_unlock(&p->hpt_lock);
	if (rc == H_SUCCESS) {
		int n = (v->gpr[4] & H_READ_4) ? 8 : 2;
		for (int i = 0; i < n; i++)
			v->gpr[4 + i] = out[i];
	}
	return rc;
}
HCALL(H_READ, h_read, 0);

static long h_bulk_remove(struct vcpu *v)
{
	struct partition *p = v->part;
	spin_lock(&p->hpt_lock);
	long rc = hpt_h_bulk_remove(&p->hpt, &v->gpr[4]);
	spin_unlock(&p->hpt_lock);
	return rc;
}
HCALL(H_BULK_REMOVE, h_bulk_remove, 0);

static long h_clear_ref(struct vcpu *v)
{
	struct partition *p = v->part;
	uint64_t ptel = 0;
	spin_lock(&p->hpt_lock);
	long rc = hpt_h_clear_ref(&p->hpt, v->gpr[4], v->gpr[5], &ptel);
	spin_unlock(&p->hpt_lock);
	if (rc == H_SUCCESS)
		v->gpr[4] = ptel;
	return rc;
}
HCALL(H_CLEAR_REF, h_clear_ref, 0);

static long h_clear_mod(struct vcpu *v)
{
	struct partition *p = v->part;
	uint64_t ptel = 0;
	spin_lock(&p->hpt_lock);
	long rc = hpt_h_clear_mod(&p->hpt, v->gpr[4], v->gpr[5], &ptel);
	spin_unlock(&p->hpt_lock);
	if (rc == H_SUCCESS)
		v->gpr[4] = ptel;
	return rc;
}
HCALL(H_CLEAR_MOD, h_clear_mod, 0);
