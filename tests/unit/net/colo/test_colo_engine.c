/* Engine API and policy: setup, in-order comparison of UDP/ICMP/IPv6/ARP/
 * other frames, timeouts, checkpoint flush, bounds, connection reclaim. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/net/colo/colo_test_util.h"

static const uint8_t PAY[16] = "0123456789abcdef";

static struct colo_stats stats(struct t_eng *t)
{
	struct colo_stats s;
	colo_get_stats(t->e, &s);
	return s;
}

static void test_mem_size_and_init_validation(void **state)
{
	(void)state;
	struct colo_config cfg;
	t_config(&cfg);
	assert_int_equal(colo_mem_size(&cfg), 0); /* no callback */
	assert_int_equal(colo_mem_size(NULL), 0);
	cfg.action = (colo_action_fn)(uintptr_t)1;
	size_t n = colo_mem_size(&cfg);
	assert_true(n > 0);
	cfg.max_conns *= 2;
	assert_true(colo_mem_size(&cfg) > n);
	cfg.max_conns = 0;
	assert_int_equal(colo_mem_size(&cfg), 0);
	t_config(&cfg);
	cfg.action = (colo_action_fn)(uintptr_t)1;
	cfg.max_frames = 0;
	assert_int_equal(colo_mem_size(&cfg), 0);
	t_config(&cfg);
	cfg.action = (colo_action_fn)(uintptr_t)1;
	cfg.compare_timeout_ns = 0;
	assert_int_equal(colo_mem_size(&cfg), 0);

	t_config(&cfg);
	cfg.action = (colo_action_fn)(uintptr_t)1;
	n = colo_mem_size(&cfg);
	uint8_t *mem = aligned_alloc(64, (n + 64 + 63) & ~(size_t)63);
	assert_null(colo_init(mem, n - 1, &cfg));
	assert_null(colo_init(mem + 4, n, &cfg));
	assert_null(colo_init(NULL, n, &cfg));
	assert_true(colo_init(mem, n, &cfg) == (struct colo_engine *)(void *)mem);
	free(mem);
}

static void test_invalid_feed_arguments(void **state)
{
	(void)state;
	struct t_eng *t = t_eng_new(NULL);
	uint8_t f[64] = { 0 };
	assert_int_equal(colo_feed(NULL, COLO_PRIMARY, f, 60, 1, 0), COLO_FEED_INVALID);
	assert_int_equal(colo_feed(t->e, COLO_PRIMARY, NULL, 0, 1, 0), COLO_FEED_INVALID);
	assert_int_equal(colo_feed(t->e, (enum colo_side)7, f, 60, 1, 0), COLO_FEED_INVALID);
	assert_int_equal(stats(t).invalid, 2);
	assert_int_equal(t->rec.n, 0);
	t_eng_free(t);
}

static void test_udp_match_releases_primary_drops_secondary(void **state)
{
	(void)state;
	struct t_eng *t = t_eng_new(NULL);
	struct t_flow fl;
	uint8_t p[T_MAX_FRAME], s[T_MAX_FRAME];
	t_flow_v4(&fl, 0x0a000001, 0x0a000002, 5000, 53);
	uint32_t pn = t_udp(p, &fl, 111, PAY, 16);
	uint32_t sn = t_udp(s, &fl, 999, PAY, 16); /* other IP id and checksum */
	assert_memory_not_equal(p + 18, s + 18, 2);

	assert_int_equal(t_feed(t, COLO_PRIMARY, 1, p, pn, 10), COLO_FEED_TAKEN);
	assert_int_equal(t->rec.n, 0);
	assert_int_equal(t_feed(t, COLO_SECONDARY, 1, s, sn, 20), COLO_FEED_TAKEN);
	assert_int_equal(t->rec.n, 2);
	assert_int_equal(t->rec.a[0].kind, COLO_ACT_RELEASE);
	assert_true(t->rec.a[0].cookie == T_P(1));
	assert_int_equal(t->rec.a[1].kind, COLO_ACT_DROP);
	assert_true(t->rec.a[1].cookie == T_S(1));

	/* secondary first works the same way */
	assert_int_equal(t_feed(t, COLO_SECONDARY, 2, s, sn, 30), COLO_FEED_TAKEN);
	assert_int_equal(t->rec.n, 2);
	assert_int_equal(t_feed(t, COLO_PRIMARY, 2, p, pn, 40), COLO_FEED_TAKEN);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(2)), 1);
	assert_int_equal(t_count(&t->rec, COLO_ACT_DROP, T_S(2)), 1);
	struct colo_stats st = stats(t);
	assert_int_equal(st.matched, 2);
	assert_int_equal(st.frames_udp, 4);
	assert_int_equal(st.frames_queued[0] + st.frames_queued[1], 0);
	assert_int_equal(st.bytes_queued, 0);
	t_eng_free(t);
}

