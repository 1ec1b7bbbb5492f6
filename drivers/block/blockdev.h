/*
 * The block-device layer: what a disk backend (virtio-blk) sees, whether
 * the blocks live on an NVMe namespace (drivers/nvme), in RAM
 * (drivers/block/ramdisk.c) or in an LBA range of either
 * (drivers/block/range.c). Asynchronous: submit a request, poll for
 * completions; the request's done() runs from poll(), on the polling
 * thread, exactly once. Portable.
 *
 * Data is described by real addresses (the hypervisor runs with the MMU
 * off); the driver hands them to its device as it must (TCEs for NVMe).
 */
#ifndef DRIVERS_BLOCK_BLOCKDEV_H
#define DRIVERS_BLOCK_BLOCKDEV_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/lib/registry.h"

enum blk_op { BLK_READ, BLK_WRITE, BLK_FLUSH, BLK_DISCARD, BLK_WRITE_ZEROES };

enum blk_status {
	BLK_OK = 0,
	BLK_EIO,      /* the device failed the request, timed out or is gone */
	BLK_EINVAL,   /* outside the device, misaligned, or an unsupported operation */
	BLK_EROFS,    /* a write to a read-only device */
	BLK_ENOMEM,   /* the device could not map the data for DMA */
	BLK_ECANCELED /* dropped by a reset before the device answered (never written twice) */
};

struct blk_seg {
	uint64_t addr; /* real address */
	uint32_t len;
};

#define BLK_MAX_SEGS 258 /* 1 MiB of 4 KiB pages, plus unaligned ends */

struct blk_request;
typedef void (*blk_done_fn)(struct blk_request *r, enum blk_status status);

struct blk_request {
	enum blk_op op;
	uint64_t lba;     /* in the device's blocks */
	uint32_t nblocks; /* 0 for FLUSH */
	const struct blk_seg *segs;
	unsigned int nsegs;
	bool fua; /* the write is on the medium when it completes */
	blk_done_fn done;
	void *ctx; /* the submitter's */
	/* The block layer's and the driver's: */
	uint64_t dev_lba; /* lba on the device that serves it (a range adds its offset) */
	uint32_t pending;
	enum blk_status status;
	struct blk_request *next;
};

struct blockdev;

/* A drive's wear, as NVMe's SMART / Health log reports it. */
struct blk_health {
	uint8_t percent_used;    /* of its rated endurance; may pass 100 */
	uint8_t spare;           /* spare blocks left, percent */
	uint8_t spare_threshold; /* the drive warns below it, percent */
};

struct blockdev_ops {
	/* 0: accepted, done() follows from a poll; -1: no room now (poll and
	 * retry); another blk_status: refused at once, done() not called. */
	int (*submit)(struct blockdev *bd, struct blk_request *r);
	/* Completes what finished (and what timed out); returns how many. */
	unsigned int (*poll)(struct blockdev *bd);
	/* Optional: the drive's wear now (a synchronous query); 0 or -1. */
	int (*health)(struct blockdev *bd, struct blk_health *h);
};

struct blockdev_stats {
	uint64_t reads, writes, flushes, others;
	uint64_t read_blocks, write_blocks;
	uint64_t errors;
};

struct blockdev {
	char name[16];
	char model[41], serial[21];
	uint32_t block_size; /* 512 or 4096 */
	uint64_t nblocks;
	uint32_t max_blocks;      /* per READ or WRITE */
	uint32_t max_zero_blocks; /* per DISCARD or WRITE_ZEROES (0: no limit) */
	bool read_only, volatile_cache, can_discard, can_write_zeroes;
	bool failed; /* every request gets BLK_EIO */
	const struct blockdev_ops *ops;
	void *priv;
	struct blockdev_stats stats;
	struct blockdev *next_registered;
};

/* A block device made of blocks [first, first + nblocks) of another:
 * a partition's disk on an LBA range of a host disk. */
struct blockdev_range {
	struct blockdev bd;
	struct blockdev *parent;
	uint64_t first;
};

/* Fails (bd.failed) when the range does not lie inside parent; parent may
 * be NULL (a host disk that was not found): every request fails then. */
void blockdev_range_init(struct blockdev_range *r, const char *name, struct blockdev *parent, uint64_t first,
			 uint64_t nblocks, bool read_only);

/* Checks a request against the device's geometry and flags. */
enum blk_status blockdev_check(const struct blockdev *bd, const struct blk_request *r);
int blockdev_submit(struct blockdev *bd, struct blk_request *r);
unsigned int blockdev_poll(struct blockdev *bd);
/* The drive's wear: 0, or -1 when it cannot tell (no such report, or failed). */
int blockdev_health(struct blockdev *bd, struct blk_health *h);
bool blockdev_has_health(const struct blockdev *bd);

/* Submits and polls until done; for boot-time and test use. */
enum blk_status blockdev_sync(struct blockdev *bd, enum blk_op op, uint64_t lba, uint32_t nblocks, void *buf);

/* The devices drivers found, by name ("nvme0n1", "ram0"). */
void blockdev_register(struct blockdev *bd);
struct blockdev *blockdev_find(const char *name);
struct blockdev *blockdev_first(void);
const char *blk_status_name(enum blk_status s);

#endif
