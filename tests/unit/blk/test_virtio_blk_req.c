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
	assert_int_equal(vblk_check(&r, 1024, 512, 1 << 20, false), VIRTIO_BLK_S_OK);
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
	assert_int_equal(vblk_check(&q, 1008, 512, 1 << 20, false), VIRTIO_BLK_S_OK); /* the last 8 sectors */
	q.sector = 1001;
	assert_int_equal(vblk_check(&q, 1008, 512, 1 << 20, false), VIRTIO_BLK_S_IOERR); /* one past the end */
	q.sector = ~0ull - 2;
	assert_int_equal(vblk_check(&q, 1008, 512, 1 << 20, false), VIRTIO_BLK_S_IOERR);
	q.sector = 0;
	q.data_len = 0;
	assert_int_equal(vblk_check(&q, 1008, 512, 1 << 20, false), VIRTIO_BLK_S_IOERR); /* zero-length */
	q.data_len = 2 << 20;
	assert_int_equal(vblk_check(&q, 1 << 20, 512, 1 << 20, false), VIRTIO_BLK_S_IOERR); /* oversized */
	q.data_len = 100;
	assert_int_equal(vblk_check(&q, 1008, 512, 1 << 20, false), VIRTIO_BLK_S_IOERR); /* not whole sectors */
	q.data_len = 512; /* 4 KiB blocks: whole blocks only, aligned */
	assert_int_equal(vblk_check(&q, 1008, 4096, 1 << 20, false), VIRTIO_BLK_S_IOERR);
	q.data_len = 4096;
	q.sector = 4;
	assert_int_equal(vblk_check(&q, 1008, 4096, 1 << 20, false), VIRTIO_BLK_S_IOERR);
	q.type = VIRTIO_BLK_T_OUT;
	q.sector = 0;
	assert_int_equal(vblk_check(&q, 1008, 512, 1 << 20, true), VIRTIO_BLK_S_IOERR); /* read-only */
	assert_int_equal(vblk_check(&q, 1008, 512, 1 << 20, false), VIRTIO_BLK_S_OK);
	q.type = 99;
	assert_int_equal(vblk_check(&q, 1008, 512, 1 << 20, false), VIRTIO_BLK_S_UNSUPP);
	q.type = VIRTIO_BLK_T_FLUSH;
	assert_int_equal(vblk_check(&q, 1008, 512, 1 << 20, true), VIRTIO_BLK_S_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(read_as_linux_sends_it, setup),
		cmocka_unit_test_setup(pieces_may_split_anything, setup),
		cmocka_unit_test_setup(malformed_requests, setup),
		cmocka_unit_test_setup(checks_against_the_disk, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