static void test_udp_payload_mismatch_checkpoints_then_flush(void **state)
{
	(void)state;
	struct t_eng *t = t_eng_new(NULL);
	struct t_flow fl;
	uint8_t p[T_MAX_FRAME], s[T_MAX_FRAME], p2[T_MAX_FRAME], s2[T_MAX_FRAME];
	t_flow_v4(&fl, 1, 2, 5000, 53);
	uint32_t pn = t_udp(p, &fl, 1, PAY, 16);
	uint32_t sn = t_udp(s, &fl, 1, (const uint8_t *)"0123456789abcdeX", 16);

	t_feed(t, COLO_PRIMARY, 1, p, pn, 0);
	t_feed(t, COLO_SECONDARY, 1, s, sn, 0);
	assert_int_equal(t->rec.n, 1);
	assert_int_equal(t->rec.a[0].kind, COLO_ACT_CHECKPOINT);
	assert_int_equal(t->rec.a[0].reason, COLO_REASON_MISMATCH);
	assert_true(colo_checkpoint_pending(t->e));

	/* while pending: secondary frames go at once, primary frames wait */
	uint32_t p2n = t_udp(p2, &fl, 2, PAY, 8), s2n = t_udp(s2, &fl, 2, PAY, 8);
	t_feed(t, COLO_SECONDARY, 2, s2, s2n, 1);
	assert_int_equal(t_count(&t->rec, COLO_ACT_DROP, T_S(2)), 1);
	assert_int_equal(t_feed(t, COLO_PRIMARY, 2, p2, p2n, 1), COLO_FEED_TAKEN);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(2)), 0);
	assert_int_equal(t_count_kind(&t->rec, COLO_ACT_CHECKPOINT), 1);

	colo_checkpoint_done(t->e, 5);
	assert_false(colo_checkpoint_pending(t->e));
	long r1 = t_index(&t->rec, COLO_ACT_RELEASE, T_P(1));
	long r2 = t_index(&t->rec, COLO_ACT_RELEASE, T_P(2));
	assert_true(r1 >= 0 && r2 > r1); /* arrival order */
	assert_int_equal(t_count(&t->rec, COLO_ACT_DROP, T_S(1)), 1);
	struct colo_stats st = stats(t);
	assert_int_equal(st.checkpoint_reason[COLO_REASON_MISMATCH], 1);
	assert_int_equal(st.checkpoints_done, 1);
	assert_int_equal(st.held_while_pending, 1);
	assert_int_equal(st.frames_queued[0] + st.frames_queued[1], 0);

	/* comparison resumes */
	size_t before = t->rec.n;
	t_feed(t, COLO_PRIMARY, 3, p, pn, 6);
	t_feed(t, COLO_SECONDARY, 3, p, pn, 6);
	assert_int_equal(t->rec.n, before + 2);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(3)), 1);
	t_eng_free(t);
}

