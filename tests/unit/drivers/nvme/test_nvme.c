/* The NVMe driver (drivers/nvme/nvme.c) against a model controller. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "drivers/nvme/nvme.h"
#include "drivers/nvme/nvme_defs.h"
#include "hv/lib/bytes.h"
#include "hv/lib/log.h"
#include "tests/unit/drivers/nvme/fake_nvme.h"

static char logbuf[16384];
static size_t loglen;

static void sink(const char *text, size_t len)
{
	if (loglen + len < sizeof(logbuf)) {
		memcpy(logbuf + loglen, text, len);
		loglen += len;
		logbuf[loglen] = '\0';
	}
}

static unsigned int log_count(const char *needle)
{
	unsigned int n = 0;
	for (const char *p = logbuf; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

struct env {
	struct fake_nvme f;
	struct nvme_ctrl c;
	unsigned int fixed_maps; /* queues and scratch, mapped for good */
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	fake_nvme_init(&e->f, 2048, 9); /* 1 MiB of 512-byte blocks */
	loglen = 0;
	logbuf[0] = '\0';
	log_set_sink(sink);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	fake_nvme_free(&e->f);
	free(e);
	return 0;
}

static struct blockdev *start(struct env *e, unsigned int threads)
{
	struct nvme_ops ops = fake_nvme_ops(&e->f);
	nvme_ctrl_init(&e->c, "nvme0", &ops, threads);
	assert_int_equal(nvme_ctrl_start(&e->c), 0);
	assert_int_equal(e->c.state, NVME_LIVE);
	assert_int_equal(e->c.nns, 1);
	e->fixed_maps = fake_nvme_live_maps(&e->f);
	return &e->c.ns[0].bd;
}

static void *pages(size_t n)
{
	void *p = NULL;
	assert_int_equal(posix_memalign(&p, 4096, n * 4096), 0);
	memset(p, 0, n * 4096);
	return p;
}

static void start_identifies(void **state)
{
	struct env *e = *state;
	struct blockdev *bd = start(e, 8);
	assert_string_equal(bd->name, "nvme0n1");
	assert_string_equal(bd->model, "Model NVMe");
	assert_string_equal(bd->serial, "FAKE0001");
	assert_int_equal(bd->block_size, 512);
	assert_int_equal(bd->nblocks, 2048);
	assert_int_equal(bd->max_blocks, (4096 << 5) / 512); /* MDTS 5 */
	assert_true(bd->volatile_cache && bd->can_discard && bd->can_write_zeroes);
	assert_int_equal(e->c.nioq, 4); /* asked for 8, granted 4 */
	assert_int_equal(e->f.bad_dma, 0);
}

static void health_from_the_smart_log(void **state)
{
	struct env *e = *state;
	struct blockdev *bd = start(e, 1);
	e->f.percent_used = 37;
	e->f.spare = 15;
	e->f.spare_threshold = 10;
	struct blk_health h = { 0, 0, 0 };
	assert_true(blockdev_has_health(bd));
	assert_int_equal(blockdev_health(bd, &h), 0);
	assert_int_equal(h.percent_used, 37);
	assert_int_equal(h.spare, 15);
	assert_int_equal(h.spare_threshold, 10);
	assert_int_equal(e->f.log_pages, 1);
	/* through a range of the namespace: the same drive's figures */
	struct blockdev_range r;
	blockdev_range_init(&r, "part", bd, 100, 100, false);
	assert_true(blockdev_has_health(&r.bd));
	e->f.percent_used = 38;
	assert_int_equal(blockdev_health(&r.bd, &h), 0);
	assert_int_equal(h.percent_used, 38);
	/* a dead controller cannot tell */
	e->f.dead = true;
	assert_int_equal(blockdev_health(bd, &h), -1);
	assert_int_equal(e->f.bad_dma, 0);
}

