/* The device side of split virtqueues (hv/virtio/virtq.c), against a guest's memory in a buffer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "hv/lib/bytes.h"
#include "hv/virtio/virtq.h"

#define GUEST_BASE 0x100000ull
#define GUEST_SIZE 0x40000ull
#define DESC       (GUEST_BASE + 0x0000)
#define AVAIL      (GUEST_BASE + 0x1000)
#define USED       (GUEST_BASE + 0x2000)
#define DATA       (GUEST_BASE + 0x10000)
#define READONLY   (GUEST_BASE + 0x30000) /* the last 64 KiB: the device may not write it */
#define QSIZE      16

static uint8_t guest[GUEST_SIZE];

static uint8_t *gptr(void *ctx, uint64_t gpa, uint64_t len, bool write)
{
	(void)ctx;
	if (gpa < GUEST_BASE || len > GUEST_SIZE || gpa - GUEST_BASE > GUEST_SIZE - len)
		return NULL;
	if (write && gpa + len > READONLY)
		return NULL;
	return guest + (gpa - GUEST_BASE);
}

static const struct virtq_mem mem = { NULL, gptr };
static struct virtq q;
static struct virtq_chain c;
static uint16_t avail_idx;

static uint8_t *at(uint64_t gpa)
{
	return guest + (gpa - GUEST_BASE);
}

static void desc(uint16_t i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	uint8_t *d = at(DESC) + 16 * i;
	le64_store(d, addr);
	le32_store(d + 8, len);
	le16_store(d + 12, flags);
	le16_store(d + 14, next);
}

static void make_available(uint16_t head)
{
	le16_store(at(AVAIL) + 4 + 2 * (avail_idx % QSIZE), head);
	avail_idx++;
	le16_store(at(AVAIL) + 2, avail_idx);
}

static int setup(void **state)
{
	(void)state;
	memset(guest, 0, sizeof(guest));
	avail_idx = 0;
	assert_true(virtq_init(&q, &mem, QSIZE, DESC, AVAIL, USED, false, true));
	return 0;
}

static void init_checks_size_alignment_and_place(void **state)
{
	(void)state;
	struct virtq x;
	assert_false(virtq_init(&x, &mem, 12, DESC, AVAIL, USED, false, false)); /* not a power of two */
	assert_false(virtq_init(&x, &mem, 0, DESC, AVAIL, USED, false, false));
	assert_false(virtq_init(&x, &mem, QSIZE, DESC + 8, AVAIL, USED, false, false));
	assert_false(virtq_init(&x, &mem, QSIZE, DESC, AVAIL + 1, USED, false, false));
	assert_false(virtq_init(&x, &mem, QSIZE, DESC, AVAIL, USED + 2, false, false));
	assert_false(virtq_init(&x, &mem, QSIZE, 0x1000, AVAIL, USED, false, false));   /* outside */
	assert_false(virtq_init(&x, &mem, QSIZE, DESC, AVAIL, READONLY, false, false)); /* used not writable */
	assert_false(virtq_init(&x, &mem, QSIZE, DESC, GUEST_BASE + GUEST_SIZE - 8, USED, false, false));
	assert_int_equal(virtq_pop(&x, &mem, &c), -1); /* a refused queue is never used */
}

