/* Parser and hash: classification, keys, and every malformed-header rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/colo/bytes.h"
#include "net/colo/parse.h"
#include "net/colo/siphash.h"
#include "tests/unit/net/colo/colo_test_util.h"

static const uint8_t PAY[8] = { 'p', 'a', 'y', 'l', 'o', 'a', 'd', '!' };

static void test_byte_loads_are_network_order(void **state)
{
	(void)state;
	const uint8_t b[8] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0 };
	assert_int_equal(be16_load(b), 0x1234);
	assert_int_equal(be32_load(b), 0x12345678u);
	assert_true(le64_load(b) == 0xf0debc9a78563412ULL);
	assert_true(colo_seq_lt(0xfffffff0u, 0x10));
	assert_false(colo_seq_lt(0x10, 0xfffffff0u));
	assert_true(colo_seq_le(5, 5));
}

static void test_siphash_reference_vectors(void **state)
{
	(void)state;
	/* From the SipHash paper: key 00..0f, messages 00..(len-1). */
	const uint64_t k[2] = { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL };
	uint8_t m[15];
	for (int i = 0; i < 15; i++)
		m[i] = (uint8_t)i;
	assert_true(colo_siphash24(k, m, 0) == 0x726fdb47dd0e0e31ULL);
	assert_true(colo_siphash24(k, m, 15) == 0xa129ca6149be45e5ULL);
	const uint64_t k2[2] = { 1, 0x0f0e0d0c0b0a0908ULL };
	assert_true(colo_siphash24(k2, m, 15) != 0xa129ca6149be45e5ULL);
}

static void test_tcp_ipv4_fields(void **state)
{
	(void)state;
	struct t_flow fl;
	uint8_t f[T_MAX_FRAME];
	struct colo_frame_info fi;
	const uint8_t mss[4] = { 2, 4, 0x05, 0xb4 };
	t_flow_v4(&fl, 0x0a000001, 0x0a000002, 40000, 80);
	uint32_t n = t_tcp(f, &fl, 77, 0x11223344, 0x55667788, 0x12, mss, 4, PAY, sizeof(PAY));
	colo_parse(f, n, &fi);
	assert_int_equal(fi.bad, COLO_BAD_NONE);
	assert_int_equal(fi.cls, COLO_CLS_TCP);
	assert_int_equal(fi.ip_version, 4);
	assert_int_equal(fi.l3_off, 14);
	assert_int_equal(fi.cmp_len, n);
	assert_int_equal(fi.seq, 0x11223344u);
	assert_int_equal(fi.ack, 0x55667788u);
	assert_int_equal(fi.tcp_flags, 0x12);
	assert_int_equal(fi.payload_len, sizeof(PAY));
	assert_memory_equal(f + fi.payload_off, PAY, sizeof(PAY));
	assert_int_equal(fi.syn_opts >> 16, 1460);
	/* IP id and checksum are the masked ranges */
	assert_int_equal(fi.mask_off[0], 14 + 4);
	assert_int_equal(fi.mask_off[1], 14 + 10);
	assert_int_equal(fi.key.b[36], 6);
	assert_int_equal(fi.key.b[37], COLO_CLS_TCP);
	/* lower address first: 10.0.0.1 port 40000 */
	assert_int_equal(fi.key.b[15], 1);
	assert_int_equal(be16_load(fi.key.b + 32), 40000);
	assert_int_equal(fi.dir, 0);
}

static void test_key_is_direction_independent(void **state)
{
	(void)state;
	struct t_flow a, b;
	uint8_t f1[T_MAX_FRAME], f2[T_MAX_FRAME];
	struct colo_frame_info x, y;
	t_flow_v4(&a, 0x0a000009, 0x0a000002, 1234, 80);
	t_flow_v4(&b, 0x0a000002, 0x0a000009, 80, 1234);
	colo_parse(f1, t_tcp(f1, &a, 1, 1, 1, 0x10, NULL, 0, PAY, 4), &x);
	colo_parse(f2, t_tcp(f2, &b, 1, 1, 1, 0x10, NULL, 0, PAY, 4), &y);
	assert_memory_equal(x.key.b, y.key.b, COLO_KEY_LEN);
	assert_int_not_equal(x.dir, y.dir);
	/* a different port is a different connection */
	b.sport = 81;
	colo_parse(f2, t_tcp(f2, &b, 1, 1, 1, 0x10, NULL, 0, PAY, 4), &y);
	assert_memory_not_equal(x.key.b, y.key.b, COLO_KEY_LEN);
	/* same addresses, ports order decides direction */
	t_flow_v4(&a, 0x0a000001, 0x0a000001, 9, 7);
	colo_parse(f1, t_udp(f1, &a, 1, PAY, 4), &x);
	assert_int_equal(x.dir, 1);
	assert_int_equal(be16_load(x.key.b + 32), 7);
}