/* Build a mutated copy of a UDP frame and expect match/mismatch. */
static void expect_udp_pair(const struct t_flow *pf, const struct t_flow *sf, uint32_t pad_p, uint32_t pad_s,
			    bool match)
{
	struct t_eng *t = t_eng_new(NULL);
	uint8_t p[T_MAX_FRAME], s[T_MAX_FRAME];
	uint32_t pn = t_udp(p, pf, 1, PAY, 4), sn = t_udp(s, sf, 2, PAY, 4);
	memset(p + pn, 0x11, pad_p);
	memset(s + sn, 0x22, pad_s);
	t_feed(t, COLO_PRIMARY, 1, p, pn + pad_p, 0);
	t_feed(t, COLO_SECONDARY, 1, s, sn + pad_s, 0);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(1)), match);
	assert_int_equal(t_count_kind(&t->rec, COLO_ACT_CHECKPOINT), !match);
	t_eng_free(t);
}

static void test_ignored_and_compared_header_fields(void **state)
{
	(void)state;
	struct t_flow a, b;
	t_flow_v4(&a, 1, 2, 7, 9);
	b = a;
	expect_udp_pair(&a, &b, 0, 0, true);
	expect_udp_pair(&a, &b, 10, 20, true); /* Ethernet padding ignored */
	b.ttl = 63;
	expect_udp_pair(&a, &b, 0, 0, false);
	b = a;
	b.tos = 0x10;
	expect_udp_pair(&a, &b, 0, 0, false);
	b = a;
	b.dmac[5] ^= 1;
	expect_udp_pair(&a, &b, 0, 0, false);

	t_flow_v6(&a, 1, 2, 7, 9);
	b = a;
	a.flow_label = 0x11111;
	b.flow_label = 0xfeed5; /* may be random per socket: ignored */
	expect_udp_pair(&a, &b, 0, 0, true);
	b.tos = 0x20; /* traffic class is compared */
	expect_udp_pair(&a, &b, 0, 0, false);
	b = a;
	b.ttl = 1; /* hop limit */
	expect_udp_pair(&a, &b, 0, 0, false);

	/* VLAN tag: same VID compared as a frame field, PCP too */
	t_flow_v4(&a, 1, 2, 7, 9);
	a.nvlan = 1;
	a.vid[0] = 5;
	b = a;
	expect_udp_pair(&a, &b, 0, 0, true);
	b.vid[0] = 5 | 0x2000; /* priority differs */
	expect_udp_pair(&a, &b, 0, 0, false);
}

static void test_frames_of_other_connections_do_not_pair(void **state)
{
	(void)state;
	struct t_eng *t = t_eng_new(NULL);
	struct t_flow a, b;
	uint8_t p[T_MAX_FRAME], s[T_MAX_FRAME];
	t_flow_v4(&a, 1, 2, 7, 9);
	b = a;
	b.nvlan = 1;
	b.vid[0] = 20;
	uint32_t pn = t_udp(p, &a, 1, PAY, 4), sn = t_udp(s, &b, 1, PAY, 4);
	t_feed(t, COLO_PRIMARY, 1, p, pn, 0);
	t_feed(t, COLO_SECONDARY, 1, s, sn, 0);
	assert_int_equal(t->rec.n, 0);
	assert_int_equal(stats(t).conns_active, 2);

	/* neither is ever matched: the compare timeout decides */
	assert_int_equal(colo_scan(t->e, 999), 999 + 10);
	assert_int_equal(t->rec.n, 0);
	colo_scan(t->e, 1008); /* next period not reached yet */
	assert_int_equal(t->rec.n, 0);
	colo_scan(t->e, 1009);
	assert_int_equal(t->rec.n, 1);
	assert_int_equal(t->rec.a[0].kind, COLO_ACT_CHECKPOINT);
	assert_int_equal(t->rec.a[0].reason, COLO_REASON_PRIMARY_TIMEOUT);
	colo_checkpoint_done(t->e, 1001);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(1)), 1);
	assert_int_equal(t_count(&t->rec, COLO_ACT_DROP, T_S(1)), 1);
	t_eng_free(t);
}

