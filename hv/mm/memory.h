/* The hypervisor's physical memory: one locked allocator for all CPUs. */
#ifndef HV_MM_MEMORY_H
#define HV_MM_MEMORY_H

#include <stdint.h>
#include "hv/mm/page_alloc.h"
#include "hv/config/platform.h"

extern struct palloc hv_palloc;

int memory_init(const struct platform *p, const struct plat_rsv *extra, unsigned int nextra);
/* Returns a real address, or 0 when nothing fits (0 is never free: vectors live there). */
uint64_t hv_alloc_pages(uint64_t size, uint64_t align);
/* Gives back what hv_alloc_pages returned; -1 (and a log line) for a bad free. */
int hv_free_pages(uint64_t addr, uint64_t size);
uint64_t hv_free_bytes(void);

#endif
