#include <stdio.h>
#include <string.h>
#include <libfdt.h>
#include "hv/bundle.h"

#define MAX_DEPTH 16   /* the schema needs 3; bounds the walk on hostile input */

/*
 * libfdt's readers bound-check, but the image's libfdt has no
 * fdt_check_full: walk every tag once so that a malformed structure block
 * (bad tag, unbalanced nodes, property outside a node, property name
 * outside the strings block) is rejected up front with a clear message.
 */
static int check_structure(const void *blob, char *err, size_t errlen)
{
	int offset = 0, next, depth = 0, roots = 0;
	for (;;) {
		uint32_t tag = fdt_next_tag(blob, offset, &next);
		if (next < 0) {
			snprintf(err, errlen, "bundle: corrupt structure at offset %d: %s", offset, fdt_strerror(next));
			return -1;
		}
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (depth == 0 && ++roots > 1) {
				snprintf(err, errlen, "bundle: corrupt structure at offset %d: second root node", offset);
				return -1;
			}
			if (++depth > MAX_DEPTH) {
				snprintf(err, errlen, "bundle: nodes nested deeper than %d at offset %d", MAX_DEPTH, offset);
				return -1;
			}
			break;
		case FDT_END_NODE:
			if (--depth < 0) {
				snprintf(err, errlen, "bundle: corrupt structure at offset %d: unbalanced end of node", offset);
				return -1;
			}
			break;
		case FDT_PROP: {
			const char *name = NULL;   /* libfdt checks that it lies in the strings block */
			if (depth == 0 || !fdt_getprop_by_offset(blob, offset, &name, NULL) || !name) {
				snprintf(err, errlen, "bundle: corrupt property at offset %d", offset);
				return -1;
			}
			break;
		}
		case FDT_END:
			if (depth != 0) {
				snprintf(err, errlen, "bundle: corrupt structure: %d node(s) not closed", depth);
				return -1;
			}
			return 0;
		default:   /* FDT_NOP */
			break;
		}
		offset = next;
	}
}

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
	if (check_structure(blob, err, errlen))
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
