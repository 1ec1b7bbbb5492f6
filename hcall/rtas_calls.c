/* H_RTAS: the hcall the RTAS blob makes; r4 = the argument buffer. */
#include "hcall/hcall.h"
#include "hv/papr/rtas.h"
#include "hv/partition.h"

static long h_rtas(struct vcpu *v)
{
	struct partition *p = v->part;
	uint64_t args = v->gpr[4];
	uint8_t *hdr = guest_ptr(p, args, 12);
	if (!hdr)
		return H_PARAMETER;
	uint32_t nargs = be32_load(hdr + 4), nret = be32_load(hdr + 8);
	if (nargs > RTAS_MAX_ARGS || nret > RTAS_MAX_ARGS)
		return H_PARAMETER;
	uint8_t *buf = guest_ptr(p, args, 12 + 4ull * (nargs + nret));
	if (!buf)
		return H_PARAMETER;
	rtas_run(v, buf);
	return H_SUCCESS;
}
HCALL(KVMPPC_H_RTAS, h_rtas, 1);
