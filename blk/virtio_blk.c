/*
 * virtio-blk functions for the partitions' disks (blk/disks.c): one modern
 * virtio-pci function per disk on the partition's first PCI host bridge
 * (vendor 1af4, device 1042, as QEMU's virtio-blk-pci), so that Linux's
 * own virtio_blk driver binds to it and the disk is /dev/vda, /dev/vdb...
 *
 * A queue is served when the guest rings it, on the notifying vCPU: every
 * read and write available goes to the drive at once, and the vCPU returns
 * when all have landed (the I/O path is zero-copy: guest pages go to the
 * drive through its TCE window). Nothing is in flight between two
 * notifications, so a reset, reboot or crash of the partition never meets
 * a request half done.
 *
 * Features: SIZE_MAX, SEG_MAX, GEOMETRY, BLK_SIZE, TOPOLOGY, FLUSH,
 * CONFIG_WCE, RO, DISCARD, WRITE_ZEROES, LIFETIME (when the drive reports
 * its wear), MQ (one queue per vCPU unless the bundle says otherwise, an
 * MSI-X vector each), INDIRECT_DESC, EVENT_IDX, and when the bundle's disk
 * asks, RING_PACKED and ACCESS_PLATFORM (through the bridge's TCEs).
 * Requests also include GET_ID. Write-through (the bundle's write-cache, or the driver's
 * choice through CONFIG_WCE) sends every write with FUA, so a completed
 * write is on the medium; write-back leaves that to FLUSH.
 */
#include <stdio.h>
#include <string.h>
#include "blk/disks.h"
#include "blk/virtio_blk_req.h"
#include "hv/devices.h"
#include "hv/lib/bytes.h"
#include "hv/lib/log.h"
#include "hv/mm/memory.h"
#include "hv/papr/phb.h"
#include "hv/papr/tce.h"
#include "hv/partition.h"
#include "hv/pci_host.h"
#include "hv/virtio/virtio_pci.h"

#define VBLK_F_SIZE_MAX     1
#define VBLK_F_SEG_MAX      2
#define VBLK_F_GEOMETRY     4
#define VBLK_F_RO           5
#define VBLK_F_BLK_SIZE     6
#define VBLK_F_FLUSH        9
#define VBLK_F_TOPOLOGY     10
#define VBLK_F_CONFIG_WCE   11
#define VBLK_F_MQ           12
#define VBLK_F_DISCARD      13
#define VBLK_F_WRITE_ZEROES 14
#define VBLK_F_LIFETIME     15

/* Offsets in struct virtio_blk_config. */
#define VBLK_CFG_WRITEBACK 32

#define VBLK_QUEUE_SIZE 256
#define VBLK_SEG_MAX    126                       /* pieces of data per request */
#define VBLK_MAX_BYTES  (VBLK_SEG_MAX * 65536ull) /* pieces may be 64 KiB pages */
#define VBLK_POOL       256                       /* block requests in flight per disk */
#define VBLK_SEG_POOL   512                       /* their pieces of memory */
#define VBLK_PAGE       4096ull /* the drive's page: where pieces may join in one command (NVMe PRPs) */
#define VBLK_FLIGHTS    64      /* virtio requests in flight per disk */
#define VBLK_CONFIG_LEN 60
#define VBLK_ZERO_SEGS  16 /* ranges per DISCARD or WRITE_ZEROES, each one block request */

struct wait {
	unsigned int done;
	bool failed;
};

/* A read or write whose block requests are in flight. */
struct vblk_flight {
	uint16_t head, ndesc;
	uint64_t status_gpa;
	uint32_t written; /* the used entry's length if it succeeds (the data of a read) */
	unsigned int submitted;
	struct wait w;
};

struct vblk {
	struct partition *p;
	struct phb *phb; /* its bridge: whose DMA window ACCESS_PLATFORM goes through */
	struct pci_function *fn;
	struct blockdev *bd;
	char name[16];
	char serial[21];
	struct virtio_pci t;
	uint8_t config[VBLK_CONFIG_LEN];
	bool write_through; /* the bundle's default, restored at reset */
	unsigned int nqueues;
	struct vblk_disk lim;
	/* scratch of the request being served (queues are served one at a
	 * time, under the partition's MMIO lock) */
	struct virtq_chain chain;
	struct vblk_req req;
	struct vblk_range ranges[VBLK_ZERO_SEGS];
	struct blk_request sub[VBLK_POOL];
	struct blk_seg seg[VBLK_SEG_POOL];
	unsigned int nsubs, nsegs, nflights;
	struct vblk_flight flight[VBLK_FLIGHTS];
	uint64_t requests, errors, bad_requests;
	uint64_t notifications, batches; /* notifications served; those that found several requests */
};

