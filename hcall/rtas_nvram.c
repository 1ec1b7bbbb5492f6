/* RTAS nvram-fetch and nvram-store on the partition's NVRAM. */
#include <string.h>
#include "hcall/hcall.h"
#include "hv/papr/rtas.h"
#include "hv/partition.h"

/* (index, buffer, length) -> status, length done */
static int32_t nvram_transfer(struct vcpu *v, struct rtas_args *a, bool store)
{
	struct partition *p = v->part;
	uint32_t index = rtas_arg(a, 0), len = rtas_arg(a, 2);
	uint8_t *buf = guest_ptr(p, rtas_arg(a, 1), len);
	if (!buf || index > PARTITION_NVRAM_SIZE || len > PARTITION_NVRAM_SIZE - index)
		return RTAS_PARAM_ERROR;
	if (store)
		memcpy(p->nvram + index, buf, len);
	else
		memcpy(buf, p->nvram + index, len);
	rtas_ret(a, 1, len);
	return RTAS_OK;
}

static int32_t rtas_nvram_fetch(struct vcpu *v, struct rtas_args *a)
{
	return nvram_transfer(v, a, false);
}
RTAS_SERVICE(nvram_fetch, "nvram-fetch", 0x2011, 3, 2, rtas_nvram_fetch);

static int32_t rtas_nvram_store(struct vcpu *v, struct rtas_args *a)
{
	return nvram_transfer(v, a, true);
}
RTAS_SERVICE(nvram_store, "nvram-store", 0x2012, 3, 2, rtas_nvram_store);