static void write_lands_at_its_offset_and_reads_back(void **state)
{
	struct env *e = *state;
	struct blockdev *bd = start(e, 1);
	uint8_t *buf = pages(2);
	for (int i = 0; i < 8192; i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	assert_int_equal(blockdev_sync(bd, BLK_WRITE, 100, 16, buf), BLK_OK);
	assert_memory_equal(e->f.data + 100 * 512, buf, 8192);
	memset(e->f.data + 5 * 512, 0xab, 512); /* put there "by the host" */
	uint8_t *rd = pages(1);
	assert_int_equal(blockdev_sync(bd, BLK_READ, 5, 1, rd), BLK_OK);
	for (int i = 0; i < 512; i++)
		assert_int_equal(rd[i], 0xab);
	assert_int_equal(blockdev_sync(bd, BLK_FLUSH, 0, 0, NULL), BLK_OK);
	assert_int_equal(e->f.flushes, 1);
	assert_int_equal(fake_nvme_live_maps(&e->f), e->fixed_maps); /* data unmapped after each */
	assert_true(e->f.syncs >= 2);
	assert_int_equal(e->f.bad_dma, 0);
	free(buf);
	free(rd);
}

static int done_count;
static enum blk_status last_status;
static void count_done(struct blk_request *r, enum blk_status s)
{
	(void)r;
	done_count++;
	last_status = s;
}

static void scattered_segments_use_a_prp_list(void **state)
{
	struct env *e = *state;
	struct blockdev *bd = start(e, 1);
	uint8_t *a = pages(4), *b = pages(4);
	/* 512 bytes at the end of a page, then three whole pages, then 3.5 KiB: 8 pages of PRPs. */
	struct blk_seg segs[3] = { { (uint64_t)(uintptr_t)(a + 4096 - 512), 512 },
				   { (uint64_t)(uintptr_t)(b), 3 * 4096 },
				   { (uint64_t)(uintptr_t)(a + 4096), 3584 } };
	for (int i = 0; i < 512; i++)
		a[4096 - 512 + i] = 1;
	memset(b, 2, 3 * 4096);
	memset(a + 4096, 3, 3584);
	struct blk_request r = {
		.op = BLK_WRITE, .lba = 10, .nblocks = 32, .segs = segs, .nsegs = 3, .done = count_done
	};
	done_count = 0;
	assert_int_equal(blockdev_submit(bd, &r), 0);
	while (!done_count)
		blockdev_poll(bd);
	assert_int_equal(last_status, BLK_OK);
	assert_int_equal(e->f.data[10 * 512], 1);
	assert_int_equal(e->f.data[10 * 512 + 512], 2);
	assert_int_equal(e->f.data[10 * 512 + 512 + 3 * 4096], 3);
	assert_int_equal(e->f.data[10 * 512 + 512 + 3 * 4096 + 3583], 3);
	/* An inner piece that does not start on a page breaks the PRP rules. */
	segs[1].addr += 512;
	segs[2].len -= 512;
	segs[0].len += 512;
	r.segs = segs;
	assert_int_equal(blockdev_submit(bd, &r), BLK_EINVAL);
	assert_int_equal(fake_nvme_live_maps(&e->f), e->fixed_maps);
	free(a);
	free(b);
}

static void prp_rules(void **state)
{
	(void)state;
	uint8_t list[4096];
	uint64_t p1, p2;
	struct nvme_map one = { 0x10000 + 100, 200 };
	assert_int_equal(nvme_build_prps(&one, 1, list, 0x9000, &p1, &p2), 0);
	assert_int_equal(p1, 0x10064);
	assert_int_equal(p2, 0);
	struct nvme_map two = { 0x10000 + 3000, 4096 };
	assert_int_equal(nvme_build_prps(&two, 1, list, 0x9000, &p1, &p2), 0);
	assert_int_equal(p2, 0x11000);
	struct nvme_map many = { 0x20000, 5 * 4096 };
	assert_int_equal(nvme_build_prps(&many, 1, list, 0x9000, &p1, &p2), 0);
	assert_int_equal(p2, 0x9000);
	assert_int_equal(le64_load(list), 0x21000);
	assert_int_equal(le64_load(list + 24), 0x24000);
	struct nvme_map huge = { 0x20000, 514 * 4096 };
	assert_int_equal(nvme_build_prps(&huge, 1, list, 0x9000, &p1, &p2), -1);
	struct nvme_map gap[2] = { { 0x20000, 100 }, { 0x30000, 4096 } };
	assert_int_equal(nvme_build_prps(gap, 2, list, 0x9000, &p1, &p2), -1);
	struct nvme_map zero = { 0x20000, 0 };
	assert_int_equal(nvme_build_prps(&zero, 1, list, 0x9000, &p1, &p2), -1);
}

static void requests_are_checked_before_the_drive(void **state)
{
	struct env *e = *state;
	struct blockdev *bd = start(e, 1);
	uint8_t *buf = pages(1);
	assert_int_equal(blockdev_sync(bd, BLK_READ, 2048, 1, buf), BLK_EINVAL); /* past the end */
	assert_int_equal(blockdev_sync(bd, BLK_READ, 2047, 2, buf), BLK_EINVAL);
	assert_int_equal(blockdev_sync(bd, BLK_READ, 0, 0, buf), BLK_EINVAL);
	assert_int_equal(blockdev_sync(bd, BLK_READ, ~0ull, 1, buf), BLK_EINVAL);
	bd->read_only = true;
	assert_int_equal(blockdev_sync(bd, BLK_WRITE, 0, 1, buf), BLK_EROFS);
	bd->read_only = false;
	unsigned int before = e->f.commands;
	struct blk_seg seg = { (uint64_t)(uintptr_t)buf, 100 }; /* bytes do not match blocks */
	struct blk_request r = { .op = BLK_WRITE, .lba = 0, .nblocks = 1, .segs = &seg, .nsegs = 1, .done = count_done };
	assert_int_equal(blockdev_submit(bd, &r), BLK_EINVAL);
	assert_int_equal(e->f.commands, before);
	memset(e->f.data, 0x55, 4096);
	assert_int_equal(blockdev_sync(bd, BLK_WRITE_ZEROES, 0, 4, buf), BLK_OK);
	assert_int_equal(e->f.data[0], 0);
	assert_int_equal(e->f.data[4 * 512], 0x55);
	assert_int_equal(blockdev_sync(bd, BLK_DISCARD, 4, 1, buf), BLK_OK);
	assert_int_equal(e->f.data[4 * 512], 0);
	assert_int_equal(e->f.data[5 * 512], 0x55);
	free(buf);
}

static void queues_wrap_and_fill(void **state)
{
	struct env *e = *state;
	struct blockdev *bd = start(e, 1);
	uint8_t *buf = pages(1);
	for (int i = 0; i < 5 * NVME_IO_DEPTH; i++) {
		buf[0] = (uint8_t)i;
		assert_int_equal(blockdev_sync(bd, BLK_WRITE, (uint64_t)i % 2048, 1, buf), BLK_OK);
		assert_int_equal(e->f.data[(i % 2048) * 512], (uint8_t)i);
	}
	/* Hold every write: the queue takes depth - 1, then says "busy". */
	e->f.hold_opcode = NVME_CMD_WRITE;
	static struct blk_request r[NVME_IO_DEPTH];
	struct blk_seg seg = { (uint64_t)(uintptr_t)buf, 512 };
	done_count = 0;
	int accepted = 0;
	for (int i = 0; i < NVME_IO_DEPTH; i++) {
		r[i] = (struct blk_request){
			.op = BLK_WRITE, .lba = 1, .nblocks = 1, .segs = &seg, .nsegs = 1, .done = count_done
		};
		if (blockdev_submit(bd, &r[i]) == 0)
			accepted++;
		else
			break;
	}
	assert_int_equal(accepted, NVME_IO_DEPTH - 1); /* a full ring keeps one slot empty */
	fake_nvme_release_held(&e->f);
	blockdev_poll(bd);
	assert_int_equal(done_count, NVME_IO_DEPTH - 1);
	free(buf);
}

static void never_ready_fails_in_bounded_time(void **state)
{
	struct env *e = *state;
	e->f.never_ready = true;
	struct nvme_ops ops = fake_nvme_ops(&e->f);
	nvme_ctrl_init(&e->c, "nvme0", &ops, 1);
	assert_int_equal(nvme_ctrl_start(&e->c), -1);
	assert_int_equal(e->c.state, NVME_FAILED);
	assert_int_equal(log_count("did not become ready within 1000 ms"), 1);
	assert_true(e->f.now_us < 2000000); /* CAP.TO and a little */
}

static void fatal_status_on_enable(void **state)
{
	struct env *e = *state;
	e->f.cfs_on_enable = true;
	struct nvme_ops ops = fake_nvme_ops(&e->f);
	nvme_ctrl_init(&e->c, "nvme0", &ops, 1);
	assert_int_equal(nvme_ctrl_start(&e->c), -1);
	assert_int_equal(log_count("fatal status"), 1);
}

static void dead_device(void **state)
{
	struct env *e = *state;
	e->f.dead = true;
	struct nvme_ops ops = fake_nvme_ops(&e->f);
	nvme_ctrl_init(&e->c, "nvme0", &ops, 1);
	assert_int_equal(nvme_ctrl_start(&e->c), -1);
	assert_int_equal(log_count("all-ones"), 1);
}

static void timeout_is_aborted(void **state)
{
	struct env *e = *state;
	struct blockdev *bd = start(e, 1);
	e->c.io_timeout_us = 50000;
	uint8_t *buf = pages(1);
	e->f.hold_opcode = NVME_CMD_READ;
	assert_int_equal(blockdev_sync(bd, BLK_READ, 0, 1, buf), BLK_EIO); /* aborted: an error, once */
	assert_int_equal(e->f.aborts_seen, 1);
	assert_int_equal(e->c.stats.timeouts, 1);
	assert_int_equal(e->c.stats.resets, 0);
	assert_int_equal(log_count("timed out after 50 ms; aborting it"), 1);
	e->f.hold_opcode = -1;
	assert_int_equal(blockdev_sync(bd, BLK_READ, 0, 1, buf), BLK_OK);
	assert_int_equal(fake_nvme_live_maps(&e->f), e->fixed_maps);
	free(buf);
}

static void unanswered_abort_resets(void **state)
{
	struct env *e = *state;
	struct blockdev *bd = start(e, 1);
	e->c.io_timeout_us = 50000;
	e->c.admin_timeout_us = 50000;
	uint8_t *buf = pages(1);
	e->f.hold_opcode = NVME_CMD_WRITE;
	e->f.ignore_abort = true;
	assert_int_equal(blockdev_sync(bd, BLK_WRITE, 0, 1, buf), BLK_ECANCELED);
	assert_int_equal(e->c.stats.resets, 1);
	assert_int_equal(e->c.state, NVME_LIVE);
	assert_int_equal(e->f.enables, 2);
	assert_int_equal(log_count("resetting the controller"), 1);
	assert_int_equal(fake_nvme_live_maps(&e->f), e->fixed_maps); /* nothing left for a late DMA */
	e->f.hold_opcode = -1;
	buf[0] = 9;
	assert_int_equal(blockdev_sync(bd, BLK_WRITE, 0, 1, buf), BLK_OK);
	assert_int_equal(e->f.data[0], 9);
	free(buf);
}

static void reset_that_fails_fails_the_namespace(void **state)
{
	struct env *e = *state;
	struct blockdev *bd = start(e, 1);
	e->c.io_timeout_us = 50000;
	e->c.admin_timeout_us = 50000;
	uint8_t *buf = pages(1);
	e->f.hold_opcode = NVME_CMD_READ;
	e->f.ignore_abort = true;
	e->f.never_ready = true; /* it will not come back */
	assert_int_equal(blockdev_sync(bd, BLK_READ, 0, 1, buf), BLK_ECANCELED);
	assert_int_equal(e->c.state, NVME_FAILED);
	assert_true(bd->failed);
	assert_int_equal(log_count("did not come back"), 1);
	assert_int_equal(blockdev_sync(bd, BLK_READ, 0, 1, buf), BLK_EIO);
	free(buf);
}

static void fatal_status_at_run_time_resets(void **state)
{
	struct env *e = *state;
	struct blockdev *bd = start(e, 1);
	e->c.io_timeout_us = 10000000;
	uint8_t *buf = pages(1);
	e->f.hold_opcode = NVME_CMD_READ;
	done_count = 0;
	struct blk_seg seg = { (uint64_t)(uintptr_t)buf, 512 };
	struct blk_request r = { .op = BLK_READ, .lba = 0, .nblocks = 1, .segs = &seg, .nsegs = 1, .done = count_done };
	assert_int_equal(blockdev_submit(bd, &r), 0);
	e->f.csts |= NVME_CSTS_CFS;
	while (!done_count)
		blockdev_poll(bd);
	assert_int_equal(last_status, BLK_ECANCELED);
	assert_int_equal(log_count("reports a fatal status (CSTS.CFS)"), 1);
	assert_int_equal(e->c.state, NVME_LIVE);
	e->f.hold_opcode = -1;
	assert_int_equal(blockdev_sync(bd, BLK_READ, 0, 1, buf), BLK_OK);
	free(buf);
}

static void broken_completions_are_ignored(void **state)
{
	struct env *e = *state;
	struct blockdev *bd = start(e, 1);
	uint8_t cqe[16] = { 0 };
	le32_store(cqe + 8, 1u << 16);        /* SQ 1 */
	le32_store(cqe + 12, 40u | 1u << 16); /* CID 40, nothing in flight there, phase 1 */
	fake_nvme_post_raw(&e->f, 1, cqe);
	blockdev_poll(bd);
	assert_int_equal(e->c.stats.bad_completions, 1);
	le32_store(cqe + 12, 4000u | 1u << 16); /* CID past the queue */
	fake_nvme_post_raw(&e->f, 1, cqe);
	blockdev_poll(bd);
	assert_int_equal(e->c.stats.bad_completions, 2);
	uint8_t *buf = pages(1);
	assert_int_equal(blockdev_sync(bd, BLK_READ, 0, 1, buf), BLK_OK);
	free(buf);
}

static void device_errors_are_reported_and_logged_a_bounded_number_of_times(void **state)
{
	struct env *e = *state;
	struct blockdev *bd = start(e, 1);
	uint8_t *buf = pages(1);
	bd->nblocks = 4096; /* configured larger than the namespace: the drive refuses */
	for (int i = 0; i < 40; i++)
		assert_int_equal(blockdev_sync(bd, BLK_READ, 3000, 1, buf), BLK_EIO);
	assert_int_equal(e->c.stats.errors, 40);
	assert_int_equal(log_count("read on queue 1 failed: status type 0 code 0x80"), 16);
	assert_int_equal(log_count("further command errors are only counted"), 1);
	free(buf);
}

static void shutdown_is_clean(void **state)
{
	struct env *e = *state;
	start(e, 1);
	nvme_ctrl_shutdown(&e->c);
	assert_int_equal(e->f.shutdowns, 1);
	assert_int_equal(e->c.state, NVME_OFF);
	assert_int_equal(log_count("shut down cleanly"), 1);
	e->f.never_shutdown = true;
	e->f.shutdowns = 0;
	e->f.cc &= ~NVME_CC_SHN_MASK;
	e->f.csts &= ~NVME_CSTS_SHST_MASK;
	e->c.state = NVME_LIVE;
	nvme_ctrl_shutdown(&e->c);
	assert_int_equal(log_count("shutdown did not complete within 1000 ms"), 1);
}

static void threads_use_their_own_queues(void **state)
{
	struct env *e = *state;
	struct blockdev *bd = start(e, 4);
	uint8_t *buf = pages(1);
	for (unsigned int t = 0; t < 6; t++) {
		e->f.thread = t;
		unsigned int before = e->f.sq[t % 4 + 1].head;
		assert_int_equal(blockdev_sync(bd, BLK_READ, 0, 1, buf), BLK_OK);
		assert_int_not_equal(e->f.sq[t % 4 + 1].head, before);
	}
	free(buf);
}

/* A PE frozen by EEH reads all-ones: the driver asks to thaw it, resets
 * the controller and goes on; what was in flight fails once. */
static void frozen_device_is_thawed_and_reset(void **state)
{
	struct env *e = *state;
	struct blockdev *bd = start(e, 1);
	uint8_t *buf = pages(1);
	e->f.hold_opcode = NVME_CMD_READ;
	done_count = 0;
	struct blk_seg seg = { (uint64_t)(uintptr_t)buf, 512 };
	struct blk_request r = { .op = BLK_READ, .lba = 0, .nblocks = 1, .segs = &seg, .nsegs = 1, .done = count_done };
	assert_int_equal(blockdev_submit(bd, &r), 0);
	e->f.dead = e->f.frozen = true;
	while (!done_count)
		blockdev_poll(bd);
	assert_int_equal(done_count, 1);
	assert_int_equal(last_status, BLK_ECANCELED);
	assert_true(e->f.recoveries >= 1);
	assert_int_equal(log_count("stopped answering (registers read all-ones)"), 1);
	assert_int_equal(e->c.state, NVME_LIVE);
	e->f.hold_opcode = -1;
	assert_int_equal(blockdev_sync(bd, BLK_READ, 0, 1, buf), BLK_OK);
	/* A device that stays dead (no freeze to thaw) fails its namespaces. */
	e->f.dead = true;
	assert_int_equal(blockdev_submit(bd, &r), 0);
	done_count = 0;
	while (!done_count)
		blockdev_poll(bd);
	assert_int_equal(e->c.state, NVME_FAILED);
	assert_int_equal(blockdev_sync(bd, BLK_READ, 0, 1, buf), BLK_EIO);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(start_identifies, setup, teardown),
		cmocka_unit_test_setup_teardown(write_lands_at_its_offset_and_reads_back, setup, teardown),
		cmocka_unit_test_setup_teardown(health_from_the_smart_log, setup, teardown),
		cmocka_unit_test_setup_teardown(scattered_segments_use_a_prp_list, setup, teardown),
		cmocka_unit_test(prp_rules),
		cmocka_unit_test_setup_teardown(requests_are_checked_before_the_drive, setup, teardown),
		cmocka_unit_test_setup_teardown(queues_wrap_and_fill, setup, teardown),
		cmocka_unit_test_setup_teardown(never_ready_fails_in_bounded_time, setup, teardown),
		cmocka_unit_test_setup_teardown(fatal_status_on_enable, setup, teardown),
		cmocka_unit_test_setup_teardown(dead_device, setup, teardown),
		cmocka_unit_test_setup_teardown(timeout_is_aborted, setup, teardown),
		cmocka_unit_test_setup_teardown(unanswered_abort_resets, setup, teardown),
		cmocka_unit_test_setup_teardown(reset_that_fails_fails_the_namespace, setup, teardown),
		cmocka_unit_test_setup_teardown(fatal_status_at_run_time_resets, setup, teardown),
		cmocka_unit_test_setup_teardown(broken_completions_are_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(device_errors_are_reported_and_logged_a_bounded_number_of_times, setup,
						teardown),
		cmocka_unit_test_setup_teardown(shutdown_is_clean, setup, teardown),
		cmocka_unit_test_setup_teardown(threads_use_their_own_queues, setup, teardown),
		cmocka_unit_test_setup_teardown(frozen_device_is_thawed_and_reset, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
