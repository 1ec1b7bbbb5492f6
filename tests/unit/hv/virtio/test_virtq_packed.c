/* The device side of packed virtqueues (hv/virtio/virtq_packed.c), against a
 * driver written here the way the specification (and Linux) drives one. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "hv/lib/bytes.h"
#include "hv/virtio/virtq.h"
#include "hv/virtio/virtq_packed.h"

#define GUEST_BASE 0x100000ull
#define GUEST_SIZE 0x40000ull
#define RING       (GUEST_BASE + 0x0000)
#define DRIVER     (GUEST_BASE + 0x1000) /* the driver's event area */
#define DEVICE     (GUEST_BASE + 0x1100) /* the device's */
#define TABLE      (GUEST_BASE + 0x2000) /* indirect tables */
#define DATA       (GUEST_BASE + 0x10000)
#define AVAIL      VIRTQ_DESC_F_AVAIL
#define USED       VIRTQ_DESC_F_USED
#define NEXT       VIRTQ_DESC_F_NEXT
#define WRITE      VIRTQ_DESC_F_WRITE
#define INDIRECT   VIRTQ_DESC_F_INDIRECT

static uint8_t guest[GUEST_SIZE];

static uint8_t *gptr(void *ctx, uint64_t gpa, uint64_t len, bool write)
{
	(void)ctx;
	(void)write;
	if (gpa < GUEST_BASE || len > GUEST_SIZE || gpa - GUEST_BASE > GUEST_SIZE - len)
		return NULL;
	return guest + (gpa - GUEST_BASE);
}

static const struct virtq_mem mem = { NULL, gptr };
static struct virtq q;
static struct virtq_chain c;

/* The driver's side: its next position and wrap counter. */
static uint16_t drv_pos, size;
static bool drv_wrap;

static uint8_t *at(uint64_t gpa)
{
	return guest + (gpa - GUEST_BASE);
}

static uint16_t avail_flags(bool wrap)
{
	return wrap ? AVAIL : USED;
}

static void write_desc(uint64_t base, uint16_t i, uint64_t addr, uint32_t len, uint16_t id, uint16_t flags)
{
	uint8_t *d = at(base) + 16 * i;
	le64_store(d, addr);
	le32_store(d + 8, len);
	le16_store(d + 12, id);
	le16_store(d + 14, flags);
}

struct piece {
	uint64_t addr;
	uint32_t len;
	uint16_t flags; /* WRITE, INDIRECT */
};

/* Makes a chain available as a driver does: every descriptor but the
 * first, then the first one's flags. */
static void offer(uint16_t id, const struct piece *p, unsigned int n)
{
	uint16_t first = drv_pos;
	bool first_wrap = drv_wrap;
	for (unsigned int i = 0; i < n; i++) {
		uint16_t flags = (uint16_t)(p[i].flags | (i + 1 < n ? NEXT : 0) | avail_flags(drv_wrap));
		if (i)
			write_desc(RING, drv_pos, p[i].addr, p[i].len, id, flags);
		if (++drv_pos == size) {
			drv_pos = 0;
			drv_wrap = !drv_wrap;
		}
	}
	write_desc(RING, first, p[0].addr, p[0].len, id,
		   (uint16_t)(p[0].flags | (n > 1 ? NEXT : 0) | avail_flags(first_wrap)));
}

static void init(uint16_t n, bool event_idx, bool indirect)
{
	memset(guest, 0, sizeof(guest));
	size = n;
	drv_pos = 0;
	drv_wrap = true;
	assert_true(virtq_init_packed(&q, &mem, n, RING, DRIVER, DEVICE, event_idx, indirect));
}

static int setup(void **state)
{
	(void)state;
	init(8, false, true);
	return 0;
}

static const struct piece request[3] = { { DATA, 16, 0 }, { DATA + 0x1000, 4096, WRITE }, { DATA + 0x3000, 1, WRITE } };

static void init_checks(void **state)
{
	(void)state;
	struct virtq p;
	assert_true(virtq_init_packed(&p, &mem, 3, RING, DRIVER, DEVICE, true, true)); /* any size */
	assert_true(p.packed && p.avail_wrap && p.used_wrap);
	assert_int_equal(le16_load(at(DEVICE) + 2), VIRTQ_EVENT_F_ENABLE); /* the driver always notifies */
	assert_false(virtq_init_packed(&p, &mem, 0, RING, DRIVER, DEVICE, true, true));
	assert_false(virtq_init_packed(&p, &mem, 8, RING + 8, DRIVER, DEVICE, true, true));
	assert_false(virtq_init_packed(&p, &mem, 8, RING, DRIVER + 2, DEVICE, true, true));
	assert_false(virtq_init_packed(&p, &mem, 8, RING, DRIVER, DEVICE + 2, true, true));
	assert_false(virtq_init_packed(&p, &mem, 8, GUEST_BASE + GUEST_SIZE - 64, DRIVER, DEVICE, true, true));
	assert_false(virtq_init_packed(&p, &mem, 8, RING, GUEST_BASE + GUEST_SIZE, DEVICE, true, true));
}

