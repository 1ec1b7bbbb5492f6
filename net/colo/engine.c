/*
 * Engine entry points: memory layout, feeding frames, the periodic scan,
 * checkpoint flush and statistics. Comparison rules live in compare_*.c.
 */
#include <string.h>

#include "net/colo/engine_internal.h"

#define MAX_ENTRIES (1u << 24)
#define NS_PER_MS   1000000ull

static uint64_t align8(uint64_t n)
{
	return (n + 7) & ~(uint64_t)7;
}

static uint32_t bucket_count(uint32_t conns)
{
	uint32_t n = 1;
	while (n < conns * 2) /* load factor at most 1/2 */
		n <<= 1;
	return n;
}

void colo_config_default(struct colo_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_conns = 4096;
	cfg->max_frames = 8192;
	cfg->max_queue = 1024;
	cfg->max_queued_bytes = 16u << 20;
	cfg->compare_timeout_ns = 3000 * NS_PER_MS;
	cfg->scan_period_ns = 100 * NS_PER_MS;
	cfg->idle_timeout_ns = 120000 * NS_PER_MS;
	cfg->closed_timeout_ns = 5000 * NS_PER_MS;
}

static bool config_valid(const struct colo_config *cfg)
{
	return cfg && cfg->action && cfg->max_conns >= 1 && cfg->max_conns <= MAX_ENTRIES && cfg->max_frames >= 1 &&
	       cfg->max_frames <= MAX_ENTRIES && cfg->max_queue >= 1 && cfg->max_queued_bytes >= 1 &&
	       cfg->compare_timeout_ns >= 1;
}

struct layout {
	uint64_t conns, buckets, frames, total;
};

static struct layout layout_of(const struct colo_config *cfg)
{
	struct layout l;
	l.conns = align8(sizeof(struct colo_engine));
	l.buckets = l.conns + align8((uint64_t)cfg->max_conns * sizeof(struct colo_conn));
	l.frames = l.buckets + align8((uint64_t)bucket_count(cfg->max_conns) * sizeof(uint32_t));
	l.total = l.frames + (uint64_t)cfg->max_frames * sizeof(struct colo_frame);
	return l;
}

size_t colo_mem_size(const struct colo_config *cfg)
{
	if (!config_valid(cfg))
		return 0;
	uint64_t total = layout_of(cfg).total;
	return total > (uint64_t)SIZE_MAX ? 0 : (size_t)total;
}

struct colo_engine *colo_init(void *mem, size_t mem_len, const struct colo_config *cfg)
{
	size_t need = colo_mem_size(cfg);
	if (need == 0 || mem == NULL || mem_len < need || ((uintptr_t)mem & 7) != 0)
		return NULL;

	struct layout l = layout_of(cfg);
	uint8_t *base = mem;
	struct colo_engine *e = mem;
	memset(e, 0, sizeof(*e));
	e->cfg = *cfg;
	e->conns = (struct colo_conn *)(void *)(base + l.conns);
	e->buckets = (uint32_t *)(void *)(base + l.buckets);
	e->frames = (struct colo_frame *)(void *)(base + l.frames);
	e->bucket_mask = bucket_count(cfg->max_conns) - 1;

	for (uint32_t i = 0; i <= e->bucket_mask; i++)
		e->buckets[i] = COLO_NIL;
	for (uint32_t i = 0; i < cfg->max_conns; i++) {
		memset(&e->conns[i], 0, sizeof(e->conns[i]));
		e->conns[i].h_next = i + 1 < cfg->max_conns ? i + 1 : COLO_NIL;
	}
	for (uint32_t i = 0; i < cfg->max_frames; i++) {
		memset(&e->frames[i], 0, sizeof(e->frames[i]));
		e->frames[i].q_next = i + 1 < cfg->max_frames ? i + 1 : COLO_NIL;
	}
	e->conn_free = 0;
	e->frame_free = 0;
	e->lru_open.head = e->lru_open.tail = COLO_NIL;
	e->lru_closed.head = e->lru_closed.tail = COLO_NIL;
	for (int s = 0; s < 2; s++)
		e->age[s].head = e->age[s].tail = COLO_NIL;
	return e;
}

static void emit(struct colo_engine *e, enum colo_action_kind kind, enum colo_reason why, uint64_t cookie,
		 const uint8_t *data, uint32_t len)
{
	struct colo_action a = { kind, why, cookie, data, len };
	e->cfg.action(e->cfg.action_ctx, &a);
}

void colo_request_checkpoint(struct colo_engine *e, enum colo_reason why)
{
	if (e->pending)
		return; /* one request per checkpoint */
	e->pending = true;
	e->st.checkpoints++;
	e->st.checkpoint_reason[why]++;
	emit(e, COLO_ACT_CHECKPOINT, why, 0, NULL, 0);
}

