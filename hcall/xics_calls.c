/*
 * The XICS hcalls. A change that presents an interrupt to another vCPU
 * wakes or kicks it; one that presents an interrupt to the caller ends the
 * fast path so the run loop delivers it before the guest resumes.
 */
#include "hcall/hcall.h"
#include "hv/partition.h"
#include "drivers/timebase.h"

static long after(struct vcpu *v, unsigned int server, long rc)
{
	struct partition *p = v->part;
	if (rc != H_SUCCESS || !xics_pending(&p->xics, server))
		return rc;
	if (server == v->id)
		v->hcall_done = true; /* ask for a full exit: deliver now */
	else
		vcpu_kick(&p->vcpus[server]);
	return rc;
}

static long h_xirr(struct vcpu *v)
{
	struct partition *p = v->part;
	spin_lock(&p->xics_lock);
	long rc = xics_h_xirr(&p->xics, v->id, &v->gpr[4]);
	spin_unlock(&p->xics_lock);
	return rc;
}
HCALL(H_XIRR, h_xirr, 0);

static long h_xirr_x(struct vcpu *v)
{
	long rc = h_xirr(v);
	v->gpr[5] = tb_now();
	return rc;
}
HCALL(H_XIRR_X, h_xirr_x, 0);

static long h_ipoll(struct vcpu *v)
{
	struct partition *p = v->part;
	if (v->gpr[4] >= p->nvcpus)
		return H_PARAMETER;
	spin_lock(&p->xics_lock);
	long rc = xics_h_ipoll(&p->xics, (unsigned int)v->gpr[4], &v->gpr[4], &v->gpr[5]);
	spin_unlock(&p->xics_lock);
	return rc;
}
HCALL(H_IPOLL, h_ipoll, 0);

static long h_cppr(struct vcpu *v)
{
	struct partition *p = v->part;
	spin_lock(&p->xics_lock);
	long rc = xics_h_cppr(&p->xics, v->id, v->gpr[4] & 0xff);
	spin_unlock(&p->xics_lock);
	return after(v, v->id, rc);
}
HCALL(H_CPPR, h_cppr, 0);

static long h_eoi(struct vcpu *v)
{
	struct partition *p = v->part;
	spin_lock(&p->xics_lock);
	long rc = xics_h_eoi(&p->xics, v->id, v->gpr[4]);
	spin_unlock(&p->xics_lock);
	return after(v, v->id, rc);
}
HCALL(H_EOI, h_eoi, 0);

static long h_ipi(struct vcpu *v)
{
	struct partition *p = v->part;
	uint64_t server = v->gpr[4];
	if (server >= p->nvcpus)
		return H_PARAMETER;
	spin_lock(&p->xics_lock);
	long rc = xics_h_ipi(&p->xics, (unsigned int)server, v->gpr[5] & 0xff);
	spin_unlock(&p->xics_lock);
	return after(v, (unsigned int)server, rc);
}
HCALL(H_IPI, h_ipi, 0);
