#include "tests/unit/net/colo/colo_test_util.h"

#include <stdlib.h>
#include <string.h>

void t_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void t_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void flow_common(struct t_flow *fl, uint16_t sport, uint16_t dport)
{
	static const uint8_t dmac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	static const uint8_t smac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
	memcpy(fl->dmac, dmac, 6);
	memcpy(fl->smac, smac, 6);
	fl->sport = sport;
	fl->dport = dport;
	fl->ttl = 64;
}

void t_flow_v4(struct t_flow *fl, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport)
{
	memset(fl, 0, sizeof(*fl));
	flow_common(fl, sport, dport);
	t_put32(fl->src, src);
	t_put32(fl->dst, dst);
}

void t_flow_v6(struct t_flow *fl, uint8_t src_last, uint8_t dst_last, uint16_t sport, uint16_t dport)
{
	memset(fl, 0, sizeof(*fl));
	flow_common(fl, sport, dport);
	fl->ipv6 = true;
	fl->src[0] = fl->dst[0] = 0xfd;
	fl->src[15] = src_last;
	fl->dst[15] = dst_last;
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t put_eth(uint8_t *out, const struct t_flow *fl, uint16_t etype)
{
	uint32_t o = 12;
	memcpy(out, fl->dmac, 6);
	memcpy(out + 6, fl->smac, 6);
	for (int i = 0; i < fl->nvlan; i++) {
		t_put16(out + o, fl->tpid[i] ? fl->tpid[i] : 0x8100);
		t_put16(out + o + 2, fl->vid[i]);
		o += 4;
	}
	t_put16(out + o, etype);
	return o + 2;
}

uint32_t t_ip_frame(uint8_t *out, const struct t_flow *fl, uint8_t proto, uint32_t ip_id, const uint8_t *l4,
		    uint32_t l4len, uint32_t frag_off, bool more)
{
	uint32_t o = put_eth(out, fl, fl->ipv6 ? 0x86dd : 0x0800);
	uint8_t *ip = out + o;
	if (!fl->ipv6) {
		memset(ip, 0, 20);
		ip[0] = 0x45;
		ip[1] = fl->tos;
		t_put16(ip + 2, (uint16_t)(20 + l4len));
		t_put16(ip + 4, (uint16_t)ip_id);
		t_put16(ip + 6, (uint16_t)((frag_off / 8) | (more ? 0x2000 : 0)));
		ip[8] = fl->ttl;
		ip[9] = proto;
		memcpy(ip + 12, fl->src, 4);
		memcpy(ip + 16, fl->dst, 4);
		t_put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
		memcpy(ip + 20, l4, l4len);
		return o + 20 + l4len;
	}
	bool frag = frag_off != 0 || more;
	uint32_t ext = frag ? 8 : 0;
	ip[0] = (uint8_t)(0x60 | fl->tos >> 4);
	ip[1] = (uint8_t)(fl->tos << 4 | ((fl->flow_label >> 16) & 0x0f));
	t_put16(ip + 2, (uint16_t)fl->flow_label);
	t_put16(ip + 4, (uint16_t)(ext + l4len));
	ip[6] = frag ? 44 : proto;
	ip[7] = fl->ttl;
	memcpy(ip + 8, fl->src, 16);
	memcpy(ip + 24, fl->dst, 16);
	if (frag) {
		uint8_t *fh = ip + 40;
		fh[0] = proto;
		fh[1] = 0;
		t_put16(fh + 2, (uint16_t)(frag_off | (more ? 1 : 0)));
		t_put32(fh + 4, ip_id);
	}
	memcpy(ip + 40 + ext, l4, l4len);
	return o + 40 + ext + l4len;
}

/* Checksum over the IPv4/IPv6 pseudo header and the L4 image. */
static uint16_t l4_csum(const struct t_flow *fl, uint8_t proto, const uint8_t *l4, uint32_t len)
{
	uint32_t sum = 0;
	uint8_t tail[4];
	if (fl->ipv6) {
		sum = csum_add(sum, fl->src, 16);
		sum = csum_add(sum, fl->dst, 16);
	} else {
		sum = csum_add(sum, fl->src, 4);
		sum = csum_add(sum, fl->dst, 4);
	}
	t_put16(tail, 0);
	tail[2] = 0;
	tail[3] = proto;
	sum = csum_add(sum, tail, 4);
	t_put16(tail, (uint16_t)len);
	sum = csum_add(sum, tail, 2);
	return csum_fold(csum_add(sum, l4, len));
}

uint32_t t_tcp(uint8_t *out, const struct t_flow *fl, uint16_t ip_id, uint32_t seq, uint32_t ack, uint8_t flags,
	       const uint8_t *opts, uint32_t optlen, const uint8_t *payload, uint32_t plen)
{
	uint8_t l4[T_MAX_FRAME];
	uint32_t hl = 20 + ((optlen + 3) & ~3u);
	memset(l4, 0, hl);
	t_put16(l4, fl->sport);
	t_put16(l4 + 2, fl->dport);
	t_put32(l4 + 4, seq);
	t_put32(l4 + 8, ack);
	l4[12] = (uint8_t)((hl / 4) << 4);
	l4[13] = flags;
	t_put16(l4 + 14, 65535);
	if (optlen)
		memcpy(l4 + 20, opts, optlen);
	if (plen)
		memcpy(l4 + hl, payload, plen);
	t_put16(l4 + 16, l4_csum(fl, 6, l4, hl + plen));
	return t_ip_frame(out, fl, 6, ip_id, l4, hl + plen, 0, false);
}

uint32_t t_udp(uint8_t *out, const struct t_flow *fl, uint16_t ip_id, const uint8_t *payload, uint32_t plen)
{
	uint8_t l4[T_MAX_FRAME];
	t_put16(l4, fl->sport);
	t_put16(l4 + 2, fl->dport);
	t_put16(l4 + 4, (uint16_t)(8 + plen));
	t_put16(l4 + 6, 0);
	if (plen)
		memcpy(l4 + 8, payload, plen);
	t_put16(l4 + 6, l4_csum(fl, 17, l4, 8 + plen));
	return t_ip_frame(out, fl, 17, ip_id, l4, 8 + plen, 0, false);
}

uint32_t t_icmp(uint8_t *out, const struct t_flow *fl, uint16_t ip_id, uint8_t type, const uint8_t *payload,
		uint32_t plen)
{
	uint8_t l4[T_MAX_FRAME];
	uint8_t proto = fl->ipv6 ? 58 : 1;
	l4[0] = type;
	l4[1] = 0;
	t_put16(l4 + 2, 0);
	t_put32(l4 + 4, 0x00010001);
	if (plen)
		memcpy(l4 + 8, payload, plen);
	uint16_t c = fl->ipv6 ? l4_csum(fl, proto, l4, 8 + plen) : csum_fold(csum_add(0, l4, 8 + plen));
	t_put16(l4 + 2, c);
	return t_ip_frame(out, fl, proto, ip_id, l4, 8 + plen, 0, false);
}

uint32_t t_arp(uint8_t *out, const uint8_t smac[6], uint32_t sip, uint32_t tip)
{
	memset(out, 0xff, 6);
	memcpy(out + 6, smac, 6);
	t_put16(out + 12, 0x0806);
	uint8_t *a = out + 14;
	t_put16(a, 1);
	t_put16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	t_put16(a + 6, 1);
	memcpy(a + 8, smac, 6);
	t_put32(a + 14, sip);
	memset(a + 18, 0, 6);
	t_put32(a + 24, tip);
	return 14 + 28;
}

static void record(void *ctx, const struct colo_action *act)
{
	struct t_rec *r = ctx;
	if (r->n < sizeof(r->a) / sizeof(r->a[0])) {
		r->a[r->n].kind = act->kind;
		r->a[r->n].reason = act->reason;
		r->a[r->n].cookie = act->cookie;
	}
	r->n++;
}

void t_config(struct colo_config *cfg)
{
	colo_config_default(cfg);
	cfg->max_conns = 64;
	cfg->max_frames = 256;
	cfg->max_queue = 32;
	cfg->max_queued_bytes = 1 << 20;
	cfg->compare_timeout_ns = 1000;
	cfg->scan_period_ns = 10;
	cfg->idle_timeout_ns = 100000;
	cfg->closed_timeout_ns = 5000;
	cfg->hash_key[0] = 0x0123456789abcdefULL;
	cfg->hash_key[1] = 0xfedcba9876543210ULL;
}

struct t_eng *t_eng_new(const struct colo_config *cfg_or_null)
{
	struct t_eng *t = calloc(1, sizeof(*t));
	if (!t)
		abort();
	if (cfg_or_null)
		t->cfg = *cfg_or_null;
	else
		t_config(&t->cfg);
	t->cfg.action = record;
	t->cfg.action_ctx = &t->rec;
	size_t n = colo_mem_size(&t->cfg);
	if (n == 0)
		abort();
	t->mem = aligned_alloc(64, (n + 63) & ~(size_t)63);
	if (!t->mem)
		abort();
	memset(t->mem, 0xa5, n); /* init must not rely on zeroed memory */
	t->e = colo_init(t->mem, n, &t->cfg);
	if (!t->e)
		abort();
	return t;
}

void t_eng_free(struct t_eng *t)
{
	free(t->mem);
	free(t);
}

enum colo_feed_result t_feed(struct t_eng *t, enum colo_side side, uint32_t id, const uint8_t *f, uint32_t len,
			     uint64_t now)
{
	uint64_t cookie = (uint64_t)side << 32 | id;
	return colo_feed(t->e, side, f, len, cookie, now);
}

size_t t_count(const struct t_rec *r, enum colo_action_kind k, uint64_t cookie)
{
	size_t c = 0;
	for (size_t i = 0; i < r->n; i++)
		c += r->a[i].kind == k && r->a[i].cookie == cookie;
	return c;
}

size_t t_count_kind(const struct t_rec *r, enum colo_action_kind k)
{
	size_t c = 0;
	for (size_t i = 0; i < r->n; i++)
		c += r->a[i].kind == k;
	return c;
}

long t_index(const struct t_rec *r, enum colo_action_kind k, uint64_t cookie)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->a[i].kind == k && r->a[i].cookie == cookie)
			return (long)i;
	return -1;
}
