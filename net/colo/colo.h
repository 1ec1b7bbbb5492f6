/*
 * COLO compare engine: pairs the outgoing frames of a primary and a
 * secondary replica per connection and decides, for each frame, whether the
 * primary's copy may go to the network, the secondary's copy is discarded,
 * or the replicas have diverged and a checkpoint is needed.
 *
 * Freestanding: no allocation, no clock, no global state. The caller gives
 * the engine a memory region (colo_mem_size() tells how much), feeds frames
 * with a timestamp it reads from its own clock, and receives actions through
 * a callback.
 *
 * Frames are NOT copied: the engine keeps the caller's pointer until it
 * emits RELEASE or DROP naming the frame's cookie. Until then the bytes must
 * stay readable and unchanged (the hypervisor keeps the virtqueue descriptor
 * outstanding, and should copy guest frames first if the guest could rewrite
 * them). Every frame the engine took is named by exactly one RELEASE (primary)
 * or DROP (secondary) action, possibly during the colo_feed() call itself.
 *
 * The action callback runs inside colo_feed(), colo_scan() and
 * colo_checkpoint_done(); it must not call back into the same engine.
 */
#ifndef NET_COLO_COLO_H
#define NET_COLO_COLO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum colo_side {
	COLO_PRIMARY = 0,
	COLO_SECONDARY = 1,
};

enum colo_action_kind {
	COLO_ACT_RELEASE = 0,    /* transmit this primary frame */
	COLO_ACT_DROP = 1,       /* discard this secondary frame */
	COLO_ACT_CHECKPOINT = 2, /* replicas diverged: checkpoint, then call
                                colo_checkpoint_done() */
};

enum colo_reason {
	COLO_REASON_NONE = 0,
	COLO_REASON_MISMATCH,          /* frames differ */
	COLO_REASON_PRIMARY_TIMEOUT,   /* primary frame unmatched too long */
	COLO_REASON_SECONDARY_TIMEOUT, /* secondary frame unmatched too long */
	COLO_REASON_QUEUE_FULL,        /* per-connection queue bound reached */
	COLO_REASON_BYTES_FULL,        /* queued-bytes bound reached */
	COLO_REASON_POOL_FULL,         /* no free frame record */
	COLO_REASON_CONN_FULL,         /* connection table full, none reclaimable */
	COLO_REASON_COUNT
};

struct colo_action {
	enum colo_action_kind kind;
	enum colo_reason reason; /* CHECKPOINT only, else COLO_REASON_NONE */
	uint64_t cookie;         /* RELEASE/DROP: cookie given to colo_feed() */
	const uint8_t *frame;    /* RELEASE/DROP: the frame as fed */
	uint32_t len;
};

typedef void (*colo_action_fn)(void *ctx, const struct colo_action *act);

struct colo_config {
	uint32_t max_conns;          /* connection table entries */
	uint32_t max_frames;         /* frame records, both sides together */
	uint32_t max_queue;          /* queued frames per connection direction and side */
	uint64_t max_queued_bytes;   /* bytes of queued frames, both sides */
	uint64_t compare_timeout_ns; /* unmatched frame age that forces a checkpoint */
	uint64_t scan_period_ns;     /* colo_scan() does work at most this often */
	uint64_t idle_timeout_ns;    /* reclaim an empty open connection after this */
	uint64_t closed_timeout_ns;  /* reclaim an empty FIN/RST connection after this */
	uint64_t hash_key[2];        /* secret key for the connection hash */
	colo_action_fn action;       /* required */
	void *action_ctx;
};

/* Why colo_feed() refused a frame, if it did. */
enum colo_feed_result {
	COLO_FEED_TAKEN = 0, /* engine holds the frame until an action names it */
	COLO_FEED_BUSY,      /* not taken: checkpoint pending and no room; keep
                            the frame and feed it again after
                            colo_checkpoint_done() */
	COLO_FEED_INVALID,   /* not taken: bad arguments */
};

