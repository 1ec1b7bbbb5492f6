#include "hv/virtio/virtq_chain.h"

int virtq_fail(struct virtq *q, enum virtq_error e)
{
	q->last_error = e;
	q->errors++;
	return -1;
}

/* Adds one descriptor's piece to c. */
int virtq_add_piece(struct virtq *q, const struct virtq_mem *m, struct virtq_chain *c, uint64_t addr, uint32_t len,
		    bool write)
{
	if (!len)
		return 0; /* nothing to transfer */
	if (addr + len < addr || !m->ptr(m->ctx, addr, len, write))
		return virtq_fail(q, VIRTQ_E_BUFFER);
	if (!write && c->writable)
		return virtq_fail(q, VIRTQ_E_ORDER);
	if (c->nsegs == VIRTQ_MAX_SEGS)
		return virtq_fail(q, VIRTQ_E_TOO_LONG);
	c->seg[c->nsegs++] = (struct virtq_seg){ addr, len, write };
	if (write)
		c->writable += len;
	else
		c->readable += len;
	return 0;
}
