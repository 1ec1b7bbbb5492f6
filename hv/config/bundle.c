#include <stdio.h>
#include <string.h>
#include <libfdt.h>
#include "hv/bundle.h"
#include "hv/fdt_check.h"

#define MAX_DEPTH 16   /* the schema needs 3; bounds the walk on hostile input */

int bundle_check(const void *blob, uint64_t size, char *err, size_t errlen)
{
	if (size < sizeof(struct fdt_header)) {
		snprintf(err, errlen, "bundle: %llu bytes is too small to be a bundle", (unsigned long long)size);
		return -1;
	}
	if (fdt_magic(blob) != FDT_MAGIC) {
		snprintf(err, errlen, "bundle: not a bundle (magic 0x%08x, expected 0x%08x); build one with ./hvctl bundle",
			 (unsigned)fdt_magic(blob), (unsigned)FDT_MAGIC);
		return -1;
	}
	int rc = fdt_check_header(blob);
	if (rc) {
		snprintf(err, errlen, "bundle: corrupt header: %s", fdt_strerror(rc));
		return -1;
	}
	if (fdt_totalsize(blob) > size) {
		snprintf(err, errlen, "bundle: header says %u bytes but only %llu were loaded",
			 (unsigned)fdt_totalsize(blob), (unsigned long long)size);
		return -1;
	}
	/* dtc aligns the blocks; a hostile header need not, and the readers assume it. */
	if (fdt_off_dt_struct(blob) % 4 || fdt_off_mem_rsvmap(blob) % 8) {
		snprintf(err, errlen, "bundle: corrupt header: blocks at unaligned offsets (structure 0x%x, reserve map 0x%x)",
			 (unsigned)fdt_off_dt_struct(blob), (unsigned)fdt_off_mem_rsvmap(blob));
		return -1;
	}
	if (fdt_check_structure(blob, "bundle", MAX_DEPTH, err, errlen))
		return -1;
	if (fdt_node_check_compatible(blob, 0, BUNDLE_COMPATIBLE)) {
		snprintf(err, errlen, "bundle: root node is not compatible with \"%s\"", BUNDLE_COMPATIBLE);
		return -1;
	}
	int parts = fdt_path_offset(blob, "/partitions");
	if (parts < 0) {
		snprintf(err, errlen, "bundle: missing node /partitions");
		return -1;
	}
	int n = 0, node;
	fdt_for_each_subnode(node, blob, parts)
		n++;
	if (node < 0 && node != -FDT_ERR_NOTFOUND) {
		snprintf(err, errlen, "bundle: /partitions: %s", fdt_strerror(node));
		return -1;
	}
	return n;
}
