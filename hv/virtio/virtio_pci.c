#include <string.h>
#include "hv/virtio/virtio_pci.h"
#include "hv/virtio/virtq_packed.h"

void virtio_pci_init(struct virtio_pci *t, uint64_t features, uint16_t nqueues, uint16_t queue_max_size,
		     uint32_t config_size, const struct virtio_device_ops *ops, void *dev, const struct virtq_mem *mem)
{
	memset(t, 0, sizeof(*t));
	t->features = features | (1ull << VIRTIO_F_VERSION_1);
	t->nqueues = nqueues > VIRTIO_MAX_QUEUES ? VIRTIO_MAX_QUEUES : nqueues;
	t->config_size = config_size;
	t->config_msix_vector = VIRTIO_MSI_NO_VECTOR;
	t->ops = ops;
	t->dev = dev;
	t->mem = *mem;
	for (unsigned int i = 0; i < t->nqueues; i++) {
		t->q[i].max_size = t->q[i].size = queue_max_size;
		t->q[i].msix_vector = VIRTIO_MSI_NO_VECTOR;
	}
}

bool virtio_pci_feature(const struct virtio_pci *t, unsigned int bit)
{
	return (t->driver_features >> bit) & 1;
}

static void reset(struct virtio_pci *t)
{
	if (t->ops->reset)
		t->ops->reset(t->dev);
	uint64_t features = t->features;
	uint16_t nqueues = t->nqueues, max = t->q[0].max_size;
	uint32_t config_size = t->config_size;
	uint8_t gen = t->config_generation;
	const struct virtio_device_ops *ops = t->ops;
	void *dev = t->dev;
	struct virtq_mem mem = t->mem;
	uint64_t bad = t->bad_accesses, bad_notifies = t->bad_notifies;
	virtio_pci_init(t, features & ~(1ull << VIRTIO_F_VERSION_1), nqueues, max, config_size, ops, dev, &mem);
	t->config_generation = gen;
	t->bad_accesses = bad;
	t->bad_notifies = bad_notifies;
}

void virtio_pci_needs_reset(struct virtio_pci *t)
{
	if (t->status & VIRTIO_STATUS_NEEDS_RESET)
		return;
	t->status |= VIRTIO_STATUS_NEEDS_RESET;
	t->isr |= 2;
	if (t->status & VIRTIO_STATUS_DRIVER_OK)
		t->ops->interrupt(t->dev, t->config_msix_vector);
}

bool virtio_pci_queue_ready(const struct virtio_pci *t, unsigned int q)
{
	return q < t->nqueues && t->q[q].enabled && (t->status & VIRTIO_STATUS_DRIVER_OK) &&
	       !(t->status & VIRTIO_STATUS_NEEDS_RESET);
}

void virtio_pci_queue_interrupt(struct virtio_pci *t, unsigned int q)
{
	if (q >= t->nqueues || !virtq_should_notify(&t->q[q].vq, &t->mem))
		return;
	t->isr |= 1;
	t->ops->interrupt(t->dev, t->q[q].msix_vector);
}

static struct virtio_pci_queue *selected(struct virtio_pci *t)
{
	return t->queue_select < t->nqueues ? &t->q[t->queue_select] : NULL;
}

static uint64_t common_read(struct virtio_pci *t, uint64_t off, unsigned int size)
{
	struct virtio_pci_queue *q = selected(t);
	switch (off) {
	case 0x00:
		return t->device_feature_select;
	case 0x04:
		return t->device_feature_select < 2 ? (uint32_t)(t->features >> (32 * t->device_feature_select)) : 0;
	case 0x08:
		return t->driver_feature_select;
	case 0x0c:
		return t->driver_feature_select < 2 ? (uint32_t)(t->driver_features >> (32 * t->driver_feature_select))
						    : 0;
	case 0x10:
		return t->config_msix_vector;
	case 0x12:
		return t->nqueues;
	case 0x14:
		return t->status;
	case 0x15:
		return t->config_generation;
	case 0x16:
		return t->queue_select;
	case 0x18:
		return q ? q->size : 0;
	case 0x1a:
		return q ? q->msix_vector : VIRTIO_MSI_NO_VECTOR;
	case 0x1c:
		return q ? q->enabled : 0;
	case 0x1e:
		return q ? t->queue_select : 0; /* notify offset: the queue's index */
	case 0x20:
	case 0x24:
		return q ? (size == 8 ? q->desc : (uint32_t)(q->desc >> (off == 0x24 ? 32 : 0))) : 0;
	case 0x28:
	case 0x2c:
		return q ? (size == 8 ? q->driver : (uint32_t)(q->driver >> (off == 0x2c ? 32 : 0))) : 0;
	case 0x30:
	case 0x34:
		return q ? (size == 8 ? q->device : (uint32_t)(q->device >> (off == 0x34 ? 32 : 0))) : 0;
	}
	t->bad_accesses++;
	return 0;
}

static void set64(uint64_t *field, uint64_t off, uint64_t base, unsigned int size, uint64_t v)
{
	if (size == 8)
		*field = v;
	else if (off == base)
		*field = (*field & ~0xffffffffull) | (uint32_t)v;
	else
		*field = (*field & 0xffffffffull) | (uint64_t)(uint32_t)v << 32;
}

