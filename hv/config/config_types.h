/* The bundle's configuration as the parser fills it (hv/config/config.h). */
#ifndef HV_CONFIG_CONFIG_TYPES_H
#define HV_CONFIG_CONFIG_TYPES_H

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

#define CONFIG_MAX_HOST_DISKS 8
#define CONFIG_MAX_DISKS      32 /* partitions' disks, in all */

/* A disk of the machine the bundle names: an NVMe namespace found at boot
 * (by the block device's name, or by its controller's serial number), or a
 * bundle image kept in memory. */
enum host_disk_kind { HOST_DISK_DEVICE, HOST_DISK_SERIAL, HOST_DISK_IMAGE };

struct host_disk_config {
	char name[16];
	enum host_disk_kind kind;
	char device[16];        /* HOST_DISK_DEVICE: "nvme0n1" */
	char serial[21];        /* HOST_DISK_SERIAL: the controller's serial number */
	unsigned int nsid;      /* HOST_DISK_SERIAL: namespace, default 1 */
	struct image_ref image; /* HOST_DISK_IMAGE */
};

/* A partition's disk: bytes [start, start + size) of a host disk. */
struct disk_config {
	char name[16];
	unsigned int partition; /* index in hv_config.part */
	unsigned int host_disk; /* index in hv_config.host_disk */
	uint64_t start;
	uint64_t size; /* 0: to the end of the host disk */
	bool read_only;
	char serial[21];      /* what the guest sees as the disk's ID; default "<partition>-<disk>" */
	unsigned int queues;  /* virtqueues; 0: one per vCPU of the partition */
	bool write_through;   /* write-cache = "writethrough": a completed write is on the medium */
	bool packed_ring;     /* ring = "packed": VIRTIO_F_RING_PACKED offered (default: split rings only) */
	bool access_platform; /* access-platform: the device reaches memory through the partition's TCEs */
};

#define CONFIG_MAX_DISK_QUEUES 16

struct hv_config {
	unsigned int time_slice_us;
	int loglevel;                    /* -1 when not given, else 0..3 = error..debug */
	bool power_off_when_all_stopped; /* default true */
	unsigned int npartitions;
	struct partition_config part[CONFIG_MAX_PARTITIONS];
	unsigned int nshm;
	struct shm_config shm[CONFIG_MAX_SHM];
	unsigned int nhost_disks;
	struct host_disk_config host_disk[CONFIG_MAX_HOST_DISKS];
	unsigned int ndisks;
	struct disk_config disk[CONFIG_MAX_DISKS];
};

#endif
