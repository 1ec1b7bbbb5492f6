#include <stdio.h>
#include <string.h>
#include <libfdt.h>
#include "hv/config/bundle.h"
#include "hv/lib/fdt_check.h"
#include "hv/lib/error.h"

#define MAX_DEPTH 16 /* the schema needs 3; bounds the walk on hostile input */

int bundle_check(const void *blob, uint64_t size, char *err, size_t errlen)
{
	if (size < sizeof(struct fdt_header))
		return errorf(err, errlen, "bundle: %llu bytes is too small to be a bundle", (unsigned long long)size);
	if (fdt_magic(blob) != FDT_MAGIC)
		return errorf(err, errlen,
			      "bundle: not a bundle (magic 0x%08x, expected 0x%08x); build one with ./hvctl bundle",
			      (unsigned)fdt_magic(blob), (unsigned)FDT_MAGIC);
	int rc = fdt_check_header(blob);
	if (rc)
		return errorf(err, errlen, "bundle: corrupt header: %s", fdt_strerror(rc));
	if (fdt_totalsize(blob) > size)
		return errorf(err, errlen, "bundle: header says %u bytes but only %llu were loaded",
			      (unsigned)fdt_totalsize(blob), (unsigned long long)size);
	/* dtc aligns the blocks; a hostile header need not, and the readers assume it. */
	if (fdt_off_dt_struct(blob) % 4 || fdt_off_mem_rsvmap(blob) % 8)
		return errorf(err, errlen,
			      "bundle: corrupt header: blocks at unaligned offsets (structure 0x%x, reserve map 0x%x)",
			      (unsigned)fdt_off_dt_struct(blob), (unsigned)fdt_off_mem_rsvmap(blob));
	if (fdt_check_structure(blob, "bundle", MAX_DEPTH, err, errlen))
		return -1;
	if (fdt_node_check_compatible(blob, 0, BUNDLE_COMPATIBLE))
		return errorf(err, errlen, "bundle: root node is not compatible with \"%s\"", BUNDLE_COMPATIBLE);
	int parts = fdt_path_offset(blob, "/partitions");
	if (parts < 0)
		return errorf(err, errlen, "bundle: missing node /partitions");
	int n = 0, node;
	fdt_for_each_subnode (node, blob, parts)
		n++;
	if (node < 0 && node != -FDT_ERR_NOTFOUND)
		return errorf(err, errlen, "bundle: /partitions: %s", fdt_strerror(node));
	return n;
}
