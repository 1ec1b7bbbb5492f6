/* TCP stream comparison: sequence offsets, segmentation, reordering,
 * retransmission, ACK gating, SYN/FIN/RST, connection reuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/net/colo/colo_test_util.h"

#define SYN 0x02
#define FIN 0x01
#define RST 0x04
#define PSH 0x08
#define ACK 0x10

static uint8_t DATA[4096];

/* One TCP direction as both replicas send it. Frames live in slots until
 * the test ends, since the engine keeps pointers to them. */
struct conn {
	struct t_eng *t;
	struct t_flow fl[2];
	uint32_t isn[2];
	uint16_t ip_id[2];
	uint8_t (*slot)[T_MAX_FRAME];
	uint32_t nslot;
};

static void conn_init(struct conn *c, struct t_eng *t, bool v6)
{
	memset(c, 0, sizeof(*c));
	c->t = t;
	if (v6)
		t_flow_v6(&c->fl[0], 1, 2, 43210, 443);
	else
		t_flow_v4(&c->fl[0], 0x0a000001, 0x0a000002, 43210, 443);
	c->fl[1] = c->fl[0];
	c->isn[0] = 0x10000000;
	c->isn[1] = 0xffffff80; /* wraps 128 bytes in */
	c->ip_id[0] = 100;
	c->ip_id[1] = 9000;
	c->slot = calloc(512, T_MAX_FRAME);
	assert_non_null(c->slot);
	for (int i = 0; i < 4096; i++)
		DATA[i] = (uint8_t)(i * 7 + (i >> 8) + 1);
}

static void conn_free(struct conn *c)
{
	free(c->slot);
	t_eng_free(c->t);
}

/* Send data bytes [off, off+len) of the stream (relative to the SYN), with
 * an explicit options blob for SYNs. Returns the feed result. */
static enum colo_feed_result seg_opts(struct conn *c, enum colo_side side, uint32_t id, uint32_t off, uint32_t len,
				      uint8_t flags, uint32_t ack, const uint8_t *opts, uint32_t optlen,
				      const uint8_t *data)
{
	assert_true(c->nslot < 512);
	uint8_t *f = c->slot[c->nslot++];
	uint32_t seq = c->isn[side] + off;
	uint8_t stream[T_MAX_FRAME];
	assert_true(len <= 1900);
	for (uint32_t i = 0; i < len; i++) /* content is a function of position */
		stream[i] = DATA[(off + i) % sizeof(DATA)];
	uint32_t n = t_tcp(f, &c->fl[side], c->ip_id[side]++, seq, ack, flags, opts, optlen, data ? data : stream, len);
	return t_feed(c->t, side, id, f, n, 0);
}

static enum colo_feed_result seg(struct conn *c, enum colo_side side, uint32_t id, uint32_t off, uint32_t len,
				 uint8_t flags, uint32_t ack)
{
	return seg_opts(c, side, id, off, len, flags, ack, NULL, 0, NULL);
}

static const uint8_t MSS1460[4] = { 2, 4, 0x05, 0xb4 };

static void handshake(struct conn *c)
{
	seg_opts(c, COLO_PRIMARY, 900, 0, 0, SYN, 0, MSS1460, 4, NULL);
	seg_opts(c, COLO_SECONDARY, 900, 0, 0, SYN, 0, MSS1460, 4, NULL);
	assert_int_equal(t_count(&c->t->rec, COLO_ACT_RELEASE, T_P(900)), 1);
	assert_int_equal(t_count(&c->t->rec, COLO_ACT_DROP, T_S(900)), 1);
}

static size_t released(struct conn *c, uint32_t id)
{
	return t_count(&c->t->rec, COLO_ACT_RELEASE, T_P(id));
}

static size_t dropped(struct conn *c, uint32_t id)
{
	return t_count(&c->t->rec, COLO_ACT_DROP, T_S(id));
}