static struct vblk disks[CONFIG_MAX_DISKS];
static unsigned int ndisks;

/* Guest memory as the device sees it: guest-real addresses, or with
 * ACCESS_PLATFORM negotiated, I/O addresses through the bridge's DMA
 * window (the TCEs the guest put with H_PUT_TCE, read and write rights
 * checked). [addr, addr + len) must be one run of guest memory. */
static uint8_t *dptr(struct vblk *d, uint64_t addr, uint64_t len, bool write)
{
	if (virtio_pci_feature(&d->t, VIRTIO_F_ACCESS_PLATFORM)) {
		uint64_t gpa;
		if (!tce_translate(&d->phb->dma, addr, len, write, &gpa))
			return NULL;
		addr = gpa;
	}
	return guest_ptr(d->p, addr, len);
}

/* The longest start of [addr, addr + len) that is one run of guest memory
 * (through TCEs, consecutive I/O pages may map pages apart): its host
 * address and length, or NULL. */
static uint8_t *dptr_run(struct vblk *d, uint64_t addr, uint64_t len, bool write, uint64_t *run)
{
	if (!virtio_pci_feature(&d->t, VIRTIO_F_ACCESS_PLATFORM)) {
		*run = len;
		return guest_ptr(d->p, addr, len);
	}
	const uint64_t page = 1ull << TCE_PAGE_SHIFT;
	uint64_t first = page - (addr & (page - 1)), n = len < first ? len : first;
	uint8_t *host = dptr(d, addr, n, write);
	if (!host)
		return NULL;
	while (n < len) {
		uint64_t k = len - n < page ? len - n : page;
		if (dptr(d, addr + n, k, write) != host + n)
			break;
		n += k;
	}
	*run = n;
	return host;
}

static uint8_t *gptr(void *ctx, uint64_t addr, uint64_t len, bool write)
{
	return dptr(ctx, addr, len, write);
}

static uint64_t config_read(void *dev, uint64_t off, unsigned int size)
{
	struct vblk *d = dev;
	return uint_load(d->config + off, size, true);
}

static void interrupt(void *dev, uint16_t vector)
{
	struct vblk *d = dev;
	if (pci_config_read(&d->fn->cfg, PCI_MSIX_CAP_OFFSET + 2, 2) & PCI_MSIX_FLAGS_ENABLE) {
		if (vector != VIRTIO_MSI_NO_VECTOR)
			pci_msix_notify(d->fn, vector);
	} else {
		pci_set_intx(d->fn, true); /* lowered when the driver reads the ISR */
	}
}

static void config_write(void *dev, uint64_t off, unsigned int size, uint64_t value)
{
	struct vblk *d = dev;
	/* only writeback is the driver's to change, and only with CONFIG_WCE */
	if (off != VBLK_CFG_WRITEBACK || size != 1 || !virtio_pci_feature(&d->t, VBLK_F_CONFIG_WCE) ||
	    d->config[VBLK_CFG_WRITEBACK] == (value & 1))
		return;
	d->config[VBLK_CFG_WRITEBACK] = value & 1;
	log_info("%s: disk %s: the guest set its write cache to write-%s", d->p->name, d->name,
		 value & 1 ? "back" : "through");
}

static void reset(void *dev)
{
	struct vblk *d = dev;
	/* nothing is in flight between notifications; the cache mode goes
	 * back to the bundle's */
	d->config[VBLK_CFG_WRITEBACK] = !d->write_through;
}

/* Whether a completed write must be on the medium: the driver chose
 * write-through, or cannot flush. */
static bool write_through(const struct vblk *d)
{
	return !d->config[VBLK_CFG_WRITEBACK] || !virtio_pci_feature(&d->t, VBLK_F_FLUSH);
}

/* May run on another thread's poll (polling a drive completes whatever
 * finished on any of its queues), hence the atomics. */
