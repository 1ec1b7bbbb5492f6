/* The block-device layer (drivers/block/blockdev.c) and the RAM disk (drivers/block/ramdisk.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "drivers/block/blockdev.h"
#include "drivers/block/ramdisk.h"

#define NBLOCKS 64
#define BS      512

static uint8_t *disk;
static struct ramdisk rd;

static int setup(void **state)
{
	(void)state;
	disk = malloc(NBLOCKS * BS);
	for (unsigned int i = 0; i < NBLOCKS * BS; i++)
		disk[i] = (uint8_t)(i / BS + 1); /* block k holds k + 1 */
	ramdisk_init(&rd, "ram0", disk, NBLOCKS, BS, false);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(disk);
	return 0;
}

static uint8_t sbuf[8 * BS];
static struct blk_seg seg1 = { 0, BS };

static struct blk_request req(enum blk_op op, uint64_t lba, uint32_t nblocks, const struct blk_seg *segs,
			      unsigned int nsegs)
{
	struct blk_request r;
	memset(&r, 0, sizeof(r));
	r.op = op;
	r.lba = lba;
	r.nblocks = nblocks;
	r.segs = segs;
	r.nsegs = nsegs;
	return r;
}

/* ---- blockdev_check: one rule at a time ---- */

static struct blockdev geo(void)
{
	struct blockdev bd;
	memset(&bd, 0, sizeof(bd));
	bd.block_size = BS;
	bd.nblocks = 100;
	bd.max_blocks = 8;
	bd.can_discard = bd.can_write_zeroes = true;
	return bd;
}

static void check_accepts_good_requests(void **state)
{
	(void)state;
	struct blockdev bd = geo();
	seg1.addr = (uint64_t)(uintptr_t)sbuf;
	struct blk_request r = req(BLK_READ, 0, 1, &seg1, 1);
	assert_int_equal(blockdev_check(&bd, &r), BLK_OK);
	r = req(BLK_WRITE, 99, 1, &seg1, 1); /* the last block */
	assert_int_equal(blockdev_check(&bd, &r), BLK_OK);
	struct blk_seg eight = { (uint64_t)(uintptr_t)sbuf, 8 * BS };
	r = req(BLK_READ, 92, 8, &eight, 1); /* max_blocks, up to the end */
	assert_int_equal(blockdev_check(&bd, &r), BLK_OK);
	r = req(BLK_FLUSH, 0, 0, NULL, 0);
	assert_int_equal(blockdev_check(&bd, &r), BLK_OK);
	r = req(BLK_DISCARD, 10, 90, NULL, 0); /* no data, and not bound by max_blocks */
	assert_int_equal(blockdev_check(&bd, &r), BLK_OK);
	r = req(BLK_WRITE_ZEROES, 0, 100, NULL, 0);
	assert_int_equal(blockdev_check(&bd, &r), BLK_OK);
	/* but by max_zero_blocks when the device has one */
	bd.max_zero_blocks = 64;
	r = req(BLK_WRITE_ZEROES, 0, 64, NULL, 0);
	assert_int_equal(blockdev_check(&bd, &r), BLK_OK);
	r = req(BLK_WRITE_ZEROES, 0, 65, NULL, 0);
	assert_int_equal(blockdev_check(&bd, &r), BLK_EINVAL);
	r = req(BLK_DISCARD, 10, 65, NULL, 0);
	assert_int_equal(blockdev_check(&bd, &r), BLK_EINVAL);
}

static void check_past_the_end(void **state)
{
	(void)state;
	struct blockdev bd = geo();
	seg1.addr = (uint64_t)(uintptr_t)sbuf;
	struct blk_seg two = { (uint64_t)(uintptr_t)sbuf, 2 * BS };
	struct blk_request r = req(BLK_READ, 100, 1, &seg1, 1);
	assert_int_equal(blockdev_check(&bd, &r), BLK_EINVAL);
	r = req(BLK_READ, 99, 2, &two, 1); /* starts inside, ends past */
	assert_int_equal(blockdev_check(&bd, &r), BLK_EINVAL);
	r = req(BLK_DISCARD, 50, 51, NULL, 0);
	assert_int_equal(blockdev_check(&bd, &r), BLK_EINVAL);
	r = req(BLK_WRITE_ZEROES, 100, 1, NULL, 0);
	assert_int_equal(blockdev_check(&bd, &r), BLK_EINVAL);
}

