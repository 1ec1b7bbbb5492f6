/* Cache maintenance. */
#ifndef ARCH_CACHE_H
#define ARCH_CACHE_H

#include <stdint.h>

#define CACHE_LINE_SIZE 128

/* Makes [addr, addr + len) as written by data stores visible to
 * instruction fetch: write the data lines back, then drop the icache lines. */
static inline void icache_sync_range(uint64_t addr, uint64_t len)
{
	uint64_t start = addr & ~(uint64_t)(CACHE_LINE_SIZE - 1);
	for (uint64_t a = start; a < addr + len; a += CACHE_LINE_SIZE)
		__asm__ volatile("dcbst 0,%0" : : "r"(a) : "memory");
	__asm__ volatile("sync" ::: "memory");
	for (uint64_t a = start; a < addr + len; a += CACHE_LINE_SIZE)
		__asm__ volatile("icbi 0,%0" : : "r"(a) : "memory");
	__asm__ volatile("sync; isync" ::: "memory");
}

#endif
