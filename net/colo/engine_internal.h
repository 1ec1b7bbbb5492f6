/* Engine state shared by the engine's source files; not a public API. */
#ifndef NET_COLO_ENGINE_INTERNAL_H
#define NET_COLO_ENGINE_INTERNAL_H

#include "net/colo/colo.h"
#include "net/colo/parse.h"

#define COLO_NIL UINT32_MAX

/* One queued frame. Linked into its stream queue and its side's age list. */
struct colo_frame {
	const uint8_t *data;
	uint64_t cookie;
	uint64_t ts;
	uint32_t len;
	uint32_t q_next, q_prev; /* stream queue, or free list via q_next */
	uint32_t a_next, a_prev; /* age list of its side */
	uint32_t conn;           /* COLO_NIL while not in a stream queue */
	uint32_t cmp_len;
	uint32_t mask_off[2];
	uint32_t mask_len[2];
	uint32_t l3_off;
	uint32_t seq, ack; /* TCP */
	uint32_t payload_off, payload_len;
	uint32_t syn_opts; /* TCP SYN; fragment id for fragments */
	uint16_t l3_sig;
	uint8_t side, dir, cls, tcp_flags;
	uint8_t matched; /* TCP primary: compared, awaiting release */
};

struct colo_tcp_state {
	uint32_t ref[2];    /* per side: the sequence number taken as 0 */
	uint32_t cmp;       /* relative position compared up to */
	uint32_t s_ack_max; /* highest ACK the secondary sent */
	uint8_t have_ref[2];
	uint8_t synced; /* refs aligned, cmp valid */
	uint8_t s_ack_valid;
	uint8_t closed; /* FIN or RST compared */
};

struct colo_frag_state {
	uint32_t pair_id[2]; /* ids of the datagram pair being compared */
	uint32_t cur_id[2];  /* per side: datagram seen last, for diagnostics */
	uint32_t next_off[2];
	uint8_t pair_valid;
	uint8_t cur_valid[2];
	uint8_t cur_done[2]; /* last fragment (MF=0) seen */
};

/* One direction of a connection. */
struct colo_stream {
	uint32_t q_head[2], q_tail[2]; /* per side, TCP sorted by sequence */
	uint32_t q_len[2];
	union {
		struct colo_tcp_state tcp;
		struct colo_frag_state frag;
	} u;
};

struct colo_conn {
	struct colo_key key;
	uint32_t hash;
	uint32_t h_next;         /* bucket chain, or free list */
	uint32_t l_next, l_prev; /* LRU list (open or closed) */
	uint64_t last_ts;
	uint8_t in_use;
	uint8_t closed;
	struct colo_stream st[2];
};

struct colo_list {
	uint32_t head, tail;
};

struct colo_engine {
	struct colo_config cfg;
	struct colo_conn *conns;
	uint32_t *buckets;
	uint32_t bucket_mask;
	struct colo_frame *frames;
	uint32_t conn_free, frame_free;
	struct colo_list lru_open, lru_closed;
	struct colo_list age[2];
	uint64_t bytes_queued;
	uint64_t frames_queued[2];
	uint64_t conns_active;
	uint64_t last_now;
	uint64_t next_scan;
	bool pending;
	struct colo_stats st;
};

/* engine.c: outcomes */
enum colo_finish { COLO_FINISH_RELEASE, COLO_FINISH_DROP };
void colo_finish(struct colo_engine *e, uint32_t fi, enum colo_finish how, bool matched);
void colo_request_checkpoint(struct colo_engine *e, enum colo_reason why);

/* frame_pool.c */
uint32_t colo_frame_alloc(struct colo_engine *e);
void colo_frame_free(struct colo_engine *e, uint32_t fi);
void colo_age_push(struct colo_engine *e, uint32_t fi);
void colo_age_unlink(struct colo_engine *e, uint32_t fi);
void colo_queue_insert_after(struct colo_engine *e, uint32_t ci, struct colo_stream *s, uint32_t after, uint32_t fi);
void colo_queue_push(struct colo_engine *e, uint32_t ci, struct colo_stream *s, uint32_t fi);
void colo_queue_unlink(struct colo_engine *e, uint32_t fi);

/* conn_table.c */
uint32_t colo_conn_find_or_add(struct colo_engine *e, const struct colo_key *key, uint64_t now);
void colo_conn_mark_closed(struct colo_engine *e, uint32_t ci);
void colo_conn_reopen(struct colo_engine *e, uint32_t ci);
void colo_conn_reclaim(struct colo_engine *e, uint64_t now);
void colo_conn_reset_streams(struct colo_engine *e);

/* compare_fifo.c, compare_tcp.c: take ownership of queued frame fi */
void colo_fifo_feed(struct colo_engine *e, uint32_t ci, uint32_t fi);
void colo_tcp_feed(struct colo_engine *e, uint32_t ci, uint32_t fi);
void colo_fifo_note_fragment(struct colo_engine *e, uint32_t ci, uint32_t fi, uint32_t off, uint32_t len, bool more);

#endif
