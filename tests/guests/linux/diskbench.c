/*
 * The hypervisor's disk benchmark (hv/hvtest_disk.c, "hvtest=disk-bench")
 * from Linux userspace, so that tests/bench/qemu/nvme_bench.py can run the
 * same workload on the same drive file under QEMU pseries and print both.
 *
 *   diskbench DEVICE        e.g. diskbench /dev/nvme0n1
 *
 * Opens the block device with O_DIRECT and runs seven closed loops of 2 s each,
 * printing the hypervisor's lines:
 *
 *   bench: nvme0n1 randread-4k-qd1 N IOPS (E errors)
 *   bench: nvme0n1 randread-4k-qd16 N IOPS (E errors)
 *   bench: nvme0n1 randread-4k-qd32 N IOPS (E errors)
 *   bench: nvme0n1 randwrite-4k-qd1 N IOPS (E errors)
 *   bench: nvme0n1 randwrite-4k-qd16 N IOPS (E errors)
 *   bench: nvme0n1 seqread-1m X.Y MB/s (E errors)
 *   bench: nvme0n1 seqwrite-1m X.Y MB/s (E errors)
 *
 * Random offsets are 4 KiB-aligned over the whole device (BLKGETSIZE64),
 * drawn from the same xorshift generator with the same seed as the
 * hypervisor's, not reset between runs. Sequential runs issue one 1 MiB
 * request at a time from offset 0 on, wrapping (the kernel splits it into
 * the controller's largest transfers, all in flight). Every request, queue
 * depth 1 included, goes through Linux native AIO (io_setup, io_submit,
 * io_getevents as raw system calls; no libaio). A request counts as an
 * error when it fails or transfers less than asked. Written data is a
 * non-zero pattern; the device is flushed (fdatasync) after the runs,
 * outside the measured time, as the hypervisor flushes a volatile cache.
 *
 * Built static with Debian's ppc64el cross compiler (tools/guest_images.sh)
 * and put into the test initramfs as /tests/diskbench; /tests/diskbench.sh
 * runs it. Exit status 0 when every run completed without errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/aio_abi.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BENCH_SECONDS    2
#define BENCH_MAX_DEPTH  32
#define BENCH_BLOCK_SIZE 4096
#define SEQ_SIZE         (1u << 20)
#define BUFFER_SIZE      SEQ_SIZE /* one buffer per request in flight */

_Static_assert(BENCH_MAX_DEPTH *BENCH_BLOCK_SIZE <= BUFFER_SIZE, "the random runs' buffers fit");

static int io_setup(unsigned int nr, aio_context_t *ctx)
{
	return (int)syscall(SYS_io_setup, nr, ctx);
}

static int io_destroy(aio_context_t ctx)
{
	return (int)syscall(SYS_io_destroy, ctx);
}

static int io_submit(aio_context_t ctx, long n, struct iocb **iocbs)
{
	return (int)syscall(SYS_io_submit, ctx, n, iocbs);
}

static int io_getevents(aio_context_t ctx, long min, long max, struct io_event *events, struct timespec *timeout)
{
	return (int)syscall(SYS_io_getevents, ctx, min, max, events, timeout);
}

static uint64_t now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

struct bench {
	int fd;
	aio_context_t ctx;
	uint64_t dev_size, rng, next_offset;
	uint64_t completed, errors, bytes;
	struct iocb iocb[BENCH_MAX_DEPTH];
	struct io_event events[BENCH_MAX_DEPTH];
};

struct run {
	const char *name;
	int write, random;
	uint32_t size;
	unsigned int depth;
};

/* Points the request at its next offset and submits it; 0, or -1 when it could not be. */
static int issue(struct bench *b, const struct run *r, struct iocb *cb)
{
	if (r->random) {
		cb->aio_offset = (int64_t)(xorshift(&b->rng) % (b->dev_size / BENCH_BLOCK_SIZE) * BENCH_BLOCK_SIZE);
	} else {
		cb->aio_offset = (int64_t)b->next_offset;
		b->next_offset = (b->next_offset + r->size) % (b->dev_size / r->size * r->size);
	}
	struct iocb *list[1] = { cb };
	for (;;) {
		int n = io_submit(b->ctx, 1, list);
		if (n == 1)
			return 0;
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			fprintf(stderr, "diskbench: io_submit: %s\n", strerror(errno));
			return -1;
		}
	}
}