static void sub_done(struct blk_request *r, enum blk_status s)
{
	struct wait *w = r->ctx;
	if (s != BLK_OK)
		__atomic_store_n(&w->failed, true, __ATOMIC_RELAXED);
	__atomic_fetch_add(&w->done, 1, __ATOMIC_RELEASE);
}

/* Submits d->sub[first, first + n) (polling while the drive is full);
 * returns how many were accepted: a refusal fails w and stops there. */
static unsigned int submit(struct vblk *d, unsigned int first, unsigned int n, struct wait *w)
{
	for (unsigned int i = 0; i < n; i++) {
		int rc;
		while ((rc = blockdev_submit(d->bd, &d->sub[first + i])) == -1)
			blockdev_poll(d->bd);
		if (rc) {
			__atomic_store_n(&w->failed, true, __ATOMIC_RELAXED);
			return i;
		}
	}
	return n;
}

static uint8_t wait_for(struct vblk *d, struct wait *w, unsigned int submitted)
{
	while (__atomic_load_n(&w->done, __ATOMIC_ACQUIRE) < submitted)
		blockdev_poll(d->bd);
	return __atomic_load_n(&w->failed, __ATOMIC_RELAXED) ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
}

enum prepared { PREPARED, POOL_FULL, BAD_BUFFER };

/* The block requests of an IN or OUT request, into d->sub[d->nsubs...]
 * with their pieces in d->seg[d->nsegs...]. Runs of guest memory that
 * meet at page boundaries share one command (the drive takes them as one
 * PRP list), up to the drive's largest transfer; elsewhere a command ends
 * and the next begins. */
static enum prepared prepare_transfer(struct vblk *d, const struct vblk_req *r, struct wait *w, unsigned int *count)
{
	struct blockdev *bd = d->bd;
	uint64_t first_lba = r->sector / (bd->block_size / 512), placed = 0, cmd_len = 0;
	uint64_t chunk_max = (uint64_t)bd->max_blocks * bd->block_size;
	unsigned int n = d->nsubs, k = d->nsegs;
	bool fua = r->type == VIRTIO_BLK_T_OUT && write_through(d), device_writes = r->type == VIRTIO_BLK_T_IN;
	struct blk_request *cmd = NULL;
	for (unsigned int i = 0; i < r->nsegs; i++) {
		const struct virtq_seg *s = &r->seg[i];
		for (uint64_t off = 0; off < s->len;) {
			uint64_t run;
			uint8_t *host = dptr_run(d, s->gpa + off, s->len - off, device_writes, &run);
			if (!host)
				return BAD_BUFFER;
			uint64_t addr = (uint64_t)(uintptr_t)host;
			bool joins = cmd && cmd_len < chunk_max && cmd->nsegs < BLK_MAX_SEGS && addr % VBLK_PAGE == 0 &&
				     (d->seg[k - 1].addr + d->seg[k - 1].len) % VBLK_PAGE == 0;
			if (!joins) {
				if (cmd_len % bd->block_size)
					return BAD_BUFFER; /* a command must be whole blocks */
				if (n == VBLK_POOL)
					return POOL_FULL;
				placed += cmd_len;
				cmd = &d->sub[n++];
				*cmd = (struct blk_request){ .op = device_writes ? BLK_READ : BLK_WRITE,
							     .lba = first_lba + placed / bd->block_size,
							     .segs = &d->seg[k],
							     .fua = fua,
							     .done = sub_done,
							     .ctx = w };
				cmd_len = 0;
			}
			if (k == VBLK_SEG_POOL)
				return POOL_FULL;
			uint64_t len = run < chunk_max - cmd_len ? run : chunk_max - cmd_len;
			d->seg[k++] = (struct blk_seg){ addr, (uint32_t)len };
			cmd->nsegs++;
			cmd_len += len;
			cmd->nblocks = (uint32_t)(cmd_len / bd->block_size);
			off += len;
		}
	}
	if (cmd_len % bd->block_size)
		return BAD_BUFFER;
	*count = n - d->nsubs;
	d->nsegs = k;
	return PREPARED;
}

/* DISCARD and WRITE_ZEROES: one block request per range (the offered
 * limits keep each inside what the block layer takes); nothing else is in
 * flight. */
