/*
 * The types of the virtqueue core (virtq.h): guest memory access, chains
 * as the device sees them, errors, and a queue's state, split or packed.
 */
#ifndef HV_VIRTIO_VIRTQ_TYPES_H
#define HV_VIRTIO_VIRTQ_TYPES_H

#include <stdbool.h>
#include <stdint.h>

#define VIRTQ_MAX_SIZE 32768
#define VIRTQ_MAX_SEGS 256 /* per chain; longer chains are refused */

#define VIRTQ_DESC_F_NEXT          1
#define VIRTQ_DESC_F_WRITE         2
#define VIRTQ_DESC_F_INDIRECT      4
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY     1
/* packed rings: a descriptor's availability and use, and event suppression */
#define VIRTQ_DESC_F_AVAIL         (1u << 7)
#define VIRTQ_DESC_F_USED          (1u << 15)
#define VIRTQ_EVENT_F_ENABLE       0
#define VIRTQ_EVENT_F_DISABLE      1
#define VIRTQ_EVENT_F_DESC         2

struct virtq_mem {
	void *ctx;
	/* Host address of guest-physical [gpa, gpa + len) if it lies wholly in
	 * the guest's memory (and the device may write it when write), else NULL. */
	uint8_t *(*ptr)(void *ctx, uint64_t gpa, uint64_t len, bool write);
};

struct virtq_seg {
	uint64_t gpa;
	uint32_t len;
	bool write; /* device-writable */
};

/* A chain as the device sees it: device-readable pieces first, then
 * device-writable ones (the driver must order them so). */
struct virtq_chain {
	uint16_t head;  /* split: the head descriptor; packed: the buffer ID */
	uint16_t ndesc; /* descriptors it took in the ring (packed: the used position moves by this) */
	unsigned int nsegs;
	uint64_t readable, writable; /* bytes of each kind */
	struct virtq_seg seg[VIRTQ_MAX_SEGS];
};

enum virtq_error {
	VIRTQ_OK = 0,
	VIRTQ_E_RING,      /* a ring is not in the guest's memory */
	VIRTQ_E_AVAIL_IDX, /* the driver made more chains available than the queue holds */
	VIRTQ_E_HEAD,      /* a descriptor index past the queue */
	VIRTQ_E_LOOP,      /* a chain longer than the queue (a loop) */
	VIRTQ_E_TOO_LONG,  /* more pieces than VIRTQ_MAX_SEGS */
	VIRTQ_E_INDIRECT,  /* a bad indirect table (size, nesting, with NEXT) */
	VIRTQ_E_ORDER,     /* a readable piece after a writable one */
	VIRTQ_E_BUFFER,    /* a piece outside the guest's memory, or wrapping */
	VIRTQ_E_PACKED,    /* packed: a chain continues into a descriptor not made available */
};

struct virtq {
	uint16_t size;              /* split: a power of two, 1..VIRTQ_MAX_SIZE; packed: any of those */
	uint64_t desc, avail, used; /* guest-physical (packed: avail and used are the event areas) */
	bool event_idx, indirect;   /* negotiated features */
	bool packed;
	uint16_t last_avail;        /* the next available entry to take (packed: ring position) */
	uint16_t used_idx;          /* the next used entry to fill (packed: ring position) */
	bool avail_wrap, used_wrap; /* packed: the wrap counters */
	uint16_t signalled_used;    /* used_idx when the driver was last notified */
	bool signalled_valid;
	uint64_t chains, errors;
	enum virtq_error last_error;
};

#endif
