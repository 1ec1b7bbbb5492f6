/* IP fragments: compared one by one in order, ids paired consistently,
 * overlaps and abandoned datagrams counted, never reassembled. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/net/colo/colo_test_util.h"

static uint8_t L4[64];
static uint8_t BUF[64][T_MAX_FRAME];
static uint32_t nbuf;

static struct t_eng *setup(void)
{
	nbuf = 0;
	for (int i = 0; i < 64; i++)
		L4[i] = (uint8_t)(0x30 + i);
	return t_eng_new(NULL);
}

/* Feed fragment [off, off+len) of the datagram L4 with the given id. */
static void frag(struct t_eng *t, const struct t_flow *fl, enum colo_side side, uint32_t cookie, uint32_t id,
		 uint32_t off, uint32_t len, bool more)
{
	assert_true(nbuf < 64);
	uint8_t *f = BUF[nbuf++];
	uint32_t n = t_ip_frame(f, fl, 17, id, L4 + off, len, off, more);
	assert_int_equal(t_feed(t, side, cookie, f, n, 0), COLO_FEED_TAKEN);
}

static struct colo_stats stats(struct t_eng *t)
{
	struct colo_stats s;
	colo_get_stats(t->e, &s);
	return s;
}

static void run_pair(bool v6)
{
	struct t_eng *t = setup();
	struct t_flow fl;
	if (v6)
		t_flow_v6(&fl, 1, 2, 0, 0);
	else
		t_flow_v4(&fl, 1, 2, 0, 0);
	frag(t, &fl, COLO_PRIMARY, 1, 0x1111, 0, 16, true);
	frag(t, &fl, COLO_PRIMARY, 2, 0x1111, 16, 20, false);
	frag(t, &fl, COLO_SECONDARY, 1, 0x2222, 0, 16, true);
	frag(t, &fl, COLO_SECONDARY, 2, 0x2222, 16, 20, false);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(1)), 1);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(2)), 1);
	assert_int_equal(t_count_kind(&t->rec, COLO_ACT_DROP), 2);
	assert_int_equal(t_count_kind(&t->rec, COLO_ACT_CHECKPOINT), 0);
	struct colo_stats st = stats(t);
	assert_int_equal(st.frames_fragment, 4);
	assert_int_equal(st.frag_overlap + st.frag_incomplete, 0);
	t_eng_free(t);
}

static void test_fragments_with_different_ids_match(void **state)
{
	(void)state;
	run_pair(false);
	run_pair(true);
}

static void test_fragment_content_and_split_compared(void **state)
{
	(void)state;
	struct t_eng *t = setup();
	struct t_flow fl;
	t_flow_v4(&fl, 1, 2, 0, 0);
	/* the secondary splits the same datagram at another offset */
	frag(t, &fl, COLO_PRIMARY, 1, 7, 0, 16, true);
	frag(t, &fl, COLO_SECONDARY, 1, 8, 0, 24, true);
	assert_int_equal(t_count_kind(&t->rec, COLO_ACT_CHECKPOINT), 1);
	colo_checkpoint_done(t->e, 0);

	frag(t, &fl, COLO_PRIMARY, 2, 7, 0, 16, true);
	L4[3] ^= 1;
	frag(t, &fl, COLO_SECONDARY, 2, 8, 0, 16, true);
	assert_int_equal(t_count_kind(&t->rec, COLO_ACT_CHECKPOINT), 2);
	t_eng_free(t);
}

static void test_fragment_ids_must_pair_consistently(void **state)
{
	(void)state;
	struct t_eng *t = setup();
	struct t_flow fl;
	t_flow_v4(&fl, 1, 2, 0, 0);
	/* primary: one datagram; secondary: same bytes under two ids */
	frag(t, &fl, COLO_PRIMARY, 1, 100, 0, 16, true);
	frag(t, &fl, COLO_SECONDARY, 1, 200, 0, 16, true);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(1)), 1);
	frag(t, &fl, COLO_PRIMARY, 2, 100, 16, 16, false);
	frag(t, &fl, COLO_SECONDARY, 2, 201, 16, 16, false);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(2)), 0);
	assert_int_equal(t_count_kind(&t->rec, COLO_ACT_CHECKPOINT), 1);
	t_eng_free(t);
}

static void test_overlap_and_incomplete_are_counted(void **state)
{
	(void)state;
	struct t_eng *t = setup();
	struct t_flow fl;
	t_flow_v4(&fl, 1, 2, 0, 0);
	/* identical overlapping fragments from both: compared and released */
	frag(t, &fl, COLO_PRIMARY, 1, 5, 0, 16, true);
	frag(t, &fl, COLO_PRIMARY, 2, 5, 8, 16, false);
	frag(t, &fl, COLO_SECONDARY, 1, 6, 0, 16, true);
	frag(t, &fl, COLO_SECONDARY, 2, 6, 8, 16, false);
	assert_int_equal(t_count_kind(&t->rec, COLO_ACT_RELEASE), 2);
	assert_int_equal(stats(t).frag_overlap, 2);

	/* a datagram whose last fragment never comes */
	frag(t, &fl, COLO_PRIMARY, 3, 9, 0, 16, true);
	frag(t, &fl, COLO_PRIMARY, 4, 10, 0, 16, true);
	struct colo_stats st = stats(t);
	assert_int_equal(st.frag_incomplete, 1);
	/* unmatched fragments hold no reassembly memory; they time out */
	assert_int_equal(st.frames_queued[0], 2);
	colo_scan(t->e, 0);
	colo_scan(t->e, 5000);
	assert_int_equal(t->rec.a[t->rec.n - 1].reason, COLO_REASON_PRIMARY_TIMEOUT);
	colo_checkpoint_done(t->e, 5000);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(3)), 1);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(4)), 1);
	t_eng_free(t);
}

static void test_fragments_are_their_own_flow(void **state)
{
	(void)state;
	struct t_eng *t = setup();
	struct t_flow fl;
	t_flow_v4(&fl, 1, 2, 0, 0);
	/* an unfragmented UDP frame and a fragment do not pair */
	uint8_t u[T_MAX_FRAME];
	uint32_t n = t_ip_frame(u, &fl, 17, 1, L4, 16, 0, false);
	t_put16(u + 34 + 4, 16);
	t_feed(t, COLO_PRIMARY, 1, u, n, 0);
	frag(t, &fl, COLO_SECONDARY, 1, 2, 0, 16, true);
	assert_int_equal(t->rec.n, 0);
	assert_int_equal(stats(t).conns_active, 2);
	t_eng_free(t);
}

static void test_bad_fragment_compared_whole(void **state)
{
	(void)state;
	struct t_eng *t = setup();
	struct t_flow fl;
	t_flow_v4(&fl, 1, 2, 0, 0);
	frag(t, &fl, COLO_PRIMARY, 1, 3, 0, 12, true); /* not a multiple of 8 */
	frag(t, &fl, COLO_SECONDARY, 1, 3, 0, 12, true);
	assert_int_equal(t_count(&t->rec, COLO_ACT_RELEASE, T_P(1)), 1);
	assert_int_equal(stats(t).bad[COLO_BAD_FRAGMENT], 2);
	t_eng_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fragments_with_different_ids_match),
		cmocka_unit_test(test_fragment_content_and_split_compared),
		cmocka_unit_test(test_fragment_ids_must_pair_consistently),
		cmocka_unit_test(test_overlap_and_incomplete_are_counted),
		cmocka_unit_test(test_fragments_are_their_own_flow),
		cmocka_unit_test(test_bad_fragment_compared_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
