/*
 * COLO compare benchmark: matched TCP traffic (both replicas send the same
 * 128-byte segments with different ISNs and IP ids) over 1, 100 and 10,000
 * concurrent connections, through the engine and through the linear
 * reference model, in the same run. Prints figures; asserts only that every
 * frame was matched.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/colo/colo.h"
#include "tests/bench/net/colo/colo_reference.h"

#define PAYLOAD   128
#define FRAME_LEN (14 + 20 + 20 + PAYLOAD)

struct flow {
	uint8_t frame[2][FRAME_LEN];
	uint32_t seq[2];
	uint16_t ip_id[2];
};

struct counts {
	uint64_t released, dropped, checkpoints;
};

static void count_action(void *ctx, const struct colo_action *a)
{
	struct counts *c = ctx;
	if (a->kind == COLO_ACT_RELEASE)
		c->released++;
	else if (a->kind == COLO_ACT_DROP)
		c->dropped++;
	else
		c->checkpoints++;
}

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static void build_flow(struct flow *fl, uint32_t idx)
{
	for (int side = 0; side < 2; side++) {
		uint8_t *f = fl->frame[side];
		memset(f, 0, FRAME_LEN);
		const uint8_t mac[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };
		memcpy(f, mac, 12);
		put16(f + 12, 0x0800);
		uint8_t *ip = f + 14;
		ip[0] = 0x45;
		put16(ip + 2, 20 + 20 + PAYLOAD);
		ip[8] = 64;
		ip[9] = 6;
		put32(ip + 12, 0x0a000000u | (idx >> 14));  /* guest address */
		put32(ip + 16, 0xc0a80000u | (idx & 0xff)); /* peers */
		uint8_t *tcp = ip + 20;
		put16(tcp, (uint16_t)(1024 + (idx & 0x3fff)));
		put16(tcp + 2, 443);
		tcp[12] = 5 << 4;
		tcp[13] = 0x18; /* PSH ACK */
		put16(tcp + 14, 65535);
		for (int i = 0; i < PAYLOAD; i++)
			tcp[20 + i] = (uint8_t)(i * 13 + idx);
		fl->seq[side] = side ? 0x80000000u + idx * 7919u : idx * 104729u;
		fl->ip_id[side] = (uint16_t)(side ? idx * 3 : idx);
	}
}