void colo_finish(struct colo_engine *e, uint32_t fi, enum colo_finish how, bool matched)
{
	struct colo_frame *f = &e->frames[fi];
	uint64_t cookie = f->cookie;
	const uint8_t *data = f->data;
	uint32_t len = f->len;

	colo_queue_unlink(e, fi);
	colo_age_unlink(e, fi);
	e->bytes_queued -= len;
	e->frames_queued[f->side]--;
	colo_frame_free(e, fi);
	if (how == COLO_FINISH_RELEASE) {
		e->st.released++;
		e->st.matched += matched;
		emit(e, COLO_ACT_RELEASE, COLO_REASON_NONE, cookie, data, len);
	} else {
		e->st.dropped++;
		emit(e, COLO_ACT_DROP, COLO_REASON_NONE, cookie, data, len);
	}
}

static void count_frame(struct colo_engine *e, enum colo_side side, uint32_t len, const struct colo_frame_info *fi)
{
	struct colo_stats *st = &e->st;

	st->frames_fed[side]++;
	st->bytes_fed[side] += len;
	st->bad[fi->bad] += fi->bad != COLO_BAD_NONE;
	st->frames_vlan += fi->vlan_tags != 0;
	st->frames_ipv6 += fi->ip_version == 6;
	st->zero_payload += fi->zero_payload;
	switch (fi->cls) {
	case COLO_CLS_TCP:
		st->frames_tcp++;
		break;
	case COLO_CLS_UDP:
		st->frames_udp++;
		break;
	case COLO_CLS_ICMP:
		st->frames_icmp++;
		break;
	case COLO_CLS_IP_OTHER:
		st->frames_ip_other++;
		break;
	case COLO_CLS_FRAG:
		st->frames_fragment++;
		break;
	case COLO_CLS_RAW:
		if (fi->arp)
			st->frames_arp++;
		else if (fi->bad == COLO_BAD_NONE)
			st->frames_non_ip++;
		break;
	}
}

/* Primary frames are an account only: held until colo_checkpoint_done(). */
static uint32_t take_record(struct colo_engine *e, enum colo_side side, const uint8_t *frame, uint32_t len,
			    uint64_t cookie, uint64_t now)
{
	uint32_t xi = colo_frame_alloc(e);
	if (xi == COLO_NIL)
		return xi;
	struct colo_frame *f = &e->frames[xi];
	f->data = frame;
	f->len = len;
	f->cookie = cookie;
	f->ts = now;
	f->side = (uint8_t)side;
	f->matched = 0;
	colo_age_push(e, xi);
	e->bytes_queued += len;
	e->frames_queued[side]++;
	return xi;
}

/*
 * While a checkpoint is pending nothing is compared: the secondary's frames
 * are dropped now (the flush would drop them anyway) and the primary's are
 * held for the flush. If there is no room, the caller keeps the frame.
 */
static enum colo_feed_result feed_pending(struct colo_engine *e, enum colo_side side, const uint8_t *frame,
					  uint32_t len, uint64_t cookie, uint64_t now)
{
	if (side == COLO_SECONDARY) {
		e->st.dropped++;
		emit(e, COLO_ACT_DROP, COLO_REASON_NONE, cookie, frame, len);
		return COLO_FEED_TAKEN;
	}
	if (len > e->cfg.max_queued_bytes - e->bytes_queued ||
	    take_record(e, side, frame, len, cookie, now) == COLO_NIL) {
		e->st.busy++;
		return COLO_FEED_BUSY;
	}
	e->st.held_while_pending++;
	return COLO_FEED_TAKEN;
}

static uint64_t clamp_now(struct colo_engine *e, uint64_t now)
{
	if (now < e->last_now)
		return e->last_now;
	e->last_now = now;
	return now;
}

