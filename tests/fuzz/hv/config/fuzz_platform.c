/* Fuzzes the device-tree readers: the firmware FDT parser and the bundle check. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include "hv/config/bundle.h"
#include "hv/mm/memmap.h"
#include "hv/config/platform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* libfdt requires 8-byte alignment for the blob, as firmware gives it. */
	void *blob = malloc(size ? size : 1);
	memcpy(blob, data, size);
	char err[200];
	static struct platform p;
	static struct palloc pa;
	/* Firmware's tree is trusted to be as long as its header says; the
	 * parser must survive anything inside that length. */
	if (size >= sizeof(struct fdt_header) && fdt_totalsize(blob) <= size &&
	    platform_parse(blob, &p, err, sizeof(err)) == 0)
		memmap_init(&pa, &p, NULL, 0, err, sizeof(err));
	bundle_check(blob, size, err, sizeof(err));
	free(blob);
	return 0;
}
