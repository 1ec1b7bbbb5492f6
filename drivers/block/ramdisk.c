#include <stdio.h>
#include <string.h>
#include "drivers/block/ramdisk.h"

static int ram_submit(struct blockdev *bd, struct blk_request *r)
{
	struct ramdisk *rd = bd->priv;
	uint64_t off = r->dev_lba * bd->block_size;
	switch (r->op) {
	case BLK_READ:
	case BLK_WRITE:
		for (unsigned int i = 0; i < r->nsegs; i++) {
			void *mem = (void *)(uintptr_t)r->segs[i].addr;
			if (r->op == BLK_READ)
				memcpy(mem, rd->data + off, r->segs[i].len);
			else
				memcpy(rd->data + off, mem, r->segs[i].len);
			off += r->segs[i].len;
		}
		break;
	case BLK_DISCARD:
	case BLK_WRITE_ZEROES:
		memset(rd->data + off, 0, (uint64_t)r->nblocks * bd->block_size);
		break;
	default:
		break;
	}
	r->status = BLK_OK;
	r->next = NULL;
	*rd->done_tail = r;
	rd->done_tail = &r->next;
	return 0;
}

static unsigned int ram_poll(struct blockdev *bd)
{
	struct ramdisk *rd = bd->priv;
	struct blk_request *list = rd->done_head;
	unsigned int n = 0;
	rd->done_head = NULL;
	rd->done_tail = &rd->done_head;
	while (list) {
		struct blk_request *r = list;
		list = r->next;
		r->done(r, r->status);
		n++;
	}
	return n;
}

static const struct blockdev_ops ram_ops = { ram_submit, ram_poll, NULL }; /* no wear to report */

void ramdisk_init(struct ramdisk *rd, const char *name, void *data, uint64_t nblocks, uint32_t block_size,
		  bool read_only)
{
	memset(rd, 0, sizeof(*rd));
	snprintf(rd->bd.name, sizeof(rd->bd.name), "%s", name);
	snprintf(rd->bd.model, sizeof(rd->bd.model), "RAM disk");
	rd->bd.block_size = block_size;
	rd->bd.nblocks = nblocks;
	rd->bd.max_blocks = (uint32_t)((1u << 20) / block_size);
	rd->bd.max_zero_blocks = (uint32_t)((64u << 20) / block_size); /* zeroed by the CPU: bounded */
	rd->bd.read_only = read_only;
	rd->bd.can_discard = rd->bd.can_write_zeroes = true;
	rd->bd.ops = &ram_ops;
	rd->bd.priv = rd;
	rd->data = data;
	rd->done_tail = &rd->done_head;
}
