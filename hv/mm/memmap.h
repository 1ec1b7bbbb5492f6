/* Turns the platform's memory and reserved ranges into an allocator. */
#ifndef HV_MEMMAP_H
#define HV_MEMMAP_H

#include "hv/page_alloc.h"
#include "hv/platform.h"

/* extra: ranges the firmware does not know are busy (image, FDT, initrd). */
int memmap_init(struct palloc *pa, const struct platform *p, const struct plat_rsv *extra,
		unsigned int nextra, char *err, size_t errlen);

#endif
