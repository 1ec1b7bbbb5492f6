/* The device-tree node of a virtual PCI host bridge and one child per
 * function, with the properties Linux's pseries PCI code reads (QEMU's
 * spapr_dt_phb layout). Portable, libfdt sequential write. */
#ifndef HV_PAPR_PHB_FDT_H
#define HV_PAPR_PHB_FDT_H

#include <stdint.h>
#include "hv/papr/phb.h"

/* Writes the node at the current place of fdt (the root); intc is the
 * XICS node's phandle. Returns 0 or a negative libfdt error. */
int phb_fdt_node(void *fdt, const struct phb *b, uint32_t intc);

#endif
