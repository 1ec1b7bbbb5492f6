/*
 * virtio-blk functions for the partitions' disks (blk/disks.c): one modern
 * virtio-pci function per disk on the partition's first PCI host bridge
 * (vendor 1af4, device 1042, as QEMU's virtio-blk-pci), so that Linux's
 * own virtio_blk driver binds to it and the disk is /dev/vda, /dev/vdb...
 *
 * This first version serves a queue when the guest rings it, on the
 * notifying vCPU, and waits for the drive before it returns (the I/O path
 * is zero-copy: guest pages go to the drive through its TCE window).
 * Features: SEG_MAX, SIZE_MAX, BLK_SIZE, FLUSH, GET_ID, RO, INDIRECT_DESC,
 * EVENT_IDX; one queue.
 */
#include <stdio.h>
#include <string.h>
#include "blk/disks.h"
#include "blk/virtio_blk_req.h"
#include "hv/devices.h"
#include "hv/lib/bytes.h"
#include "hv/lib/log.h"
#include "hv/mm/memory.h"
#include "hv/partition.h"
#include "hv/pci_host.h"
#include "hv/virtio/virtio_pci.h"

#define VBLK_F_SIZE_MAX 1
#define VBLK_F_SEG_MAX  2
#define VBLK_F_RO       5
#define VBLK_F_BLK_SIZE 6
#define VBLK_F_FLUSH    9

#define VBLK_QUEUE_SIZE 256
#define VBLK_SEG_MAX    126                       /* pieces of data per request */
#define VBLK_MAX_BYTES  (VBLK_SEG_MAX * 65536ull) /* pieces may be 64 KiB pages */
#define VBLK_MAX_SUBS   (2 * VBLK_SEG_MAX)
#define VBLK_CONFIG_LEN 60
#define VBLK_MSIX       2 /* the configuration's vector and the queue's */

struct vblk {
	struct partition *p;
	struct pci_function *fn;
	struct blockdev *bd;
	char name[16];
	char serial[21];
	struct virtio_pci t;
	uint8_t config[VBLK_CONFIG_LEN];
	struct virtq_chain chain;
	struct vblk_req req;
	struct blk_request sub[VBLK_MAX_SUBS];
	struct blk_seg seg[VBLK_MAX_SUBS];
	uint64_t requests, errors, bad_requests;
};

static struct vblk disks[CONFIG_MAX_DISKS];
static unsigned int ndisks;

static uint8_t *gptr(void *ctx, uint64_t gpa, uint64_t len, bool write)
{
	(void)write;
	return guest_ptr(ctx, gpa, len);
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

static void reset(void *dev)
{
	(void)dev; /* nothing is in flight between notifications */
}

struct wait {
	unsigned int done;
	bool failed;
};

static void sub_done(struct blk_request *r, enum blk_status s)
{
	struct wait *w = r->ctx;
	w->done++;
	if (s != BLK_OK)
		w->failed = true;
}

/* The data of an IN or OUT request as block requests, one per piece (each
 * piece is contiguous memory, so each is one transfer for the drive). */
static uint8_t transfer(struct vblk *d, const struct vblk_req *r)
{
	struct blockdev *bd = d->bd;
	uint64_t lba = r->sector / (bd->block_size / 512);
	unsigned int n = 0;
	struct wait w = { 0, false };
	uint64_t chunk_max = (uint64_t)bd->max_blocks * bd->block_size;
	for (unsigned int i = 0; i < r->nsegs; i++) {
		const struct virtq_seg *s = &r->seg[i];
		uint8_t *host = guest_ptr(d->p, s->gpa, s->len);
		if (!host || s->len % bd->block_size)
			return VIRTIO_BLK_S_IOERR;
		/* a piece larger than one transfer goes as several */
		for (uint64_t off = 0; off < s->len;) {
			uint64_t len = s->len - off < chunk_max ? s->len - off : chunk_max;
			if (n == VBLK_MAX_SUBS)
				return VIRTIO_BLK_S_IOERR;
			d->seg[n] = (struct blk_seg){ (uint64_t)(uintptr_t)(host + off), (uint32_t)len };
			d->sub[n] = (struct blk_request){ .op = r->type == VIRTIO_BLK_T_IN ? BLK_READ : BLK_WRITE,
							  .lba = lba,
							  .nblocks = (uint32_t)(len / bd->block_size),
							  .segs = &d->seg[n],
							  .nsegs = 1,
							  .done = sub_done,
							  .ctx = &w };
			lba += len / bd->block_size;
			off += len;
			n++;
		}
	}
	unsigned int submitted = 0;
	for (unsigned int i = 0; i < n; i++) {
		int rc;
		while ((rc = blockdev_submit(bd, &d->sub[i])) == -1)
			blockdev_poll(bd);
		if (rc) {
			w.failed = true;
			break;
		}
		submitted++;
	}
	while (w.done < submitted)
		blockdev_poll(bd);
	return w.failed ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
}

static uint8_t execute(struct vblk *d, struct vblk_req *r, uint32_t *written)
{
	uint8_t st = vblk_check(r, d->bd->nblocks, d->bd->block_size, VBLK_MAX_BYTES, d->bd->read_only);
	if (st != VIRTIO_BLK_S_OK)
		return st;
	switch (r->type) {
	case VIRTIO_BLK_T_IN:
	case VIRTIO_BLK_T_OUT:
		st = transfer(d, r);
		if (r->type == VIRTIO_BLK_T_IN && st == VIRTIO_BLK_S_OK)
			*written = (uint32_t)r->data_len;
		return st;
	case VIRTIO_BLK_T_FLUSH:
		return blockdev_sync(d->bd, BLK_FLUSH, 0, 0, NULL) == BLK_OK ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
	case VIRTIO_BLK_T_GET_ID: {
		/* the serial, NUL-padded to 20 bytes, into the first pieces */
		uint8_t id[VIRTIO_BLK_ID_BYTES] = { 0 };
		for (unsigned int i = 0; i < sizeof(id) && d->serial[i]; i++)
			id[i] = (uint8_t)d->serial[i];
		uint32_t off = 0;
		for (unsigned int i = 0; i < r->nsegs && off < sizeof(id); i++) {
			uint32_t k = r->seg[i].len < sizeof(id) - off ? r->seg[i].len : (uint32_t)sizeof(id) - off;
			uint8_t *p = guest_ptr(d->p, r->seg[i].gpa, k);
			if (!p)
				return VIRTIO_BLK_S_IOERR;
			memcpy(p, id + off, k);
			off += k;
		}
		*written = off;
		return VIRTIO_BLK_S_OK;
	}
	}
	return VIRTIO_BLK_S_UNSUPP;
}

static void notify(void *dev, unsigned int qi)
{
	struct vblk *d = dev;
	struct virtio_pci_queue *q = &d->t.q[qi];
	bool pushed = false;
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
		uint32_t written = 0;
		uint8_t st;
		enum vblk_parse pr = vblk_parse(&d->chain, &d->t.mem, &d->req);
		if (pr == VBLK_NO_STATUS) {
			d->bad_requests++;
			virtq_push(&q->vq, &d->t.mem, d->chain.head, 0);
			pushed = true;
			continue;
		}
		st = pr == VBLK_OK ? execute(d, &d->req, &written) : VIRTIO_BLK_S_IOERR;
		if (pr != VBLK_OK)
			d->bad_requests++;
		if (st != VIRTIO_BLK_S_OK)
			d->errors++;
		uint8_t *status = guest_ptr(d->p, d->req.status_gpa, 1);
		if (status)
			*status = st;
		virtq_push(&q->vq, &d->t.mem, d->chain.head, written + 1);
		pushed = true;
	}
	if (pushed)
		virtio_pci_queue_interrupt(&d->t, qi);
}

