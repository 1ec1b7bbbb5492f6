/*
 * The bundle's configuration: the hypervisor settings and the partitions,
 * read from the bundle's device tree (schema in docs/bundle.md). Portable;
 * the bundle is hostile input, so everything is validated here, including
 * that each kernel loads into its partition's memory and the initrd fits.
 * Whether the `cpus` hardware threads exist is checked later, by the
 * hypervisor, against the machine it runs on.
 */
#ifndef HV_CONFIG_CONFIG_H
#define HV_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/config/config_types.h"

/*
 * Validates everything; returns 0, or -1 with one line in err naming the
 * partition, the property and the problem, e.g.
 * "bundle: partition 'web': property memory: 100 MiB is not a multiple of 16 MiB".
 */
int config_parse(const void *bundle, uint64_t size, struct hv_config *cfg, char *err, size_t errlen);

/* The HPT size QEMU pseries picks: 1/128 of memory rounded up to a power of 2, 2^18..2^30. */
unsigned int config_default_hpt_shift(uint64_t memory);

#endif