static void test_vlan_and_qinq(void **state)
{
	(void)state;
	struct t_flow fl;
	uint8_t f[T_MAX_FRAME];
	struct colo_frame_info fi, plain;
	t_flow_v4(&fl, 1, 2, 10, 20);
	colo_parse(f, t_udp(f, &fl, 1, PAY, 8), &plain);

	fl.nvlan = 1;
	fl.vid[0] = 100;
	colo_parse(f, t_udp(f, &fl, 1, PAY, 8), &fi);
	assert_int_equal(fi.cls, COLO_CLS_UDP);
	assert_int_equal(fi.l3_off, 18);
	assert_int_equal(fi.vlan_tags, 1);
	assert_int_equal(be16_load(fi.key.b + 40), 100);
	assert_memory_not_equal(fi.key.b, plain.key.b, COLO_KEY_LEN);

	fl.nvlan = 2;
	fl.tpid[0] = 0x88a8;
	fl.vid[1] = 7;
	colo_parse(f, t_udp(f, &fl, 1, PAY, 8), &fi);
	assert_int_equal(fi.cls, COLO_CLS_UDP);
	assert_int_equal(fi.l3_off, 22);
	assert_int_equal(fi.vlan_tags, 2);
	assert_int_equal(be16_load(fi.key.b + 42), 7);

	/* a third tag is not parsed: the frame is compared whole, no fault */
	uint8_t g[T_MAX_FRAME];
	uint32_t n = t_udp(f, &fl, 1, PAY, 8);
	memcpy(g, f, 20);
	t_put16(g + 20, 0x8100);
	t_put16(g + 22, 3);
	memcpy(g + 24, f + 20, n - 20);
	colo_parse(g, n + 4, &fi);
	assert_int_equal(fi.cls, COLO_CLS_RAW);
	assert_int_equal(fi.bad, COLO_BAD_NONE);
	assert_int_equal(fi.cmp_len, n + 4);

	/* tag cut short */
	colo_parse(f, 17, &fi);
	assert_int_equal(fi.cls, COLO_CLS_RAW);
	assert_int_equal(fi.bad, COLO_BAD_L2_TRUNCATED);
}

static void test_ethernet_padding_is_not_compared(void **state)
{
	(void)state;
	struct t_flow fl;
	uint8_t f[T_MAX_FRAME];
	struct colo_frame_info fi;
	t_flow_v4(&fl, 1, 2, 10, 20);
	uint32_t n = t_udp(f, &fl, 1, PAY, 2);
	memset(f + n, 0xee, 60 - n);
	colo_parse(f, 60, &fi);
	assert_int_equal(fi.bad, COLO_BAD_NONE);
	assert_int_equal(fi.cmp_len, n);
}

static void test_bad_ipv4_headers(void **state)
{
	(void)state;
	struct t_flow fl;
	uint8_t f[T_MAX_FRAME];
	struct colo_frame_info fi;
	t_flow_v4(&fl, 1, 2, 10, 20);
	uint32_t n = t_udp(f, &fl, 1, PAY, 8);

	f[14] = 0x44; /* IHL 4 */
	colo_parse(f, n, &fi);
	assert_int_equal(fi.bad, COLO_BAD_IP_HEADER);
	assert_int_equal(fi.cls, COLO_CLS_RAW);
	f[14] = 0x55; /* version 5 */
	colo_parse(f, n, &fi);
	assert_int_equal(fi.bad, COLO_BAD_IP_HEADER);
	f[14] = 0x4f; /* 60-byte header in a 50-byte packet */
	colo_parse(f, 14 + 40, &fi);
	assert_int_equal(fi.bad, COLO_BAD_L3_TRUNCATED);
	f[14] = 0x45;
	t_put16(f + 16, (uint16_t)(n - 14 + 1)); /* total length beyond frame */
	colo_parse(f, n, &fi);
	assert_int_equal(fi.bad, COLO_BAD_IP_LENGTH);
	t_put16(f + 16, 19); /* below header length */
	colo_parse(f, n, &fi);
	assert_int_equal(fi.bad, COLO_BAD_IP_LENGTH);
	colo_parse(f, 14 + 19, &fi);
	assert_int_equal(fi.bad, COLO_BAD_L3_TRUNCATED);
	/* the raw fallback compares the whole frame, keyed by MACs */
	assert_int_equal(fi.cmp_len, 14 + 19);
	assert_int_equal(fi.mask_len[0] + fi.mask_len[1], 0);
}