static void a_chain_is_taken_and_returned(void **state)
{
	(void)state;
	assert_int_equal(virtq_pop(&q, &mem, &c), 0); /* nothing yet */
	offer(7, request, 3);
	assert_int_equal(virtq_pop(&q, &mem, &c), 1);
	assert_int_equal(c.head, 7);
	assert_int_equal(c.ndesc, 3);
	assert_int_equal(c.nsegs, 3);
	assert_int_equal(c.readable, 16);
	assert_int_equal(c.writable, 4097);
	assert_true(c.seg[1].write && !c.seg[0].write);
	assert_int_equal(virtq_pop(&q, &mem, &c), 0);
	assert_true(virtq_push(&q, &mem, 7, 3, 4097));
	/* one used descriptor at position 0, AVAIL = USED = the device's wrap counter */
	assert_int_equal(le16_load(at(RING) + 12), 7);
	assert_int_equal(le32_load(at(RING) + 8), 4097);
	assert_int_equal(le16_load(at(RING) + 14), AVAIL | USED);
	assert_int_equal(q.used_idx, 3); /* past the chain's three descriptors */
}

static void both_wrap_counters_flip(void **state)
{
	(void)state;
	init(4, false, true);
	for (unsigned int round = 0; round < 9; round++) {
		offer((uint16_t)round, request, 3); /* 3 of 4: every round wraps somewhere new */
		assert_int_equal(virtq_pop(&q, &mem, &c), 1);
		assert_int_equal(c.head, round);
		assert_int_equal(c.nsegs, 3);
		uint16_t pos = q.used_idx;
		bool wrap = q.used_wrap;
		assert_true(virtq_push(&q, &mem, c.head, c.ndesc, 1));
		assert_int_equal(le16_load(at(RING) + 16 * pos + 12), round);
		assert_int_equal(le16_load(at(RING) + 16 * pos + 14), wrap ? AVAIL | USED : 0);
		assert_int_equal(q.last_avail, drv_pos);
		assert_int_equal(q.avail_wrap, drv_wrap);
	}
	assert_int_equal(q.used_idx, (9 * 3) % 4);
	assert_int_equal(q.used_wrap, (9 * 3 / 4) % 2 == 0);
}

static void a_descriptor_not_yet_available_is_not_taken(void **state)
{
	(void)state;
	/* used by the device in the previous lap: AVAIL = USED = 1 */
	write_desc(RING, 0, DATA, 16, 1, AVAIL | USED);
	assert_int_equal(virtq_pop(&q, &mem, &c), 0);
	/* the next lap's flags (AVAIL 0, USED 1) before this lap's: not available */
	write_desc(RING, 0, DATA, 16, 1, USED);
	assert_int_equal(virtq_pop(&q, &mem, &c), 0);
	assert_int_equal(q.errors, 0);
}

static void hostile_rings_are_refused(void **state)
{
	(void)state;
	/* a chain that continues into a descriptor the driver did not make available */
	write_desc(RING, 0, DATA, 16, 1, AVAIL | NEXT);
	assert_int_equal(virtq_pop(&q, &mem, &c), -1);
	assert_int_equal(q.last_error, VIRTQ_E_PACKED);
	/* every descriptor available and chained: longer than the ring */
	init(8, false, true);
	for (uint16_t i = 0; i < 8; i++)
		write_desc(RING, i, DATA, 16, 1, AVAIL | NEXT);
	assert_int_equal(virtq_pop(&q, &mem, &c), -1);
	assert_int_equal(q.last_error, VIRTQ_E_LOOP);
	/* a piece outside the guest */
	init(8, false, true);
	struct piece outside[2] = { { DATA, 16, 0 }, { GUEST_BASE + GUEST_SIZE - 4, 8, WRITE } };
	offer(1, outside, 2);
	assert_int_equal(virtq_pop(&q, &mem, &c), -1);
	assert_int_equal(q.last_error, VIRTQ_E_BUFFER);
	/* readable after writable */
	init(8, false, true);
	struct piece order[2] = { { DATA, 16, WRITE }, { DATA + 16, 16, 0 } };
	offer(1, order, 2);
	assert_int_equal(virtq_pop(&q, &mem, &c), -1);
	assert_int_equal(q.last_error, VIRTQ_E_ORDER);
	/* nothing taken from a broken ring moves the device's position */
	assert_int_equal(q.last_avail, 0);
	/* a push with a bad descriptor count is refused */
	assert_false(virtq_push(&q, &mem, 1, 0, 0));
	assert_false(virtq_push(&q, &mem, 1, 9, 0));
}

