/* H_SIGNAL_SYS_RESET: a system reset to one vCPU of the caller's partition,
 * to all (-1) or to all but the caller (-2), as QEMU pseries does. */
#include "hcall/hcall.h"
#include "hv/partition.h"

#define SYS_RESET_ALL          (-1)
#define SYS_RESET_ALL_BUT_SELF (-2)

static long h_signal_sys_reset(struct vcpu *v)
{
	struct partition *p = v->part;
	int64_t target = (int64_t)v->gpr[4];
	if (target < SYS_RESET_ALL_BUT_SELF)
		return H_PARAMETER;
	if (target >= 0) {
		struct vcpu *t = partition_vcpu(p, (uint64_t)target);
		if (!t)
			return H_PARAMETER;
		vcpu_request_sreset(t);
	} else {
		for (unsigned int i = 0; i < p->nvcpus; i++)
			if (target == SYS_RESET_ALL || i != v->id)
				vcpu_request_sreset(&p->vcpus[i]);
	}
	if (v->sreset_pending)
		v->hcall_done = true; /* its own: delivered on the way back, after r3 has the status */
	return H_SUCCESS;
}
HCALL(H_SIGNAL_SYS_RESET, h_signal_sys_reset, 0);
