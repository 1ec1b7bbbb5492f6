/*
 * What a pseries guest finds in its memory when it starts, placed as QEMU's
 * pseries machine places it: the kernel (hv/config/elf_load.h), the initrd
 * after it, and at the top of memory the device tree and the RTAS blob.
 * Portable: it writes into guest memory seen as a host buffer; making the
 * written code visible to instruction fetch is the caller's job.
 */
#ifndef HV_PAPR_BOOT_IMAGE_H
#define HV_PAPR_BOOT_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hv/config/config.h"
#include "hv/papr/guest_fdt.h"

#define GUEST_FDT_MAX   (64 * 1024)
#define GUEST_RTAS_AREA (64 * 1024) /* the last 64 KiB of memory: the RTAS blob */

struct boot_image {
	uint64_t entry, load_address;
	bool little_endian;
	uint64_t code_start, code_end; /* guest-real span of the kernel's bytes */
	uint64_t initrd_addr, initrd_size;
	uint64_t rtas_base, fdt_addr;
};

/*
 * Loads cfg's kernel and initrd into mem (mem_size bytes, zeroed), the RTAS
 * blob and a device tree built from gp (whose placement fields it fills in).
 * 0, or -1 with one line in err.
 */
int boot_image_load(void *mem, uint64_t mem_size, const struct partition_config *cfg, struct guest_fdt_params *gp,
		    struct boot_image *out, char *err, size_t errlen);

#endif
