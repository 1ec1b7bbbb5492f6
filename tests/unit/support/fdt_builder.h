/* Builds firmware-like device trees for host tests, with knobs to break them. */
#ifndef TESTS_UNIT_SUPPORT_FDT_BUILDER_H
#define TESTS_UNIT_SUPPORT_FDT_BUILDER_H

#include <stdbool.h>
#include <stdint.h>

struct fdt_spec {
	unsigned int nmem;
	uint64_t mem[8][2]; /* base, size */
	bool mem_reg_bad_len;
	unsigned int ncores, threads; /* server numbers: core * 4 + thread */
	uint32_t boot_cpu;
	bool dup_server;
	bool no_tbfreq, tbfreq_64bit, tbfreq_bad_len;
	bool no_opal;
	unsigned int nrsvmap;
	uint64_t rsvmap[4][2];
	unsigned int nresmem;
	uint64_t resmem[4][2];
	bool initrd, initrd_only_start;
	uint64_t initrd_start, initrd_end;
	const char *bootargs;
	bool bootargs_unterminated;
};

/* A sane 4 GiB, 4-core machine like QEMU powernv9. */
void fdt_spec_default(struct fdt_spec *s);
/* Builds into a static buffer and returns it. */
void *fdt_build(const struct fdt_spec *s);

#endif
