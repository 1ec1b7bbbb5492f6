/*
 * Device registers from hypervisor real mode: the caching-inhibited
 * indexed loads and stores (lwzcix, stwcix, ...), which the architecture
 * reserves for this; a plain load in real mode would be cacheable. Each
 * access is preceded by sync so that memory writes (a queue entry) are
 * visible before the register write (its doorbell) that announces them.
 * Big-endian like the hypervisor; little-endian devices swap (the *_le).
 */
#ifndef ARCH_IO_H
#define ARCH_IO_H

#include <stdint.h>

static inline uint32_t ci_read32(uint64_t addr)
{
	uint32_t v;
	__asm__ volatile("sync; lwzcix %0,0,%1" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline uint64_t ci_read64(uint64_t addr)
{
	uint64_t v;
	__asm__ volatile("sync; ldcix %0,0,%1" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void ci_write32(uint64_t addr, uint32_t v)
{
	__asm__ volatile("sync; stwcix %0,0,%1" : : "r"(v), "r"(addr) : "memory");
}

static inline void ci_write64(uint64_t addr, uint64_t v)
{
	__asm__ volatile("sync; stdcix %0,0,%1" : : "r"(v), "r"(addr) : "memory");
}

static inline uint32_t ci_read32_le(uint64_t addr)
{
	return __builtin_bswap32(ci_read32(addr));
}

static inline void ci_write32_le(uint64_t addr, uint32_t v)
{
	ci_write32(addr, __builtin_bswap32(v));
}

#endif
