/*
 * Firmware-assisted NMIs (PAPR FWNMI), as QEMU pseries and PowerVM give
 * them: a guest that registered with ibm,nmi-register gets machine checks
 * and system resets at its own vectors, with r3 pointing into its RTAS area
 * at a save slot holding its old r3, followed for a machine check by an
 * RTAS version 6 error log with the "MC" section Linux decodes. The
 * layout of the RTAS area follows QEMU's: the error log at
 * RTAS_ERROR_LOG_OFFSET, one 16-byte system-reset slot per vCPU from
 * RTAS_SRESET_OFFSET. Portable.
 */
#ifndef HV_PAPR_FWNMI_H
#define HV_PAPR_FWNMI_H

#include <stdint.h>

#define RTAS_ERROR_LOG_OFFSET 0x30
#define RTAS_ERROR_LOG_MAX    2048
#define RTAS_SRESET_OFFSET    (RTAS_ERROR_LOG_MAX)
#define FWNMI_ADDR_LIMIT      (32u << 20) /* registered vectors lie below 32 MiB */

/* The rtas-size a partition of nvcpus advertises: blob, error log, reset slots. */
static inline uint32_t rtas_area_size(unsigned int nvcpus)
{
	return RTAS_SRESET_OFFSET + 16 * nvcpus + 8;
}

enum mc_access { MC_LOAD, MC_STORE, MC_IFETCH };

/* The SRR1 bits and DSISR of a machine check for an access nothing
 * answers (an uncorrectable error), as the ISA reports it on POWER9. */
uint64_t mc_srr1_bits(enum mc_access kind);
uint64_t mc_dsisr(enum mc_access kind);

/* Writes at log the saved r3 and an RTAS v6 error log for an uncorrectable
 * error at effective address ea; returns the bytes written. */
unsigned int fwnmi_mc_log(uint8_t *log, uint64_t saved_r3, enum mc_access kind, uint64_t ea);

#endif
