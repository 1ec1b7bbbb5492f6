/*
 * The configuration space of one emulated PCI function (conventional PCI,
 * type 0 header, 256 bytes), as config cycles see it: every byte has a
 * value, a write mask and a write-1-to-clear mask, which is enough for the
 * command and status registers, BAR sizing (the address bits below the
 * size are not writable) and the MSI-X capability's control bits. Portable.
 */
#ifndef HV_PAPR_PCI_CONFIG_H
#define HV_PAPR_PCI_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_CFG_SIZE 256
#define PCI_NUM_BARS 6

#define PCI_VENDOR_ID        0x00
#define PCI_DEVICE_ID        0x02
#define PCI_COMMAND          0x04
#define PCI_STATUS           0x06
#define PCI_REVISION_ID      0x08
#define PCI_CLASS_PROG       0x09 /* class code: 0x09..0x0b */
#define PCI_HEADER_TYPE      0x0e
#define PCI_BAR0             0x10
#define PCI_SUBSYSTEM_VENDOR 0x2c
#define PCI_SUBSYSTEM_ID     0x2e
#define PCI_ROM_ADDRESS      0x30
#define PCI_CAPABILITY_LIST  0x34
#define PCI_INTERRUPT_LINE   0x3c
#define PCI_INTERRUPT_PIN    0x3d

#define PCI_COMMAND_MEMORY       0x0002
#define PCI_COMMAND_MASTER       0x0004
#define PCI_COMMAND_SERR         0x0100
#define PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_STATUS_INTERRUPT     0x0008
#define PCI_STATUS_CAP_LIST      0x0010

#define PCI_BAR_MEM64    0x4
#define PCI_BAR_PREFETCH 0x8

#define PCI_CAP_ID_MSIX        0x11
#define PCI_MSIX_CAP_OFFSET    0x40
#define PCI_MSIX_FLAGS_ENABLE  0x8000
#define PCI_MSIX_FLAGS_MASKALL 0x4000

struct pci_identity {
	uint16_t vendor, device, subsystem_vendor, subsystem;
	uint32_t class_code; /* base, sub, programming interface */
	uint8_t revision;
	uint8_t interrupt_pin; /* 1 = INTA; 0: none */
};

struct pci_bar_def {
	uint64_t size; /* 0: no BAR; else a power of two, at least 16 */
	uint8_t flags; /* PCI_BAR_MEM64 (takes the next BAR too), PCI_BAR_PREFETCH */
};

struct pci_config {
	uint8_t b[PCI_CFG_SIZE], wmask[PCI_CFG_SIZE], w1c[PCI_CFG_SIZE];
	struct pci_bar_def bar[PCI_NUM_BARS];
	uint16_t msix_vectors; /* 0: no MSI-X capability */
	uint8_t msix_bar;
	uint32_t msix_table, msix_pba; /* offsets in that BAR */
};

/* A function with this identity and these BARs, decoding nothing (command
 * 0). -1 for a BAR definition that cannot be (size, 64-bit in BAR 5). */
int pci_config_init(struct pci_config *c, const struct pci_identity *id, const struct pci_bar_def bars[PCI_NUM_BARS]);
/* Adds the MSI-X capability: vectors (1..2048) in BAR bar, table at
 * table_off, pending bits at pba_off; -1 if they do not fit the BAR. */
int pci_config_add_msix(struct pci_config *c, unsigned int vectors, unsigned int bar, uint32_t table_off,
			uint32_t pba_off);

/* Adds a read-only capability (bytes[0] its ID, bytes[2] its length for
 * vendor ones) at off, after the others; -1 if it overlaps one or does
 * not fit. */
int pci_config_add_cap(struct pci_config *c, unsigned int off, const uint8_t *bytes, unsigned int len);

/* A config cycle: off + size within the space, size 1, 2 or 4 and aligned
 * (the caller checks); little-endian, as PCI. */
uint32_t pci_config_read(const struct pci_config *c, unsigned int off, unsigned int size);
void pci_config_write(struct pci_config *c, unsigned int off, unsigned int size, uint32_t value);

uint16_t pci_config_command(const struct pci_config *c);
/* BAR i's PCI bus address, if the function decodes memory and i is a BAR
 * (the first of a 64-bit pair); false otherwise. */
bool pci_config_bar_address(const struct pci_config *c, unsigned int i, uint64_t *addr);
/* The device's INTx level, shown in the status register. */
void pci_config_set_intx_status(struct pci_config *c, bool level);
bool pci_config_msix_enabled(const struct pci_config *c);
bool pci_config_msix_masked(const struct pci_config *c); /* the function mask */

#endif