static uint32_t tcp_with_opts(uint8_t *f, const uint8_t *opts, uint32_t n)
{
	struct t_flow fl;
	t_flow_v4(&fl, 1, 2, 10, 20);
	return t_tcp(f, &fl, 1, 100, 0, 0x02, opts, n, NULL, 0);
}

static void test_bad_tcp_headers_and_options(void **state)
{
	(void)state;
	uint8_t f[T_MAX_FRAME];
	struct colo_frame_info fi;
	uint32_t n = tcp_with_opts(f, NULL, 0);
	uint32_t l4 = 34;

	f[l4 + 12] = 0x40; /* data offset 16 */
	colo_parse(f, n, &fi);
	assert_int_equal(fi.bad, COLO_BAD_L4_HEADER);
	f[l4 + 12] = 0x60; /* 24 bytes in a 20-byte segment */
	colo_parse(f, n, &fi);
	assert_int_equal(fi.bad, COLO_BAD_L4_HEADER);
	t_put16(f + 16, 20 + 19); /* 19-byte TCP segment */
	colo_parse(f, 14 + 39, &fi);
	assert_int_equal(fi.bad, COLO_BAD_L4_TRUNCATED);

	const uint8_t overrun[4] = { 2, 10, 5, 0xb4 };    /* MSS claims 10 bytes */
	const uint8_t zero_len[4] = { 8, 0, 1, 1 };       /* length 0 */
	const uint8_t one_len[4] = { 1, 1, 8, 1 };        /* length 1 */
	const uint8_t no_len[4] = { 1, 1, 1, 3 };         /* kind in last byte */
	const uint8_t ok[8] = { 1, 3, 3, 7, 4, 2, 0, 0 }; /* NOP WS SACKOK EOL */
	n = tcp_with_opts(f, overrun, 4);
	colo_parse(f, n, &fi);
	assert_int_equal(fi.bad, COLO_BAD_TCP_OPTION);
	n = tcp_with_opts(f, zero_len, 4);
	colo_parse(f, n, &fi);
	assert_int_equal(fi.bad, COLO_BAD_TCP_OPTION);
	n = tcp_with_opts(f, one_len, 4);
	colo_parse(f, n, &fi);
	assert_int_equal(fi.bad, COLO_BAD_TCP_OPTION);
	n = tcp_with_opts(f, no_len, 4);
	colo_parse(f, n, &fi);
	assert_int_equal(fi.bad, COLO_BAD_TCP_OPTION);
	n = tcp_with_opts(f, ok, 8);
	colo_parse(f, n, &fi);
	assert_int_equal(fi.bad, COLO_BAD_NONE);
	assert_int_equal(fi.syn_opts, (7 + 1) << 8 | 1);
	assert_int_equal(fi.payload_len, 0);
}

static void test_bad_udp_and_icmp(void **state)
{
	(void)state;
	struct t_flow fl;
	uint8_t f[T_MAX_FRAME];
	struct colo_frame_info fi;
	t_flow_v4(&fl, 1, 2, 10, 20);
	uint32_t n = t_udp(f, &fl, 1, NULL, 0);
	colo_parse(f, n, &fi);
	assert_int_equal(fi.cls, COLO_CLS_UDP);
	assert_true(fi.zero_payload);
	t_put16(f + 34 + 4, 7);
	colo_parse(f, n, &fi);
	assert_int_equal(fi.bad, COLO_BAD_L4_HEADER);
	t_put16(f + 34 + 4, 9);
	colo_parse(f, n, &fi);
	assert_int_equal(fi.bad, COLO_BAD_L4_HEADER);
	t_put16(f + 16, 20 + 7);
	colo_parse(f, 14 + 27, &fi);
	assert_int_equal(fi.bad, COLO_BAD_L4_TRUNCATED);

	n = t_icmp(f, &fl, 1, 8, PAY, 4);
	colo_parse(f, n, &fi);
	assert_int_equal(fi.cls, COLO_CLS_ICMP);
	t_put16(f + 16, 20 + 3);
	colo_parse(f, 14 + 23, &fi);
	assert_int_equal(fi.bad, COLO_BAD_L4_TRUNCATED);
}

