/*
 * Packed virtqueues (virtio 1.2, section 2.8), device side. One ring of
 * 16-byte descriptors {addr, len, buffer ID, flags} serves both ways: the
 * driver makes a descriptor available by setting its AVAIL flag to its
 * wrap counter and USED to the opposite; the device marks a buffer used by
 * writing one descriptor (ID, length, AVAIL = USED = its own wrap counter)
 * at its used position, which then moves past as many descriptors as the
 * buffer took. Both counters flip each time a position wraps.
 *
 * The driver writes a chain's first descriptor's flags last, so once it
 * is available the rest of the chain must be too: a chain that runs into
 * a descriptor not made available is a ring error, as are chains longer
 * than the ring. Indirect tables hold descriptors in order (no NEXT).
 *
 * Notifications from the driver are always wanted (the device's event
 * area says "enable" and is never changed); interrupts follow the
 * driver's event area: enable, disable, or (EVENT_IDX) a position.
 */
#include <string.h>
#include "hv/lib/bytes.h"
#include "hv/virtio/virtq_chain.h"
#include "hv/virtio/virtq_packed.h"

#define EVENT_AREA_BYTES 4 /* le16 descriptor offset and wrap, le16 flags */

bool virtq_init_packed(struct virtq *q, const struct virtq_mem *m, uint16_t size, uint64_t desc, uint64_t driver,
		       uint64_t device, bool event_idx, bool indirect)
{
	memset(q, 0, sizeof(*q));
	if (!size || size > VIRTQ_MAX_SIZE || desc % 16 || driver % 4 || device % 4)
		return false;
	uint8_t *dev_area = m->ptr(m->ctx, device, EVENT_AREA_BYTES, true);
	if (!m->ptr(m->ctx, desc, (uint64_t)VIRTQ_DESC_SIZE * size, true) ||
	    !m->ptr(m->ctx, driver, EVENT_AREA_BYTES, false) || !dev_area)
		return false;
	q->size = size;
	q->packed = true;
	q->desc = desc;
	q->avail = driver;
	q->used = device;
	q->event_idx = event_idx;
	q->indirect = indirect;
	q->avail_wrap = q->used_wrap = true;
	le16_store(dev_area, 0);
	le16_store(dev_area + 2, VIRTQ_EVENT_F_ENABLE);
	return true;
}

static bool is_available(uint16_t flags, bool wrap)
{
	return !!(flags & VIRTQ_DESC_F_AVAIL) == wrap && !!(flags & VIRTQ_DESC_F_USED) != wrap;
}

/* An indirect table: len / 16 descriptors, taken in order. */
static int walk_indirect(struct virtq *q, const struct virtq_mem *m, struct virtq_chain *c, uint64_t addr, uint32_t len)
{
	if (!q->indirect || !len || len % VIRTQ_DESC_SIZE)
		return virtq_fail(q, VIRTQ_E_INDIRECT);
	const uint8_t *table = m->ptr(m->ctx, addr, len, false);
	if (!table)
		return virtq_fail(q, VIRTQ_E_BUFFER);
	for (uint32_t i = 0; i < len / VIRTQ_DESC_SIZE; i++) {
		const uint8_t *d = table + (uint64_t)i * VIRTQ_DESC_SIZE;
		uint64_t a = le64_load(d);
		uint32_t l = le32_load(d + 8);
		uint16_t flags = le16_load(d + 14);
		if (flags & VIRTQ_DESC_F_INDIRECT)
			return virtq_fail(q, VIRTQ_E_INDIRECT);
		if (virtq_add_piece(q, m, c, a, l, flags & VIRTQ_DESC_F_WRITE))
			return -1;
	}
	return 0;
}

