/* RTAS start-cpu, stop-self and query-cpu-stopped-state. */
#include "hcall/hcall.h"
#include "hv/papr/rtas.h"
#include "hv/partition.h"

/* (cpu, start address, r3): a stopped vCPU starts there as on QEMU pseries
 * (big-endian, real mode; the partition's LPCR, so its interrupt
 * endianness, is shared by all its vCPUs). */
static int32_t rtas_start_cpu(struct vcpu *v, struct rtas_args *a)
{
	struct partition *p = v->part;
	uint32_t id = rtas_arg(a, 0), addr = rtas_arg(a, 1);
	if (id >= p->nvcpus || !guest_ptr(p, addr, 4))
		return RTAS_PARAM_ERROR;
	struct vcpu *t = &p->vcpus[id];
	if (t->state != VCPU_STOPPED)
		return RTAS_HW_ERROR;
	vcpu_start(t, addr, rtas_arg(a, 2));
	return RTAS_OK;
}
RTAS_SERVICE(start_cpu, "start-cpu", 0x2005, 3, 1, rtas_start_cpu);

static int32_t rtas_stop_self(struct vcpu *v, struct rtas_args *a)
{
	(void)a;
	v->state = VCPU_STOPPED;
	return RTAS_OK;
}
RTAS_SERVICE(stop_self, "stop-self", 0x2006, RTAS_ANY, 0, rtas_stop_self);

/* (cpu) -> status, state: 0 stopped, 2 running */
static int32_t rtas_query_cpu_stopped_state(struct vcpu *v, struct rtas_args *a)
{
	struct partition *p = v->part;
	uint32_t id = rtas_arg(a, 0);
	if (id >= p->nvcpus)
		return RTAS_PARAM_ERROR;
	rtas_ret(a, 1, p->vcpus[id].state == VCPU_STOPPED ? 0 : 2);
	return RTAS_OK;
}
RTAS_SERVICE(query_cpu_stopped_state, "query-cpu-stopped-state", 0x2007, 1, 2, rtas_query_cpu_stopped_state);
