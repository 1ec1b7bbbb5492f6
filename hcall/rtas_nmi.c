/* RTAS ibm,nmi-register and ibm,nmi-interlock: firmware-assisted NMIs (hv/papr/fwnmi.h). */
#include "hcall/hcall.h"
#include "hv/papr/fwnmi.h"
#include "hv/papr/rtas.h"
#include "hv/partition.h"

/* (system-reset vector, machine-check vector): both below 32 MiB in memory, as QEMU pseries asks. */
static int32_t rtas_nmi_register(struct vcpu *v, struct rtas_args *a)
{
	struct partition *p = v->part;
	uint32_t sreset = rtas_arg(a, 0), mce = rtas_arg(a, 1);
	if (sreset >= FWNMI_ADDR_LIMIT || mce >= FWNMI_ADDR_LIMIT || sreset >= p->mem_size || mce >= p->mem_size)
		return RTAS_PARAM_ERROR;
	p->fwnmi_sreset = sreset;
	p->fwnmi_mce = mce;
	p->fwnmi = true;
	return RTAS_OK;
}
RTAS_SERVICE(nmi_register, "ibm,nmi-register", 0x2013, 2, 1, rtas_nmi_register);

/* The machine check is handled: the next one may come. Success also for a
 * vCPU that does not hold it (Linux calls it after a system reset too). */
static int32_t rtas_nmi_interlock(struct vcpu *v, struct rtas_args *a)
{
	(void)a;
	struct partition *p = v->part;
	if (!p->fwnmi)
		return RTAS_PARAM_ERROR;
	int mine = (int)v->id;
	__atomic_compare_exchange_n(&p->mce_interlock, &mine, -1, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
	return RTAS_OK;
}
RTAS_SERVICE(nmi_interlock, "ibm,nmi-interlock", 0x2014, 0, 1, rtas_nmi_interlock);
