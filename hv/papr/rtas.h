/*
 * RTAS: the guest calls a small blob in its memory, which issues the
 * H_RTAS hcall with the address of its argument buffer; the hypervisor
 * runs the service. A service joins by defining itself with RTAS_SERVICE
 * in its own file (hcall/rtas_*.c); its name and token go into the
 * guest's /rtas node, and rtas_run() finds it by token.
 *
 * The argument buffer, as PAPR lays it out: big-endian 32-bit words
 * token, nargs, nret, then nargs arguments and nret returns, the first
 * return being the status. Portable.
 */
#ifndef HV_PAPR_RTAS_H
#define HV_PAPR_RTAS_H

#include <stdint.h>
#include "hv/lib/bytes.h"
#include "hv/lib/registry.h"

#define RTAS_MAX_ARGS 16   /* of each kind; PAPR's calls use at most 8 */
#define RTAS_ANY      0xff /* a service's nargs when it checks the count itself */

struct rtas_args {
	uint32_t token, nargs, nret;
	uint8_t *args; /* nargs words */
	uint8_t *rets; /* nret words; rets[0] is the status */
};

static inline uint32_t rtas_arg(const struct rtas_args *a, unsigned int i)
{
	return be32_load(a->args + 4 * i);
}

/* Return word i (1..nret-1); the service checked nret with its nret_min. */
static inline void rtas_ret(struct rtas_args *a, unsigned int i, uint32_t v)
{
	be32_store(a->rets + 4 * i, v);
}

struct vcpu;

struct rtas_service {
	const char *name; /* the /rtas property */
	uint32_t token;
	uint8_t nargs;                                        /* exact, or RTAS_ANY */
	uint8_t nret_min;                                     /* returns it needs, the status included */
	int32_t (*call)(struct vcpu *v, struct rtas_args *a); /* returns the status */
};

#define RTAS_SERVICE(id, name_, token_, nargs_, nret_min_, fn_) \
	REGISTER(rtas_services, struct rtas_service, rtas_service_##id) = { name_, token_, nargs_, nret_min_, fn_ }

REGISTRY_DECLARE(rtas_services, struct rtas_service);
#define RTAS_FOREACH(it) REGISTRY_FOREACH (rtas_services, struct rtas_service, it)

/* The name of a service whose token or name an earlier one has, or NULL. */
const char *rtas_registry_duplicate(void);

/* Runs the call in buf (12 + 4 * (nargs + nret) bytes, already checked to
 * lie in the caller's memory and nargs, nret <= RTAS_MAX_ARGS): an unknown
 * token, or counts the service does not accept, get RTAS_PARAM_ERROR. */
void rtas_run(struct vcpu *v, uint8_t *buf);

/* The blob the guest calls: "sc 1" with r3 = H_RTAS, r4 = the args address. */
extern const uint32_t rtas_blob[];
extern const unsigned int rtas_blob_words;

#endif
