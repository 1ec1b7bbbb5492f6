/*
 * ivshmem: memory shared between partitions, with doorbells, as a PCI
 * function with the ABI of QEMU's device (1af4:1110, revision 1):
 *   BAR0 (256 B)  registers, 32-bit little-endian: 0 IntrMask, 4 IntrStatus
 *                 (reading clears it), 8 IVPosition (this peer's ID, read
 *                 only), 12 Doorbell (write (peer << 16) | vector);
 *   BAR1 (4 KiB)  MSI-X, IVSHMEM_VECTORS vectors (table 0, pending 0x800);
 *   BAR2          the shared memory, 64-bit prefetchable.
 * A doorbell interrupts the peer's vector through MSI-X when the peer has
 * enabled it, else sets its IntrStatus bit 0, which drives INTx while
 * IntrMask has it (so Linux's uio_pci_generic works). A doorbell to a peer
 * that does not exist, has no such vector or is not running is dropped and
 * counted. Narrower or wider accesses to the registers touch the bytes of
 * the registers they cover.
 *
 * Beyond QEMU, when the region has output sections: its first 64 KiB is a
 * state table (u32 per peer ID, 1 while that peer runs, written by the
 * hypervisor), its last npeers sections are each peer's output, writable by
 * that peer only, and the rest is common; the HPT enforces it (read-only
 * pages). A read-only peer can write none of it.
 *
 * Portable: the region's memory is a host address; whether a peer runs is
 * asked through the region's hook.
 */
#ifndef SHM_IVSHMEM_H
#define SHM_IVSHMEM_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/papr/phb.h"

#define IVSHMEM_MAX_PEERS    6
#define IVSHMEM_VECTORS      4
#define IVSHMEM_STATE_TABLE  0x10000 /* and the section granule: 64 KiB pages map them */
#define IVSHMEM_REG_MASK     0
#define IVSHMEM_REG_STATUS   4
#define IVSHMEM_REG_POSITION 8
#define IVSHMEM_REG_DOORBELL 12

struct ivshmem_region;

struct ivshmem {
	struct ivshmem_region *region;
	unsigned int id;
	bool read_only;
	void *owner; /* its partition, for the region's alive() hook */
	struct pci_function *fn;
	uint32_t intr_mask, intr_status;
	uint64_t rung, received, dropped; /* doorbells sent, taken, refused */
};

struct ivshmem_region {
	uint64_t host, size;  /* size a power of two, at least 4 KiB */
	uint64_t output_size; /* 0: one plain region, as QEMU's */
	unsigned int npeers;  /* IDs 0..npeers-1 */
	struct ivshmem peer[IVSHMEM_MAX_PEERS];
	bool (*alive)(void *owner);
};

/* Checks the layout; -1 if the sections do not fit or a count is bad. */
int ivshmem_region_check(const struct ivshmem_region *r);
/* Plugs peer id of r into slot of b (its partition's bridge). */
struct pci_function *ivshmem_plug(struct ivshmem_region *r, unsigned int id, struct phb *b, unsigned int slot);
/* Its partition (re)starts or stops: registers cleared, state table. */
void ivshmem_peer_state(struct ivshmem *d, bool running);

#endif
