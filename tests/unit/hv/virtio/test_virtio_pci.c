/* The virtio-pci transport's registers (hv/virtio/virtio_pci.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "hv/virtio/virtio_pci.h"

#define GUEST_BASE 0x100000ull
#define GUEST_SIZE 0x10000ull

static uint8_t guest[GUEST_SIZE];

static uint8_t *gptr(void *ctx, uint64_t gpa, uint64_t len, bool write)
{
	(void)ctx;
	(void)write;
	if (gpa < GUEST_BASE || len > GUEST_SIZE || gpa - GUEST_BASE > GUEST_SIZE - len)
		return NULL;
	return guest + (gpa - GUEST_BASE);
}

struct dev {
	unsigned int notifies[4], resets, interrupts;
	uint16_t last_vector;
	uint8_t config[8];
};

static uint64_t cfg_read(void *d, uint64_t off, unsigned int size)
{
	struct dev *x = d;
	uint64_t v = 0;
	memcpy(&v, x->config + off, size); /* the test runs little-endian */
	return v;
}

static void notify(void *d, unsigned int q)
{
	((struct dev *)d)->notifies[q]++;
}

static void dev_reset(void *d)
{
	((struct dev *)d)->resets++;
}

static void interrupt(void *d, uint16_t vector)
{
	struct dev *x = d;
	x->interrupts++;
	x->last_vector = vector;
}

static const struct virtio_device_ops ops = { cfg_read, NULL, notify, dev_reset, interrupt };
static const struct virtq_mem mem = { NULL, gptr };
static struct virtio_pci t;
static struct dev d;

static int setup(void **state)
{
	(void)state;
	memset(&d, 0, sizeof(d));
	memset(guest, 0, sizeof(guest));
	virtio_pci_init(&t, 1ull << VIRTIO_F_RING_EVENT_IDX | 1ull << 9, 2, 128, 8, &ops, &d, &mem);
	return 0;
}

static uint64_t rd(uint64_t off, unsigned int size)
{
	return virtio_pci_read(&t, off, size);
}

static void wr(uint64_t off, unsigned int size, uint64_t v)
{
	virtio_pci_write(&t, off, size, v);
}