static void test_scan_period_and_secondary_timeout(void **state)
{
	(void)state;
	struct t_eng *t = t_eng_new(NULL);
	struct t_flow a;
	uint8_t s[T_MAX_FRAME];
	t_flow_v4(&a, 1, 2, 7, 9);
	uint32_t sn = t_udp(s, &a, 1, PAY, 4);
	assert_int_equal(colo_scan(t->e, 0), 10);
	t_feed(t, COLO_SECONDARY, 1, s, sn, 5);
	assert_int_equal(colo_scan(t->e, 9), 10); /* inside the period: no work */
	assert_int_equal(colo_scan(t->e, 1004), 1014);
	assert_int_equal(t->rec.n, 0);
	colo_scan(t->e, 1013); /* timeout reached but the period has not */
	assert_int_equal(t->rec.n, 0);
	colo_scan(t->e, 1014);
	assert_int_equal(t->rec.n, 1);
	assert_int_equal(t->rec.a[0].reason, COLO_REASON_SECONDARY_TIMEOUT);
	/* one request per checkpoint */
	colo_scan(t->e, 5000);
	assert_int_equal(t->rec.n, 1);
	colo_checkpoint_done(t->e, 5000);
	assert_int_equal(t_count(&t->rec, COLO_ACT_DROP, T_S(1)), 1);
	t_eng_free(t);
}

static void test_clock_going_backwards_is_clamped(void **state)
{
	(void)state;
	struct t_eng *t = t_eng_new(NULL);
	struct t_flow a;
	uint8_t p[T_MAX_FRAME];
	t_flow_v4(&a, 1, 2, 7, 9);
	uint32_t pn = t_udp(p, &a, 1, PAY, 4);
	t_feed(t, COLO_PRIMARY, 1, p, pn, 5000);
	colo_scan(t->e, 10); /* earlier than the frame: treated as 5000 */
	assert_int_equal(t->rec.n, 0);
	colo_scan(t->e, 6000);
	assert_int_equal(t->rec.a[0].reason, COLO_REASON_PRIMARY_TIMEOUT);
	t_eng_free(t);
}

static void test_arp_and_non_ip_whole_frame(void **state)
{
	(void)state;
	struct t_eng *t = t_eng_new(NULL);
	const uint8_t mac[6] = { 2, 0, 0, 0, 0, 7 };
	uint8_t p[64], s[64];
	uint32_t n = t_arp(p, mac, 0x0a000001, 0x0a000002);
	t_arp(s, mac, 0x0a000001, 0x0a000002);
	t_feed(t, COLO_PRIMARY, 1, p, n, 0);
	t_feed(t, COLO_SECONDARY, 1, s, n, 0);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(1)), 1);
	assert_int_equal(stats(t).frames_arp, 2);

	uint8_t p2[64], s2[64];
	t_arp(p2, mac, 0x0a000001, 0x0a000003);
	t_arp(s2, mac, 0x0a000001, 0x0a000004); /* asks for another address */
	t_feed(t, COLO_PRIMARY, 2, p2, n, 0);
	t_feed(t, COLO_SECONDARY, 2, s2, n, 0);
	assert_int_equal(t_count_kind(&t->rec, COLO_ACT_CHECKPOINT), 1);
	colo_checkpoint_done(t->e, 0);

	/* unknown EtherType: whole frame including trailing bytes */
	uint8_t q[60], r[60];
	memset(q, 0x5a, sizeof(q));
	memcpy(q, p, 12);
	t_put16(q + 12, 0x88b5);
	memcpy(r, q, sizeof(q));
	t_feed(t, COLO_PRIMARY, 3, q, 60, 0);
	t_feed(t, COLO_SECONDARY, 3, r, 60, 0);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(3)), 1);
	r[59] ^= 1;
	t_feed(t, COLO_PRIMARY, 4, q, 60, 0);
	t_feed(t, COLO_SECONDARY, 4, r, 60, 0);
	assert_int_equal(t_count_kind(&t->rec, COLO_ACT_CHECKPOINT), 2);
	t_feed(t, COLO_PRIMARY, 5, q, 59, 0); /* pending: held */
	colo_checkpoint_done(t->e, 0);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(5)), 1);
	assert_int_equal(stats(t).frames_non_ip, 5);
	t_eng_free(t);
}