static void check_zero_blocks(void **state)
{
	(void)state;
	struct blockdev bd = geo();
	seg1.addr = (uint64_t)(uintptr_t)sbuf;
	struct blk_request r = req(BLK_READ, 0, 0, &seg1, 1);
	assert_int_equal(blockdev_check(&bd, &r), BLK_EINVAL);
	r = req(BLK_WRITE, 0, 0, &seg1, 1);
	assert_int_equal(blockdev_check(&bd, &r), BLK_EINVAL);
	r = req(BLK_DISCARD, 0, 0, NULL, 0);
	assert_int_equal(blockdev_check(&bd, &r), BLK_EINVAL);
}

static void check_lba_overflow(void **state)
{
	(void)state;
	struct blockdev bd = geo();
	seg1.addr = (uint64_t)(uintptr_t)sbuf;
	struct blk_request r = req(BLK_READ, ~0ull, 1, &seg1, 1);
	assert_int_equal(blockdev_check(&bd, &r), BLK_EINVAL);
	/* lba + nblocks wraps to a small number: still past the end */
	r = req(BLK_DISCARD, ~0ull - 10, 20, NULL, 0);
	assert_int_equal(blockdev_check(&bd, &r), BLK_EINVAL);
	r = req(BLK_WRITE_ZEROES, 50, 0xffffffffu, NULL, 0);
	assert_int_equal(blockdev_check(&bd, &r), BLK_EINVAL);
	/* a device as large as the address space */
	bd.nblocks = ~0ull;
	r = req(BLK_DISCARD, ~0ull - 2, 2, NULL, 0);
	assert_int_equal(blockdev_check(&bd, &r), BLK_OK);
	r = req(BLK_DISCARD, ~0ull - 2, 3, NULL, 0);
	assert_int_equal(blockdev_check(&bd, &r), BLK_EINVAL);
}

static void check_read_only(void **state)
{
	(void)state;
	struct blockdev bd = geo();
	bd.read_only = true;
	seg1.addr = (uint64_t)(uintptr_t)sbuf;
	struct blk_request r = req(BLK_WRITE, 0, 1, &seg1, 1);
	assert_int_equal(blockdev_check(&bd, &r), BLK_EROFS);
	r = req(BLK_DISCARD, 0, 1, NULL, 0);
	assert_int_equal(blockdev_check(&bd, &r), BLK_EROFS);
	r = req(BLK_WRITE_ZEROES, 0, 1, NULL, 0);
	assert_int_equal(blockdev_check(&bd, &r), BLK_EROFS);
	r = req(BLK_WRITE, 1000, 1, &seg1, 1); /* read-only says more than out of range */
	assert_int_equal(blockdev_check(&bd, &r), BLK_EROFS);
	r = req(BLK_READ, 0, 1, &seg1, 1);
	assert_int_equal(blockdev_check(&bd, &r), BLK_OK);
	r = req(BLK_FLUSH, 0, 0, NULL, 0);
	assert_int_equal(blockdev_check(&bd, &r), BLK_OK);
}

static void check_segments(void **state)
{
	(void)state;
	struct blockdev bd = geo();
	uint64_t a = (uint64_t)(uintptr_t)sbuf;
	struct blk_seg s[3] = { { a, 256 }, { a + 1024, 256 }, { a + 2048, 512 } };
	struct blk_request r = req(BLK_WRITE, 0, 2, s, 3); /* 256 + 256 + 512 */
	assert_int_equal(blockdev_check(&bd, &r), BLK_OK);
	s[1].len = 257;
	assert_int_equal(blockdev_check(&bd, &r), BLK_EINVAL); /* one byte too many */
	s[1].len = 255;
	assert_int_equal(blockdev_check(&bd, &r), BLK_EINVAL); /* one too few */
	s[1].len = 0;
	s[2].len = 768;
	assert_int_equal(blockdev_check(&bd, &r), BLK_EINVAL); /* the total is right, a piece is empty */
	s[1] = (struct blk_seg){ ~0ull - 100, 256 };
	s[2].len = 512;
	assert_int_equal(blockdev_check(&bd, &r), BLK_EINVAL); /* a piece that wraps */
	r = req(BLK_READ, 0, 1, s, 0);
	assert_int_equal(blockdev_check(&bd, &r), BLK_EINVAL); /* no data at all */
	static struct blk_seg many[BLK_MAX_SEGS + 1];
	for (unsigned int i = 0; i <= BLK_MAX_SEGS; i++)
		many[i] = (struct blk_seg){ a + i, 1 };
	/* one block in BLK_MAX_SEGS + 1 pieces: the bytes add up, the count is too high */
	many[BLK_MAX_SEGS].len = BS - BLK_MAX_SEGS;
	r = req(BLK_READ, 0, 1, many, BLK_MAX_SEGS + 1);
	assert_int_equal(blockdev_check(&bd, &r), BLK_EINVAL);
	many[BLK_MAX_SEGS - 1].len = BS - (BLK_MAX_SEGS - 1);
	r.nsegs = BLK_MAX_SEGS;
	assert_int_equal(blockdev_check(&bd, &r), BLK_OK);
	/* more blocks than one request may carry */
	bd.max_blocks = 8;
	struct blk_seg nine = { a, 9 * BS };
	r = req(BLK_READ, 0, 9, &nine, 1);
	assert_int_equal(blockdev_check(&bd, &r), BLK_EINVAL);
}

