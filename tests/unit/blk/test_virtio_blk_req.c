/* virtio-blk request parsing and checks (blk/virtio_blk_req.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "blk/virtio_blk_req.h"
#include "hv/lib/bytes.h"

#define BASE 0x1000ull
static uint8_t guest[0x10000];

static uint8_t *gptr(void *ctx, uint64_t gpa, uint64_t len, bool write)
{
	(void)ctx;
	(void)write;
	if (gpa < BASE || len > sizeof(guest) || gpa - BASE > sizeof(guest) - len)
		return NULL;
	return guest + (gpa - BASE);
}

static const struct virtq_mem mem = { NULL, gptr };

static struct vblk_disk the_disk;

static const struct vblk_disk *disk(uint64_t nblocks, uint32_t block_size, uint64_t max_bytes, bool read_only)
{
	the_disk = (struct vblk_disk){ nblocks, block_size, max_bytes, read_only, true, true, 65536, 4, false };
	return &the_disk;
}
static struct virtq_chain c;
static struct vblk_req r;

static void header(uint64_t gpa, uint32_t type, uint64_t sector)
{
	le32_store(guest + gpa - BASE, type);
	le32_store(guest + gpa - BASE + 4, 0);
	le64_store(guest + gpa - BASE + 8, sector);
}

static void piece(uint64_t gpa, uint32_t len, bool write)
{
	c.seg[c.nsegs++] = (struct virtq_seg){ gpa, len, write };
	if (write)
		c.writable += len;
	else
		c.readable += len;
}

static int setup(void **state)
{
	(void)state;
	memset(&c, 0, sizeof(c));
	memset(guest, 0, sizeof(guest));
	return 0;
}

static void read_as_linux_sends_it(void **state)
{
	(void)state;
	header(0x1000, VIRTIO_BLK_T_IN, 8);
	piece(0x1000, 16, false);
	piece(0x2000, 4096, true);
	piece(0x3000, 1, true);
	assert_int_equal(vblk_parse(&c, &mem, &r), VBLK_OK);
	assert_int_equal(r.type, VIRTIO_BLK_T_IN);
	assert_int_equal(r.sector, 8);
	assert_int_equal(r.nsegs, 1);
	assert_int_equal(r.data_len, 4096);
	assert_int_equal(r.status_gpa, 0x3000);
	assert_int_equal(vblk_check(&r, disk(1024, 512, 1 << 20, false)), VIRTIO_BLK_S_OK);
}

static void pieces_may_split_anything(void **state)
{
	(void)state;
	/* header in two pieces, data and status in one writable piece */
	header(0x1000, VIRTIO_BLK_T_IN, 2);
	piece(0x1000, 10, false);
	piece(0x100a, 6, false);
	piece(0x2000, 1025, true);
	assert_int_equal(vblk_parse(&c, &mem, &r), VBLK_OK);
	assert_int_equal(r.sector, 2);
	assert_int_equal(r.data_len, 1024);
	assert_int_equal(r.status_gpa, 0x2000 + 1024);
	/* a write: header and data in one readable piece */
	setup(NULL);
	header(0x1000, VIRTIO_BLK_T_OUT, 0);
	piece(0x1000, 16 + 512, false);
	piece(0x3000, 1, true);
	assert_int_equal(vblk_parse(&c, &mem, &r), VBLK_OK);
	assert_int_equal(r.nsegs, 1);
	assert_int_equal(r.seg[0].gpa, 0x1010);
	assert_int_equal(r.data_len, 512);
	assert_false(r.seg[0].write);
}

static void malformed_requests(void **state)
{
	(void)state;
	piece(0x1000, 16, false); /* no status byte */
	assert_int_equal(vblk_parse(&c, &mem, &r), VBLK_NO_STATUS);
	setup(NULL);
	piece(0x1000, 8, false); /* short header */
	piece(0x3000, 1, true);
	assert_int_equal(vblk_parse(&c, &mem, &r), VBLK_BAD_HEADER);
	setup(NULL);
	header(0x1000, VIRTIO_BLK_T_IN, 0); /* a read with readable data */
	piece(0x1000, 16 + 512, false);
	piece(0x3000, 1, true);
	assert_int_equal(vblk_parse(&c, &mem, &r), VBLK_BAD_DATA);
	setup(NULL);
	header(0x1000, VIRTIO_BLK_T_OUT, 0); /* a write with writable data */
	piece(0x1000, 16, false);
	piece(0x2000, 513, true);
	assert_int_equal(vblk_parse(&c, &mem, &r), VBLK_BAD_DATA);
}

