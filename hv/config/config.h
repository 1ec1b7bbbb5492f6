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

#define CONFIG_MAX_PARTITIONS 16
#define CONFIG_MAX_VCPUS      32
#define CONFIG_MAX_CPU_INDEX  63

#define CONFIG_DEFAULT_TIME_SLICE_US 10000
#define CONFIG_DEFAULT_LOAD_ADDRESS  0x400000ull /* QEMU pseries KERNEL_LOAD_ADDR */

struct image_ref {
	const void *data; /* points INTO the bundle */
	uint64_t size;
	char name[32];
};

struct partition_config {
	char name[16];
	uint64_t memory;
	unsigned int vcpus;
	bool cpus_given;
	unsigned int cpus[CONFIG_MAX_VCPUS];
	struct image_ref kernel;
	bool has_initrd;
	struct image_ref initrd;
	char bootargs[1024];
	uint64_t load_address;
	unsigned int hpt_shift;
};

#define CONFIG_MAX_SHM       8
#define CONFIG_MAX_SHM_PEERS 6
#define CONFIG_MAX_BRIDGES   2 /* PCI host bridges per partition (hv/papr/phb.h PHB_MAX) */

/* A partition's place in a shared-memory region (its ivshmem device). */
struct shm_peer_config {
	unsigned int partition; /* index in hv_config.part */
	unsigned int id;        /* its IVPosition, 0..npeers-1 */
	unsigned int bridge;    /* which of the partition's PCI host bridges */
	bool read_only;
};

struct shm_config {
	char name[16];
	uint64_t size;        /* a power of two, 4 KiB .. 1 GiB */
	uint64_t output_size; /* per-peer output sections; 0: none */
	unsigned int npeers;
	struct shm_peer_config peer[CONFIG_MAX_SHM_PEERS];
};

struct hv_config {
	unsigned int time_slice_us;
	int loglevel;                    /* -1 when not given, else 0..3 = error..debug */
	bool power_off_when_all_stopped; /* default true */
	unsigned int npartitions;
	struct partition_config part[CONFIG_MAX_PARTITIONS];
	unsigned int nshm;
	struct shm_config shm[CONFIG_MAX_SHM];
};

/*
 * Validates everything; returns 0, or -1 with one line in err naming the
 * partition, the property and the problem, e.g.
 * "bundle: partition 'web': property memory: 100 MiB is not a multiple of 16 MiB".
 */
int config_parse(const void *bundle, uint64_t size, struct hv_config *cfg, char *err, size_t errlen);

/* The HPT size QEMU pseries picks: 1/128 of memory rounded up to a power of 2, 2^18..2^30. */
unsigned int config_default_hpt_shift(uint64_t memory);

#endif
