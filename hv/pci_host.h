/*
 * A partition's virtual PCI host bridge (hv/papr/phb.c) connected to the
 * partition: decoded BAR registers go on its MMIO bus, BAR memory into its
 * HPT as mapped ranges, MSIs and INTx into its XICS. The bridge exists
 * once a device asks for it; its windows are emulated HPT ranges and the
 * partition runs with LPCR[VPM1], so accesses there trap.
 *
 * Locks: the MMIO lock around config writes and BAR accesses (what
 * decodes where), then the interrupt-state lock, then the XICS lock.
 */
#ifndef HV_PCI_HOST_H
#define HV_PCI_HOST_H

#include "hv/papr/phb.h"

struct partition;

/* p's bridge, created on first use (NULL when out of memory). */
struct phb *pci_host_phb(struct partition *p);
/* The next free slot on p's bridge, or -1. */
int pci_host_free_slot(struct partition *p);

#endif
