/*
 * virtio-blk requests a hostile guest builds: the input is its memory
 * (rings, descriptors, headers); each chain the queue yields is parsed and
 * checked against a small disk. Pieces stay inside the guest, the data
 * never exceeds the chain, and a request that passes the check lies
 * inside the disk, as does every range of a DISCARD or WRITE_ZEROES that
 * passes.
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
		const struct vblk_disk disk = { nblocks,     block, 1 << 20, data[2] & 2, data[2] & 4,
						data[2] & 8, 64,    4,       data[2] & 16 };
		uint8_t st = p == VBLK_OK ? vblk_check(&r, &disk) : VIRTIO_BLK_S_IOERR;
		if (st == VIRTIO_BLK_S_OK && (r.type == VIRTIO_BLK_T_IN || r.type == VIRTIO_BLK_T_OUT) &&
		    (r.sector + r.data_len / 512 > nblocks * (block / 512) || r.data_len % block))
			abort();
		if (st == VIRTIO_BLK_S_OK && (r.type == VIRTIO_BLK_T_DISCARD || r.type == VIRTIO_BLK_T_WRITE_ZEROES)) {
			struct vblk_range g[4];
			unsigned int n;
			if (disk.read_only)
				abort();
			if (vblk_ranges(&r, &m, &disk, g, &n) == VIRTIO_BLK_S_OK) {
				/* every range accepted lies inside the disk, whole blocks */
				if (!n || n > disk.max_zero_segs)
					abort();
				for (unsigned int k = 0; k < n; k++)
					if (!g[k].num_sectors || g[k].num_sectors > disk.max_zero_sectors ||
					    g[k].sector + g[k].num_sectors > nblocks * (block / 512) ||
					    g[k].sector % (block / 512) || g[k].num_sectors % (block / 512) ||
					    (r.type == VIRTIO_BLK_T_DISCARD && g[k].flags))
						abort();
			}
		}
		virtq_push(&q, &m, c.head, c.ndesc, 1);
	}
	return 0;
}
