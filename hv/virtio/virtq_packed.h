/*
 * Packed virtqueues (virtio 1.2, section 2.8): set up here, then used
 * through virtq.h like split ones (virtq_pop, virtq_push, ...).
 */
#ifndef HV_VIRTIO_VIRTQ_PACKED_H
#define HV_VIRTIO_VIRTQ_PACKED_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/virtio/virtq_types.h"

/* Sets q up for a driver's packed ring: desc the descriptor ring
 * (16-aligned), driver and device the event suppression areas
 * (4-aligned), any size up to VIRTQ_MAX_SIZE; false (and q unusable)
 * otherwise or when they are not wholly in the guest's memory. The
 * device's area is set to "always notify". */
bool virtq_init_packed(struct virtq *q, const struct virtq_mem *m, uint16_t size, uint64_t desc, uint64_t driver,
		       uint64_t device, bool event_idx, bool indirect);

/* What virtq_pop, virtq_push and virtq_should_notify do for packed rings. */
int virtq_packed_pop(struct virtq *q, const struct virtq_mem *m, struct virtq_chain *c);
bool virtq_packed_push(struct virtq *q, const struct virtq_mem *m, uint16_t id, uint16_t ndesc, uint32_t written);
bool virtq_packed_should_notify(struct virtq *q, const struct virtq_mem *m);

#endif
