/*
 * A partition's virtual PCI host bridges (hv/papr/phb.c, up to PHB_MAX,
 * each created when a device of the bundle asks for it) connected to the
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

/* p's bridge index (0..PHB_MAX-1), created on first use (NULL when out of
 * memory or no such index). */
struct phb *pci_host_phb(struct partition *p, unsigned int index);
/* The next free slot on p's bridge index, or -1. */
int pci_host_free_slot(struct partition *p, unsigned int index);

#endif