static void test_icmp_icmpv6_and_other_protocols(void **state)
{
	(void)state;
	struct t_eng *t = t_eng_new(NULL);
	struct t_flow a, b;
	uint8_t p[T_MAX_FRAME], s[T_MAX_FRAME];
	t_flow_v4(&a, 1, 2, 0, 0);
	uint32_t n = t_icmp(p, &a, 10, 8, PAY, 16);
	t_icmp(s, &a, 20, 8, PAY, 16);
	t_feed(t, COLO_PRIMARY, 1, p, n, 0);
	t_feed(t, COLO_SECONDARY, 1, s, n, 0);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(1)), 1);

	t_flow_v6(&b, 1, 2, 0, 0);
	uint8_t p6[T_MAX_FRAME], s6[T_MAX_FRAME];
	n = t_icmp(p6, &b, 0, 128, PAY, 16);
	t_icmp(s6, &b, 0, 128, PAY, 16);
	t_feed(t, COLO_SECONDARY, 2, s6, n, 0);
	t_feed(t, COLO_PRIMARY, 2, p6, n, 0);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(2)), 1);

	uint8_t l4a[8] = { 0, 0, 0x08, 0, 1, 2, 3, 4 }, l4b[8];
	memcpy(l4b, l4a, 8);
	uint8_t g1[T_MAX_FRAME], g2[T_MAX_FRAME];
	n = t_ip_frame(g1, &a, 47, 1, l4a, 8, 0, false);
	t_ip_frame(g2, &a, 47, 2, l4b, 8, 0, false);
	t_feed(t, COLO_PRIMARY, 3, g1, n, 0);
	t_feed(t, COLO_SECONDARY, 3, g2, n, 0);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(3)), 1);
	l4b[7] = 9;
	uint8_t g3[T_MAX_FRAME], g4[T_MAX_FRAME];
	t_ip_frame(g3, &a, 47, 1, l4a, 8, 0, false);
	t_ip_frame(g4, &a, 47, 2, l4b, 8, 0, false);
	t_feed(t, COLO_PRIMARY, 4, g3, n, 0);
	t_feed(t, COLO_SECONDARY, 4, g4, n, 0);
	assert_int_equal(t->rec.a[t->rec.n - 1].reason, COLO_REASON_MISMATCH);
	struct colo_stats st = stats(t);
	assert_int_equal(st.frames_icmp, 4);
	assert_int_equal(st.frames_ip_other, 4);
	assert_int_equal(st.frames_ipv6, 2);
	t_eng_free(t);
}

static void test_in_order_per_connection(void **state)
{
	(void)state;
	struct t_eng *t = t_eng_new(NULL);
	struct t_flow a;
	uint8_t p[3][T_MAX_FRAME], s[3][T_MAX_FRAME];
	uint32_t n[3];
	t_flow_v4(&a, 1, 2, 7, 9);
	for (int i = 0; i < 3; i++) {
		n[i] = t_udp(p[i], &a, (uint16_t)i, PAY + i, 4);
		t_udp(s[i], &a, (uint16_t)(i + 50), PAY + i, 4);
	}
	for (uint32_t i = 0; i < 3; i++)
		t_feed(t, COLO_PRIMARY, i, p[i], n[i], 0);
	for (uint32_t i = 0; i < 3; i++)
		t_feed(t, COLO_SECONDARY, i, s[i], n[i], 0);
	for (uint32_t i = 0; i < 3; i++)
		assert_true(t->rec.a[2 * i].cookie == T_P(i));
	assert_int_equal(t->rec.n, 6);

	/* the same frames in a different order: mismatch */
	t_feed(t, COLO_PRIMARY, 10, p[0], n[0], 0);
	t_feed(t, COLO_PRIMARY, 11, p[1], n[1], 0);
	t_feed(t, COLO_SECONDARY, 11, s[1], n[1], 0);
	assert_int_equal(t->rec.a[6].kind, COLO_ACT_CHECKPOINT);
	t_eng_free(t);
}

