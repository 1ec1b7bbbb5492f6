#include "hv/mm/memory.h"
#include "hv/mm/memmap.h"
#include "hv/lib/log.h"
#include "hv/lib/spinlock.h"

struct palloc hv_palloc;
static struct spinlock palloc_lock = SPINLOCK_INIT;

int memory_init(const struct platform *p, const struct plat_rsv *extra, unsigned int nextra)
{
	char err[160];
	if (memmap_init(&hv_palloc, p, extra, nextra, err, sizeof(err))) {
		log_error("%s", err);
		return -1;
	}
	return 0;
}

uint64_t hv_alloc_pages(uint64_t size, uint64_t align)
{
	uint64_t addr = 0;
	spin_lock(&palloc_lock);
	enum palloc_err e = palloc_alloc(&hv_palloc, size, align, &addr);
	spin_unlock(&palloc_lock);
	if (e) {
		log_warn("memory: cannot allocate %llu KiB aligned to %llu KiB: %s", (unsigned long long)(size >> 10),
			 (unsigned long long)(align >> 10), palloc_strerror(e));
		return 0;
	}
	return addr;
}

int hv_free_pages(uint64_t addr, uint64_t size)
{
	spin_lock(&palloc_lock);
	enum palloc_err e = palloc_free(&hv_palloc, addr, size);
	spin_unlock(&palloc_lock);
	if (e)
		log_error("memory: bad free of 0x%llx (%llu bytes): %s", (unsigned long long)addr,
			  (unsigned long long)size, palloc_strerror(e));
	return e ? -1 : 0;
}

uint64_t hv_free_bytes(void)
{
	return hv_palloc.free_bytes;
}
