/* Frame builders and an action recorder for the COLO engine tests.
 * Frames are written byte by byte in network order, whatever the host. */
#ifndef TESTS_UNIT_NET_COLO_COLO_TEST_UTIL_H
#define TESTS_UNIT_NET_COLO_COLO_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/colo/colo.h"

#define T_MAX_FRAME 2048

/* Addressing shared by the frames of one flow. */
struct t_flow {
	uint8_t dmac[6], smac[6];
	int nvlan;
	uint16_t tpid[2], vid[2];
	bool ipv6;
	uint8_t src[16], dst[16]; /* IPv4 uses the first 4 bytes */
	uint16_t sport, dport;
	uint8_t ttl, tos;
	uint32_t flow_label; /* IPv6 */
};

void t_flow_v4(struct t_flow *fl, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport);
void t_flow_v6(struct t_flow *fl, uint8_t src_last, uint8_t dst_last, uint16_t sport, uint16_t dport);

void t_put16(uint8_t *p, uint16_t v);
void t_put32(uint8_t *p, uint32_t v);

/* Link + IP header around an L4 image; returns the frame length.
 * frag_off is in bytes; for IPv6 a fragment header is added when
 * frag_off != 0 or more is set (frag_id is then its id). */
uint32_t t_ip_frame(uint8_t *out, const struct t_flow *fl, uint8_t proto, uint32_t ip_id, const uint8_t *l4,
		    uint32_t l4len, uint32_t frag_off, bool more);

uint32_t t_tcp(uint8_t *out, const struct t_flow *fl, uint16_t ip_id, uint32_t seq, uint32_t ack, uint8_t flags,
	       const uint8_t *opts, uint32_t optlen, const uint8_t *payload, uint32_t plen);
uint32_t t_udp(uint8_t *out, const struct t_flow *fl, uint16_t ip_id, const uint8_t *payload, uint32_t plen);
uint32_t t_icmp(uint8_t *out, const struct t_flow *fl, uint16_t ip_id, uint8_t type, const uint8_t *payload,
		uint32_t plen);
uint32_t t_arp(uint8_t *out, const uint8_t smac[6], uint32_t sip, uint32_t tip);

/* Recorded actions. */
struct t_act {
	enum colo_action_kind kind;
	enum colo_reason reason;
	uint64_t cookie;
};

struct t_rec {
	struct t_act a[4096];
	size_t n;
};

/* An engine over malloc'ed memory with a recorder attached. */
struct t_eng {
	struct colo_engine *e;
	void *mem;
	struct t_rec rec;
	struct colo_config cfg;
};

void t_config(struct colo_config *cfg); /* small defaults for tests */
struct t_eng *t_eng_new(const struct colo_config *cfg_or_null);
void t_eng_free(struct t_eng *t);

/* Feed with cookie = (side << 32 | id). */
enum colo_feed_result t_feed(struct t_eng *t, enum colo_side side, uint32_t id, const uint8_t *f, uint32_t len,
			     uint64_t now);
#define T_P(id) ((uint64_t)(id))
#define T_S(id) ((uint64_t)1 << 32 | (id))

/* Number of recorded actions of that kind naming that cookie. */
size_t t_count(const struct t_rec *r, enum colo_action_kind k, uint64_t cookie);
size_t t_count_kind(const struct t_rec *r, enum colo_action_kind k);
/* Index of the first such action, or -1. */
long t_index(const struct t_rec *r, enum colo_action_kind k, uint64_t cookie);

#endif
