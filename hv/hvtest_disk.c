/*
 * Test hooks for the host disks ("hvtest=disk-io", "disk-records",
 * "disk-bench"), run at boot once the drivers found their drives, before
 * any partition: what the integration tests and benchmarks check from the
 * host side of QEMU's drive files.
 */
#include <stdio.h>
#include <string.h>
#include "drivers/block/blockdev.h"
#include "drivers/timebase.h"
#include "hv/hvtest.h"
#include "hv/lib/log.h"
#include "hv/mm/memory.h"

#define IO_TEST_LBA      2048 /* byte 1 MiB of a 512-byte-block drive */
#define RECORDS_LBA      4096
#define RECORDS_MAX      100000
#define BENCH_SECONDS    2
#define BENCH_MAX_DEPTH  32
#define BENCH_BLOCK_SIZE 4096

static void *buffer(uint64_t size)
{
	return (void *)(uintptr_t)hv_alloc_pages((size + 4095) & ~4095ull, 4096);
}

/* What the host put at LBA 0, then a written, flushed and re-read pattern at IO_TEST_LBA. */
static void disk_io(struct blockdev *bd)
{
	uint32_t bs = bd->block_size, n = 4096 / bs ? 4096 / bs : 1;
	uint8_t *w = buffer(4096 * 2), *r = w + 4096;
	if (!w)
		return;
	enum blk_status s = blockdev_sync(bd, BLK_READ, 0, 1, r);
	char head[17] = { 0 };
	for (int i = 0; i < 16; i++)
		head[i] = r[i] >= 0x20 && r[i] < 0x7f ? (char)r[i] : '.';
	hvprint("hvtest: %s: LBA 0 reads \"%s\" (%s)", bd->name, head, blk_status_name(s));
	for (uint32_t b = 0; b < n; b++) {
		memset(w + b * bs, 0, bs);
		snprintf((char *)w + b * bs, bs, "powerhv %s block %u", bd->name, IO_TEST_LBA + b);
	}
	s = blockdev_sync(bd, BLK_WRITE, IO_TEST_LBA, n, w);
	if (s == BLK_OK)
		s = blockdev_sync(bd, BLK_FLUSH, 0, 0, NULL);
	memset(r, 0, 4096);
	if (s == BLK_OK)
		s = blockdev_sync(bd, BLK_READ, IO_TEST_LBA, n, r);
	hvprint("hvtest: %s: wrote %u blocks at LBA %u, flushed, read back %s (%s)", bd->name, n, IO_TEST_LBA,
		s == BLK_OK && !memcmp(w, r, 4096) ? "equal" : "DIFFERENT", blk_status_name(s));
	struct blk_health h;
	if (!blockdev_has_health(bd))
		hvprint("hvtest: %s: no wear report", bd->name);
	else if (blockdev_health(bd, &h))
		hvprint("hvtest: %s: wear report FAILED", bd->name);
	else
		hvprint("hvtest: %s: wear: %u%% of its endurance used, %u%% spare (threshold %u%%)", bd->name,
			h.percent_used, h.spare, h.spare_threshold);
}

/* Numbered records, each flushed before it is reported: the test kills QEMU
 * at a random moment and finds every reported record in the drive's file. */
static void disk_records(struct blockdev *bd)
{
	uint8_t *blk = buffer(bd->block_size);
	if (!blk)
		return;
	bool retried = false;
	for (uint32_t i = 0; i < RECORDS_MAX && RECORDS_LBA + i < bd->nblocks; i++) {
		memset(blk, 0, bd->block_size);
		snprintf((char *)blk, bd->block_size, "record %u of powerhv", i);
		enum blk_status s = blockdev_sync(bd, BLK_WRITE, RECORDS_LBA + i, 1, blk);
		if (s == BLK_OK)
			s = blockdev_sync(bd, BLK_FLUSH, 0, 0, NULL);
		if (s != BLK_OK) {
			/* as a writer would: try the record once more, after the driver's recovery */
			hvprint("hvtest: record %u failed: %s%s", i, blk_status_name(s), retried ? "" : "; retrying");
			if (retried)
				return;
			retried = true;
			i--;
			continue;
		}
		retried = false;
		hvprint("hvtest: acked %u", i);
	}
}

