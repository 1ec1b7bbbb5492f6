#include <string.h>
#include "hv/papr/rtas.h"
#include "papr.h"

_Static_assert(sizeof(struct rtas_service) % 8 == 0, "registry entries must pack");

/* mr r4,r3; lis r3,H_RTAS@h; ori r3,r3,H_RTAS@l; sc 1; blr (big-endian words, as RTAS runs) */
const uint32_t rtas_blob[] = { 0x7c641b78, 0x3c600000, 0x6063f000, 0x44000022, 0x4e800020 };
const unsigned int rtas_blob_words = sizeof(rtas_blob) / sizeof(rtas_blob[0]);

static const struct rtas_service *find(uint32_t token)
{
	RTAS_FOREACH (s) {
		if (s->token == token)
			return s;
	}
	return 0;
}

const char *rtas_registry_duplicate(void)
{
	RTAS_FOREACH (s) {
		RTAS_FOREACH (t) {
			if (t < s && (t->token == s->token || !strcmp(t->name, s->name)))
				return s->name;
		}
	}
	return 0;
}

void rtas_run(struct vcpu *v, uint8_t *buf)
{
	struct rtas_args a = { be32_load(buf), be32_load(buf + 4), be32_load(buf + 8), buf + 12, 0 };
	a.rets = a.args + 4 * a.nargs;
	const struct rtas_service *s = find(a.token);
	int32_t status = RTAS_PARAM_ERROR;
	if (s && (s->nargs == RTAS_ANY || s->nargs == a.nargs) && a.nret >= s->nret_min)
		status = s->call(v, &a);
	if (a.nret > 0)
		be32_store(a.rets, (uint32_t)status);
}
