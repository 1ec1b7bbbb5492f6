/* Turns the platform's memory and reserved ranges into an allocator. */
#ifndef HV_MM_MEMMAP_H
#define HV_MM_MEMMAP_H

#include "hv/mm/page_alloc.h"
#include "hv/config/platform.h"

/* extra: ranges the firmware does not know are busy (image, FDT, initrd). */
int memmap_init(struct palloc *pa, const struct platform *p, const struct plat_rsv *extra, unsigned int nextra,
		char *err, size_t errlen);

#endif
