/*
 * A virtual PCI host bridge as QEMU's pseries machine presents one (its
 * BUID, windows, interrupt numbers and RTAS calls), with the emulated
 * functions plugged into it. Portable: what touches the partition (its
 * HPT, MMIO bus and XICS) goes through the hooks.
 *
 * Guest-physical layout of PHB i (QEMU's spapr_phb_placement):
 *   32-bit window: CPU 2^45 + (i + 1) * 2 GiB, PCI 0x8000_0000, 2 GiB;
 *   64-bit window: CPU = PCI 2^45 + (i + 1) * 1 TiB, 1 TiB.
 * A BAR decodes when the function's memory space is on and the BAR lies
 * wholly inside a window without overlapping another decoded BAR of the
 * bridge; otherwise it is not decoded (and counted).
 *
 * Interrupts: INTx of slot s, pin p is level source 0x1200 + 4 * i +
 * (s + p - 1) % 4 (the swizzle); MSI-X vectors get edge sources from this
 * bridge's block of 128 at 0x1300 + 128 * i through ibm,change-msi, and the
 * table holds QEMU's address 0x40000000000 and data = the source number.
 */
#ifndef HV_PAPR_PHB_H
#define HV_PAPR_PHB_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/lib/mmio_bus.h"
#include "hv/papr/pci_config.h"
#include "hv/papr/tce.h"

#define PHB_MAX         2
#define PHB_SLOTS       32
#define PHB_MAX_MSIX    64
#define PHB_MSI_BLOCK   128 /* two bridges fill the XICS sources to 0x13ff */
#define PHB_LSI_BASE    0x1200u
#define PHB_MSI_BASE    0x1300u
#define PHB_BUID_BASE   0x800000020000000ull
#define PHB_WINDOW_BASE (1ull << 45)
#define PHB_MEM32_PCI   0x80000000ull
#define PHB_MEM32_SIZE  (2ull << 30)
#define PHB_MEM64_SIZE  (1ull << 40)
#define PHB_MSI_ADDRESS 0x40000000000ull
#define PHB_LIOBN_BASE  0x80000000u    /* QEMU's SPAPR_PCI_LIOBN(index, 0) */
#define PHB_DMA_WINDOW  (256ull << 20) /* its default DMA window, from bus address 0 */

/* RTAS statuses the PCI calls return. */
#define PHB_RTAS_OK        0
#define PHB_RTAS_HW_ERROR  (-1)
#define PHB_RTAS_PARAM_ERR (-3)

struct phb_hooks {
	void *ctx;
	/* Device registers at [gpa, gpa + size) on the partition's MMIO bus. */
	int (*map_registers)(void *ctx, uint64_t gpa, uint64_t size, const struct mmio_ops *ops, void *dev);
	void (*unmap_registers)(void *ctx, uint64_t gpa, const void *dev);
	/* Host memory at [gpa, gpa + size) in the partition's HPT. */
	int (*map_memory)(void *ctx, uint64_t gpa, uint64_t size, uint64_t host, bool read_only);
	void (*unmap_memory)(void *ctx, uint64_t gpa);
	void (*raise_msi)(void *ctx, uint32_t irq);
	void (*set_lsi)(void *ctx, uint32_t irq, bool level);
	/* The partition's interrupt-state lock, around the MSI-X table, the
	 * pending bits and INTx: a device of another partition (an ivshmem
	 * peer's doorbell) may notify while this one's guest changes them. */
	void (*irq_lock)(void *ctx, bool take);
};

/* A piece of a memory BAR: host memory at offset in the BAR, read-only or not. */
struct pci_memory_segment {
	uint64_t offset, size, host;
	bool read_only;
};

#define PCI_MAX_SEGMENTS 8

/* What a device model provides: the registers of its emulated BARs, the
 * host memory of its memory BARs as segments covering the BAR (NULL when it
 * has none of the kind). */