/* A closed loop of r->depth requests for BENCH_SECONDS; microseconds it took. */
static uint64_t run_bench(struct bench *b, const struct run *r, uint8_t *mem)
{
	unsigned int busy = 0;
	b->completed = b->errors = b->bytes = 0;
	b->next_offset = 0;
	uint64_t start = now_us(), end = start + BENCH_SECONDS * 1000000u;
	for (unsigned int i = 0; i < r->depth; i++) {
		struct iocb *cb = &b->iocb[i];
		memset(cb, 0, sizeof(*cb));
		cb->aio_data = i;
		cb->aio_lio_opcode = r->write ? IOCB_CMD_PWRITE : IOCB_CMD_PREAD;
		cb->aio_fildes = (uint32_t)b->fd;
		cb->aio_buf = (uint64_t)(uintptr_t)(mem + (uint64_t)i * r->size);
		cb->aio_nbytes = r->size;
		if (issue(b, r, cb) == 0)
			busy++;
		else
			b->errors++;
	}
	while (busy) {
		int n = io_getevents(b->ctx, 1, BENCH_MAX_DEPTH, b->events, NULL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "diskbench: io_getevents: %s\n", strerror(errno));
			exit(1);
		}
		int again = now_us() < end;
		for (int i = 0; i < n; i++) {
			struct io_event *e = &b->events[i];
			b->completed++;
			if (e->res == (int64_t)r->size)
				b->bytes += r->size;
			else
				b->errors++;
			busy--;
			if (again) {
				if (issue(b, r, &b->iocb[e->data]) == 0)
					busy++;
				else
					b->errors++;
			}
		}
	}
	uint64_t us = now_us() - start;
	return us ? us : 1;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: diskbench DEVICE\n");
		return 2;
	}
	const char *dev = argv[1], *name = strrchr(dev, '/') ? strrchr(dev, '/') + 1 : dev;
	static struct bench b;
	b.fd = open(dev, O_RDWR | O_DIRECT);
	if (b.fd < 0) {
		fprintf(stderr, "diskbench: %s: %s\n", dev, strerror(errno));
		return 1;
	}
	if (ioctl(b.fd, BLKGETSIZE64, &b.dev_size) || b.dev_size < SEQ_SIZE) {
		fprintf(stderr, "diskbench: %s: no size or smaller than 1 MiB\n", dev);
		return 1;
	}
	if (io_setup(BENCH_MAX_DEPTH, &b.ctx)) {
		fprintf(stderr, "diskbench: io_setup: %s\n", strerror(errno));
		return 1;
	}
	void *mem;
	if (posix_memalign(&mem, 4096, BUFFER_SIZE)) {
		fprintf(stderr, "diskbench: out of memory\n");
		return 1;
	}
	for (size_t i = 0; i < BUFFER_SIZE; i++)
		((uint8_t *)mem)[i] = (uint8_t)(0x5a ^ (i * 7));
	b.rng = 0x9e3779b97f4a7c15ull;
	static const struct run runs[] = {
		{ "randread-4k-qd1", 0, 1, 4096, 1 },    { "randread-4k-qd16", 0, 1, 4096, 16 },
		{ "randread-4k-qd32", 0, 1, 4096, 32 },  { "randwrite-4k-qd1", 1, 1, 4096, 1 },
		{ "randwrite-4k-qd16", 1, 1, 4096, 16 }, { "seqread-1m", 0, 0, SEQ_SIZE, 1 },
		{ "seqwrite-1m", 1, 0, SEQ_SIZE, 1 },
	};
	uint64_t all_errors = 0;
	for (unsigned int i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		const struct run *r = &runs[i];
		uint64_t us = run_bench(&b, r, mem);
		if (r->size >= SEQ_SIZE) {
			uint64_t tenths = b.bytes * 10 / us; /* bytes per microsecond = MB/s */
			printf("bench: %s %s %" PRIu64 ".%" PRIu64 " MB/s (%" PRIu64 " errors)\n", name, r->name,
			       tenths / 10, tenths % 10, b.errors);
		} else {
			printf("bench: %s %s %" PRIu64 " IOPS (%" PRIu64 " errors)\n", name, r->name,
			       b.completed * 1000000 / us, b.errors);
		}
		fflush(stdout);
		all_errors += b.errors;
	}
	if (fdatasync(b.fd))
		fprintf(stderr, "diskbench: fdatasync: %s\n", strerror(errno));
	io_destroy(b.ctx);
	close(b.fd);
	free(mem);
	return all_errors ? 1 : 0;
}
