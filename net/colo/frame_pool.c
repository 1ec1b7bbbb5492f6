/* Fixed pool of frame records and the intrusive lists that hold them:
 * O(1) allocate, free, append, unlink. */
#include "net/colo/engine_internal.h"

uint32_t colo_frame_alloc(struct colo_engine *e)
{
	uint32_t fi = e->frame_free;
	if (fi != COLO_NIL) {
		e->frame_free = e->frames[fi].q_next;
		e->frames[fi].q_next = e->frames[fi].q_prev = COLO_NIL;
		e->frames[fi].a_next = e->frames[fi].a_prev = COLO_NIL;
		e->frames[fi].conn = COLO_NIL;
	}
	return fi;
}

void colo_frame_free(struct colo_engine *e, uint32_t fi)
{
	e->frames[fi].data = NULL;
	e->frames[fi].q_next = e->frame_free;
	e->frame_free = fi;
}

/* Age lists are in arrival order, so the head is the oldest frame. */
void colo_age_push(struct colo_engine *e, uint32_t fi)
{
	struct colo_frame *f = &e->frames[fi];
	struct colo_list *l = &e->age[f->side];

	f->a_next = COLO_NIL;
	f->a_prev = l->tail;
	if (l->tail != COLO_NIL)
		e->frames[l->tail].a_next = fi;
	else
		l->head = fi;
	l->tail = fi;
}

void colo_age_unlink(struct colo_engine *e, uint32_t fi)
{
	struct colo_frame *f = &e->frames[fi];
	struct colo_list *l = &e->age[f->side];

	if (f->a_prev != COLO_NIL)
		e->frames[f->a_prev].a_next = f->a_next;
	else
		l->head = f->a_next;
	if (f->a_next != COLO_NIL)
		e->frames[f->a_next].a_prev = f->a_prev;
	else
		l->tail = f->a_prev;
	f->a_next = f->a_prev = COLO_NIL;
}

/* Insert fi after `after` (COLO_NIL: at the head) in its side's queue. */
void colo_queue_insert_after(struct colo_engine *e, uint32_t ci, struct colo_stream *s, uint32_t after, uint32_t fi)
{
	struct colo_frame *f = &e->frames[fi];
	uint8_t side = f->side;
	uint32_t next = after == COLO_NIL ? s->q_head[side] : e->frames[after].q_next;

	f->conn = ci;
	f->q_prev = after;
	f->q_next = next;
	if (after == COLO_NIL)
		s->q_head[side] = fi;
	else
		e->frames[after].q_next = fi;
	if (next == COLO_NIL)
		s->q_tail[side] = fi;
	else
		e->frames[next].q_prev = fi;
	s->q_len[side]++;
}

void colo_queue_push(struct colo_engine *e, uint32_t ci, struct colo_stream *s, uint32_t fi)
{
	colo_queue_insert_after(e, ci, s, s->q_tail[e->frames[fi].side], fi);
}

void colo_queue_unlink(struct colo_engine *e, uint32_t fi)
{
	struct colo_frame *f = &e->frames[fi];
	if (f->conn == COLO_NIL)
		return;
	struct colo_stream *s = &e->conns[f->conn].st[f->dir];
	uint8_t side = f->side;

	if (f->q_prev != COLO_NIL)
		e->frames[f->q_prev].q_next = f->q_next;
	else
		s->q_head[side] = f->q_next;
	if (f->q_next != COLO_NIL)
		e->frames[f->q_next].q_prev = f->q_prev;
	else
		s->q_tail[side] = f->q_prev;
	s->q_len[side]--;
	f->q_next = f->q_prev = COLO_NIL;
	f->conn = COLO_NIL;
}