/* ---- the benchmark: a closed loop of `depth` requests for BENCH_SECONDS ---- */

struct bench {
	struct blockdev *bd;
	enum blk_op op;
	bool random;
	uint32_t nblocks;
	uint64_t next_lba, span, rng;
	uint64_t completed, errors, end_tb;
	bool stopping;
	struct blk_request req[BENCH_MAX_DEPTH];
	struct blk_seg seg[BENCH_MAX_DEPTH];
};

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void bench_issue(struct bench *b, struct blk_request *r)
{
	if (b->random)
		r->lba = (xorshift(&b->rng) % (b->span / b->nblocks)) * b->nblocks;
	else {
		r->lba = b->next_lba;
		b->next_lba = (b->next_lba + b->nblocks) % (b->span / b->nblocks * b->nblocks);
	}
	while (blockdev_submit(b->bd, r) == -1)
		blockdev_poll(b->bd);
}

static void bench_done(struct blk_request *r, enum blk_status s)
{
	struct bench *b = r->ctx;
	b->completed++;
	if (s != BLK_OK)
		b->errors++;
	if ((int64_t)(tb_now() - b->end_tb) < 0)
		bench_issue(b, r);
	else
		r->ctx = NULL; /* finished */
}

/* Returns the microseconds it took; b->completed requests of *bytes in all. */
static uint64_t run_bench(struct bench *b, unsigned int depth, uint8_t *mem, uint64_t *bytes)
{
	uint64_t req_bytes = (uint64_t)b->nblocks * b->bd->block_size;
	b->completed = b->errors = 0;
	uint64_t start = tb_now();
	b->end_tb = start + us_to_tb(BENCH_SECONDS * 1000000ull);
	for (unsigned int i = 0; i < depth; i++) {
		b->seg[i] = (struct blk_seg){ (uint64_t)(uintptr_t)(mem + i * req_bytes), (uint32_t)req_bytes };
		b->req[i] = (struct blk_request){
			.op = b->op, .nblocks = b->nblocks, .segs = &b->seg[i], .nsegs = 1, .done = bench_done, .ctx = b
		};
		bench_issue(b, &b->req[i]);
	}
	for (;;) {
		blockdev_poll(b->bd);
		unsigned int busy = 0;
		for (unsigned int i = 0; i < depth; i++)
			busy += b->req[i].ctx != NULL;
		if (!busy)
			break;
	}
	uint64_t us = tb_to_us(tb_now() - start);
	*bytes = b->completed * req_bytes;
	return us ? us : 1;
}

static void disk_bench(struct blockdev *bd)
{
	static struct bench b;
	uint64_t chunk = (uint64_t)bd->max_blocks * bd->block_size;
	if (chunk > (1u << 20))
		chunk = 1u << 20;
	uint8_t *mem = buffer(BENCH_MAX_DEPTH * (uint64_t)(1u << 20));
	if (!mem || bd->block_size > BENCH_BLOCK_SIZE)
		return;
	memset(&b, 0, sizeof(b));
	b.bd = bd;
	b.rng = 0x9e3779b97f4a7c15ull;
	b.span = bd->nblocks;
	uint64_t bytes;
	const struct {
		const char *name;
		enum blk_op op;
		bool random;
		uint64_t size;
		unsigned int depth;
	} runs[] = {
		{ "randread-4k-qd1", BLK_READ, true, 4096, 1 },   { "randread-4k-qd32", BLK_READ, true, 4096, 32 },
		{ "randwrite-4k-qd1", BLK_WRITE, true, 4096, 1 }, { "randwrite-4k-qd16", BLK_WRITE, true, 4096, 16 },
		{ "seqread-1m", BLK_READ, false, 1u << 20, 1 },   { "seqwrite-1m", BLK_WRITE, false, 1u << 20, 1 },
	};
	for (unsigned int i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		/* A 1 MiB request larger than one command goes as its pieces, all in flight. */
		uint64_t size = runs[i].size > chunk ? chunk : runs[i].size;
		unsigned int depth = runs[i].depth * (unsigned int)(runs[i].size / size);
		b.op = runs[i].op;
		b.random = runs[i].random;
		b.nblocks = (uint32_t)(size / bd->block_size);
		b.next_lba = 0;
		uint64_t us = run_bench(&b, depth, mem, &bytes);
		if (runs[i].size >= (1u << 20)) {
			uint64_t tenths = bytes * 10 / us; /* bytes per microsecond = MB/s */
			hvprint("bench: %s %s %llu.%llu MB/s (%llu errors)", bd->name, runs[i].name,
				(unsigned long long)(tenths / 10), (unsigned long long)(tenths % 10),
				(unsigned long long)b.errors);
		} else {
			hvprint("bench: %s %s %llu IOPS (%llu errors)", bd->name, runs[i].name,
				(unsigned long long)(b.completed * 1000000 / us), (unsigned long long)b.errors);
		}
	}
	if (bd->volatile_cache)
		blockdev_sync(bd, BLK_FLUSH, 0, 0, NULL);
}

