#include <string.h>
#include "hv/arch/page_prep_hw.h"
#include "arch/cache.h"
#include "hv/cpu.h"
#include "drivers/timebase.h"

static void zero(uint64_t host, uint64_t len)
{
	memset((void *)(uintptr_t)host, 0, len);
}

static void icache_sync(uint64_t host, uint64_t len)
{
	icache_sync_range(host, len);
}

/* The scheduler is due once the guest entry's budget (its HDEC) is spent. */
static bool slice_over(void)
{
	return (int64_t)(tb_now() - this_cpu()->entry_ends) >= 0;
}

const struct page_prep_ops page_prep_hw = { zero, icache_sync, slice_over };
