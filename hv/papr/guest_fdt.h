/* The device tree a partition boots with, built with libfdt (portable). */
#ifndef HV_PAPR_GUEST_FDT_H
#define HV_PAPR_GUEST_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hv/papr/phb.h"

#define GUEST_DEC_BITS 56 /* the large decrementer (LPCR[LD]), as QEMU pseries on POWER9 */

struct guest_fdt_params {
	const char *name; /* partition name: in the model and ibm,partition-name */
	uint64_t mem_size;
	unsigned int hpt_shift; /* log2 of the HPT size: ibm,pft-size */
	unsigned int nvcpus;
	uint64_t tb_freq;
	const char *bootargs;
	uint64_t initrd_start, initrd_size; /* size 0: none */
	uint32_t vty_reg;
	uint64_t rtas_base, rtas_size;
	uint32_t nvram_size;            /* 0: no NVRAM */
	const struct phb *phb[PHB_MAX]; /* its PCI host bridges (NULL: none at that index) */
};

/* Builds into buf; returns 0 or a negative libfdt error. */
int guest_fdt_build(void *buf, size_t size, const struct guest_fdt_params *gp);

#endif
