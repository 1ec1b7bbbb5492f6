/*
 * Fuzzes the NVMe driver's completion path (drivers/nvme/nvme.c) with the
 * completion entries a broken device could write: a model controller
 * (tests/unit/drivers/nvme/fake_nvme.c) is started, holds every I/O command
 * so that requests stay in flight, and the input is written as raw entries
 * onto its completion queues between polls.
 *
 * Input: byte 0: requests put in flight first (low 6 bits, at most a
 * queue's depth - 1) and their kind (bit 7: writes, else reads); byte 1:
 * per request, one or two data pieces (bits 0-3) and the thread, that is
 * the I/O queue, it is submitted from (bits 4-7). Then records of 17 bytes:
 * a control byte and a raw 16-byte entry. Control: bits 0-1 the queue
 * (0, 1: I/O queue 1; 2: I/O queue 2; 3: admin); bit 2: the phase bit set
 * to the one the queue expects; bit 3: the SQ id field set to the queue's;
 * bit 4: the command id reduced modulo the queue's depth; bit 5: one more
 * request submitted first; bits 6-7: time passing before the poll (so that
 * commands time out, are aborted, the controller is reset).
 *
 * Checks after every poll: no request's done() ran twice; each queue's
 * in-flight count matches its busy command slots and stays below its
 * depth; every request not yet done sits in exactly one slot; the live
 * DMA mappings are the fixed ones plus those of the busy slots. At the
 * end, a reset returns every remaining request exactly once, the
 * controller is back, and only the fixed mappings are left.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "drivers/nvme/nvme.h"
#include "drivers/nvme/nvme_defs.h"
#include "tests/unit/drivers/nvme/fake_nvme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define MAX_REQS 128
#define BS       512

struct rec {
	struct blk_request r;
	struct blk_seg segs[2];
	bool submitted;
	unsigned int done;
	enum blk_status status;
};

static struct fake_nvme f;
static struct nvme_ctrl c;
static struct rec recs[MAX_REQS];
static unsigned int nrecs;
static uint8_t bufs[MAX_REQS][2 * 4096] __attribute__((aligned(4096)));

static void rec_done(struct blk_request *r, enum blk_status s)
{
	struct rec *x = r->ctx;
	CHECK(x >= recs && x < recs + nrecs && x->submitted);
	CHECK(x->done == 0);
	CHECK(s == r->status);
	CHECK(s == BLK_OK || s == BLK_EIO || s == BLK_ECANCELED);
	x->done++;
	x->status = s;
}

/* Submits one more request (the model holds it); false when the driver has no room. */
static bool submit(enum blk_op op, bool two_pieces, unsigned int thread)
{
	if (nrecs == MAX_REQS)
		return false;
	struct rec *x = &recs[nrecs];
	memset(x, 0, sizeof(*x));
	uint8_t *b = bufs[nrecs];
	if (two_pieces) { /* the end of one page and the start of the next: two mappings, a PRP2 */
		x->segs[0] = (struct blk_seg){ (uint64_t)(uintptr_t)(b + 4096 - 256), 256 };
		x->segs[1] = (struct blk_seg){ (uint64_t)(uintptr_t)(b + 4096), 256 };
	} else {
		x->segs[0] = (struct blk_seg){ (uint64_t)(uintptr_t)(b + 1024), BS };
	}
	x->r.op = op;
	x->r.lba = nrecs % 64;
	x->r.nblocks = 1;
	x->r.segs = x->segs;
	x->r.nsegs = two_pieces ? 2 : 1;
	x->r.done = rec_done;
	x->r.ctx = x;
	f.thread = thread;
	nrecs++; /* before submit: done() may check the record */
	int rc = blockdev_submit(&c.ns[0].bd, &x->r);
	CHECK(rc == 0 || rc == -1);
	if (rc) {
		nrecs--;
		return false;
	}
	x->submitted = true;
	return true;
}