static void test_ipv6_extension_headers(void **state)
{
	(void)state;
	struct t_flow fl;
	uint8_t l4[64], f[T_MAX_FRAME], g[T_MAX_FRAME];
	struct colo_frame_info fi;
	t_flow_v6(&fl, 1, 2, 10, 20);
	fl.flow_label = 0x12345;
	uint32_t n = t_udp(f, &fl, 0, PAY, 8);
	colo_parse(f, n, &fi);
	assert_int_equal(fi.cls, COLO_CLS_UDP);
	assert_int_equal(fi.ip_version, 6);
	assert_int_equal(fi.mask_off[0], 15);
	assert_int_equal(fi.mask_len[0], 3);

	/* hop-by-hop (8) + destination options (16) in front of the UDP */
	uint32_t udp_len = n - 54;
	memcpy(l4, f + 54, udp_len);
	memcpy(g, f, 54);
	g[20] = 0; /* next: hop-by-hop */
	uint8_t *x = g + 54;
	memset(x, 0, 24);
	x[0] = 60;
	x[1] = 0; /* hop-by-hop, 8 bytes, next dstopts */
	x[8] = 17;
	x[9] = 1; /* dstopts, 16 bytes, next UDP */
	x[10] = 1;
	x[11] = 12; /* PadN */
	memcpy(x + 24, l4, udp_len);
	t_put16(g + 18, (uint16_t)(24 + udp_len));
	colo_parse(g, n + 24, &fi);
	assert_int_equal(fi.bad, COLO_BAD_NONE);
	assert_int_equal(fi.cls, COLO_CLS_UDP);
	assert_int_equal(fi.key.b[36], 17);

	x[9] = 200; /* dstopts claims 1608 bytes */
	colo_parse(g, n + 24, &fi);
	assert_int_equal(fi.bad, COLO_BAD_IP6_EXT);
	x[9] = 1;
	colo_parse(g, 54 + 12, &fi); /* cut inside the headers */
	assert_int_equal(fi.bad, COLO_BAD_IP_LENGTH);

	/* nine chained destination-option headers: over the limit */
	uint8_t h[T_MAX_FRAME];
	memcpy(h, f, 54);
	h[20] = 60;
	for (int i = 0; i < 9; i++) {
		memset(h + 54 + 8 * i, 0, 8);
		h[54 + 8 * i] = i < 8 ? 60 : 59;
	}
	t_put16(h + 18, 72);
	colo_parse(h, 54 + 72, &fi);
	assert_int_equal(fi.bad, COLO_BAD_IP6_EXT);
	h[20] = 59; /* no next header: other IP, no payload */
	colo_parse(h, 54 + 72, &fi);
	assert_int_equal(fi.cls, COLO_CLS_IP_OTHER);
}

static void test_fragments_detected(void **state)
{
	(void)state;
	struct t_flow fl;
	uint8_t f[T_MAX_FRAME];
	uint8_t l4[64] = { 0 };
	struct colo_frame_info fi;
	t_flow_v4(&fl, 1, 2, 0, 0);

	colo_parse(f, t_ip_frame(f, &fl, 17, 0x4242, l4, 16, 0, true), &fi);
	assert_int_equal(fi.cls, COLO_CLS_FRAG);
	assert_int_equal(fi.frag_id, 0x4242);
	assert_true(fi.frag_more);
	colo_parse(f, t_ip_frame(f, &fl, 17, 0x4242, l4, 5, 16, false), &fi);
	assert_int_equal(fi.cls, COLO_CLS_FRAG);
	assert_int_equal(fi.frag_off, 16);
	assert_int_equal(fi.frag_len, 5);
	/* a non-final fragment must carry a multiple of 8 bytes */
	colo_parse(f, t_ip_frame(f, &fl, 17, 1, l4, 12, 0, true), &fi);
	assert_int_equal(fi.bad, COLO_BAD_FRAGMENT);
	/* and may not reach past 64 KiB */
	colo_parse(f, t_ip_frame(f, &fl, 17, 1, l4, 16, 65528, false), &fi);
	assert_int_equal(fi.bad, COLO_BAD_FRAGMENT);

	t_flow_v6(&fl, 1, 2, 0, 0);
	colo_parse(f, t_ip_frame(f, &fl, 17, 0xdeadbeef, l4, 16, 0, true), &fi);
	assert_int_equal(fi.cls, COLO_CLS_FRAG);
	assert_int_equal(fi.frag_id, 0xdeadbeefu);
	assert_int_equal(fi.key.b[36], 17);
	assert_int_equal(fi.mask_off[1], 14 + 40 + 4);
	/* atomic fragment (offset 0, no MF) is parsed as the datagram */
	uint8_t g[T_MAX_FRAME];
	uint32_t n = t_ip_frame(g, &fl, 17, 7, l4, 16, 8, false);
	t_put16(g + 54 + 2, 0);
	uint8_t *udp = g + 62;
	t_put16(udp + 4, 16);
	colo_parse(g, n, &fi);
	assert_int_equal(fi.cls, COLO_CLS_UDP);
}

