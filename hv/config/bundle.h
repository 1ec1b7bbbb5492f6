/*
 * The bundle: what the hypervisor runs, passed as the firmware's initrd.
 * It is a flattened device tree (FIT-style): the configuration as nodes,
 * guest images as properties. See docs/bundle.md.
 */
#ifndef HV_CONFIG_BUNDLE_H
#define HV_CONFIG_BUNDLE_H

#include <stdint.h>
#include <stddef.h>

#define BUNDLE_COMPATIBLE "powerhv,bundle-v1"

/* Validates the container; returns the number of partitions or -1 with err set. */
int bundle_check(const void *blob, uint64_t size, char *err, size_t errlen);

#endif