static void checks_against_the_disk(void **state)
{
	(void)state;
	struct vblk_req q = { .type = VIRTIO_BLK_T_IN, .sector = 1000, .data_len = 4096 };
	assert_int_equal(vblk_check(&q, disk(1008, 512, 1 << 20, false)), VIRTIO_BLK_S_OK); /* the last 8 sectors */
	q.sector = 1001;
	assert_int_equal(vblk_check(&q, disk(1008, 512, 1 << 20, false)), VIRTIO_BLK_S_IOERR); /* one past the end */
	q.sector = ~0ull - 2;
	assert_int_equal(vblk_check(&q, disk(1008, 512, 1 << 20, false)), VIRTIO_BLK_S_IOERR);
	q.sector = 0;
	q.data_len = 0;
	assert_int_equal(vblk_check(&q, disk(1008, 512, 1 << 20, false)), VIRTIO_BLK_S_IOERR); /* zero-length */
	q.data_len = 2 << 20;
	assert_int_equal(vblk_check(&q, disk(1 << 20, 512, 1 << 20, false)), VIRTIO_BLK_S_IOERR); /* oversized */
	q.data_len = 100;
	assert_int_equal(vblk_check(&q, disk(1008, 512, 1 << 20, false)), VIRTIO_BLK_S_IOERR); /* not whole sectors */
	q.data_len = 512; /* 4 KiB blocks: whole blocks only, aligned */
	assert_int_equal(vblk_check(&q, disk(1008, 4096, 1 << 20, false)), VIRTIO_BLK_S_IOERR);
	q.data_len = 4096;
	q.sector = 4;
	assert_int_equal(vblk_check(&q, disk(1008, 4096, 1 << 20, false)), VIRTIO_BLK_S_IOERR);
	q.type = VIRTIO_BLK_T_OUT;
	q.sector = 0;
	assert_int_equal(vblk_check(&q, disk(1008, 512, 1 << 20, true)), VIRTIO_BLK_S_IOERR); /* read-only */
	assert_int_equal(vblk_check(&q, disk(1008, 512, 1 << 20, false)), VIRTIO_BLK_S_OK);
	q.type = 99;
	assert_int_equal(vblk_check(&q, disk(1008, 512, 1 << 20, false)), VIRTIO_BLK_S_UNSUPP);
	q.type = VIRTIO_BLK_T_FLUSH;
	assert_int_equal(vblk_check(&q, disk(1008, 512, 1 << 20, true)), VIRTIO_BLK_S_OK);
}

static void range(uint64_t gpa, uint64_t sector, uint32_t num, uint32_t flags)
{
	le64_store(guest + gpa - BASE, sector);
	le32_store(guest + gpa - BASE + 8, num);
	le32_store(guest + gpa - BASE + 12, flags);
}

/* A DISCARD or WRITE_ZEROES chain: header, the ranges at 0x2000 in pieces of split bytes, status. */
static uint8_t zero_request(uint32_t type, unsigned int nranges, uint32_t split, const struct vblk_disk *d,
			    struct vblk_range *out, unsigned int *n)
{
	memset(&c, 0, sizeof(c));
	header(0x1000, type, 0);
	piece(0x1000, 16, false);
	uint32_t len = nranges * VBLK_RANGE_BYTES;
	for (uint32_t off = 0; off < len; off += split)
		piece(0x2000 + off, len - off < split ? len - off : split, false);
	piece(0x3000, 1, true);
	assert_int_equal(vblk_parse(&c, &mem, &r), VBLK_OK);
	uint8_t st = vblk_check(&r, d);
	if (st != VIRTIO_BLK_S_OK)
		return st;
	return vblk_ranges(&r, &mem, d, out, n);
}

