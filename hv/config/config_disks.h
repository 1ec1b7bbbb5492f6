/* The bundle's disks: /host-disks and each partition's disks node (docs/bundle.md). */
#ifndef HV_CONFIG_CONFIG_DISKS_H
#define HV_CONFIG_CONFIG_DISKS_H

#include "hv/config/config_util.h"

/* After the partitions are parsed: fills cfg's host disks and disks. */
int config_parse_disks(const void *fdt, struct hv_config *cfg, struct ctx *c);

#endif
