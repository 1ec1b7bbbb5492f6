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
#define VIRTIO_BLK_T_GET_LIFETIME 10
#define VIRTIO_BLK_T_DISCARD      11
#define VIRTIO_BLK_T_WRITE_ZEROES 13

#define VIRTIO_BLK_S_OK     0
#define VIRTIO_BLK_S_IOERR  1
#define VIRTIO_BLK_S_UNSUPP 2

#define VIRTIO_BLK_ID_BYTES 20
#define VBLK_RANGE_BYTES    16 /* one range of DISCARD or WRITE_ZEROES */
#define VBLK_LIFETIME_BYTES 6  /* struct virtio_blk_lifetime */

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

/* What requests are checked against: the disk and what the device offers. */
struct vblk_disk {
	uint64_t nblocks;
	uint32_t block_size; /* 512 or 4096 */
	uint64_t max_bytes;  /* data of one IN or OUT request */
	bool read_only;
	bool discard, write_zeroes; /* offered */
	uint32_t max_zero_sectors;  /* per range of a DISCARD or WRITE_ZEROES (a multiple of the block) */
	uint32_t max_zero_segs;     /* ranges per request */
	bool lifetime;              /* GET_LIFETIME offered (the drive reports its wear) */
};

/* Whether r fits the disk: sectors inside it, lengths whole blocks, IN and
 * OUT at most max_bytes, DISCARD and WRITE_ZEROES whole ranges, at most
 * max_zero_segs; the virtio status it gets otherwise. */
uint8_t vblk_check(const struct vblk_req *r, const struct vblk_disk *disk);

/* One range of a DISCARD or WRITE_ZEROES request (struct
 * virtio_blk_discard_write_zeroes). */
struct vblk_range {
	uint64_t sector;
	uint32_t num_sectors;
	uint32_t flags;
};
#define VBLK_RANGE_UNMAP 1u /* write-zeroes may deallocate; refused for discard */

/* struct virtio_blk_lifetime from a drive's wear: pre_eol_info from the
 * spare blocks used (1 normal, 2 past 80 %, 3 past 90 %) and both
 * estimates (the specification's eMMC-style 1..10 for each tenth of the
 * rated life used, 11 past it) from the percentage used. */
void vblk_lifetime(uint8_t percent_used, uint8_t spare, uint8_t out[VBLK_LIFETIME_BYTES]);

/* Reads the ranges of a DISCARD or WRITE_ZEROES request that passed
 * vblk_check into out (room for disk->max_zero_segs) and checks each: the
 * status (UNSUPP for flags the type does not take, IOERR for an empty,
 * oversized, misaligned or out-of-disk range). */
uint8_t vblk_ranges(const struct vblk_req *r, const struct virtq_mem *m, const struct vblk_disk *disk,
		    struct vblk_range *out, unsigned int *n);

#endif
