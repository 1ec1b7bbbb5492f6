/*
 * Fuzzes the bundle parser (hv/config.c, through hv/bundle.c) and the
 * kernel loader (hv/elf_load.c): the input as a bundle, then the images of
 * an accepted bundle loaded into a small guest memory, then the input
 * itself as a kernel image.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "hv/config/config.h"
#include "hv/config/elf_load.h"

#define GUEST_MEM (1u << 20) /* small enough to apply every plan for real */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t guest[GUEST_MEM];

/* Plans the image at a load address derived from the input, and applies the plan. */
static void load(const void *image, uint64_t size, uint64_t load_address)
{
	struct load_plan plan;
	char err[200];
	if (elf_plan(image, size, load_address, GUEST_MEM, &plan, err, sizeof(err)))
		return;
	elf_apply(&plan, guest);
	uint64_t at;
	(void)initrd_place(size, GUEST_MEM, plan.highest, &at);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The hypervisor gets the bundle page aligned; libfdt wants 8-byte alignment. */
	void *blob = malloc(size ? size : 1);
	memcpy(blob, data, size);
	static struct hv_config cfg;
	char err[300];
	if (config_parse(blob, size, &cfg, err, sizeof(err)) == 0) {
		for (unsigned int i = 0; i < cfg.npartitions; i++) {
			const struct partition_config *p = &cfg.part[i];
			load(p->kernel.data, p->kernel.size, p->load_address % GUEST_MEM);
			if (p->has_initrd)
				load(p->initrd.data, p->initrd.size, 0x10000);
		}
	}
	load(blob, size, size >= 64 ? (data[63] & 0xf) << 16 : 0);
	free(blob);
	return 0;
}
