#include <string.h>
#include "hv/papr/boot_image.h"
#include "hv/config/elf_load.h"
#include "hv/lib/error.h"
#include "hv/papr/fwnmi.h"
#include "hv/papr/rtas.h"

int boot_image_load(void *mem, uint64_t mem_size, const struct partition_config *cfg, struct guest_fdt_params *gp,
		    struct boot_image *out, char *err, size_t errlen)
{
	char why[160];
	struct load_plan plan;
	uint8_t *base = mem;
	memset(out, 0, sizeof(*out));
	if (elf_plan(cfg->kernel.data, cfg->kernel.size, cfg->load_address, mem_size, &plan, why, sizeof(why)))
		return errorf(err, errlen, "kernel '%s': %s", cfg->kernel.name, why);
	elf_apply(&plan, mem);
	out->entry = plan.entry;
	out->little_endian = plan.little_endian;
	out->load_address = cfg->load_address;
	out->code_start = plan.lowest;
	out->code_end = plan.highest;
	uint64_t top = plan.highest;
	if (cfg->has_initrd) {
		if (initrd_place(cfg->initrd.size, mem_size, plan.highest, &out->initrd_addr))
			return errorf(err, errlen, "initrd '%s' (%llu bytes) does not fit in memory after the kernel",
				      cfg->initrd.name, (unsigned long long)cfg->initrd.size);
		out->initrd_size = cfg->initrd.size;
		memcpy(base + out->initrd_addr, cfg->initrd.data, out->initrd_size);
		top = out->initrd_addr + out->initrd_size;
	}
	/* RTAS blob and the device tree go at the top of memory, like QEMU puts them high in the RMA. */
	out->rtas_base = mem_size - GUEST_RTAS_AREA;
	out->fdt_addr = out->rtas_base - GUEST_FDT_MAX;
	if (top > out->fdt_addr)
		return errorf(err, errlen,
			      "kernel and initrd end at 0x%llx, above the device tree at 0x%llx: give it more memory",
			      (unsigned long long)top, (unsigned long long)out->fdt_addr);
	memcpy(base + out->rtas_base, rtas_blob, rtas_blob_words * 4);
	gp->initrd_start = out->initrd_addr;
	gp->initrd_size = out->initrd_size;
	gp->rtas_base = out->rtas_base;
	gp->rtas_size = rtas_area_size(gp->nvcpus); /* the blob, the error log, the reset slots */
	int rc = guest_fdt_build(base + out->fdt_addr, GUEST_FDT_MAX, gp);
	if (rc)
		return errorf(err, errlen, "cannot build its device tree (libfdt error %d)", rc);
	return 0;
}