static void test_full_queue_requests_checkpoint_and_keeps_frames(void **state)
{
	(void)state;
	struct colo_config cfg;
	t_config(&cfg);
	cfg.max_queue = 4;
	struct t_eng *t = t_eng_new(&cfg);
	struct t_flow a;
	uint8_t p[T_MAX_FRAME];
	t_flow_v4(&a, 1, 2, 7, 9);
	uint32_t n = t_udp(p, &a, 1, PAY, 4);
	for (uint32_t i = 0; i < 4; i++)
		assert_int_equal(t_feed(t, COLO_PRIMARY, i, p, n, 0), COLO_FEED_TAKEN);
	assert_int_equal(t->rec.n, 0);
	assert_int_equal(t_feed(t, COLO_PRIMARY, 4, p, n, 0), COLO_FEED_TAKEN);
	assert_int_equal(t->rec.n, 1);
	assert_int_equal(t->rec.a[0].reason, COLO_REASON_QUEUE_FULL);
	colo_checkpoint_done(t->e, 1);
	for (uint32_t i = 0; i < 5; i++)
		assert_true(t->rec.a[1 + i].kind == COLO_ACT_RELEASE && t->rec.a[1 + i].cookie == T_P(i));
	assert_int_equal(stats(t).dropped, 0);
	t_eng_free(t);
}

static void test_pool_and_bytes_bounds_refuse_without_losing(void **state)
{
	(void)state;
	struct colo_config cfg;
	t_config(&cfg);
	cfg.max_frames = 3;
	struct t_eng *t = t_eng_new(&cfg);
	struct t_flow a;
	uint8_t p[T_MAX_FRAME];
	t_flow_v4(&a, 1, 2, 7, 9);
	uint32_t n = t_udp(p, &a, 1, PAY, 4);
	for (uint32_t i = 0; i < 3; i++)
		assert_int_equal(t_feed(t, COLO_PRIMARY, i, p, n, 0), COLO_FEED_TAKEN);
	/* no record left: checkpoint, and the caller keeps the frame */
	assert_int_equal(t_feed(t, COLO_PRIMARY, 3, p, n, 0), COLO_FEED_BUSY);
	assert_int_equal(t->rec.a[0].reason, COLO_REASON_POOL_FULL);
	/* secondary frames are still taken (dropped) while pending */
	assert_int_equal(t_feed(t, COLO_SECONDARY, 3, p, n, 0), COLO_FEED_TAKEN);
	assert_int_equal(t_count(&t->rec, COLO_ACT_DROP, T_S(3)), 1);
	assert_int_equal(stats(t).busy, 1);
	colo_checkpoint_done(t->e, 0);
	assert_int_equal(t_count_kind(&t->rec, COLO_ACT_RELEASE), 3);
	assert_int_equal(t_feed(t, COLO_PRIMARY, 3, p, n, 0), COLO_FEED_TAKEN);
	t_eng_free(t);

	t_config(&cfg);
	cfg.max_queued_bytes = 2 * n + 1;
	t = t_eng_new(&cfg);
	t_feed(t, COLO_PRIMARY, 0, p, n, 0);
	t_feed(t, COLO_PRIMARY, 1, p, n, 0);
	assert_int_equal(t->rec.n, 0);
	assert_int_equal(t_feed(t, COLO_PRIMARY, 2, p, n, 0), COLO_FEED_BUSY);
	assert_int_equal(t->rec.a[0].reason, COLO_REASON_BYTES_FULL);
	assert_int_equal(stats(t).bytes_queued, 2 * n);
	colo_checkpoint_done(t->e, 0);
	assert_int_equal(stats(t).bytes_queued, 0);
	t_eng_free(t);
}