static void a_chain_readable_then_writable(void **state)
{
	(void)state;
	desc(3, DATA, 16, VIRTQ_DESC_F_NEXT, 7);
	desc(7, DATA + 0x100, 512, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
	desc(1, DATA + 0x400, 1, VIRTQ_DESC_F_WRITE, 0);
	assert_int_equal(virtq_pop(&q, &mem, &c), 0); /* nothing available yet */
	make_available(3);
	assert_int_equal(virtq_pop(&q, &mem, &c), 1);
	assert_int_equal(c.head, 3);
	assert_int_equal(c.nsegs, 3);
	assert_int_equal(c.readable, 16);
	assert_int_equal(c.writable, 513);
	assert_int_equal(c.seg[1].gpa, DATA + 0x100);
	assert_true(c.seg[1].write);
	assert_int_equal(virtq_pop(&q, &mem, &c), 0);
	assert_true(virtq_push(&q, &mem, 3, 1, 513));
	assert_int_equal(le16_load(at(USED) + 2), 1);
	assert_int_equal(le32_load(at(USED) + 4), 3);
	assert_int_equal(le32_load(at(USED) + 8), 513);
}

static void rings_wrap(void **state)
{
	(void)state;
	desc(0, DATA, 8, 0, 0);
	for (unsigned int i = 0; i < 5 * QSIZE + 3; i++) {
		make_available(0);
		assert_int_equal(virtq_pop(&q, &mem, &c), 1);
		assert_true(virtq_push(&q, &mem, 0, 1, 0));
	}
	assert_int_equal(q.last_avail, 5 * QSIZE + 3);
	assert_int_equal(le16_load(at(USED) + 2), 5 * QSIZE + 3);
	/* 16-bit index wrap-around */
	avail_idx = 0xfffe;
	q.last_avail = 0xfffe;
	make_available(0);
	make_available(0);
	assert_int_equal(virtq_pop(&q, &mem, &c), 1);
	assert_int_equal(virtq_pop(&q, &mem, &c), 1);
	assert_int_equal(q.last_avail, 0);
	assert_int_equal(virtq_pop(&q, &mem, &c), 0);
}

static void expect_error(enum virtq_error e)
{
	assert_int_equal(virtq_pop(&q, &mem, &c), -1);
	assert_int_equal(q.last_error, e);
}

static void hostile_rings_are_refused(void **state)
{
	(void)state;
	/* a loop: 2 -> 5 -> 2 */
	desc(2, DATA, 8, VIRTQ_DESC_F_NEXT, 5);
	desc(5, DATA, 8, VIRTQ_DESC_F_NEXT, 2);
	make_available(2);
	expect_error(VIRTQ_E_LOOP);
	setup(NULL);
	/* a self loop */
	desc(0, DATA, 8, VIRTQ_DESC_F_NEXT, 0);
	make_available(0);
	expect_error(VIRTQ_E_LOOP);
	setup(NULL);
	make_available(QSIZE); /* head past the queue */
	expect_error(VIRTQ_E_HEAD);
	setup(NULL);
	desc(0, DATA, 8, VIRTQ_DESC_F_NEXT, 200); /* next past the queue */
	make_available(0);
	expect_error(VIRTQ_E_HEAD);
	setup(NULL);
	le16_store(at(AVAIL) + 2, QSIZE + 1); /* more available than the queue holds */
	expect_error(VIRTQ_E_AVAIL_IDX);
	setup(NULL);
	desc(0, 0x1000, 8, 0, 0); /* outside the guest */
	make_available(0);
	expect_error(VIRTQ_E_BUFFER);
	setup(NULL);
	desc(0, GUEST_BASE + GUEST_SIZE - 4, 8, 0, 0); /* runs past its end */
	make_available(0);
	expect_error(VIRTQ_E_BUFFER);
	setup(NULL);
	desc(0, ~0ull - 3, 8, 0, 0); /* wraps */
	make_available(0);
	expect_error(VIRTQ_E_BUFFER);
	setup(NULL);
	desc(0, READONLY, 8, VIRTQ_DESC_F_WRITE, 0); /* the device may not write there */
	make_available(0);
	expect_error(VIRTQ_E_BUFFER);
	setup(NULL);
	desc(0, DATA, 8, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
	desc(1, DATA, 8, 0, 0); /* readable after writable */
	make_available(0);
	expect_error(VIRTQ_E_ORDER);
	assert_int_equal(q.errors, 1);
	assert_string_equal(virtq_error_name(VIRTQ_E_ORDER), "a device-readable piece after a device-writable one");
}

static void zero_length_pieces_are_skipped(void **state)
{
	(void)state;
	desc(0, 0x1000, 0, VIRTQ_DESC_F_NEXT, 1); /* no bytes: its address does not matter */
	desc(1, DATA, 4, 0, 0);
	make_available(0);
	assert_int_equal(virtq_pop(&q, &mem, &c), 1);
	assert_int_equal(c.nsegs, 1);
}

/* An indirect table of three at DATA + 0x8000: 0 -> 2 -> 1. */
static uint8_t *indirect_table(void)
{
	uint8_t *t = at(DATA + 0x8000);
	/* a table of three: 0 -> 2 -> 1 */
	le64_store(t, DATA);
	le32_store(t + 8, 32);
	le16_store(t + 12, VIRTQ_DESC_F_NEXT);
	le16_store(t + 14, 2);
	le64_store(t + 16, DATA + 0x200);
	le32_store(t + 24, 1);
	le16_store(t + 28, VIRTQ_DESC_F_WRITE);
	le64_store(t + 32, DATA + 0x100);
	le32_store(t + 40, 512);
	le16_store(t + 44, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT);
	le16_store(t + 46, 1);
	return t;
}

static void indirect_tables(void **state)
{
	(void)state;
	uint8_t *t = indirect_table();
	desc(4, DATA + 0x8000, 48, VIRTQ_DESC_F_INDIRECT, 0);
	make_available(4);
	assert_int_equal(virtq_pop(&q, &mem, &c), 1);
	assert_int_equal(c.head, 4);
	assert_int_equal(c.nsegs, 3);
	assert_int_equal(c.readable, 32);
	assert_int_equal(c.writable, 513);
	/* a readable direct piece may come before the table */
	desc(6, DATA + 0x300, 16, VIRTQ_DESC_F_NEXT, 4);
	make_available(6);
	assert_int_equal(virtq_pop(&q, &mem, &c), 1);
	assert_int_equal(c.nsegs, 4);
	/* refused: INDIRECT with NEXT, a nested table, a bad length, a loop inside, the feature off */
	desc(4, DATA + 0x8000, 48, VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_NEXT, 0);
	make_available(4);
	expect_error(VIRTQ_E_INDIRECT);
	setup(NULL);
	indirect_table();
	le16_store(t + 28, VIRTQ_DESC_F_INDIRECT);
	desc(4, DATA + 0x8000, 48, VIRTQ_DESC_F_INDIRECT, 0);
	make_available(4);
	expect_error(VIRTQ_E_INDIRECT);
	setup(NULL);
	indirect_table();
	desc(4, DATA + 0x8000, 40, VIRTQ_DESC_F_INDIRECT, 0);
	make_available(4);
	expect_error(VIRTQ_E_INDIRECT);
	setup(NULL);
	indirect_table();
	le16_store(t + 12, VIRTQ_DESC_F_NEXT);
	le16_store(t + 14, 0); /* 0 -> 0 */
	desc(4, DATA + 0x8000, 48, VIRTQ_DESC_F_INDIRECT, 0);
	make_available(4);
	expect_error(VIRTQ_E_LOOP);
	struct virtq x;
	assert_true(virtq_init(&x, &mem, QSIZE, DESC, AVAIL, USED, false, false));
	avail_idx = 0;
	make_available(4);
	assert_int_equal(virtq_pop(&x, &mem, &c), -1);
	assert_int_equal(x.last_error, VIRTQ_E_INDIRECT);
}

static void too_many_pieces(void **state)
{
	(void)state;
	struct virtq big;
	/* a 512-entry queue (its rings fit in the guest) chaining 300 pieces */
	uint64_t d = GUEST_BASE + 0x4000, a = GUEST_BASE + 0x8000, u = GUEST_BASE + 0x9000;
	assert_true(virtq_init(&big, &mem, 512, d, a, u, false, false));
	for (uint16_t i = 0; i < 300; i++) {
		uint8_t *e = at(d) + 16 * i;
		le64_store(e, DATA);
		le32_store(e + 8, 4);
		le16_store(e + 12, i < 299 ? VIRTQ_DESC_F_NEXT : 0);
		le16_store(e + 14, i + 1);
	}
	le16_store(at(a) + 4, 0);
	le16_store(at(a) + 2, 1);
	assert_int_equal(virtq_pop(&big, &mem, &c), -1);
	assert_int_equal(big.last_error, VIRTQ_E_TOO_LONG);
}

static void notification_suppression(void **state)
{
	(void)state;
	desc(0, DATA, 8, 0, 0);
	make_available(0);
	assert_int_equal(virtq_pop(&q, &mem, &c), 1);
	virtq_push(&q, &mem, 0, 1, 0);
	assert_true(virtq_should_notify(&q, &mem));
	le16_store(at(AVAIL), VIRTQ_AVAIL_F_NO_INTERRUPT);
	assert_false(virtq_should_notify(&q, &mem));
	/* EVENT_IDX: notify only when used_event is crossed */
	struct virtq e;
	assert_true(virtq_init(&e, &mem, QSIZE, DESC, AVAIL, USED, true, false));
	le16_store(at(AVAIL) + 4 + 2 * QSIZE, 2); /* used_event: tell me once entry 2 is used */
	avail_idx = 0;
	le16_store(at(AVAIL), 0);
	bool notified[4];
	for (int i = 0; i < 4; i++) {
		make_available(0);
		assert_int_equal(virtq_pop(&e, &mem, &c), 1);
		virtq_push(&e, &mem, 0, 1, 0);
		notified[i] = virtq_should_notify(&e, &mem);
	}
	assert_true(notified[0]);  /* the first ever */
	assert_false(notified[1]); /* used 2: not yet past entry 2 */
	assert_true(notified[2]);  /* used 3: entry 2 is used */
	assert_false(notified[3]);
	virtq_set_avail_event(&e, &mem, 9);
	assert_int_equal(le16_load(at(USED) + 4 + 8 * QSIZE), 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(init_checks_size_alignment_and_place, setup),
		cmocka_unit_test_setup(a_chain_readable_then_writable, setup),
		cmocka_unit_test_setup(rings_wrap, setup),
		cmocka_unit_test_setup(hostile_rings_are_refused, setup),
		cmocka_unit_test_setup(zero_length_pieces_are_skipped, setup),
		cmocka_unit_test_setup(indirect_tables, setup),
		cmocka_unit_test_setup(too_many_pieces, setup),
		cmocka_unit_test_setup(notification_suppression, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
