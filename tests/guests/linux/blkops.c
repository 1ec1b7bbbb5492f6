/*
 * Block-device operations busybox lacks, for the disk tests
 * (tests/guests/linux/disk.sh, records.sh):
 *
 *   blkops zero DEVICE OFFSET LENGTH     BLKZEROOUT (virtio-blk WRITE_ZEROES)
 *   blkops discard DEVICE OFFSET LENGTH  BLKDISCARD (virtio-blk DISCARD)
 *   blkops records DEVICE OFFSET COUNT   first "records: found N of run T": the
 *                                        records of the last run still there;
 *                                        then run T+1 writes COUNT records
 *                                        from OFFSET, each with pwrite and
 *                                        fsync, printing "records: acked N"
 *                                        after record N's fsync returned
 *
 * A record is "powerhv record T N" (T the run, N its number) then zeros,
 * at OFFSET + 512 N. The found count is how many consecutive records from
 * 0 carry record 0's run: a crash during run T+1 leaves records 0..k of
 * T+1 (k at least the last acked) before older ones. Every acked record
 * must survive a crash (tests/integration/test_virtio_blk.py).
 *
 * Built static with Debian's ppc64el cross compiler (tools/guest_images.sh).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int range_op(const char *dev, unsigned long req, const char *off, const char *len)
{
	int fd = open(dev, O_RDWR);
	if (fd < 0) {
		perror(dev);
		return 1;
	}
	uint64_t r[2] = { strtoull(off, NULL, 0), strtoull(len, NULL, 0) };
	if (ioctl(fd, req, r)) {
		perror("ioctl");
		return 1;
	}
	close(fd);
	return 0;
}

static void record(char *buf, long run, long n)
{
	memset(buf, 0, 512);
	snprintf(buf, 512, "powerhv record %ld %ld", run, n);
}

static int records(const char *dev, const char *off, const char *count)
{
	int fd = open(dev, O_RDWR);
	if (fd < 0) {
		perror(dev);
		return 1;
	}
	off_t base = (off_t)strtoull(off, NULL, 0);
	long n = strtol(count, NULL, 0), run = 0, found = 0;
	char buf[512], want[512];
	if (pread(fd, buf, sizeof(buf), base) == (ssize_t)sizeof(buf) && sscanf(buf, "powerhv record %ld", &run) == 1) {
		while (pread(fd, buf, sizeof(buf), base + 512 * found) == (ssize_t)sizeof(buf)) {
			record(want, run, found);
			if (memcmp(buf, want, sizeof(buf)))
				break;
			found++;
		}
	}
	printf("records: found %ld of run %ld\n", found, run);
	fflush(stdout);
	run++;
	for (long i = 0; i < n; i++) {
		record(buf, run, i);
		if (pwrite(fd, buf, sizeof(buf), base + 512 * i) != (ssize_t)sizeof(buf) || fsync(fd)) {
			perror("write");
			return 1;
		}
		printf("records: acked %ld\n", i);
		fflush(stdout);
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "zero"))
		return range_op(argv[2], BLKZEROOUT, argv[3], argv[4]);
	if (argc == 5 && !strcmp(argv[1], "discard"))
		return range_op(argv[2], BLKDISCARD, argv[3], argv[4]);
	if (argc == 5 && !strcmp(argv[1], "records"))
		return records(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: blkops zero|discard DEVICE OFFSET LENGTH | records DEVICE OFFSET COUNT\n");
	return 2;
}
