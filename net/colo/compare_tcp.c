/*
 * TCP stream comparison. Each replica's segments of one direction are kept
 * sorted by sequence number (so out-of-order arrival is fine) relative to
 * a per-replica reference, which absorbs the replicas' different initial
 * sequence numbers. A cursor `cmp` marks how far both byte streams (plus
 * SYN and FIN, which occupy one sequence number each) have been compared,
 * so segment boundaries may differ between the replicas.
 *
 * A compared secondary segment is dropped at once. A compared primary
 * segment is released, in sequence order, once the secondary has
 * acknowledged at least as much of the peer's data as it does: the primary
 * must not tell the peer it received something the secondary has not.
 * Pure ACKs are never paired; they only wait for that condition.
 */
#include <string.h>

#include "net/colo/bytes.h"
#include "net/colo/engine_internal.h"

/* Sequence space a segment occupies; RST is treated as a zero-length mark. */
static uint32_t seg_len(const struct colo_frame *f)
{
	if (f->tcp_flags & COLO_TCP_RST)
		return 0;
	return f->payload_len + !!(f->tcp_flags & COLO_TCP_SYN) + !!(f->tcp_flags & COLO_TCP_FIN);
}

static uint32_t rel(const struct colo_tcp_state *t, const struct colo_frame *f)
{
	return f->seq - t->ref[f->side];
}

static void insert_sorted(struct colo_engine *e, uint32_t ci, struct colo_stream *s, uint32_t fi)
{
	const struct colo_tcp_state *t = &s->u.tcp;
	struct colo_frame *f = &e->frames[fi];
	uint32_t r = rel(t, f);
	uint32_t after = s->q_tail[f->side];

	/* bounded by the per-stream queue limit; in-order arrival stops at once */
	while (after != COLO_NIL && colo_seq_lt(r, rel(t, &e->frames[after])))
		after = e->frames[after].q_prev;
	if (after != s->q_tail[f->side])
		e->st.tcp_out_of_order++;
	colo_queue_insert_after(e, ci, s, after, fi);
}

static uint32_t first_unmatched(const struct colo_engine *e, const struct colo_stream *s)
{
	uint32_t i = s->q_head[COLO_PRIMARY];
	while (i != COLO_NIL && e->frames[i].matched)
		i = e->frames[i].q_next;
	return i;
}

/* Align the streams at the lowest outstanding segment of each replica. */
static bool try_sync(struct colo_engine *e, struct colo_stream *s)
{
	struct colo_tcp_state *t = &s->u.tcp;
	uint32_t pi = first_unmatched(e, s), si = s->q_head[COLO_SECONDARY];

	if (pi == COLO_NIL || si == COLO_NIL)
		return false;
	t->ref[COLO_PRIMARY] = e->frames[pi].seq;
	t->ref[COLO_SECONDARY] = e->frames[si].seq;
	t->have_ref[0] = t->have_ref[1] = 1;
	t->cmp = 0;
	t->synced = 1;
	return true;
}

enum piece { PIECE_SYN, PIECE_DATA, PIECE_FIN };

static enum piece piece_at(const struct colo_frame *f, uint32_t start, uint32_t pos)
{
	if ((f->tcp_flags & COLO_TCP_SYN) && pos == start)
		return PIECE_SYN;
	if ((f->tcp_flags & COLO_TCP_FIN) && pos == start + seg_len(f) - 1)
		return PIECE_FIN;
	return PIECE_DATA;
}

/*
 * Compare two segments that both cover t->cmp, advancing t->cmp to the end
 * of the shorter one. Returns false on a difference.
 */
static bool compare_overlap(struct colo_tcp_state *t, const struct colo_frame *p, const struct colo_frame *s, bool *fin)
{
	uint32_t ps = rel(t, p), ss = rel(t, s);
	uint32_t pe = ps + seg_len(p), se = ss + seg_len(s);

	while (colo_seq_lt(t->cmp, pe) && colo_seq_lt(t->cmp, se)) {
		enum piece kp = piece_at(p, ps, t->cmp), ks = piece_at(s, ss, t->cmp);
		if (kp != ks)
			return false;
		if (kp == PIECE_SYN) {
			if (p->syn_opts != s->syn_opts)
				return false;
			t->cmp++;
			continue;
		}
		if (kp == PIECE_FIN) {
			*fin = true;
			t->cmp++;
			continue;
		}
		uint32_t pd = t->cmp - ps - !!(p->tcp_flags & COLO_TCP_SYN);
		uint32_t sd = t->cmp - ss - !!(s->tcp_flags & COLO_TCP_SYN);
		uint32_t pn = p->payload_len - pd, sn = s->payload_len - sd;
		uint32_t n = pn < sn ? pn : sn;
		if (memcmp(p->data + p->payload_off + pd, s->data + s->payload_off + sd, n) != 0)
			return false;
		t->cmp += n;
	}
	return true;
}

