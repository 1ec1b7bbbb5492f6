#include <stdio.h>
#include "hv/mm/memmap.h"
#include "hv/lib/error.h"

int memmap_init(struct palloc *pa, const struct platform *p, const struct plat_rsv *extra, unsigned int nextra,
		char *err, size_t errlen)
{
	palloc_init(pa);
	for (unsigned int i = 0; i < p->nmem; i++) {
		enum palloc_err e = palloc_add(pa, p->mem[i].start, p->mem[i].end);
		if (e)
			return errorf(err, errlen, "memory: cannot add [0x%llx, 0x%llx): %s",
				      (unsigned long long)p->mem[i].start, (unsigned long long)p->mem[i].end,
				      palloc_strerror(e));
	}
	for (unsigned int i = 0; i < p->nrsv + nextra; i++) {
		const struct plat_rsv *r = i < p->nrsv ? &p->rsv[i] : &extra[i - p->nrsv];
		enum palloc_err e = palloc_reserve(pa, r->r.start, r->r.end);
		if (e)
			return errorf(err, errlen, "memory: cannot reserve %s [0x%llx, 0x%llx): %s", r->name,
				      (unsigned long long)r->r.start, (unsigned long long)r->r.end, palloc_strerror(e));
	}
	return 0;
}
