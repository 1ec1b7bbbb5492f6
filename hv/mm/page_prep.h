/*
 * The page preparation H_ENTER can ask for (H_ZERO_PAGE, H_ICACHE_*), done
 * in chunks that the hypervisor may stop between: a 16 MiB page takes
 * milliseconds, and the other vCPUs of the thread must not wait for it.
 * The progress is kept per vCPU, so the same hcall, restarted, continues
 * where it stopped.
 */
#ifndef HV_MM_PAGE_PREP_H
#define HV_MM_PAGE_PREP_H

#include <stdbool.h>
#include <stdint.h>
#include "papr.h"

#define PAGE_PREP_FLAGS (H_ZERO_PAGE | H_ICACHE_INVALIDATE | H_ICACHE_SYNCHRONIZE)
#define PAGE_PREP_CHUNK (1ull << 20)

struct page_prep {
	uint64_t host, size, flags; /* the request the progress belongs to */
	uint64_t done;              /* bytes of it prepared */
};

struct page_prep_ops {
	void (*zero)(uint64_t host, uint64_t len);
	void (*icache_sync)(uint64_t host, uint64_t len);
	bool (*should_stop)(void); /* asked between chunks: time to let others run */
};

/* Prepares [host, host + size) as flags (PAGE_PREP_FLAGS) say, continuing
 * what *pp has done of this same request. True when all is done (and *pp
 * is free again); false when should_stop() interrupted it. */
bool page_prep_run(struct page_prep *pp, uint64_t host, uint64_t size, uint64_t flags, const struct page_prep_ops *ops);

#endif