static void indirect_tables(void **state)
{
	(void)state;
	write_desc(TABLE, 0, DATA, 16, 0, 0);
	write_desc(TABLE, 1, DATA + 0x1000, 512, 0, WRITE);
	write_desc(TABLE, 2, DATA + 0x3000, 1, 0, WRITE);
	struct piece ind[1] = { { TABLE, 48, INDIRECT } };
	offer(5, ind, 1);
	assert_int_equal(virtq_pop(&q, &mem, &c), 1);
	assert_int_equal(c.head, 5);
	assert_int_equal(c.ndesc, 1);
	assert_int_equal(c.nsegs, 3);
	assert_int_equal(c.writable, 513);
	/* a table inside a table */
	write_desc(TABLE + 0x100, 0, TABLE, 48, 0, INDIRECT);
	struct piece nested[1] = { { TABLE + 0x100, 16, INDIRECT } };
	offer(6, nested, 1);
	assert_int_equal(virtq_pop(&q, &mem, &c), -1);
	assert_int_equal(q.last_error, VIRTQ_E_INDIRECT);
	/* a table whose length is not whole descriptors, or indirect and NEXT */
	static const struct {
		uint32_t len;
		uint16_t flags;
	} bad[] = { { 40, INDIRECT }, { 0, INDIRECT }, { 48, INDIRECT | NEXT } };
	for (unsigned int i = 0; i < 3; i++) {
		init(8, false, true);
		write_desc(RING, 0, TABLE, bad[i].len, 1, (uint16_t)(bad[i].flags | AVAIL));
		write_desc(RING, 1, DATA, 1, 1, WRITE | AVAIL);
		assert_int_equal(virtq_pop(&q, &mem, &c), -1);
		assert_int_equal(q.last_error, VIRTQ_E_INDIRECT);
	}
	/* not negotiated */
	init(8, false, false);
	offer(5, ind, 1);
	assert_int_equal(virtq_pop(&q, &mem, &c), -1);
	assert_int_equal(q.last_error, VIRTQ_E_INDIRECT);
}

static void notification_suppression(void **state)
{
	(void)state;
	offer(1, request, 3);
	assert_int_equal(virtq_pop(&q, &mem, &c), 1);
	virtq_push(&q, &mem, 1, 3, 1);
	le16_store(at(DRIVER) + 2, VIRTQ_EVENT_F_ENABLE);
	assert_true(virtq_should_notify(&q, &mem));
	le16_store(at(DRIVER) + 2, VIRTQ_EVENT_F_DISABLE);
	assert_false(virtq_should_notify(&q, &mem));
	/* with EVENT_IDX: an interrupt once the used position passes the driver's */
	init(8, true, true);
	le16_store(at(DRIVER) + 2, VIRTQ_EVENT_F_DESC);
	le16_store(at(DRIVER), 0x8000 | 3); /* position 3 of the first lap (wrap 1) */
	bool notified[6];
	for (unsigned int i = 0; i < 6; i++) {
		struct piece one[1] = { { DATA + 0x3000, 1, WRITE } };
		offer((uint16_t)i, one, 1);
		assert_int_equal(virtq_pop(&q, &mem, &c), 1);
		virtq_push(&q, &mem, c.head, c.ndesc, 1);
		notified[i] = virtq_should_notify(&q, &mem);
	}
	/* the first always (nothing signalled yet); then only when position 3 is used */
	assert_true(notified[0]);
	assert_false(notified[1]);
	assert_false(notified[2]);
	assert_true(notified[3]);
	assert_false(notified[4]);
	assert_false(notified[5]);
	/* an event in the next lap (wrap 0, position 1): reached after the wrap */
	le16_store(at(DRIVER), 1);
	bool later[5];
	for (unsigned int i = 0; i < 5; i++) {
		struct piece one[1] = { { DATA + 0x3000, 1, WRITE } };
		offer((uint16_t)i, one, 1);
		assert_int_equal(virtq_pop(&q, &mem, &c), 1);
		virtq_push(&q, &mem, c.head, c.ndesc, 1);
		later[i] = virtq_should_notify(&q, &mem);
	}
	/* used positions 6, 7, then 0 and 1 of lap two, then 2 */
	assert_false(later[0]);
	assert_false(later[1]);
	assert_false(later[2]);
	assert_true(later[3]);
	assert_false(later[4]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(init_checks),
		cmocka_unit_test_setup(a_chain_is_taken_and_returned, setup),
		cmocka_unit_test_setup(both_wrap_counters_flip, setup),
		cmocka_unit_test_setup(a_descriptor_not_yet_available_is_not_taken, setup),
		cmocka_unit_test_setup(hostile_rings_are_refused, setup),
		cmocka_unit_test_setup(indirect_tables, setup),
		cmocka_unit_test_setup(notification_suppression, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