/* What Linux's virtio_pci_modern does, up to DRIVER_OK, with queue 0 set up. */
static void driver_init(uint64_t features, uint16_t qsize)
{
	wr(0x14, 1, VIRTIO_STATUS_ACKNOWLEDGE);
	wr(0x14, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr(0x08, 4, 0);
	wr(0x0c, 4, (uint32_t)features);
	wr(0x08, 4, 1);
	wr(0x0c, 4, (uint32_t)(features >> 32));
	wr(0x14, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	wr(0x16, 2, 0);
	wr(0x18, 2, qsize);
	wr(0x1a, 2, 1);
	wr(0x20, 4, GUEST_BASE);
	wr(0x24, 4, 0);
	wr(0x28, 8, GUEST_BASE + 0x1000);
	wr(0x30, 8, GUEST_BASE + 0x2000);
	wr(0x1c, 2, 1);
	wr(0x14, 1, rd(0x14, 1) | VIRTIO_STATUS_DRIVER_OK);
}

static void features_and_status(void **state)
{
	(void)state;
	wr(0x00, 4, 0);
	assert_int_equal(rd(0x04, 4), 1u << VIRTIO_F_RING_EVENT_IDX | 1u << 9);
	wr(0x00, 4, 1);
	assert_int_equal(rd(0x04, 4), 1); /* VERSION_1 */
	wr(0x00, 4, 7);
	assert_int_equal(rd(0x04, 4), 0);
	assert_int_equal(rd(0x12, 2), 2);
	driver_init(1ull << VIRTIO_F_VERSION_1 | 1ull << 9, 64);
	assert_int_equal(rd(0x14, 1), 0xf);
	assert_true(virtio_pci_feature(&t, 9));
	assert_false(virtio_pci_feature(&t, VIRTIO_F_RING_EVENT_IDX));
	assert_true(virtio_pci_queue_ready(&t, 0));
	assert_false(virtio_pci_queue_ready(&t, 1));
	/* features cannot change once accepted */
	wr(0x08, 4, 0);
	wr(0x0c, 4, 0);
	assert_true(virtio_pci_feature(&t, 9));
}

static void features_not_offered_or_legacy_are_refused(void **state)
{
	(void)state;
	driver_init(1ull << VIRTIO_F_VERSION_1 | 1ull << 5, 64); /* bit 5 was not offered */
	assert_int_equal(rd(0x14, 1) & VIRTIO_STATUS_FEATURES_OK, 0);
	setup(NULL);
	driver_init(1ull << 9, 64); /* no VERSION_1: a legacy driver */
	assert_int_equal(rd(0x14, 1) & VIRTIO_STATUS_FEATURES_OK, 0);
}

static void queues(void **state)
{
	(void)state;
	driver_init(1ull << VIRTIO_F_VERSION_1, 64);
	wr(0x16, 2, 0);
	assert_int_equal(rd(0x18, 2), 64);
	assert_int_equal(rd(0x1a, 2), 1);
	assert_int_equal(rd(0x1c, 2), 1);
	assert_int_equal(rd(0x1e, 2), 0);
	assert_int_equal(rd(0x20, 8), GUEST_BASE);
	assert_int_equal(rd(0x2c, 4), 0);
	assert_int_equal(rd(0x30, 4), GUEST_BASE + 0x2000);
	wr(0x20, 8, 0x5000); /* an enabled queue's rings stay */
	assert_int_equal(rd(0x20, 8), GUEST_BASE);
	wr(0x16, 2, 1);
	assert_int_equal(rd(0x18, 2), 128);
	assert_int_equal(rd(0x1e, 2), 1);
	wr(0x18, 2, 256); /* more than the device takes */
	assert_int_equal(rd(0x18, 2), 128);
	wr(0x16, 2, 9); /* no such queue: reads 0, writes ignored */
	assert_int_equal(rd(0x18, 2), 0);
	wr(0x1c, 2, 1);
	assert_true(t.bad_accesses >= 3);
	/* notifications: queue 0 rings; queue 1 (not enabled) and queue 9 are ignored */
	wr(0x3000, 2, 0);
	wr(0x3004, 2, 1);
	wr(0x3024, 2, 9);
	assert_int_equal(d.notifies[0], 1);
	assert_int_equal(d.notifies[1], 0);
	assert_int_equal(t.bad_notifies, 2);
}

static void a_queue_size_not_a_power_of_two_needs_reset(void **state)
{
	(void)state;
	driver_init(1ull << VIRTIO_F_VERSION_1, 48);
	assert_true(rd(0x14, 1) & VIRTIO_STATUS_NEEDS_RESET);
	assert_false(virtio_pci_queue_ready(&t, 0));
	assert_int_equal(d.interrupts, 0); /* before DRIVER_OK the status alone says it */
	wr(0x3000, 2, 0);
	assert_int_equal(d.notifies[0], 0);
	/* and rings outside the guest's memory */
	setup(NULL);
	wr(0x14, 1, 1);
	wr(0x16, 2, 0);
	wr(0x20, 8, 0x1000);
	wr(0x1c, 2, 1);
	assert_true(rd(0x14, 1) & VIRTIO_STATUS_NEEDS_RESET);
	/* after DRIVER_OK a configuration interrupt tells the driver */
	setup(NULL);
	driver_init(1ull << VIRTIO_F_VERSION_1, 64);
	wr(0x10, 2, 3);
	virtio_pci_needs_reset(&t);
	assert_int_equal(d.interrupts, 1);
	assert_int_equal(d.last_vector, 3);
	assert_int_equal(rd(0x1000, 1), 2);
}

static void isr_reads_clear_and_reset_clears_all(void **state)
{
	(void)state;
	driver_init(1ull << VIRTIO_F_VERSION_1, 64);
	virtio_pci_queue_interrupt(&t, 0);
	assert_int_equal(d.interrupts, 1);
	assert_int_equal(d.last_vector, 1);
	assert_int_equal(rd(0x1000, 1), 1);
	assert_int_equal(rd(0x1000, 1), 0);
	uint8_t gen = (uint8_t)rd(0x15, 1);
	wr(0x14, 1, 0);
	assert_int_equal(d.resets, 1);
	assert_int_equal(rd(0x14, 1), 0);
	assert_false(virtio_pci_queue_ready(&t, 0));
	wr(0x16, 2, 0);
	assert_int_equal(rd(0x1c, 2), 0);
	assert_int_equal(rd(0x18, 2), 128);
	assert_int_equal(rd(0x20, 8), 0);
	assert_int_equal(rd(0x1a, 2), VIRTIO_MSI_NO_VECTOR);
	assert_int_equal(rd(0x15, 1), gen);
	wr(0x00, 4, 1);
	assert_int_equal(rd(0x04, 4), 1); /* still offers VERSION_1 */
}

static void device_configuration_is_bounded(void **state)
{
	(void)state;
	d.config[0] = 0x11;
	d.config[7] = 0x22;
	assert_int_equal(rd(0x2000, 1), 0x11);
	assert_int_equal(rd(0x2007, 1), 0x22);
	assert_int_equal(rd(0x2008, 1), 0); /* past its size */
	assert_int_equal(rd(0x2006, 4), 0); /* straddles the end */
	wr(0x2000, 1, 5);                   /* no config_write: ignored */
	assert_int_equal(rd(0x3ffc, 4), 0);
	assert_true(t.bad_accesses >= 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(features_and_status, setup),
		cmocka_unit_test_setup(features_not_offered_or_legacy_are_refused, setup),
		cmocka_unit_test_setup(queues, setup),
		cmocka_unit_test_setup(a_queue_size_not_a_power_of_two_needs_reset, setup),
		cmocka_unit_test_setup(isr_reads_clear_and_reset_clears_all, setup),
		cmocka_unit_test_setup(device_configuration_is_bounded, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
