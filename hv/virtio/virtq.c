#include <string.h>
#include "hv/lib/bytes.h"
#include "hv/virtio/virtq.h"
#include "hv/virtio/virtq_chain.h"
#include "hv/virtio/virtq_packed.h"

#define DESC_SIZE VIRTQ_DESC_SIZE

static uint64_t avail_bytes(const struct virtq *q)
{
	return 4 + 2ull * q->size + 2; /* flags, idx, ring, used_event */
}

static uint64_t used_bytes(const struct virtq *q)
{
	return 4 + 8ull * q->size + 2; /* flags, idx, ring, avail_event */
}

bool virtq_init(struct virtq *q, const struct virtq_mem *m, uint16_t size, uint64_t desc, uint64_t avail, uint64_t used,
		bool event_idx, bool indirect)
{
	memset(q, 0, sizeof(*q));
	if (!size || (size & (size - 1)) || size > VIRTQ_MAX_SIZE || desc % 16 || avail % 2 || used % 4)
		return false;
	q->size = size;
	q->desc = desc;
	q->avail = avail;
	q->used = used;
	q->event_idx = event_idx;
	q->indirect = indirect;
	if (!m->ptr(m->ctx, desc, (uint64_t)DESC_SIZE * size, false) || !m->ptr(m->ctx, avail, avail_bytes(q), false) ||
	    !m->ptr(m->ctx, used, used_bytes(q), true)) {
		q->size = 0;
		return false;
	}
	return true;
}

/* The pieces of an indirect table: its own descriptors, chained by index
 * inside the table, no further indirection. */
static int walk_indirect(struct virtq *q, const struct virtq_mem *m, struct virtq_chain *c, uint64_t addr, uint32_t len)
{
	if (!q->indirect || !len || len % DESC_SIZE)
		return virtq_fail(q, VIRTQ_E_INDIRECT);
	uint32_t n = len / DESC_SIZE;
	const uint8_t *table = m->ptr(m->ctx, addr, len, false);
	if (!table)
		return virtq_fail(q, VIRTQ_E_BUFFER);
	uint32_t i = 0;
	for (uint32_t count = 0;; count++) {
		if (count == n)
			return virtq_fail(q, VIRTQ_E_LOOP);
		const uint8_t *d = table + (uint64_t)i * DESC_SIZE;
		/* each field read once: the guest may be changing them */
		uint64_t a = le64_load(d);
		uint32_t l = le32_load(d + 8);
		uint16_t flags = le16_load(d + 12), next = le16_load(d + 14);
		if (flags & VIRTQ_DESC_F_INDIRECT)
			return virtq_fail(q, VIRTQ_E_INDIRECT);
		if (virtq_add_piece(q, m, c, a, l, flags & VIRTQ_DESC_F_WRITE))
			return -1;
		if (!(flags & VIRTQ_DESC_F_NEXT))
			return 0;
		if (next >= n)
			return virtq_fail(q, VIRTQ_E_HEAD);
		i = next;
	}
}