int virtq_packed_pop(struct virtq *q, const struct virtq_mem *m, struct virtq_chain *c)
{
	const uint8_t *ring = q->size ? m->ptr(m->ctx, q->desc, (uint64_t)VIRTQ_DESC_SIZE * q->size, false) : NULL;
	if (!ring)
		return virtq_fail(q, VIRTQ_E_RING);
	uint16_t pos = q->last_avail;
	bool wrap = q->avail_wrap;
	if (!is_available(le16_load(ring + (uint64_t)pos * VIRTQ_DESC_SIZE + 14), wrap))
		return 0;
	__atomic_thread_fence(__ATOMIC_ACQUIRE); /* the descriptors after the flags that published them */
	c->nsegs = 0;
	c->readable = c->writable = 0;
	for (uint16_t n = 1;; n++) {
		const uint8_t *d = ring + (uint64_t)pos * VIRTQ_DESC_SIZE;
		/* each field read once: the guest may be changing them */
		uint64_t a = le64_load(d);
		uint32_t l = le32_load(d + 8);
		uint16_t id = le16_load(d + 12), flags = le16_load(d + 14);
		if (n > 1 && !is_available(flags, wrap))
			return virtq_fail(q, VIRTQ_E_PACKED);
		if (flags & VIRTQ_DESC_F_INDIRECT) {
			if ((flags & VIRTQ_DESC_F_NEXT) || n > 1)
				return virtq_fail(q, VIRTQ_E_INDIRECT);
			if (walk_indirect(q, m, c, a, l))
				return -1;
		} else if (virtq_add_piece(q, m, c, a, l, flags & VIRTQ_DESC_F_WRITE)) {
			return -1;
		}
		if (++pos == q->size) {
			pos = 0;
			wrap = !wrap;
		}
		if (!(flags & VIRTQ_DESC_F_NEXT) || (flags & VIRTQ_DESC_F_INDIRECT)) {
			c->head = id; /* the buffer ID: the chain's last descriptor's */
			c->ndesc = n;
			break;
		}
		if (n == q->size)
			return virtq_fail(q, VIRTQ_E_LOOP);
	}
	q->last_avail = pos;
	q->avail_wrap = wrap;
	q->chains++;
	return 1;
}

bool virtq_packed_push(struct virtq *q, const struct virtq_mem *m, uint16_t id, uint16_t ndesc, uint32_t written)
{
	uint8_t *ring = q->size ? m->ptr(m->ctx, q->desc, (uint64_t)VIRTQ_DESC_SIZE * q->size, true) : NULL;
	if (!ring || !ndesc || ndesc > q->size)
		return false;
	uint8_t *d = ring + (uint64_t)q->used_idx * VIRTQ_DESC_SIZE;
	le32_store(d + 8, written);
	le16_store(d + 12, id);
	__atomic_thread_fence(__ATOMIC_RELEASE); /* the descriptor before the flags that publish it */
	le16_store(d + 14, q->used_wrap ? VIRTQ_DESC_F_AVAIL | VIRTQ_DESC_F_USED : 0);
	uint32_t next = (uint32_t)q->used_idx + ndesc;
	if (next >= q->size) {
		next -= q->size;
		q->used_wrap = !q->used_wrap;
	}
	q->used_idx = (uint16_t)next;
	return true;
}

bool virtq_packed_should_notify(struct virtq *q, const struct virtq_mem *m)
{
	const uint8_t *area = q->size ? m->ptr(m->ctx, q->avail, EVENT_AREA_BYTES, false) : NULL;
	if (!area)
		return false;
	/* the used descriptors stored before the driver's event area is read */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	uint16_t off_wrap = le16_load(area), flags = le16_load(area + 2) & 3;
	/* positions as if the ring never wrapped back: ours now, ours at the
	 * last interrupt, and the one the driver asked about */
	uint32_t now = q->used_idx + (q->used_wrap ? q->size : 0u), old = q->signalled_used;
	bool was_valid = q->signalled_valid;
	q->signalled_used = (uint16_t)now;
	q->signalled_valid = true;
	if (flags == VIRTQ_EVENT_F_DISABLE)
		return false;
	if (flags != VIRTQ_EVENT_F_DESC || !q->event_idx || !was_valid)
		return true; /* enable, or a value the driver may not use: notify */
	uint32_t event = (off_wrap & 0x7fffu) + ((off_wrap >> 15) ? q->size : 0u);
	if (event >= 2u * q->size)
		return true;
	/* positions run modulo two rings: did the used position pass event? */
	uint32_t span = 2u * q->size, moved = (now + span - old) % span, past = (now + span - event - 1) % span;
	return past < moved;
}