static size_t checkpoints(struct conn *c)
{
	return t_count_kind(&c->t->rec, COLO_ACT_CHECKPOINT);
}

static struct colo_stats stats(struct conn *c)
{
	struct colo_stats s;
	colo_get_stats(c->t->e, &s);
	return s;
}

static void test_different_isn_and_ip_id_match(void **state)
{
	(void)state;
	struct conn c;
	conn_init(&c, t_eng_new(NULL), false);
	handshake(&c);
	seg(&c, COLO_PRIMARY, 1, 1, 100, ACK | PSH, 5000);
	assert_int_equal(released(&c, 1), 0);
	seg(&c, COLO_SECONDARY, 1, 1, 100, ACK | PSH, 5000);
	assert_int_equal(released(&c, 1), 1);
	assert_int_equal(dropped(&c, 1), 1);
	/* the secondary's sequence numbers wrap past 2^32 here */
	seg(&c, COLO_PRIMARY, 2, 101, 1400, ACK, 5000);
	seg(&c, COLO_SECONDARY, 2, 101, 1400, ACK, 5000);
	assert_int_equal(released(&c, 2), 1);
	assert_int_equal(checkpoints(&c), 0);
	assert_int_equal(stats(&c).frames_tcp, 6);
	conn_free(&c);
}

static void test_segmentation_differences(void **state)
{
	(void)state;
	struct conn c;
	conn_init(&c, t_eng_new(NULL), false);
	handshake(&c);
	/* primary one segment, secondary two */
	seg(&c, COLO_PRIMARY, 1, 1, 1000, ACK, 7);
	seg(&c, COLO_SECONDARY, 1, 1, 500, ACK, 7);
	assert_int_equal(dropped(&c, 1), 1);
	assert_int_equal(released(&c, 1), 0);
	seg(&c, COLO_SECONDARY, 2, 501, 500, ACK, 7);
	assert_int_equal(dropped(&c, 2), 1);
	assert_int_equal(released(&c, 1), 1);
	/* primary three segments, secondary one */
	seg(&c, COLO_PRIMARY, 2, 1001, 300, ACK, 7);
	seg(&c, COLO_PRIMARY, 3, 1301, 300, ACK, 7);
	seg(&c, COLO_PRIMARY, 4, 1601, 400, ACK, 7);
	assert_int_equal(released(&c, 2) + released(&c, 3) + released(&c, 4), 0);
	seg(&c, COLO_SECONDARY, 3, 1001, 1000, ACK, 7);
	long r2 = t_index(&c.t->rec, COLO_ACT_RELEASE, T_P(2));
	long r3 = t_index(&c.t->rec, COLO_ACT_RELEASE, T_P(3));
	long r4 = t_index(&c.t->rec, COLO_ACT_RELEASE, T_P(4));
	assert_true(r2 >= 0 && r3 > r2 && r4 > r3);
	assert_int_equal(dropped(&c, 3), 1);
	/* overlapping boundaries: P 250+250, S 100+400 */
	seg(&c, COLO_PRIMARY, 5, 2001, 250, ACK, 7);
	seg(&c, COLO_SECONDARY, 4, 2001, 100, ACK, 7);
	seg(&c, COLO_PRIMARY, 6, 2251, 250, ACK, 7);
	seg(&c, COLO_SECONDARY, 5, 2101, 400, ACK, 7);
	assert_int_equal(released(&c, 5) + released(&c, 6), 2);
	assert_int_equal(dropped(&c, 4) + dropped(&c, 5), 2);
	assert_int_equal(checkpoints(&c), 0);
	conn_free(&c);
}

