/*
 * virtio-blk requests a hostile guest builds: the input is its memory
 * (rings, descriptors, headers); each chain the queue yields is parsed and
 * checked against a small disk. Pieces stay inside the guest, the data
 * never exceeds the chain, and a request that passes the check lies
 * inside the disk.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "blk/virtio_blk_req.h"

#define BASE 0x10000ull
#define SIZE 0x8000ull

static uint8_t mem_buf[SIZE];

static uint8_t *gptr(void *ctx, uint64_t gpa, uint64_t len, bool write)
{
	(void)ctx;
	(void)write;
	if (gpa < BASE || len > SIZE || gpa - BASE > SIZE - len)
		return NULL;
	return mem_buf + (gpa - BASE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4)
		return 0;
	memset(mem_buf, 0, SIZE);
	memcpy(mem_buf, data + 4, size - 4 < SIZE ? size - 4 : SIZE);
	const struct virtq_mem m = { NULL, gptr };
	struct virtq q;
	uint16_t qsize = (uint16_t)(1u << (data[0] % 7));
	if (!virtq_init(&q, &m, qsize, BASE, BASE + 0x400, BASE + 0x600, data[1] & 1, data[1] & 2))
		return 0;
	static struct virtq_chain c;
	static struct vblk_req r;
	uint32_t block = data[2] & 1 ? 4096 : 512;
	uint64_t nblocks = 1 + data[3];
	for (int i = 0; i < 2 * qsize + 2 && virtq_pop(&q, &m, &c) == 1; i++) {
		enum vblk_parse p = vblk_parse(&c, &m, &r);
		if (p == VBLK_NO_STATUS)
			continue;
		if (!gptr(NULL, r.status_gpa, 1, true))
			abort();
		/* with a whole header, the data is what lies between it and the status */
		if (p != VBLK_BAD_HEADER && r.data_len + 16 + 1 > c.readable + c.writable)
			abort();
		uint64_t total = 0;
		for (unsigned int k = 0; k < r.nsegs; k++) {
			if (!r.seg[k].len || !gptr(NULL, r.seg[k].gpa, r.seg[k].len, r.seg[k].write))
				abort();
			total += r.seg[k].len;
		}
		if (total != r.data_len)
			abort();
		if (p == VBLK_OK && vblk_check(&r, nblocks, block, 1 << 20, data[2] & 2) == VIRTIO_BLK_S_OK &&
		    (r.type == VIRTIO_BLK_T_IN || r.type == VIRTIO_BLK_T_OUT) &&
		    (r.sector + r.data_len / 512 > nblocks * (block / 512) || r.data_len % block))
			abort();
		virtq_push(&q, &m, c.head, 1);
	}
	return 0;
}
