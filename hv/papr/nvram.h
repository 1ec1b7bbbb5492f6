/* A partition's NVRAM: CHRP partitions, formatted fresh as one free area. */
#ifndef HV_PAPR_NVRAM_H
#define HV_PAPR_NVRAM_H

#include <stddef.h>
#include <stdint.h>

/* Writes a single free-space partition covering all size bytes (size: multiple of 16). */
void nvram_format(uint8_t *nvram, size_t size);
/* The CHRP header checksum as the OS computes it over a 16-byte header. */
uint8_t nvram_header_checksum(uint8_t signature, uint16_t length, const char name[12]);

#endif