struct pci_device_ops {
	uint64_t (*read)(void *dev, unsigned int bar, uint64_t off, unsigned int size);
	void (*write)(void *dev, unsigned int bar, uint64_t off, unsigned int size, uint64_t value);
	unsigned int (*memory)(void *dev, unsigned int bar, struct pci_memory_segment seg[PCI_MAX_SEGMENTS]);
};

struct phb;

struct pci_bar_ref {
	struct pci_function *f;
	unsigned int bar;
};

struct pci_function {
	struct phb *phb;
	unsigned int slot;
	bool present;
	char node_name[24]; /* its device-tree node: "<kind>@<slot>" */
	struct pci_config cfg;
	const struct pci_device_ops *ops;
	void *dev;
	bool memory_bar[PCI_NUM_BARS]; /* host memory, not registers */
	bool decoded[PCI_NUM_BARS];
	uint64_t decoded_gpa[PCI_NUM_BARS];
	struct pci_memory_segment seg[PCI_NUM_BARS][PCI_MAX_SEGMENTS]; /* of decoded memory BARs */
	unsigned int nseg[PCI_NUM_BARS];
	struct pci_bar_ref bar_ref[PCI_NUM_BARS];
	uint8_t msix_table[PHB_MAX_MSIX][16]; /* little-endian entries */
	uint64_t msix_pending[PHB_MAX_MSIX / 64];
	uint32_t msi_first, msi_count; /* from ibm,change-msi; 0: none */
	bool intx_level;
};

struct phb {
	unsigned int index;
	uint64_t buid;
	uint64_t mem32_cpu, mem64_cpu;
	const struct phb_hooks *hooks;
	struct pci_function fn[PHB_SLOTS];
	uint8_t msi_used[PHB_MSI_BLOCK / 8];
	struct tce_table dma; /* the default DMA window (ibm,dma-window) */
	uint64_t refused;     /* BARs not decoded, bad config and MSI requests */
};

void phb_init(struct phb *b, unsigned int index, const struct phb_hooks *hooks);
/* Plugs a function into slot; its identity and BARs in cfg (memory_bars:
 * bit i = BAR i is host memory). NULL if the slot is taken or bad. */
struct pci_function *phb_plug(struct phb *b, unsigned int slot, const char *kind, const struct pci_config *cfg,
			      unsigned int memory_bars, const struct pci_device_ops *ops, void *dev);
/* Back to power-on state (a partition reboot): nothing decoded, no MSIs. */
void phb_reset(struct phb *b);

/* RTAS ibm,read-pci-config / ibm,write-pci-config: cfgaddr as Linux's
 * rtas_config_addr() builds it. */
int phb_config_read(struct phb *b, uint32_t cfgaddr, unsigned int size, uint32_t *value);
int phb_config_write(struct phb *b, uint32_t cfgaddr, unsigned int size, uint32_t value);
/* RTAS ibm,change-msi: rets[0..3] = status, number, sequence, type; returns
 * how many of them it set. */
unsigned int phb_change_msi(struct phb *b, uint32_t cfgaddr, uint32_t func, uint32_t num, uint32_t seq,
			    uint32_t rets[4]);
/* RTAS ibm,query-interrupt-source-number. */
int phb_query_irq(struct phb *b, uint32_t cfgaddr, uint32_t index, uint32_t *irq, uint32_t *edge);

/* The ops a decoded register BAR has on the MMIO bus (dev: its
 * pci_bar_ref): the MSI-X table and pending bits, the rest the device's. */
extern const struct mmio_ops phb_bar_ops;

/* The interrupt-state lock of f's partition (see phb_hooks.irq_lock), for
 * device state an interrupt depends on. */
void pci_irq_lock(struct pci_function *f, bool take);

/* Device side. */
void pci_msix_notify(struct pci_function *f, unsigned int vector);
void pci_set_intx(struct pci_function *f, bool level);
/* The same with f's interrupt-state lock already held. */
void pci_set_intx_locked(struct pci_function *f, bool level);
uint32_t pci_intx_source(const struct pci_function *f);

#endif
