/*
 * The host's PCI topology as skiboot describes it in the firmware device
 * tree: each PHB (OPAL id, 32- and 64-bit MMIO windows, PE count) and the functions
 * it enumerated below it. skiboot gives no BARs, PEs or DMA windows (see
 * docs/drivers.md); drivers/pci/host_pci.c assigns them. Portable: libfdt
 * only, every property checked.
 */
#ifndef HV_CONFIG_HOST_PCI_FDT_H
#define HV_CONFIG_HOST_PCI_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HOST_PCI_MAX_PHBS 24 /* two POWER9 chips of six PHBs, twice over */
#define HOST_PCI_MAX_FNS  16 /* functions per PHB */

struct host_pci_fn_desc {
	uint16_t bdfn; /* bus << 8 | device << 3 | function */
	uint16_t vendor, device;
	uint32_t class_code; /* base << 16 | sub << 8 | prog-if */
	bool bridge;
	char loc[24]; /* ibm,loc-code, e.g. "pcie.0" (may be empty) */
};

struct host_phb_desc {
	char path[64];
	uint64_t opal_id;
	uint64_t m32_cpu, m32_pci, m32_size;   /* 32-bit MMIO window: CPU and PCI bases, usable size */
	uint64_t m32_segment;                  /* M32 segment size: the window is split evenly among PEs */
	uint64_t m64_cpu, m64_pci, m64_size;   /* 64-bit MMIO window (size 0: none) */
	uint32_t m64_bar_first, m64_bar_count; /* the PHB's M64 BARs the OS may use */
	uint32_t num_pes, reserved_pe;
	unsigned int nfns;
	unsigned int fns_ignored; /* beyond HOST_PCI_MAX_FNS */
	struct host_pci_fn_desc fn[HOST_PCI_MAX_FNS];
};

struct host_pci_topology {
	unsigned int nphbs;
	struct host_phb_desc phb[HOST_PCI_MAX_PHBS];
};

/* Fills t from every node compatible with "ibm,ioda3-phb" (POWER9 PHB4).
 * A PHB whose properties are unusable is skipped with a reason in warn
 * (the last one wins); returns the number of PHBs found, or -1 with a
 * reason in err when the tree itself is broken. */
int host_pci_fdt_parse(const void *fdt, struct host_pci_topology *t, char *warn, size_t warnlen, char *err,
		       size_t errlen);

/* "Non-Volatile memory controller" etc., as lspci names the class. */
const char *host_pci_class_name(uint32_t class_code);

#endif