/* Advance one flow by one segment on one side (same bytes on both). */
static void next_segment(struct flow *fl, int side, uint32_t round)
{
	uint8_t *f = fl->frame[side];
	put16(f + 14 + 4, fl->ip_id[side]++);
	put32(f + 34 + 4, fl->seq[side]);
	put32(f + 34 + 8, 1000 + round); /* same ACK from both replicas */
	f[34 + 20] = (uint8_t)round;     /* payload changes every round */
	fl->seq[side] += PAYLOAD;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct result {
	double ns_per_pkt, pps;
	uint64_t packets;
	int ok;
};

/* One warm-up round creates the connections; the timed rounds follow. */
static struct result run_engine(struct flow *fl, uint32_t nconn, uint32_t rounds, size_t *mem_out)
{
	struct counts cnt = { 0 };
	struct colo_config cfg;
	colo_config_default(&cfg);
	cfg.max_conns = 16384;
	cfg.max_frames = 4096;
	cfg.hash_key[0] = 0x9e3779b97f4a7c15ull;
	cfg.hash_key[1] = 0xbf58476d1ce4e5b9ull;
	cfg.action = count_action;
	cfg.action_ctx = &cnt;
	size_t need = colo_mem_size(&cfg);
	void *mem = aligned_alloc(64, (need + 63) & ~(size_t)63);
	struct colo_engine *e = colo_init(mem, need, &cfg);
	if (!e) {
		fprintf(stderr, "colo_init failed\n");
		exit(1);
	}
	*mem_out = need;
	uint64_t t = 1, cookie = 0;
	double start = 0;
	for (uint32_t r = 0; r <= rounds; r++) {
		if (r == 1)
			start = now_s();
		for (uint32_t c = 0; c < nconn; c++) {
			for (int side = 0; side < 2; side++) {
				next_segment(&fl[c], side, r);
				colo_feed(e, (enum colo_side)side, fl[c].frame[side], FRAME_LEN, cookie++, t);
			}
			t += 100;
		}
	}
	double el = now_s() - start;
	struct colo_stats st;
	colo_get_stats(e, &st);
	free(mem);
	struct result res;
	res.packets = (uint64_t)rounds * nconn * 2;
	res.ns_per_pkt = el * 1e9 / (double)res.packets;
	res.pps = (double)res.packets / el;
	res.ok = cnt.checkpoints == 0 && cnt.released == (uint64_t)(rounds + 1) * nconn &&
		 cnt.dropped == cnt.released && st.conns_active == nconn;
	return res;
}

static struct result run_reference(struct flow *fl, uint32_t nconn, uint32_t rounds)
{
	struct counts cnt = { 0 };
	struct ref_model *m = ref_new(count_action, &cnt);
	uint64_t cookie = 0;
	double start = 0;
	for (uint32_t r = 0; r <= rounds; r++) {
		if (r == 1)
			start = now_s();
		for (uint32_t c = 0; c < nconn; c++)
			for (int side = 0; side < 2; side++) {
				next_segment(&fl[c], side, r);
				ref_feed(m, (enum colo_side)side, fl[c].frame[side], FRAME_LEN, cookie++);
			}
	}
	double el = now_s() - start;
	ref_free(m);
	struct result res;
	res.packets = (uint64_t)rounds * nconn * 2;
	res.ns_per_pkt = el * 1e9 / (double)res.packets;
	res.pps = (double)res.packets / el;
	res.ok = cnt.released == (uint64_t)(rounds + 1) * nconn && cnt.dropped == cnt.released;
	return res;
}

int main(void)
{
	static const uint32_t conns[] = { 1, 100, 10000 };
	/* packet budgets keep the whole run well under a minute */
	static const uint64_t engine_pkts = 4000000, ref_pkts[] = { 4000000, 4000000, 400000 };
	struct flow *fl = malloc(sizeof(*fl) * 10000);
	int all_ok = 1;
	double eng10k = 0, ref10k = 0;

	printf("COLO compare benchmark: matched TCP, %d-byte payload, %d-byte frames\n", PAYLOAD, FRAME_LEN);
	printf("%-8s %-8s %10s %12s %9s %6s\n", "conns", "model", "packets", "packets/s", "ns/pkt", "check");
	for (int k = 0; k < 3; k++) {
		uint32_t n = conns[k];
		size_t mem = 0;
		for (uint32_t i = 0; i < n; i++)
			build_flow(&fl[i], i);
		struct result e = run_engine(fl, n, (uint32_t)(engine_pkts / 2 / n), &mem);
		for (uint32_t i = 0; i < n; i++)
			build_flow(&fl[i], i);
		struct result r = run_reference(fl, n, (uint32_t)(ref_pkts[k] / 2 / n));
		printf("%-8u %-8s %10llu %12.0f %9.1f %6s\n", n, "engine", (unsigned long long)e.packets, e.pps,
		       e.ns_per_pkt, e.ok ? "ok" : "FAIL");
		printf("%-8u %-8s %10llu %12.0f %9.1f %6s\n", n, "linear", (unsigned long long)r.packets, r.pps,
		       r.ns_per_pkt, r.ok ? "ok" : "FAIL");
		printf("%-8u engine/linear throughput: %.1fx\n", n, e.pps / r.pps);
		all_ok &= e.ok && r.ok;
		if (n == 10000) {
			eng10k = e.pps;
			ref10k = r.pps;
		}
	}

	struct colo_config a;
	colo_config_default(&a);
	a.action = count_action;
	a.max_conns = 1024;
	a.max_frames = 4096;
	size_t base = colo_mem_size(&a);
	a.max_conns = 16384;
	size_t big = colo_mem_size(&a);
	a.max_frames = 8192;
	size_t more_frames = colo_mem_size(&a);
	printf("engine memory: %.1f bytes per connection (table entry + hash "
	       "buckets), %.1f bytes per queued-frame record, %zu bytes in all "
	       "for 16384 connections and 4096 frame records\n",
	       (double)(big - base) / (16384 - 1024), (double)(more_frames - big) / 4096, big);
	printf("linear model memory: %zu bytes per connection record + a heap copy "
	       "of every queued packet\n",
	       ref_conn_size());
	printf("at 10000 connections the engine is %.1fx the linear model's "
	       "throughput (target >= 10x)\n",
	       eng10k / ref10k);
	free(fl);
	if (!all_ok)
		printf("FAIL: some frames were not matched\n");
	return all_ok ? 0 : 1;
}
