/*
 * What the hypervisor learns from the firmware's device tree: memory,
 * reserved ranges, CPUs, timebase, OPAL, /chosen. Portable: parses a
 * flattened tree in memory with libfdt and validates every property it uses.
 */
#ifndef HV_CONFIG_PLATFORM_H
#define HV_CONFIG_PLATFORM_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

#define PLAT_MAX_MEM  32
#define PLAT_MAX_RSV  64
#define PLAT_MAX_CPUS 64

struct range {
	uint64_t start, end; /* [start, end) */
};

struct plat_rsv {
	struct range r;
	char name[48];
};

struct platform {
	struct range mem[PLAT_MAX_MEM];
	unsigned int nmem;
	struct plat_rsv rsv[PLAT_MAX_RSV];
	unsigned int nrsv;
	uint32_t cpu_server[PLAT_MAX_CPUS]; /* interrupt server numbers (PIR) */
	unsigned int ncpus;
	unsigned int cpus_ignored; /* beyond PLAT_MAX_CPUS */
	uint32_t boot_cpu;
	uint64_t tb_freq;
	uint64_t opal_base, opal_entry;
	bool has_initrd;
	uint64_t initrd_start, initrd_end;
	char bootargs[512];
	char model[64];
	uint64_t fdt_size;
};

/* Returns 0, or -1 with a one-line reason in err. */
int platform_parse(const void *fdt, struct platform *p, char *err, size_t errlen);
uint64_t platform_mem_total(const struct platform *p);

#endif