/* Why a frame could not be parsed; such frames are compared whole. */
enum colo_bad {
	COLO_BAD_NONE = 0,
	COLO_BAD_L2_TRUNCATED, /* shorter than its Ethernet/VLAN header */
	COLO_BAD_L3_TRUNCATED, /* shorter than its IP header */
	COLO_BAD_IP_HEADER,    /* wrong version, IHL below 5 */
	COLO_BAD_IP_LENGTH,    /* total/payload length beyond frame or below header */
	COLO_BAD_IP6_EXT,      /* extension header overrun or chain too long */
	COLO_BAD_FRAGMENT,     /* fragment beyond 64 KiB or misaligned */
	COLO_BAD_L4_TRUNCATED, /* shorter than its TCP/UDP/ICMP header */
	COLO_BAD_L4_HEADER,    /* bogus TCP data offset or UDP length */
	COLO_BAD_TCP_OPTION,   /* option length overruns the TCP header */
	COLO_BAD_COUNT
};

struct colo_stats {
	uint64_t frames_fed[2]; /* by side */
	uint64_t bytes_fed[2];
	uint64_t released;    /* RELEASE actions */
	uint64_t dropped;     /* DROP actions */
	uint64_t matched;     /* primary frames released after a match */
	uint64_t busy;        /* feeds refused with COLO_FEED_BUSY */
	uint64_t invalid;     /* feeds refused with COLO_FEED_INVALID */
	uint64_t checkpoints; /* CHECKPOINT actions */
	uint64_t checkpoint_reason[COLO_REASON_COUNT];
	uint64_t checkpoints_done;   /* colo_checkpoint_done() calls */
	uint64_t held_while_pending; /* primary frames queued while pending */

	uint64_t frames_tcp, frames_udp, frames_icmp, frames_ip_other;
	uint64_t frames_fragment, frames_arp, frames_non_ip, frames_ipv6;
	uint64_t frames_vlan;
	uint64_t bad[COLO_BAD_COUNT]; /* bad[0] unused */

	uint64_t tcp_pure_ack;     /* zero-length TCP segments (no SYN/FIN/RST) */
	uint64_t tcp_retransmit;   /* segments wholly inside compared data */
	uint64_t tcp_out_of_order; /* segments queued before an earlier arrival */
	uint64_t zero_payload;     /* UDP/ICMP/other-IP frames with no payload */
	uint64_t frag_overlap;     /* fragment overlapping an earlier one */
	uint64_t frag_incomplete;  /* datagram abandoned before its last fragment */

	uint64_t conns_created;
	uint64_t conns_reclaimed_idle;
	uint64_t conns_reclaimed_closed;
	uint64_t conns_evicted;  /* reused while the table was full */
	uint64_t hash_max_chain; /* longest bucket chain walked */

	/* gauges at the time of colo_get_stats() */
	uint64_t conns_active;
	uint64_t frames_queued[2];
	uint64_t bytes_queued;
	bool checkpoint_pending;
};

struct colo_engine;

/* Fill cfg with defaults (3 s timeout like QEMU; action must still be set). */
void colo_config_default(struct colo_config *cfg);

/* Bytes of memory colo_init() needs for cfg; 0 if cfg is invalid. */
size_t colo_mem_size(const struct colo_config *cfg);

/*
 * Set up an engine in mem (8-byte aligned, at least colo_mem_size(cfg)
 * bytes, owned by the engine until the caller stops using it). Returns the
 * engine, or NULL if cfg is invalid or mem too small or misaligned.
 */
struct colo_engine *colo_init(void *mem, size_t mem_len, const struct colo_config *cfg);

/*
 * Hand over one outgoing frame of one replica. now_ns is the caller's clock
 * (non-decreasing; an earlier value is treated as the latest seen).
 */
enum colo_feed_result colo_feed(struct colo_engine *e, enum colo_side side, const uint8_t *frame, uint32_t len,
				uint64_t cookie, uint64_t now_ns);

/*
 * Enforce the compare timeout and reclaim idle connections. Cheap to call
 * often; does work at most once per scan period. Returns the time at which
 * it next wants to be called.
 */
uint64_t colo_scan(struct colo_engine *e, uint64_t now_ns);

/* True from a CHECKPOINT action until colo_checkpoint_done(). */
bool colo_checkpoint_pending(const struct colo_engine *e);

/*
 * The checkpoint has completed (secondary now equals primary): RELEASE every
 * queued primary frame in arrival order, DROP every queued secondary frame,
 * forget per-stream comparison state (TCP offsets are re-learnt), and resume
 * comparing. Also valid without a pending checkpoint (forces a flush).
 */
void colo_checkpoint_done(struct colo_engine *e, uint64_t now_ns);

void colo_get_stats(const struct colo_engine *e, struct colo_stats *out);

const char *colo_reason_name(enum colo_reason r);
const char *colo_bad_name(enum colo_bad b);

#endif
