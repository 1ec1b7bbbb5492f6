/* Replay primary/secondary pcap captures through the engine and check the
 * exact action sequence. Scenarios and replay rules: see
 * tests/data/colo/gen_pcaps.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/colo/colo.h"

/* ---- minimal pcap reader (classic format, either byte order) ---- */

struct pcap_rec {
	uint64_t ts_ns;
	const uint8_t *data;
	uint32_t len;
};

struct pcap {
	uint8_t *buf;
	size_t size;
	struct pcap_rec *rec;
	size_t n;
};

static uint32_t rd32(const uint8_t *p, bool swap)
{
	uint32_t le = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	uint32_t be = (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
	return swap ? be : le;
}

/* Parse buf (taken over). Returns false on any inconsistency. */
static bool pcap_parse(struct pcap *pc, uint8_t *buf, size_t size)
{
	memset(pc, 0, sizeof(*pc));
	pc->buf = buf;
	pc->size = size;
	if (size < 24)
		return false;
	bool swap, nano;
	uint32_t magic_le = rd32(buf, false);
	if (magic_le == 0xa1b2c3d4 || magic_le == 0xa1b23c4d)
		swap = false;
	else if (rd32(buf, true) == 0xa1b2c3d4 || rd32(buf, true) == 0xa1b23c4d)
		swap = true;
	else
		return false;
	nano = rd32(buf, swap) == 0xa1b23c4d;
	uint32_t snap = rd32(buf + 16, swap);
	if (rd32(buf + 20, swap) != 1) /* Ethernet link type only */
		return false;

	size_t cap = 16;
	pc->rec = malloc(cap * sizeof(*pc->rec));
	if (!pc->rec)
		return false;
	for (size_t off = 24; off < size;) {
		if (size - off < 16)
			return false;
		uint32_t sec = rd32(buf + off, swap), sub = rd32(buf + off + 4, swap);
		uint32_t incl = rd32(buf + off + 8, swap);
		if (incl > snap || incl > 262144 || incl > size - off - 16)
			return false;
		if (pc->n == cap) {
			cap *= 2;
			struct pcap_rec *r = realloc(pc->rec, cap * sizeof(*r));
			if (!r)
				return false;
			pc->rec = r;
		}
		pc->rec[pc->n].ts_ns = (uint64_t)sec * 1000000000u + (uint64_t)sub * (nano ? 1u : 1000u);
		pc->rec[pc->n].data = buf + off + 16;
		pc->rec[pc->n].len = incl;
		pc->n++;
		off += 16 + (size_t)incl;
	}
	return true;
}

static void pcap_free(struct pcap *pc)
{
	free(pc->buf);
	free(pc->rec);
}

static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	uint8_t *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			uint8_t *b = realloc(buf, cap);
			if (!b)
				break;
			buf = b;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	*size = n;
	return buf;
}

static const char *data_dir(void)
{
	const char *d = getenv("HV_TEST_DATA");
	return d && *d ? d : "tests/data";
}

static void load_pcap(struct pcap *pc, const char *name, const char *side)
{
	char path[512];
	size_t size = 0;
	snprintf(path, sizeof(path), "%s/colo/%s_%s.pcap", data_dir(), name, side);
	uint8_t *buf = read_file(path, &size);
	if (!buf)
		fail_msg("cannot read %s", path);
	if (!pcap_parse(pc, buf, size))
		fail_msg("malformed pcap %s", path);
}

/* ---- replay ---- */

struct log {
	char text[8192];
	size_t len;
	bool checkpoint;
};

static void on_action(void *ctx, const struct colo_action *a)
{
	struct log *l = ctx;
	char line[64];
	switch (a->kind) {
	case COLO_ACT_RELEASE:
		snprintf(line, sizeof(line), "release P%u\n", (unsigned)a->cookie);
		break;
	case COLO_ACT_DROP:
		snprintf(line, sizeof(line), "drop S%u\n", (unsigned)a->cookie);
		break;
	default:
		snprintf(line, sizeof(line), "checkpoint %s\n", colo_reason_name(a->reason));
		l->checkpoint = true;
		break;
	}
	size_t n = strlen(line);
	assert_true(l->len + n < sizeof(l->text));
	memcpy(l->text + l->len, line, n + 1);
	l->len += n;
}

static void settle(struct colo_engine *e, struct log *l, uint64_t now)
{
	if (l->checkpoint) {
		l->checkpoint = false;
		colo_checkpoint_done(e, now);
	}
}

