/*
 * In-order comparison for everything that is not a TCP stream: UDP, ICMP,
 * ICMPv6, other IP protocols, IP fragments, ARP and other non-IP frames.
 * Within one connection both replicas must emit the same frames in the same
 * order, so a new frame is compared with the head of the other replica's
 * queue: O(1), and at most one side of a stream ever holds frames.
 */
#include <string.h>

#include "net/colo/engine_internal.h"

/* Equal except the masked ranges (IP id/checksum, IPv6 flow label and
 * fragment id) and anything past cmp_len (Ethernet padding). */
static bool masked_equal(const struct colo_frame *a, const struct colo_frame *b)
{
	if (a->cmp_len != b->cmp_len || a->l3_sig != b->l3_sig)
		return false;
	uint32_t pos = 0;
	for (int i = 0; i < 2; i++) {
		if (a->mask_off[i] != b->mask_off[i] || a->mask_len[i] != b->mask_len[i])
			return false;
		if (a->mask_len[i] == 0)
			continue;
		if (memcmp(a->data + pos, b->data + pos, a->mask_off[i] - pos) != 0)
			return false;
		pos = a->mask_off[i] + a->mask_len[i];
	}
	return memcmp(a->data + pos, b->data + pos, a->cmp_len - pos) == 0;
}

/* Fragments of one primary datagram must pair with fragments of one
 * secondary datagram, whatever the two ids are. */
static bool frag_ids_consistent(struct colo_frag_state *fs, const struct colo_frame *p, const struct colo_frame *s)
{
	if (fs->pair_valid && (p->syn_opts == fs->pair_id[0]) != (s->syn_opts == fs->pair_id[1]))
		return false;
	return true;
}

/* Diagnostics only: count overlaps and datagrams abandoned half-way. */
static void frag_track(struct colo_engine *e, struct colo_frag_state *fs, const struct colo_frame *f, uint32_t off,
		       uint32_t len, bool more)
{
	uint8_t side = f->side;
	uint32_t id = f->syn_opts;

	if (fs->cur_valid[side] && fs->cur_id[side] == id) {
		if (off < fs->next_off[side])
			e->st.frag_overlap++;
	} else {
		if (fs->cur_valid[side] && !fs->cur_done[side])
			e->st.frag_incomplete++;
		fs->cur_valid[side] = 1;
		fs->cur_done[side] = 0;
		fs->cur_id[side] = id;
		fs->next_off[side] = 0;
		if (off != 0)
			fs->next_off[side] = off; /* first seen out of order */
	}
	if (off + len > fs->next_off[side])
		fs->next_off[side] = off + len;
	if (!more)
		fs->cur_done[side] = 1;
}

void colo_fifo_feed(struct colo_engine *e, uint32_t ci, uint32_t fi)
{
	struct colo_frame *f = &e->frames[fi];
	struct colo_stream *s = &e->conns[ci].st[f->dir];
	uint8_t other = f->side ^ 1;
	uint32_t oi = s->q_head[other];

	if (oi == COLO_NIL) {
		colo_queue_push(e, ci, s, fi);
		return;
	}

	uint32_t pi = f->side == COLO_PRIMARY ? fi : oi;
	uint32_t si = f->side == COLO_PRIMARY ? oi : fi;
	const struct colo_frame *p = &e->frames[pi], *sf = &e->frames[si];
	bool equal = masked_equal(p, sf);

	if (equal && p->cls == COLO_CLS_FRAG) {
		equal = frag_ids_consistent(&s->u.frag, p, sf);
		if (equal) {
			s->u.frag.pair_valid = 1;
			s->u.frag.pair_id[0] = p->syn_opts;
			s->u.frag.pair_id[1] = sf->syn_opts;
		}
	}
	if (!equal) {
		colo_queue_push(e, ci, s, fi);
		colo_request_checkpoint(e, COLO_REASON_MISMATCH);
		return;
	}
	colo_finish(e, pi, COLO_FINISH_RELEASE, true);
	colo_finish(e, si, COLO_FINISH_DROP, true);
}

void colo_fifo_note_fragment(struct colo_engine *e, uint32_t ci, uint32_t fi, uint32_t off, uint32_t len, bool more)
{
	struct colo_frame *f = &e->frames[fi];
	frag_track(e, &e->conns[ci].st[f->dir].u.frag, f, off, len, more);
}