static void test_arp_other_and_short(void **state)
{
	(void)state;
	uint8_t f[T_MAX_FRAME];
	const uint8_t mac[6] = { 2, 0, 0, 0, 0, 9 };
	struct colo_frame_info fi;
	colo_parse(f, t_arp(f, mac, 0x0a000001, 0x0a000002), &fi);
	assert_int_equal(fi.cls, COLO_CLS_RAW);
	assert_true(fi.arp);
	assert_int_equal(fi.bad, COLO_BAD_NONE);
	assert_int_equal(fi.cmp_len, 42);

	struct t_flow fl;
	uint8_t l4[4] = { 1, 2, 3, 4 };
	t_flow_v4(&fl, 1, 2, 0, 0);
	colo_parse(f, t_ip_frame(f, &fl, 47, 1, l4, 4, 0, false), &fi);
	assert_int_equal(fi.cls, COLO_CLS_IP_OTHER);
	assert_int_equal(fi.key.b[36], 47);

	colo_parse(f, 13, &fi);
	assert_int_equal(fi.bad, COLO_BAD_L2_TRUNCATED);
	colo_parse(f, 0, &fi);
	assert_int_equal(fi.bad, COLO_BAD_L2_TRUNCATED);
	colo_parse(NULL, 0, &fi);
	assert_int_equal(fi.bad, COLO_BAD_L2_TRUNCATED);
}

/* Every strict prefix of a well-formed frame is reported bad, and parsing
 * it from an exactly-sized heap copy never reads past the end (ASan). */
static void check_prefixes(const uint8_t *f, uint32_t n)
{
	for (uint32_t len = 0; len <= n; len++) {
		uint8_t *copy = malloc(len ? len : 1);
		assert_non_null(copy);
		memcpy(copy, f, len);
		struct colo_frame_info fi;
		colo_parse(copy, len, &fi);
		if (len < n)
			assert_int_not_equal(fi.bad, COLO_BAD_NONE);
		else
			assert_int_equal(fi.bad, COLO_BAD_NONE);
		assert_true(fi.cmp_len <= len);
		for (int i = 0; i < 2; i++)
			assert_true(fi.mask_off[i] + fi.mask_len[i] <= fi.cmp_len);
		if (fi.cls == COLO_CLS_TCP)
			assert_true(fi.payload_off + fi.payload_len <= len);
		free(copy);
	}
}

static void test_truncation_at_every_length(void **state)
{
	(void)state;
	struct t_flow fl;
	uint8_t f[T_MAX_FRAME];
	const uint8_t opts[8] = { 2, 4, 5, 0xb4, 1, 3, 3, 7 };
	t_flow_v4(&fl, 1, 2, 10, 20);
	fl.nvlan = 2;
	check_prefixes(f, t_tcp(f, &fl, 1, 5, 6, 0x12, opts, 8, PAY, 8));
	check_prefixes(f, t_udp(f, &fl, 1, PAY, 8));
	check_prefixes(f, t_icmp(f, &fl, 1, 8, PAY, 8));
	t_flow_v6(&fl, 1, 2, 10, 20);
	check_prefixes(f, t_tcp(f, &fl, 1, 5, 6, 0x12, opts, 8, PAY, 8));
	check_prefixes(f, t_icmp(f, &fl, 1, 128, PAY, 8));
	uint8_t l4[16] = { 0 };
	check_prefixes(f, t_ip_frame(f, &fl, 17, 9, l4, 16, 8, true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_byte_loads_are_network_order),
		cmocka_unit_test(test_siphash_reference_vectors),
		cmocka_unit_test(test_tcp_ipv4_fields),
		cmocka_unit_test(test_key_is_direction_independent),
		cmocka_unit_test(test_vlan_and_qinq),
		cmocka_unit_test(test_ethernet_padding_is_not_compared),
		cmocka_unit_test(test_bad_ipv4_headers),
		cmocka_unit_test(test_bad_tcp_headers_and_options),
		cmocka_unit_test(test_bad_udp_and_icmp),
		cmocka_unit_test(test_ipv6_extension_headers),
		cmocka_unit_test(test_fragments_detected),
		cmocka_unit_test(test_arp_other_and_short),
		cmocka_unit_test(test_truncation_at_every_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
