/*
 * The devices partitions get from the bundle join here by registration: a
 * provider (shm/, blk/, net/) defines itself with DEVICE_PROVIDER in its
 * own file; the core calls every provider once with the configuration,
 * once per partition to plug its PCI functions (hv/pci_host.h), at each
 * start and stop of a partition, and for the monitor's stats.
 */
#ifndef HV_DEVICES_H
#define HV_DEVICES_H

#include "hv/config/config.h"
#include "hv/lib/registry.h"

struct partition;

/* BOOTING: the partition's HPT and LPCR are fresh, its vCPUs not started;
 * STARTED: it runs; STOPPED: it stopped (for a restart or for good). */
enum device_event { DEVICES_BOOTING, DEVICES_STARTED, DEVICES_STOPPED };

struct device_provider {
	const char *name;
	int (*init)(const struct hv_config *cfg);                        /* 0, or -1 after a log line */
	int (*attach)(struct partition *p, const struct hv_config *cfg); /* 0, or -1 after a log line */
	void (*event)(struct partition *p, enum device_event e);
	void (*stats)(const struct partition *p); /* the monitor's stats: lines "monitor: NAME: ..." */
};

#define DEVICE_PROVIDER(id, name_, init_, attach_, event_, stats_)                                                  \
	REGISTER(device_providers, struct device_provider, device_provider_##id) = { name_, init_, attach_, event_, \
										     stats_ }

int devices_init(const struct hv_config *cfg);
int devices_attach(struct partition *p, const struct hv_config *cfg);
void devices_event(struct partition *p, enum device_event e);
void devices_stats(const struct partition *p);

#endif