static void replay(const char *name)
{
	struct pcap p, s;
	load_pcap(&p, name, "primary");
	load_pcap(&s, name, "secondary");

	struct log *l = calloc(1, sizeof(*l));
	struct colo_config cfg;
	colo_config_default(&cfg);
	cfg.max_conns = 32;
	cfg.max_frames = 64;
	cfg.compare_timeout_ns = 100000000;
	cfg.scan_period_ns = 10000000;
	cfg.hash_key[0] = 42;
	cfg.action = on_action;
	cfg.action_ctx = l;
	size_t need = colo_mem_size(&cfg);
	void *mem = aligned_alloc(64, (need + 63) & ~(size_t)63);
	struct colo_engine *e = colo_init(mem, need, &cfg);
	assert_non_null(e);

	size_t i = 0, j = 0;
	uint64_t now = 0;
	while (i < p.n || j < s.n) {
		bool prim = j == s.n || (i < p.n && p.rec[i].ts_ns <= s.rec[j].ts_ns);
		const struct pcap_rec *r = prim ? &p.rec[i] : &s.rec[j];
		now = r->ts_ns;
		colo_scan(e, now);
		settle(e, l, now);
		uint64_t cookie = prim ? i++ : j++;
		assert_int_equal(colo_feed(e, prim ? COLO_PRIMARY : COLO_SECONDARY, r->data, r->len, cookie, now),
				 COLO_FEED_TAKEN);
		settle(e, l, now);
	}
	now += 10000000000ull;
	colo_scan(e, now);
	settle(e, l, now);

	char path[512];
	size_t size = 0;
	snprintf(path, sizeof(path), "%s/colo/%s.expected", data_dir(), name);
	char *want = (char *)read_file(path, &size);
	if (!want)
		fail_msg("cannot read %s", path);
	if (size != l->len || memcmp(want, l->text, size) != 0)
		fail_msg("%s: expected\n%.*s\ngot\n%s", name, (int)size, want, l->text);

	struct colo_stats st;
	colo_get_stats(e, &st);
	assert_int_equal(st.frames_queued[0] + st.frames_queued[1], 0);
	assert_int_equal(st.released, p.n);
	assert_int_equal(st.dropped, s.n);
	free(want);
	free(mem);
	free(l);
	pcap_free(&p);
	pcap_free(&s);
}

static void test_replay_tcp_stream(void **state)
{
	(void)state;
	replay("tcp_stream");
}

static void test_replay_udp_mixed(void **state)
{
	(void)state;
	replay("udp_mixed");
}

static void test_replay_timeout(void **state)
{
	(void)state;
	replay("timeout");
}

static void test_replay_reorder_frag(void **state)
{
	(void)state;
	replay("reorder_frag");
}

static uint8_t *copy_of(const uint8_t *b, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);
	memcpy(c, b, n);
	return c;
}

static void test_pcap_reader_rejects_malformed(void **state)
{
	(void)state;
	uint8_t good[24 + 16 + 4] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0 };
	good[16] = 0xff;
	good[17] = 0xff;  /* snaplen 65535 */
	good[20] = 1;     /* Ethernet */
	good[24 + 8] = 4; /* incl_len 4 */
	good[24 + 12] = 4;
	struct pcap pc;
	assert_true(pcap_parse(&pc, copy_of(good, sizeof(good)), sizeof(good)));
	assert_int_equal(pc.n, 1);
	assert_int_equal(pc.rec[0].len, 4);
	pcap_free(&pc);
	/* record cut short */
	assert_false(pcap_parse(&pc, copy_of(good, sizeof(good) - 1), sizeof(good) - 1));
	pcap_free(&pc);
	/* header cut short */
	assert_false(pcap_parse(&pc, copy_of(good, 30), 30));
	pcap_free(&pc);
	/* bad magic */
	uint8_t bad[sizeof(good)];
	memcpy(bad, good, sizeof(good));
	bad[0] = 0;
	assert_false(pcap_parse(&pc, copy_of(bad, sizeof(bad)), sizeof(bad)));
	pcap_free(&pc);
	/* length beyond snaplen */
	memcpy(bad, good, sizeof(good));
	bad[16] = 2;
	bad[17] = 0;
	assert_false(pcap_parse(&pc, copy_of(bad, sizeof(bad)), sizeof(bad)));
	pcap_free(&pc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pcap_reader_rejects_malformed),
		cmocka_unit_test(test_replay_tcp_stream),
		cmocka_unit_test(test_replay_udp_mixed),
		cmocka_unit_test(test_replay_timeout),
		cmocka_unit_test(test_replay_reorder_frag),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