static void test_payload_difference_inside_a_segment(void **state)
{
	(void)state;
	struct conn c;
	conn_init(&c, t_eng_new(NULL), false);
	handshake(&c);
	uint8_t other[1000];
	for (uint32_t i = 0; i < sizeof(other); i++)
		other[i] = DATA[(1 + i) % sizeof(DATA)];
	other[700] ^= 0x40;
	seg(&c, COLO_PRIMARY, 1, 1, 1000, ACK, 7);
	seg(&c, COLO_SECONDARY, 1, 1, 500, ACK, 7); /* first half equal */
	assert_int_equal(dropped(&c, 1), 1);
	seg_opts(&c, COLO_SECONDARY, 2, 501, 500, ACK, 7, NULL, 0, other + 500);
	assert_int_equal(checkpoints(&c), 1);
	assert_int_equal(c.t->rec.a[c.t->rec.n - 1].reason, COLO_REASON_MISMATCH);
	assert_int_equal(released(&c, 1), 0);
	colo_checkpoint_done(c.t->e, 0);
	assert_int_equal(released(&c, 1), 1);
	assert_int_equal(dropped(&c, 2), 1);
	conn_free(&c);
}

static void test_out_of_order_segments(void **state)
{
	(void)state;
	struct conn c;
	conn_init(&c, t_eng_new(NULL), false);
	handshake(&c);
	seg(&c, COLO_PRIMARY, 2, 101, 100, ACK, 7);
	seg(&c, COLO_PRIMARY, 3, 201, 100, ACK, 7);
	seg(&c, COLO_PRIMARY, 1, 1, 100, ACK, 7);
	seg(&c, COLO_SECONDARY, 3, 201, 100, ACK, 7);
	seg(&c, COLO_SECONDARY, 1, 1, 100, ACK, 7);
	assert_int_equal(released(&c, 1), 1);
	assert_int_equal(released(&c, 2), 0); /* byte 101..200 not yet seen */
	assert_int_equal(dropped(&c, 3), 0);
	seg(&c, COLO_SECONDARY, 2, 101, 100, ACK, 7);
	long r1 = t_index(&c.t->rec, COLO_ACT_RELEASE, T_P(1));
	long r2 = t_index(&c.t->rec, COLO_ACT_RELEASE, T_P(2));
	long r3 = t_index(&c.t->rec, COLO_ACT_RELEASE, T_P(3));
	assert_true(r1 >= 0 && r2 > r1 && r3 > r2); /* sequence order */
	assert_int_equal(dropped(&c, 2) + dropped(&c, 3), 2);
	assert_true(stats(&c).tcp_out_of_order >= 2);
	assert_int_equal(checkpoints(&c), 0);
	conn_free(&c);
}

static void test_hole_waits_then_times_out(void **state)
{
	(void)state;
	struct conn c;
	conn_init(&c, t_eng_new(NULL), false);
	handshake(&c);
	seg(&c, COLO_PRIMARY, 1, 101, 100, ACK, 7); /* bytes 1..100 missing */
	seg(&c, COLO_SECONDARY, 1, 101, 100, ACK, 7);
	assert_int_equal(released(&c, 1), 0);
	colo_scan(c.t->e, 0);
	colo_scan(c.t->e, 2000);
	assert_int_equal(checkpoints(&c), 1);
	assert_int_equal(c.t->rec.a[c.t->rec.n - 1].reason, COLO_REASON_PRIMARY_TIMEOUT);
	conn_free(&c);
}

static void test_retransmissions(void **state)
{
	(void)state;
	struct conn c;
	conn_init(&c, t_eng_new(NULL), false);
	handshake(&c);
	seg(&c, COLO_PRIMARY, 1, 1, 100, ACK, 7);
	seg(&c, COLO_SECONDARY, 1, 1, 100, ACK, 7);
	seg(&c, COLO_PRIMARY, 2, 1, 100, ACK, 7); /* already compared */
	assert_int_equal(released(&c, 2), 1);
	seg(&c, COLO_SECONDARY, 2, 1, 100, ACK, 7);
	assert_int_equal(dropped(&c, 2), 1);
	/* partial retransmission overlapping new data: compared past the cursor */
	seg(&c, COLO_PRIMARY, 3, 51, 100, ACK, 7);
	seg(&c, COLO_SECONDARY, 3, 101, 50, ACK, 7);
	assert_int_equal(released(&c, 3), 1);
	assert_int_equal(stats(&c).tcp_retransmit, 2);
	assert_int_equal(checkpoints(&c), 0);
	conn_free(&c);
}

