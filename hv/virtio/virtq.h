/*
 * The device side of a split virtqueue (virtio 1.2, section 2.7): taking
 * descriptor chains from the available ring, validated, and returning them
 * on the used ring, with VIRTIO_RING_F_INDIRECT_DESC and
 * VIRTIO_RING_F_EVENT_IDX. Portable: guest memory is reached through
 * struct virtq_mem, which refuses anything outside the partition's memory.
 *
 * The rings are guest memory a hostile guest writes while the device reads
 * them: every index is taken once and checked, every chain is bounded by
 * the queue size (and indirect tables by their own length), and any
 * inconsistency is a device error (the device then needs a reset, as the
 * specification lets it say), never a read outside the guest.
 */
#ifndef HV_VIRTIO_VIRTQ_H
#define HV_VIRTIO_VIRTQ_H

#include <stdbool.h>
#include <stdint.h>

#define VIRTQ_MAX_SIZE 32768
#define VIRTQ_MAX_SEGS 256 /* per chain; longer chains are refused */

#define VIRTQ_DESC_F_NEXT          1
#define VIRTQ_DESC_F_WRITE         2
#define VIRTQ_DESC_F_INDIRECT      4
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY     1

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
	uint16_t head;
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
};

struct virtq {
	uint16_t size;              /* a power of two, 1..VIRTQ_MAX_SIZE */
	uint64_t desc, avail, used; /* guest-physical */
	bool event_idx, indirect;   /* negotiated features */
	uint16_t last_avail;        /* the next available entry to take */
	uint16_t used_idx;          /* the next used entry to fill */
	uint16_t signalled_used;    /* used_idx when the driver was last notified */
	bool signalled_valid;
	uint64_t chains, errors;
	enum virtq_error last_error;
};

/* Sets q up for a driver's rings; false (and q unusable) when size is not
 * a power of two, the rings are misaligned (desc 16, avail 2, used 4) or
 * not wholly in the guest's memory. */
bool virtq_init(struct virtq *q, const struct virtq_mem *m, uint16_t size, uint64_t desc, uint64_t avail, uint64_t used,
		bool event_idx, bool indirect);

/* Takes the next available chain into *c: 1, 0 when there is none, or -1
 * with q->last_error set (the queue is then broken: reset the device). */
int virtq_pop(struct virtq *q, const struct virtq_mem *m, struct virtq_chain *c);

/* Returns chain head with written bytes on the used ring (visible to the
 * driver after the index store); false when the ring is gone. */
bool virtq_push(struct virtq *q, const struct virtq_mem *m, uint16_t head, uint32_t written);

/* After pushes: whether the driver wants an interrupt now (its flags, or
 * with EVENT_IDX its used_event). */
bool virtq_should_notify(struct virtq *q, const struct virtq_mem *m);

/* With EVENT_IDX, the device asks to be notified when the driver makes
 * entry avail_event available (it writes it after processing). */
void virtq_set_avail_event(struct virtq *q, const struct virtq_mem *m, uint16_t avail_event);

const char *virtq_error_name(enum virtq_error e);

#endif