static void test_connection_table_full_evicts_or_checkpoints(void **state)
{
	(void)state;
	struct colo_config cfg;
	t_config(&cfg);
	cfg.max_conns = 2;
	struct t_eng *t = t_eng_new(&cfg);
	struct t_flow a[3];
	uint8_t f[3][T_MAX_FRAME];
	uint32_t n[3];
	for (int i = 0; i < 3; i++) {
		t_flow_v4(&a[i], 1, 2, (uint16_t)(100 + i), 9);
		n[i] = t_udp(f[i], &a[i], 1, PAY, 4);
	}
	/* two flows with frames waiting: nothing can be evicted */
	t_feed(t, COLO_PRIMARY, 0, f[0], n[0], 0);
	t_feed(t, COLO_PRIMARY, 1, f[1], n[1], 1);
	assert_int_equal(t_feed(t, COLO_PRIMARY, 2, f[2], n[2], 2), COLO_FEED_TAKEN);
	assert_int_equal(t->rec.a[0].reason, COLO_REASON_CONN_FULL);
	colo_checkpoint_done(t->e, 3);
	assert_int_equal(t_count_kind(&t->rec, COLO_ACT_RELEASE), 3);

	/* now both are empty: the least recently used one is reused */
	t->rec.n = 0;
	t_feed(t, COLO_PRIMARY, 5, f[2], n[2], 10);
	t_feed(t, COLO_SECONDARY, 5, f[2], n[2], 10);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(5)), 1);
	struct colo_stats st = stats(t);
	assert_int_equal(st.conns_evicted, 1);
	assert_int_equal(st.conns_active, 2);
	t_eng_free(t);
}

static void test_idle_connections_are_reclaimed(void **state)
{
	(void)state;
	struct t_eng *t = t_eng_new(NULL);
	struct t_flow a;
	uint8_t p[T_MAX_FRAME];
	t_flow_v4(&a, 1, 2, 7, 9);
	uint32_t n = t_udp(p, &a, 1, PAY, 4);
	t_feed(t, COLO_PRIMARY, 1, p, n, 0);
	t_feed(t, COLO_SECONDARY, 1, p, n, 0);
	colo_scan(t->e, 99999);
	assert_int_equal(stats(t).conns_active, 1);
	colo_scan(t->e, 100009);
	struct colo_stats st = stats(t);
	assert_int_equal(st.conns_active, 0);
	assert_int_equal(st.conns_reclaimed_idle, 1);
	/* a connection holding a frame is not reclaimed under it */
	t_feed(t, COLO_PRIMARY, 2, p, n, 200000);
	colo_scan(t->e, 200000 + 100000);
	assert_int_equal(stats(t).conns_active, 1);
	t_eng_free(t);
}

static void test_many_connections_keep_chains_short(void **state)
{
	(void)state;
	struct colo_config cfg;
	t_config(&cfg);
	cfg.max_conns = 4096;
	cfg.max_frames = 8;
	struct t_eng *t = t_eng_new(&cfg);
	struct t_flow a;
	uint8_t p[T_MAX_FRAME];
	for (uint32_t i = 0; i < 4096; i++) {
		t_flow_v4(&a, 0x0a000001, 0x0a000002, (uint16_t)(1024 + i), 80);
		uint32_t n = t_udp(p, &a, 1, PAY, 4);
		t_feed(t, COLO_PRIMARY, i, p, n, i);
		t_feed(t, COLO_SECONDARY, i, p, n, i);
	}
	struct colo_stats st = stats(t);
	assert_int_equal(st.conns_active, 4096);
	assert_int_equal(st.matched, 4096);
	assert_true(st.hash_max_chain <= 12);
	assert_int_equal(st.conns_evicted, 0);
	t_eng_free(t);
}

