#include <stddef.h>
#include <string.h>
#include "blk/virtio_blk_req.h"
#include "hv/lib/bytes.h"

/* Copies n readable bytes from the chain's start into out; false if it has fewer. */
static bool gather(const struct virtq_chain *c, const struct virtq_mem *m, uint8_t *out, uint32_t n)
{
	uint32_t got = 0;
	for (unsigned int i = 0; i < c->nsegs && got < n && !c->seg[i].write; i++) {
		const uint8_t *p = m->ptr(m->ctx, c->seg[i].gpa, c->seg[i].len, false);
		if (!p)
			return false;
		uint32_t k = c->seg[i].len < n - got ? c->seg[i].len : n - got;
		memcpy(out + got, p, k);
		got += k;
	}
	return got == n;
}

enum vblk_parse vblk_parse(const struct virtq_chain *c, const struct virtq_mem *m, struct vblk_req *r)
{
	memset(r, 0, offsetof(struct vblk_req, seg));
	if (!c->writable)
		return VBLK_NO_STATUS;
	/* the status: the last writable byte */
	const struct virtq_seg *last = &c->seg[c->nsegs - 1];
	r->status_gpa = last->gpa + last->len - 1;
	uint8_t hdr[16];
	if (c->readable < 16 || !gather(c, m, hdr, 16))
		return VBLK_BAD_HEADER;
	r->type = le32_load(hdr);
	r->sector = le64_load(hdr + 8);
	/* Data: readable bytes after the header, writable bytes before the status. */
	uint64_t skip = 16, data_end_writable = c->writable - 1;
	uint64_t writable_seen = 0;
	for (unsigned int i = 0; i < c->nsegs; i++) {
		const struct virtq_seg *s = &c->seg[i];
		uint64_t gpa = s->gpa, len = s->len;
		if (!s->write) {
			if (skip >= len) {
				skip -= len;
				continue;
			}
			gpa += skip;
			len -= skip;
			skip = 0;
		} else {
			if (writable_seen >= data_end_writable)
				break;
			if (len > data_end_writable - writable_seen)
				len = data_end_writable - writable_seen;
			writable_seen += s->len;
			if (!len)
				continue;
		}
		r->seg[r->nsegs++] = (struct virtq_seg){ gpa, (uint32_t)len, s->write };
		r->data_len += len;
	}
	bool has_readable = c->readable > 16, has_writable = c->writable > 1;
	switch (r->type) {
	case VIRTIO_BLK_T_IN:
	case VIRTIO_BLK_T_GET_ID:
		if (has_readable)
			return VBLK_BAD_DATA;
		break;
	case VIRTIO_BLK_T_OUT:
	case VIRTIO_BLK_T_DISCARD:
	case VIRTIO_BLK_T_WRITE_ZEROES:
		if (has_writable)
			return VBLK_BAD_DATA;
		break;
	default:
		break; /* FLUSH and unknown types: their data is ignored */
	}
	return VBLK_OK;
}

uint8_t vblk_check(const struct vblk_req *r, uint64_t nblocks, uint32_t block_size, uint64_t max_bytes, bool read_only)
{
	uint64_t disk_sectors = nblocks * (block_size / 512), spb = block_size / 512;
	switch (r->type) {
	case VIRTIO_BLK_T_IN:
	case VIRTIO_BLK_T_OUT:
		if (r->type == VIRTIO_BLK_T_OUT && read_only)
			return VIRTIO_BLK_S_IOERR;
		if (!r->data_len || r->data_len % block_size || r->data_len > max_bytes || r->sector % spb)
			return VIRTIO_BLK_S_IOERR;
		if (r->sector >= disk_sectors || r->data_len / 512 > disk_sectors - r->sector)
			return VIRTIO_BLK_S_IOERR;
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_FLUSH:
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_GET_ID:
		return r->data_len ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
	default:
		return VIRTIO_BLK_S_UNSUPP;
	}
}