static void test_ack_gating_and_pure_acks(void **state)
{
	(void)state;
	struct conn c;
	conn_init(&c, t_eng_new(NULL), false);
	handshake(&c);
	/* the primary acknowledges more of the peer's data than the secondary */
	seg(&c, COLO_PRIMARY, 1, 1, 100, ACK, 2000);
	seg(&c, COLO_SECONDARY, 1, 1, 100, ACK, 1500);
	assert_int_equal(dropped(&c, 1), 1);
	assert_int_equal(released(&c, 1), 0);
	/* pure ACK from the primary waits for the same condition */
	seg(&c, COLO_PRIMARY, 2, 101, 0, ACK, 2500);
	assert_int_equal(released(&c, 2), 0);
	seg(&c, COLO_SECONDARY, 2, 101, 0, ACK, 2000); /* dropped at once */
	assert_int_equal(dropped(&c, 2), 1);
	assert_int_equal(released(&c, 1), 1);
	assert_int_equal(released(&c, 2), 0);
	seg(&c, COLO_SECONDARY, 3, 101, 0, ACK, 2600);
	assert_int_equal(released(&c, 2), 1);
	assert_int_equal(stats(&c).tcp_pure_ack, 3);
	/* a pure ACK the secondary never matches times out */
	seg(&c, COLO_PRIMARY, 3, 101, 0, ACK, 9999);
	colo_scan(c.t->e, 0);
	colo_scan(c.t->e, 5000);
	assert_int_equal(checkpoints(&c), 1);
	conn_free(&c);
}

static void test_syn_options_compared(void **state)
{
	(void)state;
	struct conn c;
	conn_init(&c, t_eng_new(NULL), false);
	const uint8_t mss1400[4] = { 2, 4, 0x05, 0x78 };
	seg_opts(&c, COLO_PRIMARY, 1, 0, 0, SYN, 0, MSS1460, 4, NULL);
	seg_opts(&c, COLO_SECONDARY, 1, 0, 0, SYN, 0, mss1400, 4, NULL);
	assert_int_equal(checkpoints(&c), 1);
	conn_free(&c);

	/* a timestamp option differing is fine */
	conn_init(&c, t_eng_new(NULL), false);
	const uint8_t ts1[16] = { 2, 4, 5, 0xb4, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0 };
	const uint8_t ts2[16] = { 2, 4, 5, 0xb4, 8, 10, 0, 9, 9, 9, 0, 0, 0, 0, 1, 0 };
	seg_opts(&c, COLO_PRIMARY, 1, 0, 0, SYN, 0, ts1, 16, NULL);
	seg_opts(&c, COLO_SECONDARY, 1, 0, 0, SYN, 0, ts2, 16, NULL);
	assert_int_equal(checkpoints(&c), 0);
	assert_int_equal(released(&c, 1), 1);
	conn_free(&c);
}

static void test_flag_mismatches(void **state)
{
	(void)state;
	struct conn c;
	conn_init(&c, t_eng_new(NULL), false);
	handshake(&c);
	seg(&c, COLO_PRIMARY, 1, 1, 10, ACK | FIN, 7);
	seg(&c, COLO_SECONDARY, 1, 1, 10, ACK, 7); /* same data, no FIN */
	assert_int_equal(checkpoints(&c), 0);
	assert_int_equal(dropped(&c, 1), 1);
	seg(&c, COLO_SECONDARY, 2, 11, 5, ACK, 7); /* more data where P ended */
	assert_int_equal(checkpoints(&c), 1);
	conn_free(&c);

	conn_init(&c, t_eng_new(NULL), false);
	handshake(&c);
	seg(&c, COLO_PRIMARY, 1, 1, 0, RST, 0);
	seg(&c, COLO_SECONDARY, 1, 1, 10, ACK, 7);
	assert_int_equal(checkpoints(&c), 1);
	conn_free(&c);

	/* TTL differs */
	conn_init(&c, t_eng_new(NULL), false);
	c.fl[1].ttl = 128;
	seg(&c, COLO_PRIMARY, 1, 1, 10, ACK, 7);
	seg(&c, COLO_SECONDARY, 1, 1, 10, ACK, 7);
	assert_int_equal(checkpoints(&c), 1);
	conn_free(&c);
}