static void check_queue(const struct nvme_queue *q, unsigned int *outstanding, unsigned int *maps)
{
	unsigned int busy = 0;
	CHECK(q->depth >= 2);
	for (uint16_t i = 0; i < q->depth; i++) {
		const struct nvme_cmd *cmd = &q->cmds[i];
		if (!cmd->in_use) {
			CHECK(cmd->nmaps == 0);
			continue;
		}
		busy++;
		*maps += cmd->nmaps;
		if (q->qid) {
			CHECK(cmd->req);
			struct rec *x = cmd->req->ctx;
			CHECK(x >= recs && x < recs + nrecs && x->submitted && x->done == 0);
			(*outstanding)++;
		} else {
			CHECK(!cmd->req && !cmd->admin_sync); /* only aborts run while we poll */
		}
	}
	CHECK(q->inflight == busy);
	CHECK(q->inflight <= q->depth - 1u);
}

static void check_all(unsigned int fixed_maps)
{
	unsigned int outstanding = 0, maps = 0, not_done = 0;
	for (unsigned int i = 0; i < c.nioq; i++)
		check_queue(&c.io[i], &outstanding, &maps);
	check_queue(&c.admin, &outstanding, &maps);
	for (unsigned int i = 0; i < nrecs; i++) {
		CHECK(recs[i].done <= 1);
		not_done += recs[i].submitted && !recs[i].done;
	}
	CHECK(outstanding == not_done); /* no request lost, none in two slots (each slot checked above) */
	CHECK(fake_nvme_live_maps(&f) == fixed_maps + maps);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	fake_nvme_init(&f, 64, 9);
	f.max_queues = 2;
	struct nvme_ops ops = fake_nvme_ops(&f);
	nvme_ctrl_init(&c, "nvme0", &ops, 2);
	CHECK(nvme_ctrl_start(&c) == 0);
	CHECK(c.nioq == 2 && c.nns == 1);
	/* Short waits: a command times out after 2 ms of model time, its abort too. */
	c.io_timeout_us = 2000;
	c.admin_timeout_us = 2000;
	unsigned int fixed = fake_nvme_live_maps(&f);
	enum blk_op op = data[0] & 0x80 ? BLK_WRITE : BLK_READ;
	f.hold_opcode = op == BLK_WRITE ? NVME_CMD_WRITE : NVME_CMD_READ;
	nrecs = 0;
	unsigned int want = data[0] & 0x3f;
	for (unsigned int i = 0; i < want; i++)
		CHECK(submit(op, data[1] >> (i % 4) & 1, data[1] >> (4 + i % 4) & 1));
	check_all(fixed);

	for (size_t at = 2; at + 17 <= size; at += 17) {
		uint8_t ctl = data[at], cqe[16];
		memcpy(cqe, data + at + 1, 16);
		unsigned int qid = (ctl & 3) == 3 ? 0 : (ctl & 3) == 2 ? 2 : 1;
		const struct nvme_queue *q = qid ? &c.io[qid - 1] : &c.admin;
		if (ctl & 0x20)
			submit(op, ctl & 1, ctl >> 1 & 1);
		if (ctl & 4)
			cqe[14] = (uint8_t)((cqe[14] & ~1u) | (f.cq[qid].phase & 1));
		if (ctl & 8) {
			cqe[10] = (uint8_t)qid;
			cqe[11] = 0;
		}
		if (ctl & 0x10) {
			uint16_t cid = (uint16_t)((cqe[12] | cqe[13] << 8) % q->depth);
			cqe[12] = (uint8_t)cid;
			cqe[13] = (uint8_t)(cid >> 8);
		}
		fake_nvme_post_raw(&f, qid, cqe);
		static const uint64_t pass[4] = { 0, 300, 3000, 30000 };
		f.now_us += pass[ctl >> 6];
		nvme_ctrl_poll(&c);
		CHECK(c.state == NVME_LIVE);
		check_all(fixed);
	}

	/* Whatever is left comes back, once, from a reset. */
	CHECK(nvme_ctrl_reset(&c, "fuzz: the end of the input") == 0);
	CHECK(c.state == NVME_LIVE);
	for (unsigned int i = 0; i < nrecs; i++)
		CHECK(recs[i].submitted && recs[i].done == 1);
	for (unsigned int i = 0; i < c.nioq; i++)
		CHECK(c.io[i].inflight == 0);
	CHECK(c.admin.inflight == 0);
	CHECK(fake_nvme_live_maps(&f) == fixed);
	CHECK(f.bad_dma == 0);
	fake_nvme_free(&f);
	return 0;
}
