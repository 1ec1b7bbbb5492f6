/*
 * Reference model for the benchmark: the plain design of QEMU's
 * colo-compare (copy every packet, a list of connections searched
 * linearly, per-connection packet lists searched linearly for a match).
 * IPv4/TCP payload comparison only; enough to carry the same workload.
 */
#ifndef TESTS_BENCH_NET_COLO_COLO_REFERENCE_H
#define TESTS_BENCH_NET_COLO_COLO_REFERENCE_H

#include <stddef.h>
#include <stdint.h>

#include "net/colo/colo.h"

struct ref_model;

struct ref_model *ref_new(colo_action_fn action, void *ctx);
void ref_free(struct ref_model *m);
/* Returns 0 when taken, -1 for frames it cannot parse. */
int ref_feed(struct ref_model *m, enum colo_side side, const uint8_t *frame, uint32_t len, uint64_t cookie);
size_t ref_conn_size(void); /* bytes of one connection record */

#endif
