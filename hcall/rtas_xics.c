/* RTAS ibm,set-xive, ibm,get-xive, ibm,int-off and ibm,int-on on the partition's XICS. */
#include "hcall/hcall.h"
#include "hv/papr/rtas.h"
#include "hv/partition.h"

/* (irq, server, priority) */
static int32_t rtas_set_xive(struct vcpu *v, struct rtas_args *a)
{
	struct partition *p = v->part;
	spin_lock(&p->xics_lock);
	int32_t status = xics_set_xive(&p->xics, rtas_arg(a, 0), rtas_arg(a, 1), rtas_arg(a, 2));
	spin_unlock(&p->xics_lock);
	return status;
}
RTAS_SERVICE(set_xive, "ibm,set-xive", 0x2008, 3, 1, rtas_set_xive);

/* (irq) -> status, server, priority */
static int32_t rtas_get_xive(struct vcpu *v, struct rtas_args *a)
{
	struct partition *p = v->part;
	uint32_t server = 0, prio = 0;
	spin_lock(&p->xics_lock);
	int32_t status = xics_get_xive(&p->xics, rtas_arg(a, 0), &server, &prio);
	spin_unlock(&p->xics_lock);
	rtas_ret(a, 1, server);
	rtas_ret(a, 2, prio);
	return status;
}
RTAS_SERVICE(get_xive, "ibm,get-xive", 0x2009, 1, 3, rtas_get_xive);

static int32_t rtas_int_off(struct vcpu *v, struct rtas_args *a)
{
	struct partition *p = v->part;
	spin_lock(&p->xics_lock);
	int32_t status = xics_int_off(&p->xics, rtas_arg(a, 0));
	spin_unlock(&p->xics_lock);
	return status;
}
RTAS_SERVICE(int_off, "ibm,int-off", 0x200a, 1, 1, rtas_int_off);

static int32_t rtas_int_on(struct vcpu *v, struct rtas_args *a)
{
	struct partition *p = v->part;
	spin_lock(&p->xics_lock);
	int32_t status = xics_int_on(&p->xics, rtas_arg(a, 0));
	spin_unlock(&p->xics_lock);
	return status;
}
RTAS_SERVICE(int_on, "ibm,int-on", 0x200b, 1, 1, rtas_int_on);
