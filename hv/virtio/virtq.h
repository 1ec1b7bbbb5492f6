/*
 * The device side of a virtqueue, split (virtio 1.2, section 2.7: virtq.c)
 * or packed (section 2.8, VIRTIO_F_RING_PACKED: virtq_packed.c): taking
 * descriptor chains the driver made available, validated, and returning
 * them as used, with VIRTIO_RING_F_INDIRECT_DESC and
 * VIRTIO_RING_F_EVENT_IDX. Portable: guest memory is reached through
 * struct virtq_mem, which refuses anything outside the partition's memory.
 *
 * The rings are guest memory a hostile guest writes while the device reads
 * them: every index is taken once and checked, every chain is bounded by
 * the queue size (and indirect tables by their own length), and any
 * inconsistency is a device error (the device then needs a reset, as the
 * specification lets it say), never a read outside the guest.
 */
#ifndef HV_VIRTIO_VIRTQ_H
#define HV_VIRTIO_VIRTQ_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/virtio/virtq_types.h"

/* Sets q up for a driver's split rings; false (and q unusable) when size
 * is not a power of two, the rings are misaligned (desc 16, avail 2, used
 * 4) or not wholly in the guest's memory. */
bool virtq_init(struct virtq *q, const struct virtq_mem *m, uint16_t size, uint64_t desc, uint64_t avail, uint64_t used,
		bool event_idx, bool indirect);
/* Packed rings: virtq_init_packed() in virtq_packed.h; the rest is common. */

/* Takes the next available chain into *c: 1, 0 when there is none, or -1
 * with q->last_error set (the queue is then broken: reset the device). */
int virtq_pop(struct virtq *q, const struct virtq_mem *m, struct virtq_chain *c);

/* Returns chain head (which took ndesc descriptors: c->ndesc) with written
 * bytes as used (visible to the driver after the index or flags store);
 * false when the ring is gone. */
bool virtq_push(struct virtq *q, const struct virtq_mem *m, uint16_t head, uint16_t ndesc, uint32_t written);

/* After pushes: whether the driver wants an interrupt now (its flags, or
 * with EVENT_IDX its used_event). */
bool virtq_should_notify(struct virtq *q, const struct virtq_mem *m);

/* With EVENT_IDX, the device asks to be notified when the driver makes
 * entry avail_event available (it writes it after processing). */
void virtq_set_avail_event(struct virtq *q, const struct virtq_mem *m, uint16_t avail_event);

const char *virtq_error_name(enum virtq_error e);

#endif
