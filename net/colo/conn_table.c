/*
 * Connection table: keyed-hash buckets chained through a fixed array of
 * connections, plus two LRU lists (open, closed) so idle and finished
 * connections are found from the list heads without scanning.
 */
#include <string.h>

#include "net/colo/engine_internal.h"
#include "net/colo/siphash.h"

static void lru_unlink(struct colo_engine *e, uint32_t ci)
{
	struct colo_conn *c = &e->conns[ci];
	struct colo_list *l = c->closed ? &e->lru_closed : &e->lru_open;

	if (c->l_prev != COLO_NIL)
		e->conns[c->l_prev].l_next = c->l_next;
	else
		l->head = c->l_next;
	if (c->l_next != COLO_NIL)
		e->conns[c->l_next].l_prev = c->l_prev;
	else
		l->tail = c->l_prev;
	c->l_next = c->l_prev = COLO_NIL;
}

static void lru_append(struct colo_engine *e, uint32_t ci)
{
	struct colo_conn *c = &e->conns[ci];
	struct colo_list *l = c->closed ? &e->lru_closed : &e->lru_open;

	c->l_next = COLO_NIL;
	c->l_prev = l->tail;
	if (l->tail != COLO_NIL)
		e->conns[l->tail].l_next = ci;
	else
		l->head = ci;
	l->tail = ci;
}

static void stream_reset(struct colo_stream *s)
{
	for (int side = 0; side < 2; side++) {
		s->q_head[side] = s->q_tail[side] = COLO_NIL;
		s->q_len[side] = 0;
	}
	memset(&s->u, 0, sizeof(s->u));
}

static bool conn_empty(const struct colo_conn *c)
{
	return c->st[0].q_len[0] == 0 && c->st[0].q_len[1] == 0 && c->st[1].q_len[0] == 0 && c->st[1].q_len[1] == 0;
}

static void conn_free(struct colo_engine *e, uint32_t ci)
{
	struct colo_conn *c = &e->conns[ci];
	uint32_t *link = &e->buckets[c->hash & e->bucket_mask];

	while (*link != ci)
		link = &e->conns[*link].h_next;
	*link = c->h_next;
	lru_unlink(e, ci);
	c->in_use = 0;
	c->h_next = e->conn_free;
	e->conn_free = ci;
	e->conns_active--;
}

/* Free the least recently used empty connection to make room. */
static bool evict_one(struct colo_engine *e)
{
	const struct colo_list *lists[2] = { &e->lru_closed, &e->lru_open };

	for (int i = 0; i < 2; i++) {
		uint32_t ci = lists[i]->head;
		if (ci != COLO_NIL && conn_empty(&e->conns[ci])) {
			conn_free(e, ci);
			e->st.conns_evicted++;
			return true;
		}
	}
	return false;
}

uint32_t colo_conn_find_or_add(struct colo_engine *e, const struct colo_key *key, uint64_t now)
{
	uint32_t h = (uint32_t)colo_siphash24(e->cfg.hash_key, key->b, COLO_KEY_LEN);
	uint32_t *bucket = &e->buckets[h & e->bucket_mask];
	uint64_t chain = 0;

	for (uint32_t ci = *bucket; ci != COLO_NIL; ci = e->conns[ci].h_next) {
		struct colo_conn *c = &e->conns[ci];
		chain++;
		if (c->hash == h && memcmp(c->key.b, key->b, COLO_KEY_LEN) == 0) {
			if (chain > e->st.hash_max_chain)
				e->st.hash_max_chain = chain;
			lru_unlink(e, ci);
			lru_append(e, ci);
			c->last_ts = now;
			return ci;
		}
	}
	if (chain > e->st.hash_max_chain)
		e->st.hash_max_chain = chain;

	if (e->conn_free == COLO_NIL && !evict_one(e))
		return COLO_NIL;

	uint32_t ci = e->conn_free;
	struct colo_conn *c = &e->conns[ci];
	e->conn_free = c->h_next;
	c->key = *key;
	c->hash = h;
	c->in_use = 1;
	c->closed = 0;
	c->last_ts = now;
	stream_reset(&c->st[0]);
	stream_reset(&c->st[1]);
	c->h_next = *bucket;
	*bucket = ci;
	lru_append(e, ci);
	e->conns_active++;
	e->st.conns_created++;
	return ci;
}

void colo_conn_mark_closed(struct colo_engine *e, uint32_t ci)
{
	if (e->conns[ci].closed)
		return;
	lru_unlink(e, ci);
	e->conns[ci].closed = 1;
	lru_append(e, ci);
}

void colo_conn_reopen(struct colo_engine *e, uint32_t ci)
{
	if (!e->conns[ci].closed)
		return;
	lru_unlink(e, ci);
	e->conns[ci].closed = 0;
	lru_append(e, ci);
}

static void reclaim_list(struct colo_engine *e, struct colo_list *l, uint64_t timeout, uint64_t now, uint64_t *counter)
{
	/* Oldest first; stop at the first one still in use or recent. A head
     * holding frames is unblocked by the compare timeout's checkpoint. */
	while (l->head != COLO_NIL) {
		struct colo_conn *c = &e->conns[l->head];
		if (now - c->last_ts < timeout || !conn_empty(c))
			break;
		conn_free(e, l->head);
		(*counter)++;
	}
}

void colo_conn_reclaim(struct colo_engine *e, uint64_t now)
{
	reclaim_list(e, &e->lru_closed, e->cfg.closed_timeout_ns, now, &e->st.conns_reclaimed_closed);
	reclaim_list(e, &e->lru_open, e->cfg.idle_timeout_ns, now, &e->st.conns_reclaimed_idle);
}

/* After a checkpoint: queues are empty, comparison state starts afresh. */
void colo_conn_reset_streams(struct colo_engine *e)
{
	const struct colo_list *lists[2] = { &e->lru_closed, &e->lru_open };

	for (int i = 0; i < 2; i++)
		for (uint32_t ci = lists[i]->head; ci != COLO_NIL; ci = e->conns[ci].l_next) {
			stream_reset(&e->conns[ci].st[0]);
			stream_reset(&e->conns[ci].st[1]);
		}
}