static void test_fin_closes_and_connection_is_reclaimed_then_reused(void **state)
{
	(void)state;
	struct conn c;
	conn_init(&c, t_eng_new(NULL), false);
	handshake(&c);
	seg(&c, COLO_PRIMARY, 1, 1, 10, ACK | FIN, 7);
	seg(&c, COLO_SECONDARY, 1, 1, 5, ACK, 7); /* FIN segmented apart */
	seg(&c, COLO_SECONDARY, 2, 6, 5, ACK | FIN, 7);
	assert_int_equal(released(&c, 1), 1);
	assert_int_equal(checkpoints(&c), 0);
	/* trailing ACK after FIN still works */
	seg(&c, COLO_PRIMARY, 2, 12, 0, ACK, 8);
	seg(&c, COLO_SECONDARY, 3, 12, 0, ACK, 8);
	assert_int_equal(released(&c, 2), 1);

	/* same ports, new ISNs: a new connection */
	c.isn[0] = 0x22222222;
	c.isn[1] = 0x33333333;
	seg_opts(&c, COLO_PRIMARY, 3, 0, 0, SYN, 0, MSS1460, 4, NULL);
	seg_opts(&c, COLO_SECONDARY, 4, 0, 0, SYN, 0, MSS1460, 4, NULL);
	seg(&c, COLO_PRIMARY, 4, 1, 50, ACK, 1);
	seg(&c, COLO_SECONDARY, 5, 1, 50, ACK, 1);
	assert_int_equal(released(&c, 3) + released(&c, 4), 2);
	assert_int_equal(checkpoints(&c), 0);

	seg(&c, COLO_PRIMARY, 5, 51, 0, ACK | RST, 1);
	seg(&c, COLO_SECONDARY, 6, 51, 0, ACK | RST, 1);
	assert_int_equal(released(&c, 5), 1);
	assert_int_equal(dropped(&c, 6), 1);
	colo_scan(c.t->e, 0);
	colo_scan(c.t->e, 4999);
	assert_int_equal(stats(&c).conns_active, 1);
	colo_scan(c.t->e, 5009);
	struct colo_stats st = stats(&c);
	assert_int_equal(st.conns_active, 0);
	assert_int_equal(st.conns_reclaimed_closed, 1);
	conn_free(&c);
}

static void test_stream_joined_mid_way_and_after_checkpoint(void **state)
{
	(void)state;
	struct conn c;
	conn_init(&c, t_eng_new(NULL), false);
	/* no SYN seen: the first pair aligns the streams */
	seg(&c, COLO_PRIMARY, 1, 5001, 100, ACK, 7);
	seg(&c, COLO_SECONDARY, 1, 5001, 100, ACK, 7);
	assert_int_equal(released(&c, 1), 1);
	/* mismatch, checkpoint: afterwards the replicas are identical */
	uint8_t bad[100];
	memset(bad, 0, sizeof(bad));
	seg(&c, COLO_PRIMARY, 2, 5101, 100, ACK, 7);
	seg_opts(&c, COLO_SECONDARY, 2, 5101, 100, ACK, 7, NULL, 0, bad);
	assert_int_equal(checkpoints(&c), 1);
	colo_checkpoint_done(c.t->e, 0);
	c.isn[1] = c.isn[0];
	seg(&c, COLO_PRIMARY, 3, 5201, 100, ACK, 7);
	seg(&c, COLO_SECONDARY, 3, 5201, 100, ACK, 7);
	assert_int_equal(released(&c, 3), 1);
	assert_int_equal(checkpoints(&c), 1);
	conn_free(&c);
}