static void enable_queue(struct virtio_pci *t, unsigned int i)
{
	struct virtio_pci_queue *q = &t->q[i];
	bool event_idx = virtio_pci_feature(t, VIRTIO_F_RING_EVENT_IDX);
	bool indirect = virtio_pci_feature(t, VIRTIO_F_RING_INDIRECT_DESC);
	bool ok = virtio_pci_feature(t, VIRTIO_F_RING_PACKED)
			  ? virtq_init_packed(&q->vq, &t->mem, q->size, q->desc, q->driver, q->device, event_idx,
					      indirect)
			  : virtq_init(&q->vq, &t->mem, q->size, q->desc, q->driver, q->device, event_idx, indirect);
	if (!ok) {
		/* split rings of a size that is not a power of two, rings outside its memory */
		virtio_pci_needs_reset(t);
		return;
	}
	q->enabled = true;
}

static void status_write(struct virtio_pci *t, uint8_t v)
{
	if (!v) {
		reset(t);
		return;
	}
	if ((v & VIRTIO_STATUS_FEATURES_OK) && !(t->status & VIRTIO_STATUS_FEATURES_OK)) {
		/* only what was offered, and the modern interface */
		if ((t->driver_features & ~t->features) || !virtio_pci_feature(t, VIRTIO_F_VERSION_1))
			v &= (uint8_t)~VIRTIO_STATUS_FEATURES_OK;
	}
	t->status = (uint8_t)(v | (t->status & VIRTIO_STATUS_NEEDS_RESET));
}

static void common_write(struct virtio_pci *t, uint64_t off, unsigned int size, uint64_t v)
{
	struct virtio_pci_queue *q = selected(t);
	switch (off) {
	case 0x00:
		t->device_feature_select = (uint32_t)v;
		return;
	case 0x08:
		t->driver_feature_select = (uint32_t)v;
		return;
	case 0x0c:
		if (!(t->status & VIRTIO_STATUS_FEATURES_OK) && t->driver_feature_select < 2) {
			unsigned int sh = 32 * t->driver_feature_select;
			t->driver_features = (t->driver_features & ~(0xffffffffull << sh)) |
					     ((uint64_t)(uint32_t)v << sh);
		}
		return;
	case 0x10:
		t->config_msix_vector = (uint16_t)v;
		return;
	case 0x14:
		status_write(t, (uint8_t)v);
		return;
	case 0x16:
		t->queue_select = (uint16_t)v;
		return;
	case 0x18:
		if (q && !q->enabled && v && v <= q->max_size)
			q->size = (uint16_t)v; /* checked at enable (split rings: a power of two) */
		else
			t->bad_accesses++;
		return;
	case 0x1a:
		if (q)
			q->msix_vector = (uint16_t)v;
		return;
	case 0x1c:
		if (q && v == 1 && !q->enabled)
			enable_queue(t, t->queue_select);
		else
			t->bad_accesses++; /* disabling a queue is only by a reset */
		return;
	case 0x20:
	case 0x24:
	case 0x28:
	case 0x2c:
	case 0x30:
	case 0x34:
		if (!q || q->enabled) {
			t->bad_accesses++;
			return;
		}
		if (off < 0x28)
			set64(&q->desc, off, 0x20, size, v);
		else if (off < 0x30)
			set64(&q->driver, off, 0x28, size, v);
		else
			set64(&q->device, off, 0x30, size, v);
		return;
	}
	t->bad_accesses++;
}

uint64_t virtio_pci_read(struct virtio_pci *t, uint64_t off, unsigned int size)
{
	if (off < VIRTIO_PCI_ISR)
		return common_read(t, off, size);
	if (off == VIRTIO_PCI_ISR) { /* reading acknowledges */
		uint8_t isr = t->isr;
		t->isr = 0;
		return isr;
	}
	if (off >= VIRTIO_PCI_DEVICE && off - VIRTIO_PCI_DEVICE < t->config_size &&
	    t->config_size - (off - VIRTIO_PCI_DEVICE) >= size)
		return t->ops->config_read(t->dev, off - VIRTIO_PCI_DEVICE, size);
	t->bad_accesses++;
	return 0;
}

void virtio_pci_write(struct virtio_pci *t, uint64_t off, unsigned int size, uint64_t value)
{
	if (off < VIRTIO_PCI_ISR) {
		common_write(t, off, size, value);
		return;
	}
	if (off >= VIRTIO_PCI_NOTIFY && off < VIRTIO_PCI_BAR_SIZE) {
		unsigned int qi = (unsigned int)((off - VIRTIO_PCI_NOTIFY) / VIRTIO_PCI_NOTIFY_MULT);
		if (!virtio_pci_queue_ready(t, qi)) {
			t->bad_notifies++; /* an unconfigured queue, or before DRIVER_OK: ignored */
			return;
		}
		t->ops->notify(t->dev, qi);
		return;
	}
	if (off >= VIRTIO_PCI_DEVICE && off - VIRTIO_PCI_DEVICE < t->config_size &&
	    t->config_size - (off - VIRTIO_PCI_DEVICE) >= size) {
		if (t->ops->config_write)
			t->ops->config_write(t->dev, off - VIRTIO_PCI_DEVICE, size, value);
		return;
	}
	t->bad_accesses++;
}
