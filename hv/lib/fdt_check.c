#include <stdio.h>
#include <libfdt.h>
#include "hv/lib/fdt_check.h"
#include "hv/lib/error.h"

int fdt_check_structure(const void *blob, const char *what, int max_depth, char *err, size_t errlen)
{
	int offset = 0, next, depth = 0, roots = 0;
	for (;;) {
		uint32_t tag = fdt_next_tag(blob, offset, &next);
		if (next < 0)
			return errorf(err, errlen, "%s: corrupt structure at offset %d: %s", what, offset,
				      fdt_strerror(next));
		/* A property length that wraps the offset around would walk in place or
		 * backwards for ever: every step must advance, within the block. */
		if (next <= offset || (uint32_t)next > fdt_size_dt_struct(blob))
			return errorf(err, errlen, "%s: corrupt structure at offset %d: the next tag is at %d", what,
				      offset, next);
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (depth == 0 && ++roots > 1)
				return errorf(err, errlen, "%s: corrupt structure at offset %d: second root node", what,
					      offset);
			if (++depth > max_depth)
				return errorf(err, errlen, "%s: nodes nested deeper than %d at offset %d", what,
					      max_depth, offset);
			break;
		case FDT_END_NODE:
			if (--depth < 0)
				return errorf(err, errlen, "%s: corrupt structure at offset %d: unbalanced end of node",
					      what, offset);
			break;
		case FDT_PROP: {
			const char *name = NULL; /* libfdt checks that it lies in the strings block */
			if (depth == 0 || !fdt_getprop_by_offset(blob, offset, &name, NULL) || !name)
				return errorf(err, errlen, "%s: corrupt property at offset %d", what, offset);
			break;
		}
		case FDT_END:
			if (depth != 0)
				return errorf(err, errlen, "%s: corrupt structure: %d node(s) not closed", what, depth);
			return 0;
		default: /* FDT_NOP */
			break;
		}
		offset = next;
	}
}
