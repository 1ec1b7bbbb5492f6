#include <string.h>
#include "hv/arch/ptab.h"
#include "hv/mm/memory.h"
#include "arch/cache.h"
#include "arch/mmu.h"
#include "arch/spr.h"

#define PTAB_SIZE (PTAB_MAX_LPIDS * 16)
static uint64_t *ptab;

int ptab_init(void)
{
	if (ptab)
		return 0;
	ptab = (uint64_t *)(uintptr_t)hv_alloc_pages(PTAB_SIZE, PTAB_SIZE);
	if (!ptab)
		return -1;
	memset(ptab, 0, PTAB_SIZE);
	ptab_cpu_init();
	return 0;
}

void ptab_cpu_init(void)
{
	mtspr(SPR_PTCR, (uint64_t)ptab); /* PATS = 0 */
	isync();
}

void ptab_set(unsigned int lpid, uint64_t dw0, uint64_t dw1)
{
	ptab[2 * lpid] = dw0;
	ptab[2 * lpid + 1] = dw1;
	tlbie_lpid(lpid);
}

/* The hooks get the LPID itself as their context. */
static void tlb_invalidate(void *ctx, uint64_t rb)
{
	tlbie_page(rb, (uint32_t)(uintptr_t)ctx);
}

static void ptesync_hook(void *ctx)
{
	(void)ctx;
	ptesync();
}

void ptab_attach_hpt(struct hpt *h, unsigned int lpid)
{
	h->ctx = (void *)(uintptr_t)lpid;
	h->tlb_invalidate = tlb_invalidate;
	h->ptesync = ptesync_hook;
}