static void check_unsupported_operations(void **state)
{
	(void)state;
	struct blockdev bd = geo();
	bd.can_discard = false;
	struct blk_request r = req(BLK_DISCARD, 0, 1, NULL, 0);
	assert_int_equal(blockdev_check(&bd, &r), BLK_EINVAL);
	r = req(BLK_WRITE_ZEROES, 0, 1, NULL, 0);
	assert_int_equal(blockdev_check(&bd, &r), BLK_OK);
	bd.can_discard = true;
	bd.can_write_zeroes = false;
	assert_int_equal(blockdev_check(&bd, &r), BLK_EINVAL);
	r = req(BLK_DISCARD, 0, 1, NULL, 0);
	assert_int_equal(blockdev_check(&bd, &r), BLK_OK);
	r = req((enum blk_op)42, 0, 1, NULL, 0); /* no such operation */
	assert_int_equal(blockdev_check(&bd, &r), BLK_EINVAL);
}

static void check_failed_device(void **state)
{
	(void)state;
	struct blockdev bd = geo();
	bd.failed = true;
	seg1.addr = (uint64_t)(uintptr_t)sbuf;
	struct blk_request r = req(BLK_READ, 0, 1, &seg1, 1);
	assert_int_equal(blockdev_check(&bd, &r), BLK_EIO);
	r = req(BLK_FLUSH, 0, 0, NULL, 0);
	assert_int_equal(blockdev_check(&bd, &r), BLK_EIO);
	r = req(BLK_READ, 1000, 0, NULL, 0); /* failed says more than anything else */
	assert_int_equal(blockdev_check(&bd, &r), BLK_EIO);
	bd.read_only = true;
	r = req(BLK_WRITE, 0, 1, &seg1, 1);
	assert_int_equal(blockdev_check(&bd, &r), BLK_EIO);
}

/* ---- the RAM disk through blockdev_sync ---- */

static void ramdisk_geometry(void **state)
{
	(void)state;
	assert_string_equal(rd.bd.name, "ram0");
	assert_string_equal(rd.bd.model, "RAM disk");
	assert_int_equal(rd.bd.block_size, BS);
	assert_int_equal(rd.bd.nblocks, NBLOCKS);
	assert_int_equal(rd.bd.max_blocks, (1u << 20) / BS);
	assert_true(rd.bd.can_discard && rd.bd.can_write_zeroes);
	assert_false(rd.bd.read_only);
	assert_ptr_equal(rd.bd.priv, &rd);
}

static void ramdisk_read_and_write(void **state)
{
	(void)state;
	struct blockdev *bd = &rd.bd;
	uint8_t buf[3 * BS];
	assert_int_equal(blockdev_sync(bd, BLK_READ, 5, 3, buf), BLK_OK);
	assert_int_equal(buf[0], 6);
	assert_int_equal(buf[BS], 7);
	assert_int_equal(buf[3 * BS - 1], 8);
	for (unsigned int i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 13);
	assert_int_equal(blockdev_sync(bd, BLK_WRITE, 10, 3, buf), BLK_OK);
	assert_memory_equal(disk + 10 * BS, buf, sizeof(buf));
	assert_int_equal(disk[10 * BS - 1], 10); /* neighbours untouched */
	assert_int_equal(disk[13 * BS], 14);
	uint8_t back[3 * BS];
	assert_int_equal(blockdev_sync(bd, BLK_READ, 10, 3, back), BLK_OK);
	assert_memory_equal(back, buf, sizeof(buf));
	/* the last block, and one past it */
	assert_int_equal(blockdev_sync(bd, BLK_READ, NBLOCKS - 1, 1, back), BLK_OK);
	assert_int_equal(back[0], NBLOCKS);
	assert_int_equal(blockdev_sync(bd, BLK_READ, NBLOCKS, 1, back), BLK_EINVAL);
	assert_int_equal(blockdev_sync(bd, BLK_FLUSH, 0, 0, NULL), BLK_OK);
}