static const struct virtio_device_ops vblk_ops = { config_read, NULL, notify, reset, interrupt };

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
	memset(c, 0, sizeof(d->config));
	le64_store(c, bd->nblocks * (bd->block_size / 512)); /* capacity, in 512-byte sectors */
	le32_store(c + 8, 4096);                             /* size_max */
	le32_store(c + 12, VBLK_SEG_MAX);                    /* seg_max */
	le32_store(c + 20, bd->block_size);                  /* blk_size */
	le16_store(c + 34, 1);                               /* num_queues */
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

static int plug(struct vblk *d, struct phb *b, unsigned int slot)
{
	const struct pci_identity ident = { 0x1af4, 0x1042, 0x1af4, 0x1100, 0x010000, 1, 1 };
	const struct pci_bar_def bars[PCI_NUM_BARS] = {
		[1] = { 0x1000, 0 }, [4] = { VIRTIO_PCI_BAR_SIZE, PCI_BAR_MEM64 }
	};
	struct pci_config cfg;
	uint8_t cap[20];
	if (pci_config_init(&cfg, &ident, bars) || pci_config_add_msix(&cfg, VBLK_MSIX, 1, 0, 0x800))
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
		d->bd = disks_find(p, dc->name);
		snprintf(d->name, sizeof(d->name), "%s", dc->name);
		snprintf(d->serial, sizeof(d->serial), "%s", dc->serial);
		if (!d->bd)
			continue;
		fill_config(d);
		uint64_t features = 1ull << VBLK_F_SIZE_MAX | 1ull << VBLK_F_SEG_MAX | 1ull << VBLK_F_BLK_SIZE |
				    1ull << VBLK_F_FLUSH | 1ull << VIRTIO_F_RING_INDIRECT_DESC |
				    1ull << VIRTIO_F_RING_EVENT_IDX | (d->bd->read_only ? 1ull << VBLK_F_RO : 0);
		struct virtq_mem mem = { p, gptr };
		virtio_pci_init(&d->t, features, 1, VBLK_QUEUE_SIZE, VBLK_CONFIG_LEN, &vblk_ops, d, &mem);
		int slot = pci_host_free_slot(p, 0);
		if (slot < 0 || plug(d, pci_host_phb(p, 0), (unsigned int)slot)) {
			partition_log(p, "cannot plug the virtio-blk function of disk %s", dc->name);
			return -1;
		}
		ndisks++;
		log_info("%s: disk %s as virtio-blk in PCI slot %d", p->name, dc->name, slot);
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
			hvprint("monitor: %s: virtio-blk %s: %llu requests, %llu failed, %llu malformed, %llu bad "
				"notifications",
				p->name, disks[i].name, (unsigned long long)disks[i].requests,
				(unsigned long long)disks[i].errors, (unsigned long long)disks[i].bad_requests,
				(unsigned long long)disks[i].t.bad_notifies);
}

DEVICE_PROVIDER(virtio_blk, "virtio-blk", NULL, attach, event, stats);