static uint8_t zero_ranges(struct vblk *d, const struct vblk_req *r)
{
	unsigned int n;
	uint8_t st = vblk_ranges(r, &d->t.mem, &d->lim, d->ranges, &n);
	if (st != VIRTIO_BLK_S_OK)
		return st;
	uint32_t spb = d->bd->block_size / 512;
	struct wait w = { 0, false };
	for (unsigned int i = 0; i < n; i++)
		d->sub[i] = (struct blk_request){ .op = r->type == VIRTIO_BLK_T_DISCARD ? BLK_DISCARD
											: BLK_WRITE_ZEROES,
						  .lba = d->ranges[i].sector / spb,
						  .nblocks = d->ranges[i].num_sectors / spb,
						  .fua = write_through(d),
						  .done = sub_done,
						  .ctx = &w };
	return wait_for(d, &w, submit(d, 0, n, &w));
}

/* n bytes into the request's first data pieces. */
static uint8_t copy_out(struct vblk *d, const struct vblk_req *r, const uint8_t *bytes, uint32_t n, uint32_t *written)
{
	uint32_t off = 0;
	for (unsigned int i = 0; i < r->nsegs && off < n; i++) {
		uint32_t k = r->seg[i].len < n - off ? r->seg[i].len : n - off;
		uint8_t *p = dptr(d, r->seg[i].gpa, k, true);
		if (!p)
			return VIRTIO_BLK_S_IOERR;
		memcpy(p, bytes + off, k);
		off += k;
	}
	*written = off;
	return VIRTIO_BLK_S_OK;
}

/* Requests other than IN and OUT (checked), with nothing in flight. */
static uint8_t execute(struct vblk *d, struct vblk_req *r, uint32_t *written)
{
	switch (r->type) {
	case VIRTIO_BLK_T_FLUSH:
		return blockdev_sync(d->bd, BLK_FLUSH, 0, 0, NULL) == BLK_OK ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
	case VIRTIO_BLK_T_DISCARD:
	case VIRTIO_BLK_T_WRITE_ZEROES:
		return zero_ranges(d, r);
	case VIRTIO_BLK_T_GET_ID: {
		/* the serial, NUL-padded to 20 bytes */
		uint8_t id[VIRTIO_BLK_ID_BYTES] = { 0 };
		for (unsigned int i = 0; i < sizeof(id) && d->serial[i]; i++)
			id[i] = (uint8_t)d->serial[i];
		return copy_out(d, r, id, sizeof(id), written);
	}
	case VIRTIO_BLK_T_GET_LIFETIME: {
		struct blk_health h;
		uint8_t out[VBLK_LIFETIME_BYTES];
		if (blockdev_health(d->bd, &h))
			return VIRTIO_BLK_S_IOERR;
		vblk_lifetime(h.percent_used, h.spare, out);
		return copy_out(d, r, out, sizeof(out), written);
	}
	}
	return VIRTIO_BLK_S_UNSUPP;
}

/* The status byte and the used entry of a finished request. */
static void complete(struct vblk *d, struct virtio_pci_queue *q, uint16_t head, uint16_t ndesc, uint64_t status_gpa,
		     uint8_t st, uint32_t written)
{
	if (st != VIRTIO_BLK_S_OK)
		d->errors++;
	uint8_t *status = dptr(d, status_gpa, 1, true);
	if (status)
		*status = st;
	virtq_push(&q->vq, &d->t.mem, head, ndesc, written + 1);
}

/* Waits for every request in flight and completes them; whether any was. */
static bool land_flights(struct vblk *d, struct virtio_pci_queue *q)
{
	for (unsigned int i = 0; i < d->nflights; i++) {
		struct vblk_flight *f = &d->flight[i];
		uint8_t st = wait_for(d, &f->w, f->submitted);
		complete(d, q, f->head, f->ndesc, f->status_gpa, st, st == VIRTIO_BLK_S_OK ? f->written : 0);
	}
	bool any = d->nflights > 0;
	d->nflights = d->nsubs = d->nsegs = 0;
	return any;
}

/* Reads and writes go to the drive as they come, up to VBLK_FLIGHTS
 * requests and VBLK_POOL block requests in flight, so the drive works on
 * them together; a flush, discard, write-zeroes or get-ID first lets what
 * is in flight land. All have landed when the notification returns. */
