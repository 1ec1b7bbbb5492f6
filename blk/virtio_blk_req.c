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
	case VIRTIO_BLK_T_GET_LIFETIME:
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

uint8_t vblk_check(const struct vblk_req *r, const struct vblk_disk *disk)
{
	uint64_t spb = disk->block_size / 512, disk_sectors = disk->nblocks * spb;
	switch (r->type) {
	case VIRTIO_BLK_T_IN:
	case VIRTIO_BLK_T_OUT:
		if (r->type == VIRTIO_BLK_T_OUT && disk->read_only)
			return VIRTIO_BLK_S_IOERR;
		if (!r->data_len || r->data_len % disk->block_size || r->data_len > disk->max_bytes || r->sector % spb)
			return VIRTIO_BLK_S_IOERR;
		if (r->sector >= disk_sectors || r->data_len / 512 > disk_sectors - r->sector)
			return VIRTIO_BLK_S_IOERR;
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_FLUSH:
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_GET_ID:
		return r->data_len ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
	case VIRTIO_BLK_T_GET_LIFETIME:
		if (!disk->lifetime)
			return VIRTIO_BLK_S_UNSUPP;
		return r->data_len >= VBLK_LIFETIME_BYTES ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
	case VIRTIO_BLK_T_DISCARD:
	case VIRTIO_BLK_T_WRITE_ZEROES:
		if (!(r->type == VIRTIO_BLK_T_DISCARD ? disk->discard : disk->write_zeroes))
			return VIRTIO_BLK_S_UNSUPP;
		if (disk->read_only || !r->data_len || r->data_len % VBLK_RANGE_BYTES ||
		    r->data_len / VBLK_RANGE_BYTES > disk->max_zero_segs)
			return VIRTIO_BLK_S_IOERR;
		return VIRTIO_BLK_S_OK;
	default:
		return VIRTIO_BLK_S_UNSUPP;
	}
}

void vblk_lifetime(uint8_t percent_used, uint8_t spare, uint8_t out[VBLK_LIFETIME_BYTES])
{
	unsigned int spare_used = spare >= 100 ? 0 : 100u - spare;
	uint16_t pre_eol = spare_used >= 90 ? 3 : spare_used >= 80 ? 2 : 1;
	uint16_t estimate = percent_used >= 100 ? 11 : (uint16_t)(percent_used / 10 + 1);
	le16_store(out, pre_eol);
	le16_store(out + 2, estimate); /* type A */
	le16_store(out + 4, estimate); /* type B: NVMe tells one figure for the whole drive */
}

/* Copies n data bytes from offset off of the request's data into out. */
static bool data_bytes(const struct vblk_req *r, const struct virtq_mem *m, uint64_t off, uint8_t *out, uint32_t n)
{
	uint32_t got = 0;
	for (unsigned int i = 0; i < r->nsegs && got < n; i++) {
		const struct virtq_seg *s = &r->seg[i];
		if (off >= s->len) {
			off -= s->len;
			continue;
		}
		uint32_t k = s->len - (uint32_t)off < n - got ? s->len - (uint32_t)off : n - got;
		const uint8_t *p = m->ptr(m->ctx, s->gpa + off, k, false);
		if (!p)
			return false;
		memcpy(out + got, p, k);
		got += k;
		off = 0;
	}
	return got == n;
}

uint8_t vblk_ranges(const struct vblk_req *r, const struct virtq_mem *m, const struct vblk_disk *disk,
		    struct vblk_range *out, unsigned int *n)
{
	uint64_t spb = disk->block_size / 512, disk_sectors = disk->nblocks * spb;
	uint64_t count = r->data_len / VBLK_RANGE_BYTES;
	*n = 0;
	if (count > disk->max_zero_segs)
		return VIRTIO_BLK_S_IOERR;
	uint8_t status = VIRTIO_BLK_S_OK;
	for (uint64_t i = 0; i < count; i++) {
		uint8_t b[VBLK_RANGE_BYTES];
		if (!data_bytes(r, m, i * VBLK_RANGE_BYTES, b, sizeof(b)))
			return VIRTIO_BLK_S_IOERR;
		struct vblk_range *g = &out[i];
		g->sector = le64_load(b);
		g->num_sectors = le32_load(b + 8);
		g->flags = le32_load(b + 12);
		/* UNSUPP wins over IOERR: a driver told "unsupported" stops sending it */
		if ((g->flags & ~VBLK_RANGE_UNMAP) || (r->type == VIRTIO_BLK_T_DISCARD && g->flags))
			return VIRTIO_BLK_S_UNSUPP;
		if (!g->num_sectors || g->num_sectors > disk->max_zero_sectors || g->sector % spb ||
		    g->num_sectors % spb || g->sector >= disk_sectors || g->num_sectors > disk_sectors - g->sector)
			status = VIRTIO_BLK_S_IOERR;
	}
	*n = (unsigned int)count;
	return status;
}
