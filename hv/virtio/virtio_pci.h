/*
 * The modern virtio-pci transport (virtio 1.2, section 4.1) of one device,
 * portable: the common configuration structure (features, status, queues),
 * the ISR status, notifications and the device's own configuration, as
 * register reads and writes of the BAR that holds them. The device model
 * (virtio-blk, virtio-net) provides struct virtio_device_ops; the PCI side
 * (capabilities, MSI-X, the BAR) is its glue's.
 *
 * Layout of the registers BAR (as QEMU's virtio-pci): common configuration
 * at 0x0000, ISR at 0x1000, device configuration at 0x2000, notifications
 * at 0x3000 (queue n at 0x3000 + 4 n).
 */
#ifndef HV_VIRTIO_VIRTIO_PCI_H
#define HV_VIRTIO_VIRTIO_PCI_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/virtio/virtq.h"

#define VIRTIO_PCI_COMMON      0x0000
#define VIRTIO_PCI_ISR         0x1000
#define VIRTIO_PCI_DEVICE      0x2000
#define VIRTIO_PCI_NOTIFY      0x3000
#define VIRTIO_PCI_BAR_SIZE    0x4000
#define VIRTIO_PCI_NOTIFY_MULT 4
#define VIRTIO_MAX_QUEUES      64

#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER      2
#define VIRTIO_STATUS_DRIVER_OK   4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_NEEDS_RESET 0x40
#define VIRTIO_STATUS_FAILED      0x80

#define VIRTIO_F_RING_INDIRECT_DESC 28
#define VIRTIO_F_RING_EVENT_IDX     29
#define VIRTIO_F_VERSION_1          32
#define VIRTIO_F_ACCESS_PLATFORM    33
#define VIRTIO_F_RING_PACKED        34

#define VIRTIO_MSI_NO_VECTOR 0xffff

struct virtio_pci;

struct virtio_device_ops {
	/* Device configuration space, little-endian fields; off + size inside it. */
	uint64_t (*config_read)(void *dev, uint64_t off, unsigned int size);
	void (*config_write)(void *dev, uint64_t off, unsigned int size, uint64_t value);
	/* The driver rang queue q (enabled, DRIVER_OK). */
	void (*notify)(void *dev, unsigned int q);
	/* The device was reset (status 0): drop everything in flight. */
	void (*reset)(void *dev);
	/* An interrupt for queue q's vector or the configuration's (VIRTIO_MSI_NO_VECTOR: INTx). */
	void (*interrupt)(void *dev, uint16_t vector);
};

struct virtio_pci_queue {
	uint16_t size, max_size, msix_vector;
	bool enabled;
	uint64_t desc, driver, device;
	struct virtq vq;
};

struct virtio_pci {
	uint64_t features; /* offered */
	uint64_t driver_features;
	uint32_t device_feature_select, driver_feature_select;
	uint16_t config_msix_vector;
	uint8_t status;
	uint8_t config_generation;
	uint16_t queue_select;
	uint16_t nqueues;
	uint32_t config_size;
	uint8_t isr;
	struct virtio_pci_queue q[VIRTIO_MAX_QUEUES];
	const struct virtio_device_ops *ops;
	void *dev;
	struct virtq_mem mem;
	uint64_t bad_accesses, bad_notifies;
};

void virtio_pci_init(struct virtio_pci *t, uint64_t features, uint16_t nqueues, uint16_t queue_max_size,
		     uint32_t config_size, const struct virtio_device_ops *ops, void *dev, const struct virtq_mem *mem);
/* Register accesses at offsets of the BAR (sizes 1, 2, 4, 8, aligned). */
uint64_t virtio_pci_read(struct virtio_pci *t, uint64_t off, unsigned int size);
void virtio_pci_write(struct virtio_pci *t, uint64_t off, unsigned int size, uint64_t value);
/* Whether queue q is usable now (enabled, driver OK, no reset needed). */
bool virtio_pci_queue_ready(const struct virtio_pci *t, unsigned int q);
/* Something the driver did broke the device's rules: NEEDS_RESET and a
 * configuration interrupt, as the specification asks. */
void virtio_pci_needs_reset(struct virtio_pci *t);
/* After used entries on queue q: the interrupt if the driver wants one. */
void virtio_pci_queue_interrupt(struct virtio_pci *t, unsigned int q);
bool virtio_pci_feature(const struct virtio_pci *t, unsigned int bit);

#endif
