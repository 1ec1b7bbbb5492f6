/*
 * Virtqueues a hostile guest writes, split (hv/virtio/virtq.c) or packed
 * (virtq_packed.c, when data[1] & 4): the input is the guest's memory
 * (descriptor table or ring, rings or event areas, indirect tables) and a
 * few parameters; the device pops what it can and pushes it back. Every
 * piece it returns must lie in the guest's memory, no chain may exceed its
 * bounds, and nothing may be read or written outside the buffer (ASan).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "hv/virtio/virtq.h"
#include "hv/virtio/virtq_packed.h"

#define BASE 0x10000ull
#define SIZE 0x8000ull

static uint8_t *guest;

static uint8_t *gptr(void *ctx, uint64_t gpa, uint64_t len, bool write)
{
	(void)ctx;
	(void)write;
	if (gpa < BASE || len > SIZE || gpa - BASE > SIZE - len)
		return NULL;
	return guest + (gpa - BASE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 8)
		return 0;
	static uint8_t mem_buf[SIZE];
	guest = mem_buf;
	memset(guest, 0, SIZE);
	memcpy(guest, data + 8, size - 8 < SIZE ? size - 8 : SIZE);
	bool event_idx = data[1] & 1, indirect = data[1] & 2, packed = data[1] & 4;
	/* 1..64 (packed: any size up to 100): the rings fit a 4 KiB input */
	uint16_t qsize = packed ? (uint16_t)(1 + data[0] % 100) : (uint16_t)(1u << (data[0] % 7));
	uint64_t desc = BASE + (uint64_t)(data[2] % 4) * 0x100;
	uint64_t avail = BASE + 0x800 + (uint64_t)(data[3] % 16) * 2;
	uint64_t used = BASE + 0xa00 + (uint64_t)(data[4] % 16) * 4;
	const struct virtq_mem m = { NULL, gptr };
	struct virtq q;
	if (packed) {
		if (!virtq_init_packed(&q, &m, qsize, desc, avail & ~3ull, used, event_idx, indirect))
			return 0;
		q.last_avail = (uint16_t)((data[5] | data[6] << 8) % qsize);
		q.avail_wrap = data[6] & 0x80;
	} else {
		if (!virtq_init(&q, &m, qsize, desc, avail, used, event_idx, indirect))
			return 0;
		q.last_avail = (uint16_t)(data[5] | data[6] << 8);
	}
	static struct virtq_chain c;
	for (int round = 0; round < 2 * qsize + 2; round++) {
		int rc = virtq_pop(&q, &m, &c);
		if (rc <= 0) {
			if (rc < 0 && (q.last_error == VIRTQ_OK || !virtq_error_name(q.last_error)))
				abort();
			break;
		}
		if ((!packed && c.head >= qsize) || c.nsegs > VIRTQ_MAX_SEGS || !c.ndesc || c.ndesc > qsize)
			abort();
		uint64_t readable = 0, writable = 0;
		bool seen_write = false;
		for (unsigned int i = 0; i < c.nsegs; i++) {
			const struct virtq_seg *s = &c.seg[i];
			if (!s->len || !gptr(NULL, s->gpa, s->len, s->write) || (seen_write && !s->write))
				abort();
			seen_write |= s->write;
			*(s->write ? &writable : &readable) += s->len;
		}
		if (readable != c.readable || writable != c.writable)
			abort();
		virtq_push(&q, &m, c.head, c.ndesc, (uint32_t)c.writable);
		virtq_should_notify(&q, &m);
		if (data[7] & 1)
			virtq_set_avail_event(&q, &m, q.last_avail);
	}
	return 0;
}
