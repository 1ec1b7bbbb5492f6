/* A full walk of a flattened tree's structure block, before trusting it. */
#ifndef HV_LIB_FDT_CHECK_H
#define HV_LIB_FDT_CHECK_H

#include <stddef.h>

/*
 * libfdt's readers assume a well-formed structure block, and the image's
 * libfdt has no fdt_check_full: this walks every tag once and rejects a bad
 * tag, unbalanced nodes, a second root, a property outside a node or with a
 * name outside the strings block, a step that does not advance inside the
 * structure block (so the walk ends within its size), and nesting deeper
 * than max_depth.
 * The header must have passed fdt_check_header. Returns 0, or -1 with one
 * line in err starting with what ("bundle", "fdt").
 */
int fdt_check_structure(const void *blob, const char *what, int max_depth, char *err, size_t errlen);

#endif
