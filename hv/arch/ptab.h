/*
 * The partition table (PTCR): one entry per LPID pointing at the
 * partition's HPT, and the hardware side of the HPT engine's hooks
 * (tlbie, cache maintenance) for one LPID.
 */
#ifndef HV_ARCH_PTAB_H
#define HV_ARCH_PTAB_H

#include <stdint.h>
#include "hv/mm/hpt.h"

#define PTAB_MAX_LPIDS 256 /* a 4 KiB table (PATS = 0) */

/* Allocates the table once; 0, or -1 when memory is short. */
int ptab_init(void);
/* Points this thread's PTCR at the table; every thread, before running guests. */
void ptab_cpu_init(void);
/* Writes the entry of lpid and drops everything cached for it. */
void ptab_set(unsigned int lpid, uint64_t dw0, uint64_t dw1);
/* Gives h the hooks that act on the hardware for partition lpid. */
void ptab_attach_hpt(struct hpt *h, unsigned int lpid);

#endif
