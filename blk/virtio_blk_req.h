/*
 * virtio-blk requests (virtio 1.2, section 5.2.6), portable: a descriptor
 * chain made into an operation on a disk, checked against the disk before
 * anything is done. The header (type, sector) is the first 16 readable
 * bytes, the status the last writable byte, the data what lies between;
 * pieces may split any of them anywhere, as the specification allows.
 */
#ifndef BLK_VIRTIO_BLK_REQ_H
#define BLK_VIRTIO_BLK_REQ_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/virtio/virtq.h"

#define VIRTIO_BLK_T_IN           0
#define VIRTIO_BLK_T_OUT          1
#define VIRTIO_BLK_T_FLUSH        4
#define VIRTIO_BLK_T_GET_ID       8
#define VIRTIO_BLK_T_DISCARD      11
#define VIRTIO_BLK_T_WRITE_ZEROES 13

#define VIRTIO_BLK_S_OK     0
#define VIRTIO_BLK_S_IOERR  1
#define VIRTIO_BLK_S_UNSUPP 2

#define VIRTIO_BLK_ID_BYTES 20

struct vblk_req {
	uint32_t type;
	uint64_t sector;     /* in 512-byte units */
	uint64_t status_gpa; /* where the status byte goes */
	uint64_t data_len;
	unsigned int nsegs; /* the data (last: vblk_parse clears what comes before) */
	struct virtq_seg seg[VIRTQ_MAX_SEGS];
};

enum vblk_parse {
	VBLK_OK,
	VBLK_NO_STATUS,  /* no writable byte: nothing can be answered */
	VBLK_BAD_HEADER, /* fewer than 16 readable bytes */
	VBLK_BAD_DATA,   /* data the type does not take (readable for IN, writable for OUT) */
};

/* The request chain c carries (its segments already checked by virtq_pop). */
enum vblk_parse vblk_parse(const struct virtq_chain *c, const struct virtq_mem *m, struct vblk_req *r);

/* Whether r fits a disk of nblocks blocks of block_size bytes (512 or
 * 4096): sectors inside it, lengths whole blocks, at most max_bytes;
 * the virtio status it gets otherwise. */
uint8_t vblk_check(const struct vblk_req *r, uint64_t nblocks, uint32_t block_size, uint64_t max_bytes, bool read_only);

#endif
