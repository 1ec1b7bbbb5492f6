/* A block device in memory: for a bundle's disk image, and for tests of
 * what sits on the block layer. Requests complete at the next poll. */
#ifndef DRIVERS_BLOCK_RAMDISK_H
#define DRIVERS_BLOCK_RAMDISK_H

#include "drivers/block/blockdev.h"

struct ramdisk {
	struct blockdev bd;
	uint8_t *data;
	struct blk_request *done_head, **done_tail;
};

/* data: nblocks * block_size bytes the disk owns from now on. */
void ramdisk_init(struct ramdisk *rd, const char *name, void *data, uint64_t nblocks, uint32_t block_size,
		  bool read_only);

#endif
