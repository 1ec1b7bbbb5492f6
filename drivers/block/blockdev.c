#include <stdio.h>
#include <string.h>
#include "drivers/block/blockdev.h"

static struct blockdev *registered;

enum blk_status blockdev_check(const struct blockdev *bd, const struct blk_request *r)
{
	if (bd->failed)
		return BLK_EIO;
	switch (r->op) {
	case BLK_FLUSH:
		return BLK_OK;
	case BLK_WRITE:
	case BLK_DISCARD:
	case BLK_WRITE_ZEROES:
		if (bd->read_only)
			return BLK_EROFS;
		if ((r->op == BLK_DISCARD && !bd->can_discard) || (r->op == BLK_WRITE_ZEROES && !bd->can_write_zeroes))
			return BLK_EINVAL;
		break;
	case BLK_READ:
		break;
	default:
		return BLK_EINVAL;
	}
	if (!r->nblocks || r->lba >= bd->nblocks || r->nblocks > bd->nblocks - r->lba)
		return BLK_EINVAL;
	if ((r->op == BLK_DISCARD || r->op == BLK_WRITE_ZEROES) && bd->max_zero_blocks &&
	    r->nblocks > bd->max_zero_blocks)
		return BLK_EINVAL;
	if (r->op == BLK_READ || r->op == BLK_WRITE) {
		if (r->nblocks > bd->max_blocks || !r->nsegs || r->nsegs > BLK_MAX_SEGS)
			return BLK_EINVAL;
		uint64_t bytes = 0;
		for (unsigned int i = 0; i < r->nsegs; i++) {
			if (!r->segs[i].len || r->segs[i].addr + r->segs[i].len < r->segs[i].addr)
				return BLK_EINVAL;
			bytes += r->segs[i].len;
		}
		if (bytes != (uint64_t)r->nblocks * bd->block_size)
			return BLK_EINVAL;
	}
	return BLK_OK;
}

int blockdev_submit(struct blockdev *bd, struct blk_request *r)
{
	enum blk_status s = blockdev_check(bd, r);
	if (s != BLK_OK) {
		bd->stats.errors++;
		return (int)s;
	}
	r->dev_lba = r->lba;
	int rc = bd->ops->submit(bd, r);
	if (rc)
		return rc;
	switch (r->op) {
	case BLK_READ:
		bd->stats.reads++;
		bd->stats.read_blocks += r->nblocks;
		break;
	case BLK_WRITE:
		bd->stats.writes++;
		bd->stats.write_blocks += r->nblocks;
		break;
	case BLK_FLUSH:
		bd->stats.flushes++;
		break;
	default:
		bd->stats.others++;
	}
	return 0;
}

static int range_submit(struct blockdev *bd, struct blk_request *r)
{
	struct blockdev_range *rg = bd->priv;
	struct blockdev *p = rg->parent;
	if (p->failed)
		return BLK_EIO;
	r->dev_lba += rg->first;
	int rc = p->ops->submit(p, r);
	if (rc)
		r->dev_lba -= rg->first;
	return rc;
}

static unsigned int range_poll(struct blockdev *bd)
{
	struct blockdev_range *rg = bd->priv;
	return rg->parent->ops->poll(rg->parent);
}

static int range_health(struct blockdev *bd, struct blk_health *h)
{
	struct blockdev_range *rg = bd->priv;
	return blockdev_health(rg->parent, h); /* the wear of the drive it lies on */
}

static const struct blockdev_ops range_ops = { range_submit, range_poll, range_health };

bool blockdev_has_health(const struct blockdev *bd)
{
	if (bd->ops == &range_ops)
		return blockdev_has_health(((const struct blockdev_range *)bd->priv)->parent);
	return bd->ops && bd->ops->health;
}

int blockdev_health(struct blockdev *bd, struct blk_health *h)
{
	if (!bd || bd->failed || !bd->ops || !bd->ops->health)
		return -1;
	return bd->ops->health(bd, h);
}

void blockdev_range_init(struct blockdev_range *r, const char *name, struct blockdev *parent, uint64_t first,
			 uint64_t nblocks, bool read_only)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->bd.name, sizeof(r->bd.name), "%s", name);
	r->parent = parent;
	r->first = first;
	r->bd.nblocks = nblocks;
	r->bd.read_only = read_only;
	r->bd.ops = &range_ops;
	r->bd.priv = r;
	r->bd.block_size = 512;
	r->bd.max_blocks = 1;
	if (!parent || !nblocks || first >= parent->nblocks || nblocks > parent->nblocks - first) {
		r->bd.failed = true;
		return;
	}
	memcpy(r->bd.model, parent->model, sizeof(r->bd.model));
	memcpy(r->bd.serial, parent->serial, sizeof(r->bd.serial));
	r->bd.block_size = parent->block_size;
	r->bd.max_blocks = parent->max_blocks;
	r->bd.max_zero_blocks = parent->max_zero_blocks;
	r->bd.read_only = read_only || parent->read_only;
	r->bd.volatile_cache = parent->volatile_cache;
	r->bd.can_discard = parent->can_discard;
	r->bd.can_write_zeroes = parent->can_write_zeroes;
	r->bd.failed = parent->failed;
}

unsigned int blockdev_poll(struct blockdev *bd)
{
	return bd->ops->poll(bd);
}

struct sync_wait {
	volatile bool done;
	enum blk_status status;
};

static void sync_done(struct blk_request *r, enum blk_status status)
{
	struct sync_wait *w = r->ctx;
	w->status = status;
	w->done = true;
}

enum blk_status blockdev_sync(struct blockdev *bd, enum blk_op op, uint64_t lba, uint32_t nblocks, void *buf)
{
	struct blk_seg seg = { (uint64_t)(uintptr_t)buf, (uint32_t)((uint64_t)nblocks * bd->block_size) };
	struct sync_wait w = { false, BLK_OK };
	struct blk_request r;
	memset(&r, 0, sizeof(r));
	r.op = op;
	r.lba = lba;
	r.nblocks = nblocks;
	r.segs = &seg;
	r.nsegs = (op == BLK_READ || op == BLK_WRITE) ? 1 : 0;
	r.done = sync_done;
	r.ctx = &w;
	int rc;
	/* The driver bounds every wait (its command timeouts), so this ends. */
	while ((rc = blockdev_submit(bd, &r)) == -1)
		blockdev_poll(bd);
	if (rc > 0)
		return (enum blk_status)rc;
	while (!w.done)
		blockdev_poll(bd);
	if (w.status != BLK_OK)
		bd->stats.errors++;
	return w.status;
}

void blockdev_register(struct blockdev *bd)
{
	struct blockdev **p = &registered;
	while (*p) {
		if (*p == bd)
			return; /* already there */
		p = &(*p)->next_registered;
	}
	bd->next_registered = NULL;
	*p = bd;
}

struct blockdev *blockdev_find(const char *name)
{
	for (struct blockdev *bd = registered; bd; bd = bd->next_registered)
		if (!strcmp(bd->name, name))
			return bd;
	return NULL;
}

struct blockdev *blockdev_first(void)
{
	return registered;
}

const char *blk_status_name(enum blk_status s)
{
	static const char *names[] = { "ok", "I/O error", "invalid request", "read-only", "no DMA space", "canceled" };
	return (unsigned int)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}