static void discard_and_write_zeroes_ranges(void **state)
{
	(void)state;
	struct vblk_range g[4];
	unsigned int n;
	const struct vblk_disk *d = disk(1 << 20, 512, 1 << 20, false);
	range(0x2000, 8, 16, 0);
	range(0x2010, 1000, 24, 0);
	assert_int_equal(zero_request(VIRTIO_BLK_T_DISCARD, 2, 16, d, g, &n), VIRTIO_BLK_S_OK);
	assert_int_equal(n, 2);
	assert_int_equal(g[0].sector, 8);
	assert_int_equal(g[0].num_sectors, 16);
	assert_int_equal(g[1].sector, 1000);
	assert_int_equal(g[1].num_sectors, 24);
	/* ranges split across pieces anywhere read the same */
	assert_int_equal(zero_request(VIRTIO_BLK_T_WRITE_ZEROES, 2, 5, d, g, &n), VIRTIO_BLK_S_OK);
	assert_int_equal(g[1].sector, 1000);
	assert_int_equal(g[1].num_sectors, 24);
	/* unmap: allowed for write-zeroes, unsupported for discard; unknown flags unsupported */
	range(0x2010, 1000, 24, VBLK_RANGE_UNMAP);
	assert_int_equal(zero_request(VIRTIO_BLK_T_WRITE_ZEROES, 2, 32, d, g, &n), VIRTIO_BLK_S_OK);
	assert_int_equal(g[1].flags, VBLK_RANGE_UNMAP);
	assert_int_equal(zero_request(VIRTIO_BLK_T_DISCARD, 2, 32, d, g, &n), VIRTIO_BLK_S_UNSUPP);
	range(0x2010, 1000, 24, 2);
	assert_int_equal(zero_request(VIRTIO_BLK_T_WRITE_ZEROES, 2, 32, d, g, &n), VIRTIO_BLK_S_UNSUPP);
	/* bad ranges */
	static const struct {
		uint64_t sector;
		uint32_t num;
	} bad[] = { { 0, 0 }, { 0, 65537 }, { (1 << 20) - 8, 16 }, { 1 << 20, 8 }, { ~0ull - 4, 8 } };
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		range(0x2010, bad[i].sector, bad[i].num, 0);
		assert_int_equal(zero_request(VIRTIO_BLK_T_DISCARD, 2, 32, d, g, &n), VIRTIO_BLK_S_IOERR);
	}
	range(0x2010, (1 << 20) - 8, 8, 0); /* the last 8 sectors */
	assert_int_equal(zero_request(VIRTIO_BLK_T_DISCARD, 2, 32, d, g, &n), VIRTIO_BLK_S_OK);
	/* 4 KiB blocks: whole blocks only */
	const struct vblk_disk *d4 = disk(1 << 17, 4096, 1 << 20, false);
	range(0x2010, 4, 8, 0);
	assert_int_equal(zero_request(VIRTIO_BLK_T_DISCARD, 2, 32, d4, g, &n), VIRTIO_BLK_S_IOERR);
	range(0x2010, 8, 12, 0);
	assert_int_equal(zero_request(VIRTIO_BLK_T_DISCARD, 2, 32, d4, g, &n), VIRTIO_BLK_S_IOERR);
	range(0x2010, 8, 16, 0);
	assert_int_equal(zero_request(VIRTIO_BLK_T_DISCARD, 2, 32, d4, g, &n), VIRTIO_BLK_S_OK);
}