static void test_ipv6_tcp_over_vlan(void **state)
{
	(void)state;
	struct conn c;
	conn_init(&c, t_eng_new(NULL), true);
	for (int s = 0; s < 2; s++) {
		c.fl[s].nvlan = 2;
		c.fl[s].tpid[0] = 0x88a8;
		c.fl[s].vid[0] = 10;
		c.fl[s].vid[1] = 20;
	}
	c.fl[0].flow_label = 1;
	c.fl[1].flow_label = 2;
	handshake(&c);
	seg(&c, COLO_PRIMARY, 1, 1, 1200, ACK, 1);
	seg(&c, COLO_SECONDARY, 1, 1, 600, ACK, 1);
	seg(&c, COLO_SECONDARY, 2, 601, 600, ACK, 1);
	assert_int_equal(released(&c, 1), 1);
	assert_int_equal(checkpoints(&c), 0);
	assert_int_equal(stats(&c).frames_vlan, 5);
	conn_free(&c);
}

static void test_padding_and_both_directions(void **state)
{
	(void)state;
	struct t_eng *t = t_eng_new(NULL);
	struct t_flow a, b;
	uint8_t f[4][T_MAX_FRAME];
	t_flow_v4(&a, 1, 2, 1000, 2000);
	t_flow_v4(&b, 2, 1, 2000, 1000);
	/* a short segment padded to 60 bytes with different garbage */
	for (int i = 0; i < 64; i++)
		DATA[i] = (uint8_t)(i + 1);
	uint32_t n = t_tcp(f[0], &a, 1, 100, 1, ACK, NULL, 0, DATA, 2);
	t_tcp(f[1], &a, 2, 900, 1, ACK, NULL, 0, DATA, 2);
	memset(f[0] + n, 0xaa, 60 - n);
	memset(f[1] + n, 0xbb, 60 - n);
	t_feed(t, COLO_PRIMARY, 1, f[0], 60, 0);
	t_feed(t, COLO_SECONDARY, 1, f[1], 60, 0);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(1)), 1);
	/* the reverse direction is its own stream in the same connection */
	n = t_tcp(f[2], &b, 1, 5000, 1, ACK, NULL, 0, DATA + 9, 10);
	t_tcp(f[3], &b, 2, 7000, 1, ACK, NULL, 0, DATA + 9, 10);
	t_feed(t, COLO_PRIMARY, 2, f[2], n, 0);
	t_feed(t, COLO_SECONDARY, 2, f[3], n, 0);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(2)), 1);
	struct colo_stats st;
	colo_get_stats(t->e, &st);
	assert_int_equal(st.conns_active, 1);
	assert_int_equal(st.checkpoints, 0);
	t_eng_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_different_isn_and_ip_id_match),
		cmocka_unit_test(test_segmentation_differences),
		cmocka_unit_test(test_payload_difference_inside_a_segment),
		cmocka_unit_test(test_out_of_order_segments),
		cmocka_unit_test(test_hole_waits_then_times_out),
		cmocka_unit_test(test_retransmissions),
		cmocka_unit_test(test_ack_gating_and_pure_acks),
		cmocka_unit_test(test_syn_options_compared),
		cmocka_unit_test(test_flag_mismatches),
		cmocka_unit_test(test_fin_closes_and_connection_is_reclaimed_then_reused),
		cmocka_unit_test(test_stream_joined_mid_way_and_after_checkpoint),
		cmocka_unit_test(test_ipv6_tcp_over_vlan),
		cmocka_unit_test(test_padding_and_both_directions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
