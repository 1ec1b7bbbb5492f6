/*
 * Physical memory allocator: a sorted list of free extents.
 *
 * Portable (no hardware access, no locking): hv/memory.c wraps one
 * instance with a lock for the hypervisor; host unit tests use it directly.
 * Extents suit what the hypervisor allocates: few, large, aligned blocks
 * (per-CPU stacks, HPTs aligned to their size, guest memory).
 */
#ifndef HV_MM_PAGE_ALLOC_H
#define HV_MM_PAGE_ALLOC_H

#include <stdint.h>
#include <stdbool.h>

#define PAGE_SIZE          4096ull
#define PALLOC_MAX_EXTENTS 256

struct extent {
	uint64_t start, end; /* [start, end), page aligned */
};

struct palloc {
	struct extent free[PALLOC_MAX_EXTENTS];
	unsigned int nfree;
	uint64_t total; /* bytes ever added */
	uint64_t free_bytes;
};

enum palloc_err {
	PALLOC_OK = 0,
	PALLOC_ENOMEM,   /* no extent fits */
	PALLOC_EINVAL,   /* zero size, bad alignment, wrap-around */
	PALLOC_EOVERLAP, /* freeing or adding memory that is already free */
	PALLOC_EFULL,    /* extent table full */
};

void palloc_init(struct palloc *pa);
/* Adds [start, end) rounded inward to pages. Rejects overlap with free memory. */
enum palloc_err palloc_add(struct palloc *pa, uint64_t start, uint64_t end);
/* Removes [start, end), rounded outward to pages, from the free memory. */
enum palloc_err palloc_reserve(struct palloc *pa, uint64_t start, uint64_t end);
/* Lowest-address fit of size bytes aligned to align (a power of two >= 4 KiB). */
enum palloc_err palloc_alloc(struct palloc *pa, uint64_t size, uint64_t align, uint64_t *out);
enum palloc_err palloc_free(struct palloc *pa, uint64_t addr, uint64_t size);
/* True when no byte of [start, end) is free. */
bool palloc_is_allocated(const struct palloc *pa, uint64_t start, uint64_t end);
const char *palloc_strerror(enum palloc_err e);

#endif
