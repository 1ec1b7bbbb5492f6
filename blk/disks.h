/*
 * The partitions' disks of the bundle (docs/bundle.md, /host-disks and each
 * partition's disks node), made block devices at boot: each host disk is
 * found among the drives the drivers registered (by name, or by its
 * controller's serial number and namespace) or kept in memory (a bundle
 * image); each partition disk is a range of one. A disk whose host disk is
 * missing, or which does not fit in it, gets one log line and fails every
 * request; its partition and the others run on.
 */
#ifndef BLK_DISKS_H
#define BLK_DISKS_H

#include "drivers/block/blockdev.h"

struct partition;

/* Partition p's disk of that name (NULL when it has none). */
struct blockdev *disks_find(const struct partition *p, const char *name);

#endif