static void notify(void *dev, unsigned int qi)
{
	struct vblk *d = dev;
	struct virtio_pci_queue *q = &d->t.q[qi];
	bool pushed = false;
	uint64_t before = d->requests;
	d->notifications++;
	for (;;) {
		int rc = virtq_pop(&q->vq, &d->t.mem, &d->chain);
		if (!rc && q->vq.event_idx) {
			/* With EVENT_IDX the driver rings again only past avail_event:
			 * ask for the next entry, then look once more (it may have come
			 * before the driver saw the request). */
			virtq_set_avail_event(&q->vq, &d->t.mem, q->vq.last_avail);
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
			rc = virtq_pop(&q->vq, &d->t.mem, &d->chain);
		}
		if (rc < 0) {
			partition_log(d->p, "disk %s: %s; the device needs a reset", d->name,
				      virtq_error_name(q->vq.last_error));
			virtio_pci_needs_reset(&d->t);
			break;
		}
		if (!rc)
			break;
		d->requests++;
		struct vblk_req *r = &d->req;
		enum vblk_parse pr = vblk_parse(&d->chain, &d->t.mem, r);
		if (pr == VBLK_NO_STATUS) {
			d->bad_requests++;
			virtq_push(&q->vq, &d->t.mem, d->chain.head, d->chain.ndesc, 0);
			pushed = true;
			continue;
		}
		if (pr != VBLK_OK)
			d->bad_requests++;
		uint8_t st = pr == VBLK_OK ? vblk_check(r, &d->lim) : VIRTIO_BLK_S_IOERR;
		uint32_t written = 0;
		if (st == VIRTIO_BLK_S_OK && (r->type == VIRTIO_BLK_T_IN || r->type == VIRTIO_BLK_T_OUT)) {
			if (d->nflights == VBLK_FLIGHTS)
				pushed |= land_flights(d, q);
			unsigned int n;
			struct vblk_flight *f = &d->flight[d->nflights];
			*f = (struct vblk_flight){ .head = d->chain.head,
						   .ndesc = d->chain.ndesc,
						   .status_gpa = r->status_gpa };
			enum prepared pp = prepare_transfer(d, r, &f->w, &n);
			if (pp == POOL_FULL && d->nflights) {
				/* room after what is in flight lands */
				struct vblk_flight mine = *f;
				pushed |= land_flights(d, q);
				f = &d->flight[0];
				*f = mine;
				pp = prepare_transfer(d, r, &f->w, &n);
			}
			if (pp == PREPARED) {
				f->written = r->type == VIRTIO_BLK_T_IN ? (uint32_t)r->data_len : 0;
				f->submitted = submit(d, d->nsubs, n, &f->w);
				d->nsubs += n;
				d->nflights++;
				continue;
			}
			st = VIRTIO_BLK_S_IOERR; /* a buffer the TCEs do not map, or too many pieces */
		} else if (st == VIRTIO_BLK_S_OK) {
			pushed |= land_flights(d, q);
			st = execute(d, r, &written);
		}
		complete(d, q, d->chain.head, d->chain.ndesc, r->status_gpa, st, written);
		pushed = true;
	}
	pushed |= land_flights(d, q);
	if (d->requests - before > 1)
		d->batches++;
	if (pushed)
		virtio_pci_queue_interrupt(&d->t, qi);
}

static const struct virtio_device_ops vblk_ops = { config_read, config_write, notify, reset, interrupt };

static uint64_t bar_read(void *dev, unsigned int bar, uint64_t off, unsigned int size)
{
	struct vblk *d = dev;
	if (bar != 4)
		return 0;
	uint64_t v = virtio_pci_read(&d->t, off, size);
	if (off == VIRTIO_PCI_ISR)
		pci_set_intx(d->fn, false); /* read-to-clear: the line goes down */
	return v;
}

static void bar_write(void *dev, unsigned int bar, uint64_t off, unsigned int size, uint64_t value)
{
	struct vblk *d = dev;
	if (bar == 4)
		virtio_pci_write(&d->t, off, size, value);
}

static const struct pci_device_ops vblk_pci_ops = { bar_read, bar_write, NULL };