/* Every drive at once: 16 writes in flight on each before any is polled,
 * then a flush and a read-back of each. */
#define TOGETHER_LBA    3072
#define TOGETHER_WRITES 16

struct together {
	unsigned int done, failed;
};

static void together_done(struct blk_request *r, enum blk_status s)
{
	struct together *t = r->ctx;
	t->done++;
	if (s != BLK_OK)
		t->failed++;
}

static void disks_together(void)
{
	static struct blk_request req[8][TOGETHER_WRITES];
	static struct blk_seg seg[8][TOGETHER_WRITES];
	struct blockdev *bds[8];
	unsigned int n = 0, submitted = 0;
	for (struct blockdev *bd = blockdev_first(); bd && n < 8; bd = bd->next_registered)
		bds[n++] = bd;
	uint8_t *mem = buffer((uint64_t)n * TOGETHER_WRITES * 4096);
	if (n < 2 || !mem)
		return;
	struct together t = { 0, 0 };
	for (unsigned int w = 0; w < TOGETHER_WRITES; w++)
		for (unsigned int i = 0; i < n; i++) {
			struct blockdev *bd = bds[i];
			uint8_t *blk = mem + ((uint64_t)i * TOGETHER_WRITES + w) * 4096;
			memset(blk, 0, 4096);
			snprintf((char *)blk, 4096, "together %s write %u", bd->name, w);
			seg[i][w] = (struct blk_seg){ (uint64_t)(uintptr_t)blk, 4096 };
			req[i][w] = (struct blk_request){ .op = BLK_WRITE,
							  .lba = TOGETHER_LBA + w * (4096 / bd->block_size),
							  .nblocks = 4096 / bd->block_size,
							  .segs = &seg[i][w],
							  .nsegs = 1,
							  .done = together_done,
							  .ctx = &t };
			if (blockdev_submit(bd, &req[i][w]) == 0)
				submitted++;
		}
	while (t.done < submitted)
		for (unsigned int i = 0; i < n; i++)
			blockdev_poll(bds[i]);
	unsigned int equal = 0;
	uint8_t *r = buffer(4096);
	for (unsigned int i = 0; r && i < n; i++) {
		blockdev_sync(bds[i], BLK_FLUSH, 0, 0, NULL);
		for (unsigned int w = 0; w < TOGETHER_WRITES; w++)
			if (blockdev_sync(bds[i], BLK_READ, req[i][w].lba, req[i][w].nblocks, r) == BLK_OK &&
			    !memcmp(r, mem + ((uint64_t)i * TOGETHER_WRITES + w) * 4096, 4096))
				equal++;
	}
	hvprint("hvtest: %u drives at once: %u writes in flight together, %u failed, %u read back equal", n, submitted,
		t.failed, equal);
}

void hvtest_disks(const char *bootargs)
{
	bool io = hvtest_enabled(bootargs, "disk-io"), records = hvtest_enabled(bootargs, "disk-records");
	bool bench = hvtest_enabled(bootargs, "disk-bench");
	if (!io && !records && !bench)
		return;
	if (!blockdev_first())
		hvprint("hvtest: no disks");
	for (struct blockdev *bd = blockdev_first(); bd; bd = bd->next_registered) {
		if (io)
			disk_io(bd);
		if (bench)
			disk_bench(bd);
	}
	if (io)
		disks_together();
	if (records && blockdev_first())
		disk_records(blockdev_first());
}