enum colo_feed_result colo_feed(struct colo_engine *e, enum colo_side side, const uint8_t *frame, uint32_t len,
				uint64_t cookie, uint64_t now_ns)
{
	if (e == NULL)
		return COLO_FEED_INVALID;
	if ((side != COLO_PRIMARY && side != COLO_SECONDARY) || frame == NULL) {
		e->st.invalid++;
		return COLO_FEED_INVALID;
	}
	uint64_t now = clamp_now(e, now_ns);
	struct colo_frame_info fi;
	colo_parse(frame, len, &fi);
	count_frame(e, side, len, &fi);

	if (e->pending)
		return feed_pending(e, side, frame, len, cookie, now);

	uint32_t ci = colo_conn_find_or_add(e, &fi.key, now);
	enum colo_reason full = COLO_REASON_NONE;
	if (ci == COLO_NIL)
		full = COLO_REASON_CONN_FULL;
	else if (e->conns[ci].st[fi.dir].q_len[side] >= e->cfg.max_queue)
		full = COLO_REASON_QUEUE_FULL;
	else if (len > e->cfg.max_queued_bytes - e->bytes_queued)
		full = COLO_REASON_BYTES_FULL;
	uint32_t xi = COLO_NIL;
	if (full == COLO_REASON_NONE) {
		xi = take_record(e, side, frame, len, cookie, now);
		if (xi == COLO_NIL)
			full = COLO_REASON_POOL_FULL;
	}
	if (full != COLO_REASON_NONE) {
		/* never drop: checkpoint, then hold or refuse like any pending feed */
		colo_request_checkpoint(e, full);
		return feed_pending(e, side, frame, len, cookie, now);
	}

	struct colo_frame *f = &e->frames[xi];
	f->dir = fi.dir;
	f->cls = (uint8_t)fi.cls;
	f->tcp_flags = fi.tcp_flags;
	f->seq = fi.seq;
	f->ack = fi.ack;
	f->payload_off = fi.payload_off;
	f->payload_len = fi.payload_len;
	f->syn_opts = fi.cls == COLO_CLS_FRAG ? fi.frag_id : fi.syn_opts;
	f->cmp_len = fi.cmp_len;
	f->l3_off = fi.l3_off;
	f->l3_sig = fi.l3_sig;
	for (int i = 0; i < 2; i++) {
		f->mask_off[i] = fi.mask_off[i];
		f->mask_len[i] = fi.mask_len[i];
	}

	if (fi.cls == COLO_CLS_TCP) {
		colo_tcp_feed(e, ci, xi);
	} else {
		if (fi.cls == COLO_CLS_FRAG)
			colo_fifo_note_fragment(e, ci, xi, fi.frag_off, fi.frag_len, fi.frag_more);
		colo_fifo_feed(e, ci, xi);
	}
	return COLO_FEED_TAKEN;
}

uint64_t colo_scan(struct colo_engine *e, uint64_t now_ns)
{
	uint64_t now = clamp_now(e, now_ns);
	if (now < e->next_scan)
		return e->next_scan;
	e->next_scan = now + (e->cfg.scan_period_ns ? e->cfg.scan_period_ns : 1);

	/* Age lists are in arrival order: only the oldest frames matter. */
	static const enum colo_reason why[2] = { COLO_REASON_PRIMARY_TIMEOUT, COLO_REASON_SECONDARY_TIMEOUT };
	for (int side = 0; side < 2 && !e->pending; side++) {
		uint32_t oldest = e->age[side].head;
		if (oldest != COLO_NIL && now - e->frames[oldest].ts >= e->cfg.compare_timeout_ns)
			colo_request_checkpoint(e, why[side]);
	}
	colo_conn_reclaim(e, now);
	return e->next_scan;
}

bool colo_checkpoint_pending(const struct colo_engine *e)
{
	return e->pending;
}

void colo_checkpoint_done(struct colo_engine *e, uint64_t now_ns)
{
	(void)clamp_now(e, now_ns);
	while (e->age[COLO_PRIMARY].head != COLO_NIL)
		colo_finish(e, e->age[COLO_PRIMARY].head, COLO_FINISH_RELEASE, false);
	while (e->age[COLO_SECONDARY].head != COLO_NIL)
		colo_finish(e, e->age[COLO_SECONDARY].head, COLO_FINISH_DROP, false);
	colo_conn_reset_streams(e);
	e->pending = false;
	e->st.checkpoints_done++;
}

void colo_get_stats(const struct colo_engine *e, struct colo_stats *out)
{
	*out = e->st;
	out->conns_active = e->conns_active;
	out->frames_queued[0] = e->frames_queued[0];
	out->frames_queued[1] = e->frames_queued[1];
	out->bytes_queued = e->bytes_queued;
	out->checkpoint_pending = e->pending;
}

const char *colo_reason_name(enum colo_reason r)
{
	static const char *const names[COLO_REASON_COUNT] = {
		"none",       "mismatch",   "primary-timeout", "secondary-timeout",
		"queue-full", "bytes-full", "pool-full",       "conn-full",
	};
	return (unsigned)r < COLO_REASON_COUNT ? names[r] : "?";
}

const char *colo_bad_name(enum colo_bad b)
{
	static const char *const names[COLO_BAD_COUNT] = {
		"none",    "l2-truncated", "l3-truncated", "ip-header", "ip-length",
		"ip6-ext", "fragment",     "l4-truncated", "l4-header", "tcp-option",
	};
	return (unsigned)b < COLO_BAD_COUNT ? names[b] : "?";
}