static void fill_config(struct vblk *d)
{
	struct blockdev *bd = d->bd;
	uint8_t *c = d->config;
	uint64_t sectors = bd->nblocks * (bd->block_size / 512), cylinders = sectors / (16 * 63);
	memset(c, 0, sizeof(d->config));
	le64_store(c, sectors);                                              /* capacity, in 512-byte sectors */
	le32_store(c + 8, 4096);                                             /* size_max */
	le32_store(c + 12, VBLK_SEG_MAX);                                    /* seg_max */
	le16_store(c + 16, cylinders > 65535 ? 65535 : (uint16_t)cylinders); /* geometry: 16 heads, 63 sectors */
	c[18] = 16;
	c[19] = 63;
	le32_store(c + 20, bd->block_size); /* blk_size */
	c[24] = 0;                          /* topology: physical block = logical block, */
	c[25] = 0;                          /* aligned, */
	le16_store(c + 26, 1);              /* any whole block (min_io_size), */
	le32_store(c + 28, bd->max_blocks); /* a transfer of the drive at best (opt_io_size) */
	c[VBLK_CFG_WRITEBACK] = !d->write_through;
	le16_store(c + 34, (uint16_t)d->nqueues);
	le32_store(c + 36, d->lim.max_zero_sectors); /* discard: sectors per range, */
	le32_store(c + 40, d->lim.max_zero_segs);    /* ranges, */
	le32_store(c + 44, bd->block_size / 512);    /* alignment */
	le32_store(c + 48, d->lim.max_zero_sectors); /* write-zeroes: sectors per range, */
	le32_store(c + 52, d->lim.max_zero_segs);    /* ranges; */
	c[56] = 0;                                   /* it never deallocates */
}

/* The virtio vendor capability: type, BAR 4, offset and length (and the
 * notify multiplier). */
static void virtio_cap(uint8_t *b, uint8_t type, uint32_t off, uint32_t len, unsigned int caplen)
{
	memset(b, 0, caplen);
	b[0] = 0x09;
	b[2] = (uint8_t)caplen;
	b[3] = type;
	b[4] = 4;
	le32_store(b + 8, off);
	le32_store(b + 12, len);
	if (caplen == 20)
		le32_store(b + 16, VIRTIO_PCI_NOTIFY_MULT);
}

static int plug(struct vblk *d, struct phb *b, unsigned int slot, unsigned int vectors)
{
	const struct pci_identity ident = { 0x1af4, 0x1042, 0x1af4, 0x1100, 0x010000, 1, 1 };
	const struct pci_bar_def bars[PCI_NUM_BARS] = {
		[1] = { 0x1000, 0 }, [4] = { VIRTIO_PCI_BAR_SIZE, PCI_BAR_MEM64 }
	};
	struct pci_config cfg;
	uint8_t cap[20];
	if (pci_config_init(&cfg, &ident, bars) || pci_config_add_msix(&cfg, vectors, 1, 0, 0x800))
		return -1;
	const struct {
		uint8_t type;
		uint32_t off, len;
		unsigned int caplen;
	} caps[] = { { 1, VIRTIO_PCI_COMMON, 0x38, 16 },
		     { 3, VIRTIO_PCI_ISR, 1, 16 },
		     { 4, VIRTIO_PCI_DEVICE, VBLK_CONFIG_LEN, 16 },
		     { 2, VIRTIO_PCI_NOTIFY, 0x1000, 20 } };
	unsigned int at = 0x50;
	for (unsigned int i = 0; i < 4; i++) {
		virtio_cap(cap, caps[i].type, caps[i].off, caps[i].len, caps[i].caplen);
		if (pci_config_add_cap(&cfg, at, cap, caps[i].caplen))
			return -1;
		at += (caps[i].caplen + 3) & ~3u;
	}
	d->fn = phb_plug(b, slot, "scsi", &cfg, 0, &vblk_pci_ops, d);
	return d->fn ? 0 : -1;
}