static void test_engines_are_independent(void **state)
{
	(void)state;
	struct t_eng *x = t_eng_new(NULL), *y = t_eng_new(NULL);
	struct t_flow a;
	uint8_t p[T_MAX_FRAME];
	t_flow_v4(&a, 1, 2, 7, 9);
	uint32_t n = t_udp(p, &a, 1, PAY, 4);
	t_feed(x, COLO_PRIMARY, 1, p, n, 0);
	t_feed(y, COLO_SECONDARY, 1, p, n, 0);
	assert_int_equal(x->rec.n + y->rec.n, 0);
	assert_int_equal(stats(x).frames_queued[0], 1);
	assert_int_equal(stats(y).frames_queued[1], 1);
	t_eng_free(x);
	t_eng_free(y);
}

static void test_malformed_frames_are_compared_whole(void **state)
{
	(void)state;
	struct t_eng *t = t_eng_new(NULL);
	struct t_flow a;
	uint8_t p[T_MAX_FRAME], s[T_MAX_FRAME];
	t_flow_v4(&a, 1, 2, 7, 9);
	uint32_t n = t_udp(p, &a, 1, PAY, 4);
	t_put16(p + 16, 2000); /* bogus IP total length */
	memcpy(s, p, n);
	t_feed(t, COLO_PRIMARY, 1, p, n, 0);
	t_feed(t, COLO_SECONDARY, 1, s, n, 0);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(1)), 1);
	s[18] ^= 1; /* IP id: not ignored for a frame that is not understood */
	t_feed(t, COLO_PRIMARY, 2, p, n, 0);
	t_feed(t, COLO_SECONDARY, 2, s, n, 0);
	assert_int_equal(t->rec.a[t->rec.n - 1].reason, COLO_REASON_MISMATCH);
	colo_checkpoint_done(t->e, 0);
	uint8_t tiny[3] = { 1, 2, 3 };
	t_feed(t, COLO_PRIMARY, 3, tiny, 3, 0);
	t_feed(t, COLO_SECONDARY, 3, tiny, 3, 0);
	t_feed(t, COLO_PRIMARY, 4, tiny, 0, 0);
	t_feed(t, COLO_SECONDARY, 4, tiny, 0, 0);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(3)), 1);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(4)), 1);
	struct colo_stats st = stats(t);
	assert_int_equal(st.bad[COLO_BAD_IP_LENGTH], 4);
	assert_int_equal(st.bad[COLO_BAD_L2_TRUNCATED], 4);
	t_eng_free(t);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(colo_reason_name(COLO_REASON_MISMATCH), "mismatch");
	assert_string_equal(colo_reason_name(COLO_REASON_COUNT), "?");
	assert_string_equal(colo_bad_name(COLO_BAD_TCP_OPTION), "tcp-option");
	assert_string_equal(colo_bad_name(COLO_BAD_COUNT), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mem_size_and_init_validation),
		cmocka_unit_test(test_invalid_feed_arguments),
		cmocka_unit_test(test_udp_match_releases_primary_drops_secondary),
		cmocka_unit_test(test_udp_payload_mismatch_checkpoints_then_flush),
		cmocka_unit_test(test_ignored_and_compared_header_fields),
		cmocka_unit_test(test_frames_of_other_connections_do_not_pair),
		cmocka_unit_test(test_scan_period_and_secondary_timeout),
		cmocka_unit_test(test_clock_going_backwards_is_clamped),
		cmocka_unit_test(test_arp_and_non_ip_whole_frame),
		cmocka_unit_test(test_icmp_icmpv6_and_other_protocols),
		cmocka_unit_test(test_in_order_per_connection),
		cmocka_unit_test(test_full_queue_requests_checkpoint_and_keeps_frames),
		cmocka_unit_test(test_pool_and_bytes_bounds_refuse_without_losing),
		cmocka_unit_test(test_connection_table_full_evicts_or_checkpoints),
		cmocka_unit_test(test_idle_connections_are_reclaimed),
		cmocka_unit_test(test_many_connections_keep_chains_short),
		cmocka_unit_test(test_engines_are_independent),
		cmocka_unit_test(test_malformed_frames_are_compared_whole),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
