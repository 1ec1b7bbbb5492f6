/* Building a chain from descriptors' pieces, for split and packed rings alike. */
#ifndef HV_VIRTIO_VIRTQ_CHAIN_H
#define HV_VIRTIO_VIRTQ_CHAIN_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/virtio/virtq_types.h"

#define VIRTQ_DESC_SIZE 16

/* Records error e on q; returns -1. */
int virtq_fail(struct virtq *q, enum virtq_error e);
/* Adds one descriptor's piece to c (checked: inside the guest, readable
 * before writable, at most VIRTQ_MAX_SEGS; empty pieces are skipped); 0,
 * or virtq_fail's -1. */
int virtq_add_piece(struct virtq *q, const struct virtq_mem *m, struct virtq_chain *c, uint64_t addr, uint32_t len,
		    bool write);

#endif