/* Link-layer header and TOS/TTL must agree for any pair compared. */
static bool headers_equal(const struct colo_frame *p, const struct colo_frame *s)
{
	return p->l3_off == s->l3_off && p->l3_sig == s->l3_sig && memcmp(p->data, s->data, p->l3_off) == 0;
}

static bool ack_ok(const struct colo_tcp_state *t, const struct colo_frame *p)
{
	if (!(p->tcp_flags & COLO_TCP_ACK))
		return true;
	return t->s_ack_valid && colo_seq_le(p->ack, t->s_ack_max);
}

static void tcp_run(struct colo_engine *e, uint32_t ci, struct colo_stream *s)
{
	struct colo_tcp_state *t = &s->u.tcp;

	if (!t->synced && !try_sync(e, s))
		goto release;

	for (;;) {
		uint32_t pi = first_unmatched(e, s), si = s->q_head[COLO_SECONDARY];
		struct colo_frame *p = pi != COLO_NIL ? &e->frames[pi] : NULL;
		struct colo_frame *sf = si != COLO_NIL ? &e->frames[si] : NULL;

		/* Wholly below the cursor: retransmission of compared data. */
		if (p && seg_len(p) && colo_seq_le(rel(t, p) + seg_len(p), t->cmp)) {
			p->matched = 1;
			e->st.tcp_retransmit++;
			continue;
		}
		if (sf && seg_len(sf) && colo_seq_le(rel(t, sf) + seg_len(sf), t->cmp)) {
			e->st.tcp_retransmit++;
			colo_finish(e, si, COLO_FINISH_DROP, false);
			continue;
		}
		if (!p || !sf)
			break;
		/* A hole before either segment: wait for the missing one. */
		if (colo_seq_lt(t->cmp, rel(t, p)) || colo_seq_lt(t->cmp, rel(t, sf)))
			break;

		bool prst = p->tcp_flags & COLO_TCP_RST;
		bool srst = sf->tcp_flags & COLO_TCP_RST;
		bool fin = false;
		if (!headers_equal(p, sf) || prst != srst || (!prst && !compare_overlap(t, p, sf, &fin))) {
			colo_request_checkpoint(e, COLO_REASON_MISMATCH);
			return;
		}
		if (prst || fin) {
			t->closed = 1;
			colo_conn_mark_closed(e, ci);
		}
		if (prst) {
			p->matched = 1;
			colo_finish(e, si, COLO_FINISH_DROP, true);
			continue;
		}
		if (t->cmp == rel(t, sf) + seg_len(sf))
			colo_finish(e, si, COLO_FINISH_DROP, true);
		if (t->cmp == rel(t, p) + seg_len(p))
			p->matched = 1;
	}

release:
	for (;;) {
		uint32_t pi = s->q_head[COLO_PRIMARY];
		if (pi == COLO_NIL || !e->frames[pi].matched || !ack_ok(t, &e->frames[pi]))
			break;
		colo_finish(e, pi, COLO_FINISH_RELEASE, true);
	}
}

void colo_tcp_feed(struct colo_engine *e, uint32_t ci, uint32_t fi)
{
	struct colo_frame *f = &e->frames[fi];
	struct colo_stream *s = &e->conns[ci].st[f->dir];
	struct colo_tcp_state *t = &s->u.tcp;
	uint8_t side = f->side;
	uint8_t flags = f->tcp_flags;

	if ((flags & COLO_TCP_SYN) && !(flags & COLO_TCP_RST)) {
		/* A new connection reusing a finished one's ports starts afresh. */
		if (t->synced && t->closed && s->q_len[0] == 0 && s->q_len[1] == 0) {
			memset(t, 0, sizeof(*t));
			colo_conn_reopen(e, ci);
		}
		if (!t->synced) {
			t->ref[side] = f->seq;
			t->have_ref[side] = 1;
		}
	}
	if (!t->have_ref[side]) {
		t->ref[side] = f->seq;
		t->have_ref[side] = 1;
	}
	if (side == COLO_SECONDARY && (flags & COLO_TCP_ACK) &&
	    (!t->s_ack_valid || colo_seq_lt(t->s_ack_max, f->ack))) {
		t->s_ack_max = f->ack;
		t->s_ack_valid = 1;
	}
	if (seg_len(f) == 0 && !(flags & COLO_TCP_RST)) {
		e->st.tcp_pure_ack++;
		if (side == COLO_SECONDARY) {
			/* only its ACK number mattered, and that is recorded */
			colo_finish(e, fi, COLO_FINISH_DROP, false);
			tcp_run(e, ci, s);
			return;
		}
		f->matched = 1;
	}
	insert_sorted(e, ci, s, fi);
	tcp_run(e, ci, s);
}
