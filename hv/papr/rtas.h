/*
 * RTAS: the guest calls a small blob in its memory, which issues the
 * H_RTAS hcall with the address of its argument buffer; the hypervisor
 * runs the service. Tokens are advertised in the guest's /rtas node.
 */
#ifndef HV_RTAS_H
#define HV_RTAS_H

#include <stdint.h>

struct rtas_token {
	const char *name;
	uint32_t token;
};

extern const struct rtas_token rtas_tokens[];
extern const unsigned int rtas_ntokens;

/* The blob the guest calls: "sc 1" with r3 = H_RTAS, r4 = the args address. */
extern const uint32_t rtas_blob[];
extern const unsigned int rtas_blob_words;

struct vcpu;
/* H_RTAS: runs the call whose argument buffer is at guest-real args; returns an hcall status. */
long rtas_call(struct vcpu *v, uint64_t args);

#endif
