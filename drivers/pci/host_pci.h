/*
 * Host PCI: the functions skiboot enumerated on the POWER9 PHBs, made
 * usable by the hypervisor's own drivers. skiboot trains links and numbers
 * buses but assigns nothing else, so this does what an OS does: sizes and
 * places each function's memory BARs in its PHB's 32-bit window, gives each
 * function a PE of its own (RID -> PE, its MMIO segments), opens a DMA
 * window for it through a TCE table of its own (tce_window.h), and turns on
 * memory decoding and bus mastering. Drivers join by registration
 * (HOST_PCI_DRIVER) and are probed for the functions they match.
 *
 * DMA is confined: a device reaches only the pages its driver maps, for
 * as long as they are mapped. "hostdma=bypass" on the command line gives
 * every device the whole of memory instead (for measurements only).
 *
 * Configuration space goes through OPAL; BARs are reached with the
 * caching-inhibited instructions of include/arch/io.h.
 *
 * 64-bit prefetchable BARs go to the PHB's 64-bit window, as Linux places
 * them: a function's share one naturally aligned region, which one of the
 * PHB's M64 BARs decodes for that function's PE alone (single-PE mode).
 * Everything else goes to the 32-bit window.
 */
#ifndef DRIVERS_PCI_HOST_PCI_H
#define DRIVERS_PCI_HOST_PCI_H

#include <stdbool.h>
#include <stdint.h>
#include "drivers/pci/tce_window.h"
#include "hv/config/host_pci_fdt.h"
#include "hv/lib/registry.h"
#include "hv/lib/spinlock.h"

struct host_pci_bar {
	uint64_t cpu, pci, size; /* size 0: not implemented or not placed */
	bool is64, prefetch, io;
	bool m64; /* in the PHB's 64-bit window */
};

struct host_pci_dev {
	const struct host_phb_desc *phb;
	const struct host_pci_fn_desc *fn;
	char name[16]; /* "0000:01:00.0" */
	uint8_t revision;
	struct host_pci_bar bar[6];
	uint32_t pe;
	int m64_bar; /* the PHB's M64 BAR decoding its 64-bit region, or -1 */
	bool bypass;
	struct tce_window dma;
	struct spinlock dma_lock;
	bool dma_dirty; /* unmapped since the last TCE kill */
	uint64_t freezes;
	void *driver_data;
	const struct host_pci_driver *driver;
};

struct host_pci_driver {
	const char *name;
	bool (*match)(const struct host_pci_dev *d);
	int (*probe)(struct host_pci_dev *d);     /* 0, or -1 after a log line */
	void (*shutdown)(struct host_pci_dev *d); /* power-off or reboot: leave the device consistent */
};

#define HOST_PCI_DRIVER(id, name_, match_, probe_, shutdown_) \
	REGISTER(host_pci_drivers, struct host_pci_driver, host_pci_driver_##id) = { name_, match_, probe_, shutdown_ }

/* Faults the integration tests inject into the first NVMe controller
 * (hvtest=nvme-never-ready, nvme-lost-doorbell, nvme-fatal). */
#define HOST_FAULT_NVME_NEVER_READY   (1u << 0) /* CSTS.RDY never rises */
#define HOST_FAULT_NVME_LOST_DOORBELL (1u << 1) /* the 20th I/O doorbell never reaches the drive */
#define HOST_FAULT_NVME_FATAL         (1u << 2) /* CSTS.CFS appears after the 20th I/O doorbell */
#define HOST_FAULT_NVME_STRAY_DMA     (1u << 3) /* at probe: reads aimed at unmapped device addresses */
/* hvtest=host-bar-pattern: functions without a driver get a pattern
 * written at the start and end of each BAR in the 64-bit window, read
 * back and logged (the test looks for it in the device's backing file). */
#define HOST_TEST_BAR_PATTERN         (1u << 4)

struct host_pci_options {
	bool bypass;                        /* hostdma=bypass */
	unsigned int faults;                /* HOST_FAULT_* */
	unsigned int threads;               /* hypervisor threads that may issue I/O */
	unsigned int (*thread_index)(void); /* 0..threads-1 for the calling thread */
};

extern struct host_pci_options host_pci_opts;

/* Finds, sets up and probes every function; one log line per function. */
void host_pci_init(const void *fdt, const struct host_pci_options *opts);
/* Every driver's shutdown (before power-off or reboot). */
void host_pci_shutdown(void);

uint32_t host_pci_cfg_read32(const struct host_pci_dev *d, unsigned int off);
uint16_t host_pci_cfg_read16(const struct host_pci_dev *d, unsigned int off);
void host_pci_cfg_write32(const struct host_pci_dev *d, unsigned int off, uint32_t v);
void host_pci_cfg_write16(const struct host_pci_dev *d, unsigned int off, uint16_t v);

/* DMA: the device address of [real, real+len), or -1 when the window is full. */
int host_pci_dma_map(struct host_pci_dev *d, uint64_t real, uint64_t len, bool device_writes, uint64_t *bus);
void host_pci_dma_unmap(struct host_pci_dev *d, uint64_t bus, uint64_t len);
/* Makes the PHB forget unmapped entries (a TCE kill) if there were any. */
void host_pci_dma_sync(struct host_pci_dev *d);

/* After all-ones reads: is the device's PE frozen? Logs, thaws it, and
 * returns true when it may answer again. */
bool host_pci_recover(struct host_pci_dev *d);

#endif