static void ramdisk_discard_and_write_zeroes(void **state)
{
	(void)state;
	struct blockdev *bd = &rd.bd;
	assert_int_equal(blockdev_sync(bd, BLK_DISCARD, 3, 2, NULL), BLK_OK);
	for (unsigned int i = 3 * BS; i < 5 * BS; i++)
		assert_int_equal(disk[i], 0);
	assert_int_equal(disk[3 * BS - 1], 3);
	assert_int_equal(disk[5 * BS], 6);
	assert_int_equal(blockdev_sync(bd, BLK_WRITE_ZEROES, NBLOCKS - 1, 1, NULL), BLK_OK);
	assert_int_equal(disk[NBLOCKS * BS - 1], 0);
	assert_int_equal(disk[(NBLOCKS - 1) * BS - 1], NBLOCKS - 1);
	assert_int_equal(blockdev_sync(bd, BLK_WRITE_ZEROES, NBLOCKS - 1, 2, NULL), BLK_EINVAL);
}

static void read_only_ramdisk(void **state)
{
	(void)state;
	static uint8_t ro[4 * BS];
	memset(ro, 0x77, sizeof(ro));
	struct ramdisk r;
	ramdisk_init(&r, "rom", ro, 4, BS, true);
	uint8_t buf[BS];
	memset(buf, 1, sizeof(buf));
	assert_int_equal(blockdev_sync(&r.bd, BLK_WRITE, 0, 1, buf), BLK_EROFS);
	assert_int_equal(blockdev_sync(&r.bd, BLK_DISCARD, 0, 1, NULL), BLK_EROFS);
	assert_int_equal(blockdev_sync(&r.bd, BLK_WRITE_ZEROES, 0, 1, NULL), BLK_EROFS);
	assert_int_equal(ro[0], 0x77);
	assert_int_equal(blockdev_sync(&r.bd, BLK_READ, 3, 1, buf), BLK_OK);
	assert_int_equal(buf[0], 0x77);
	assert_int_equal(r.bd.stats.errors, 3);
	assert_int_equal(r.bd.stats.reads, 1);
	assert_int_equal(r.bd.stats.writes, 0);
}

static void ramdisk_4k_blocks(void **state)
{
	(void)state;
	static uint8_t big[8 * 4096];
	struct ramdisk r;
	ramdisk_init(&r, "ram4k", big, 8, 4096, false);
	assert_int_equal(r.bd.max_blocks, 256);
	static uint8_t buf[2 * 4096];
	memset(buf, 0x3c, sizeof(buf));
	assert_int_equal(blockdev_sync(&r.bd, BLK_WRITE, 6, 2, buf), BLK_OK);
	assert_int_equal(big[6 * 4096], 0x3c);
	assert_int_equal(big[8 * 4096 - 1], 0x3c);
	assert_int_equal(big[6 * 4096 - 1], 0);
}

/* ---- asynchronous submit and poll ---- */

struct tracked {
	unsigned int calls;
	enum blk_status status;
	struct blk_request *resubmit; /* submitted from done() */
	struct blockdev *bd;
};

static void track_done(struct blk_request *r, enum blk_status s)
{
	struct tracked *t = r->ctx;
	t->calls++;
	t->status = s;
	if (t->resubmit) {
		assert_int_equal(blockdev_submit(t->bd, t->resubmit), 0);
		t->resubmit = NULL;
	}
}