static int attach(struct partition *p, const struct hv_config *cfg)
{
	for (unsigned int i = 0; i < cfg->ndisks; i++) {
		const struct disk_config *dc = &cfg->disk[i];
		if (dc->partition != p->index)
			continue;
		if (ndisks == CONFIG_MAX_DISKS)
			return -1;
		struct vblk *d = &disks[ndisks];
		memset(d, 0, sizeof(*d));
		d->p = p;
		d->phb = pci_host_phb(p, 0);
		d->bd = disks_find(p, dc->name);
		snprintf(d->name, sizeof(d->name), "%s", dc->name);
		snprintf(d->serial, sizeof(d->serial), "%s", dc->serial);
		if (!d->bd)
			continue;
		struct blockdev *bd = d->bd;
		d->write_through = dc->write_through;
		d->nqueues = dc->queues ? dc->queues : p->nvcpus;
		if (d->nqueues > CONFIG_MAX_DISK_QUEUES)
			d->nqueues = CONFIG_MAX_DISK_QUEUES;
		if (!d->nqueues)
			d->nqueues = 1;
		/* ranges the block layer takes in one request, their sectors a u32 */
		uint32_t zero_blocks = bd->max_zero_blocks ? bd->max_zero_blocks : 0x10000;
		if (zero_blocks > 0xffffffffu / (bd->block_size / 512))
			zero_blocks = 0xffffffffu / (bd->block_size / 512);
		d->lim = (struct vblk_disk){ .nblocks = bd->nblocks,
					     .block_size = bd->block_size,
					     .max_bytes = VBLK_MAX_BYTES,
					     .read_only = bd->read_only,
					     .discard = bd->can_discard && !bd->read_only,
					     .write_zeroes = bd->can_write_zeroes && !bd->read_only,
					     .max_zero_sectors = zero_blocks * (bd->block_size / 512),
					     .max_zero_segs = VBLK_ZERO_SEGS,
					     .lifetime = blockdev_has_health(bd) };
		fill_config(d);
		uint64_t features = 1ull << VBLK_F_SIZE_MAX | 1ull << VBLK_F_SEG_MAX | 1ull << VBLK_F_GEOMETRY |
				    1ull << VBLK_F_BLK_SIZE | 1ull << VBLK_F_TOPOLOGY | 1ull << VBLK_F_FLUSH |
				    1ull << VBLK_F_CONFIG_WCE | 1ull << VIRTIO_F_RING_INDIRECT_DESC |
				    1ull << VIRTIO_F_RING_EVENT_IDX |
				    (dc->packed_ring ? 1ull << VIRTIO_F_RING_PACKED : 0) |
				    (dc->access_platform ? 1ull << VIRTIO_F_ACCESS_PLATFORM : 0) |
				    (d->lim.lifetime ? 1ull << VBLK_F_LIFETIME : 0) |
				    (bd->read_only ? 1ull << VBLK_F_RO : 0) | (d->nqueues > 1 ? 1ull << VBLK_F_MQ : 0) |
				    (d->lim.discard ? 1ull << VBLK_F_DISCARD : 0) |
				    (d->lim.write_zeroes ? 1ull << VBLK_F_WRITE_ZEROES : 0);
		struct virtq_mem mem = { d, gptr };
		virtio_pci_init(&d->t, features, (uint16_t)d->nqueues, VBLK_QUEUE_SIZE, VBLK_CONFIG_LEN, &vblk_ops, d,
				&mem);
		int slot = pci_host_free_slot(p, 0);
		if (slot < 0 || plug(d, pci_host_phb(p, 0), (unsigned int)slot, d->nqueues + 1)) {
			partition_log(p, "cannot plug the virtio-blk function of disk %s", dc->name);
			return -1;
		}
		ndisks++;
		log_info("%s: disk %s as virtio-blk in PCI slot %d, %u queue%s, write-%s%s%s", p->name, dc->name, slot,
			 d->nqueues, d->nqueues > 1 ? "s" : "", d->write_through ? "through" : "back",
			 dc->packed_ring ? ", packed rings offered" : "",
			 dc->access_platform ? ", DMA through the TCE table" : "");
	}
	return 0;
}

static void event(struct partition *p, enum device_event e)
{
	if (e != DEVICES_BOOTING)
		return;
	for (unsigned int i = 0; i < ndisks; i++)
		if (disks[i].p == p)
			virtio_pci_write(&disks[i].t, 0x14, 1, 0); /* a reset, as at power-on */
}

static void stats(const struct partition *p)
{
	for (unsigned int i = 0; i < ndisks; i++)
		if (disks[i].p == p)
			hvprint("monitor: %s: virtio-blk %s: %llu requests in %llu notifications (%llu with several), "
				"%llu failed, %llu malformed, %llu bad notifications",
				p->name, disks[i].name, (unsigned long long)disks[i].requests,
				(unsigned long long)disks[i].notifications, (unsigned long long)disks[i].batches,
				(unsigned long long)disks[i].errors, (unsigned long long)disks[i].bad_requests,
				(unsigned long long)disks[i].t.bad_notifies);
}

DEVICE_PROVIDER(virtio_blk, "virtio-blk", NULL, attach, event, stats);