int virtq_pop(struct virtq *q, const struct virtq_mem *m, struct virtq_chain *c)
{
	if (q->packed)
		return virtq_packed_pop(q, m, c);
	if (!q->size)
		return virtq_fail(q, VIRTQ_E_RING);
	const uint8_t *avail = m->ptr(m->ctx, q->avail, avail_bytes(q), false);
	const uint8_t *desc = m->ptr(m->ctx, q->desc, (uint64_t)DESC_SIZE * q->size, false);
	if (!avail || !desc)
		return virtq_fail(q, VIRTQ_E_RING);
	uint16_t avail_idx = le16_load(avail + 2);
	uint16_t pending = (uint16_t)(avail_idx - q->last_avail);
	if (!pending)
		return 0;
	if (pending > q->size)
		return virtq_fail(q, VIRTQ_E_AVAIL_IDX);
	__atomic_thread_fence(__ATOMIC_ACQUIRE); /* the entry after the index that published it */
	uint16_t head = le16_load(avail + 4 + 2 * (q->last_avail & (q->size - 1)));
	if (head >= q->size)
		return virtq_fail(q, VIRTQ_E_HEAD);
	c->head = head;
	c->ndesc = 1;
	c->nsegs = 0;
	c->readable = c->writable = 0;
	uint16_t i = head;
	for (uint32_t count = 0;; count++) {
		if (count == q->size)
			return virtq_fail(q, VIRTQ_E_LOOP);
		const uint8_t *d = desc + (uint64_t)i * DESC_SIZE;
		uint64_t a = le64_load(d);
		uint32_t l = le32_load(d + 8);
		uint16_t flags = le16_load(d + 12), next = le16_load(d + 14);
		if (flags & VIRTQ_DESC_F_INDIRECT) {
			if (flags & VIRTQ_DESC_F_NEXT)
				return virtq_fail(q, VIRTQ_E_INDIRECT);
			if (walk_indirect(q, m, c, a, l))
				return -1;
			break;
		}
		if (virtq_add_piece(q, m, c, a, l, flags & VIRTQ_DESC_F_WRITE))
			return -1;
		if (!(flags & VIRTQ_DESC_F_NEXT))
			break;
		if (next >= q->size)
			return virtq_fail(q, VIRTQ_E_HEAD);
		i = next;
	}
	q->last_avail++;
	q->chains++;
	return 1;
}

bool virtq_push(struct virtq *q, const struct virtq_mem *m, uint16_t head, uint16_t ndesc, uint32_t written)
{
	if (q->packed)
		return virtq_packed_push(q, m, head, ndesc, written);
	uint8_t *used = q->size ? m->ptr(m->ctx, q->used, used_bytes(q), true) : NULL;
	if (!used)
		return false;
	uint8_t *e = used + 4 + 8 * (q->used_idx & (q->size - 1));
	le32_store(e, head);
	le32_store(e + 4, written);
	__atomic_thread_fence(__ATOMIC_RELEASE); /* the entry before the index that publishes it */
	q->used_idx++;
	le16_store(used + 2, q->used_idx);
	return true;
}

bool virtq_should_notify(struct virtq *q, const struct virtq_mem *m)
{
	if (q->packed)
		return virtq_packed_should_notify(q, m);
	const uint8_t *avail = q->size ? m->ptr(m->ctx, q->avail, avail_bytes(q), false) : NULL;
	if (!avail)
		return false;
	/* our used index stored before the driver's flag or event is read */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!q->event_idx)
		return !(le16_load(avail) & VIRTQ_AVAIL_F_NO_INTERRUPT);
	uint16_t event = le16_load(avail + 4 + 2 * q->size), now = q->used_idx, old = q->signalled_used;
	bool was_valid = q->signalled_valid;
	q->signalled_used = now;
	q->signalled_valid = true;
	/* whether used_event lies in (old, now]: the driver asked for this one */
	return !was_valid || (uint16_t)(now - event - 1) < (uint16_t)(now - old);
}

void virtq_set_avail_event(struct virtq *q, const struct virtq_mem *m, uint16_t avail_event)
{
	if (q->packed)
		return; /* the device's event area always says "notify" */
	uint8_t *used = q->size ? m->ptr(m->ctx, q->used, used_bytes(q), true) : NULL;
	if (used && q->event_idx)
		le16_store(used + 4 + 8 * q->size, avail_event);
}

const char *virtq_error_name(enum virtq_error e)
{
	static const char *const names[] = {
		"ok",
		"a ring outside the guest's memory",
		"more chains made available than the queue holds",
		"a descriptor index past the queue",
		"a descriptor chain longer than the queue (a loop)",
		"a descriptor chain of too many pieces",
		"a bad indirect descriptor table",
		"a device-readable piece after a device-writable one",
		"a buffer outside the guest's memory",
		"a packed chain continuing into a descriptor not made available",
	};
	return (unsigned int)e < sizeof(names) / sizeof(names[0]) ? names[e] : "?";
}