static void submit_and_poll(void **state)
{
	(void)state;
	struct blockdev *bd = &rd.bd;
	static uint8_t a[BS], b[2 * BS];
	memset(a, 0xee, sizeof(a));
	struct blk_seg wsegs[2] = { { (uint64_t)(uintptr_t)a, 256 }, { (uint64_t)(uintptr_t)a + 256, 256 } };
	struct blk_seg rseg = { (uint64_t)(uintptr_t)b, 2 * BS };
	struct tracked tw = { 0 }, tr = { 0 }, tf = { 0 };
	struct blk_request w = req(BLK_WRITE, 20, 1, wsegs, 2), r = req(BLK_READ, 20, 2, &rseg, 1),
			   f = req(BLK_FLUSH, 0, 0, NULL, 0);
	w.done = r.done = f.done = track_done;
	w.ctx = &tw;
	r.ctx = &tr;
	f.ctx = &tf;
	assert_int_equal(blockdev_submit(bd, &w), 0);
	assert_int_equal(blockdev_submit(bd, &r), 0);
	assert_int_equal(tw.calls + tr.calls, 0); /* nothing completes before a poll */
	assert_int_equal(blockdev_poll(bd), 2);
	assert_int_equal(tw.calls, 1);
	assert_int_equal(tr.calls, 1);
	assert_int_equal(tw.status, BLK_OK);
	assert_int_equal(tr.status, BLK_OK);
	assert_int_equal(b[0], 0xee); /* the write went first */
	assert_int_equal(b[BS - 1], 0xee);
	assert_int_equal(b[BS], 22);
	assert_int_equal(blockdev_poll(bd), 0);
	assert_int_equal(tw.calls, 1);
	/* a done() that submits: that request completes at the next poll, not this one */
	tw.resubmit = &f;
	tw.bd = bd;
	assert_int_equal(blockdev_submit(bd, &w), 0);
	assert_int_equal(blockdev_poll(bd), 1);
	assert_int_equal(tw.calls, 2);
	assert_int_equal(tf.calls, 0);
	assert_int_equal(blockdev_poll(bd), 1);
	assert_int_equal(tf.calls, 1);
	assert_int_equal(tw.calls, 2);
	/* refused at submit: done() never runs */
	struct blk_request bad = req(BLK_READ, NBLOCKS, 1, &rseg, 1);
	struct tracked tb = { 0 };
	bad.done = track_done;
	bad.ctx = &tb;
	assert_int_equal(blockdev_submit(bd, &bad), BLK_EINVAL);
	assert_int_equal(blockdev_poll(bd), 0);
	assert_int_equal(tb.calls, 0);
}

/* ---- a device that is busy, refuses, or fails: what blockdev_sync does with it ---- */

struct moody {
	struct blockdev bd;
	int busy;              /* submits answered -1 before one is taken */
	int refuse;            /* a blk_status the driver refuses with, or 0 */
	enum blk_status fails; /* the status the request completes with */
	unsigned int polls, submits;
	struct blk_request *pending;
};

static int moody_submit(struct blockdev *bd, struct blk_request *r)
{
	struct moody *m = bd->priv;
	m->submits++;
	if (m->busy) {
		m->busy--;
		return -1;
	}
	if (m->refuse)
		return m->refuse;
	m->pending = r;
	return 0;
}

static unsigned int moody_poll(struct blockdev *bd)
{
	struct moody *m = bd->priv;
	m->polls++;
	if (!m->pending || m->polls % 3) /* completes on every third poll */
		return 0;
	struct blk_request *r = m->pending;
	m->pending = NULL;
	r->done(r, m->fails);
	return 1;
}

static const struct blockdev_ops moody_ops = { moody_submit, moody_poll, NULL };

static void moody_init(struct moody *m)
{
	memset(m, 0, sizeof(*m));
	m->bd = geo();
	m->bd.ops = &moody_ops;
	m->bd.priv = m;
}

static void sync_retries_polls_and_counts_errors(void **state)
{
	(void)state;
	static struct moody m;
	moody_init(&m);
	m.busy = 2;
	assert_int_equal(blockdev_sync(&m.bd, BLK_READ, 0, 1, sbuf), BLK_OK);
	assert_int_equal(m.submits, 3); /* retried while busy */
	assert_true(m.polls >= 3);
	assert_int_equal(m.bd.stats.reads, 1); /* counted once, when taken */
	assert_int_equal(m.bd.stats.errors, 0);
	m.fails = BLK_EIO;
	assert_int_equal(blockdev_sync(&m.bd, BLK_WRITE, 0, 1, sbuf), BLK_EIO);
	assert_int_equal(m.bd.stats.errors, 1);
	assert_int_equal(m.bd.stats.writes, 1);
	m.fails = BLK_OK;
	m.refuse = BLK_ENOMEM;
	unsigned int polls = m.polls;
	assert_int_equal(blockdev_sync(&m.bd, BLK_READ, 0, 1, sbuf), BLK_ENOMEM);
	assert_int_equal(m.polls, polls); /* a refusal is final: no waiting for done() */
	assert_int_equal(m.bd.stats.reads, 1);
	assert_null(m.pending);
}