static void discard_and_write_zeroes_requests(void **state)
{
	(void)state;
	struct vblk_range g[4];
	unsigned int n;
	for (unsigned int i = 0; i < 5; i++)
		range(0x2000 + 16 * i, 8 * i, 8, 0);
	const struct vblk_disk *d = disk(1 << 20, 512, 1 << 20, false);
	assert_int_equal(zero_request(VIRTIO_BLK_T_DISCARD, 4, 64, d, g, &n), VIRTIO_BLK_S_OK);
	assert_int_equal(n, 4);
	/* more ranges than offered */
	assert_int_equal(zero_request(VIRTIO_BLK_T_DISCARD, 5, 80, d, g, &n), VIRTIO_BLK_S_IOERR);
	/* no range, or a partial one */
	assert_int_equal(zero_request(VIRTIO_BLK_T_WRITE_ZEROES, 0, 16, d, g, &n), VIRTIO_BLK_S_IOERR);
	memset(&c, 0, sizeof(c));
	header(0x1000, VIRTIO_BLK_T_DISCARD, 0);
	piece(0x1000, 16 + 20, false);
	piece(0x3000, 1, true);
	assert_int_equal(vblk_parse(&c, &mem, &r), VBLK_OK);
	assert_int_equal(vblk_check(&r, d), VIRTIO_BLK_S_IOERR);
	/* a writable data piece is malformed */
	memset(&c, 0, sizeof(c));
	header(0x1000, VIRTIO_BLK_T_WRITE_ZEROES, 0);
	piece(0x1000, 32, false);
	piece(0x3000, 17, true);
	assert_int_equal(vblk_parse(&c, &mem, &r), VBLK_BAD_DATA);
	/* read-only disks refuse both */
	const struct vblk_disk *ro = disk(1 << 20, 512, 1 << 20, true);
	assert_int_equal(zero_request(VIRTIO_BLK_T_DISCARD, 1, 16, ro, g, &n), VIRTIO_BLK_S_IOERR);
	assert_int_equal(zero_request(VIRTIO_BLK_T_WRITE_ZEROES, 1, 16, ro, g, &n), VIRTIO_BLK_S_IOERR);
	/* not offered: unsupported */
	the_disk = (struct vblk_disk){ 1 << 20, 512, 1 << 20, false, false, false, 65536, 4, false };
	assert_int_equal(zero_request(VIRTIO_BLK_T_DISCARD, 1, 16, &the_disk, g, &n), VIRTIO_BLK_S_UNSUPP);
	assert_int_equal(zero_request(VIRTIO_BLK_T_WRITE_ZEROES, 1, 16, &the_disk, g, &n), VIRTIO_BLK_S_UNSUPP);
}

static void lifetime(void **state)
{
	(void)state;
	uint8_t out[VBLK_LIFETIME_BYTES];
	static const struct {
		uint8_t used, spare;
		uint16_t pre_eol, estimate;
	} cases[] = { { 0, 100, 1, 1 },  { 9, 100, 1, 1 },   { 10, 95, 1, 2 },  { 55, 21, 1, 6 }, { 95, 20, 2, 10 },
		      { 99, 11, 2, 10 }, { 100, 10, 3, 11 }, { 255, 0, 3, 11 }, { 30, 200, 1, 4 } };
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vblk_lifetime(cases[i].used, cases[i].spare, out);
		assert_int_equal(le16_load(out), cases[i].pre_eol);
		assert_int_equal(le16_load(out + 2), cases[i].estimate);
		assert_int_equal(le16_load(out + 4), cases[i].estimate);
	}
	/* the request: writable data of at least 6 bytes, only when offered */
	header(0x1000, VIRTIO_BLK_T_GET_LIFETIME, 0);
	piece(0x1000, 16, false);
	piece(0x2000, 6, true);
	piece(0x3000, 1, true);
	assert_int_equal(vblk_parse(&c, &mem, &r), VBLK_OK);
	the_disk = (struct vblk_disk){ 1024, 512, 1 << 20, false, true, true, 65536, 4, true };
	assert_int_equal(vblk_check(&r, &the_disk), VIRTIO_BLK_S_OK);
	the_disk.lifetime = false;
	assert_int_equal(vblk_check(&r, &the_disk), VIRTIO_BLK_S_UNSUPP);
	the_disk.lifetime = true;
	setup(NULL);
	header(0x1000, VIRTIO_BLK_T_GET_LIFETIME, 0);
	piece(0x1000, 16, false);
	piece(0x2000, 5, true);
	piece(0x3000, 1, true);
	assert_int_equal(vblk_parse(&c, &mem, &r), VBLK_OK);
	assert_int_equal(vblk_check(&r, &the_disk), VIRTIO_BLK_S_IOERR);
	setup(NULL);
	header(0x1000, VIRTIO_BLK_T_GET_LIFETIME, 0); /* readable data: malformed */
	piece(0x1000, 22, false);
	piece(0x3000, 1, true);
	assert_int_equal(vblk_parse(&c, &mem, &r), VBLK_BAD_DATA);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(read_as_linux_sends_it, setup),
		cmocka_unit_test_setup(pieces_may_split_anything, setup),
		cmocka_unit_test_setup(malformed_requests, setup),
		cmocka_unit_test_setup(checks_against_the_disk, setup),
		cmocka_unit_test_setup(discard_and_write_zeroes_ranges, setup),
		cmocka_unit_test_setup(discard_and_write_zeroes_requests, setup),
		cmocka_unit_test_setup(lifetime, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