/* ---- counters ---- */

static void stats_counters(void **state)
{
	(void)state;
	struct blockdev *bd = &rd.bd;
	uint8_t buf[4 * BS];
	assert_int_equal(blockdev_sync(bd, BLK_READ, 0, 4, buf), BLK_OK);
	assert_int_equal(blockdev_sync(bd, BLK_READ, 4, 1, buf), BLK_OK);
	assert_int_equal(blockdev_sync(bd, BLK_WRITE, 8, 3, buf), BLK_OK);
	assert_int_equal(blockdev_sync(bd, BLK_FLUSH, 0, 0, NULL), BLK_OK);
	assert_int_equal(blockdev_sync(bd, BLK_DISCARD, 0, 2, NULL), BLK_OK);
	assert_int_equal(blockdev_sync(bd, BLK_WRITE_ZEROES, 0, 2, NULL), BLK_OK);
	assert_int_equal(blockdev_sync(bd, BLK_READ, NBLOCKS, 1, buf), BLK_EINVAL);
	assert_int_equal(blockdev_sync(bd, BLK_WRITE, 0, 0, buf), BLK_EINVAL);
	const struct blockdev_stats *s = &bd->stats;
	assert_int_equal(s->reads, 2);
	assert_int_equal(s->read_blocks, 5);
	assert_int_equal(s->writes, 1);
	assert_int_equal(s->write_blocks, 3);
	assert_int_equal(s->flushes, 1);
	assert_int_equal(s->others, 2);
	assert_int_equal(s->errors, 2); /* the refused ones, once each */
}

/* ---- the registry ---- */

static void registry(void **state)
{
	(void)state;
	static uint8_t d1[BS], d2[BS];
	static struct ramdisk r1, r2;
	assert_null(blockdev_first());
	assert_null(blockdev_find("ram1"));
	ramdisk_init(&r1, "ram1", d1, 1, BS, false);
	ramdisk_init(&r2, "ram2", d2, 1, BS, false);
	blockdev_register(&r1.bd);
	assert_ptr_equal(blockdev_first(), &r1.bd);
	blockdev_register(&r2.bd);
	assert_ptr_equal(blockdev_first(), &r1.bd); /* in the order drivers found them */
	assert_ptr_equal(blockdev_first()->next_registered, &r2.bd);
	assert_null(r2.bd.next_registered);
	assert_ptr_equal(blockdev_find("ram2"), &r2.bd);
	assert_ptr_equal(blockdev_find("ram1"), &r1.bd);
	assert_null(blockdev_find("ram"));
	assert_null(blockdev_find("ram10"));
	assert_null(blockdev_find(""));
}

static void status_names(void **state)
{
	(void)state;
	assert_string_equal(blk_status_name(BLK_OK), "ok");
	assert_string_equal(blk_status_name(BLK_EIO), "I/O error");
	assert_string_equal(blk_status_name(BLK_EINVAL), "invalid request");
	assert_string_equal(blk_status_name(BLK_EROFS), "read-only");
	assert_string_equal(blk_status_name(BLK_ENOMEM), "no DMA space");
	assert_string_equal(blk_status_name(BLK_ECANCELED), "canceled");
	assert_string_equal(blk_status_name((enum blk_status)6), "?");
	assert_string_equal(blk_status_name((enum blk_status) - 1), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(check_accepts_good_requests),
		cmocka_unit_test(check_past_the_end),
		cmocka_unit_test(check_zero_blocks),
		cmocka_unit_test(check_lba_overflow),
		cmocka_unit_test(check_read_only),
		cmocka_unit_test(check_segments),
		cmocka_unit_test(check_unsupported_operations),
		cmocka_unit_test(check_failed_device),
		cmocka_unit_test_setup_teardown(ramdisk_geometry, setup, teardown),
		cmocka_unit_test_setup_teardown(ramdisk_read_and_write, setup, teardown),
		cmocka_unit_test_setup_teardown(ramdisk_discard_and_write_zeroes, setup, teardown),
		cmocka_unit_test(read_only_ramdisk),
		cmocka_unit_test(ramdisk_4k_blocks),
		cmocka_unit_test_setup_teardown(submit_and_poll, setup, teardown),
		cmocka_unit_test(sync_retries_polls_and_counts_errors),
		cmocka_unit_test_setup_teardown(stats_counters, setup, teardown),
		cmocka_unit_test(registry),
		cmocka_unit_test(status_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
