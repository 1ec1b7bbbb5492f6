#include <string.h>
#include "hv/papr/vpa.h"
#include "hv/lib/bytes.h"

void vpa_set_dispatched(uint8_t *vpa, bool dispatched)
{
	uint32_t n = be32_load(vpa + VPA_DISPATCH_COUNT) + 1;
	if ((n & 1) == dispatched) /* keep counting, and get the parity right */
		n++;
	be32_store(vpa + VPA_DISPATCH_COUNT, n);
}

void dtl_log(uint8_t *vpa, uint8_t *dtl, uint64_t dtl_size, const struct dtl_event *e)
{
	uint64_t entries = dtl_size / DTL_ENTRY_SIZE;
	if (!entries || !(vpa[VPA_DTL_ENABLE_MASK] & e->kind))
		return;
	uint64_t idx = be64_load(vpa + VPA_DTL_IDX);
	uint8_t *d = dtl + (idx % entries) * DTL_ENTRY_SIZE;
	memset(d, 0, DTL_ENTRY_SIZE);
	d[0] = e->dispatch_reason;
	d[2] = (uint8_t)(e->processor_id >> 8);
	d[3] = (uint8_t)e->processor_id;
	be32_store(d + 4, e->waited); /* enqueue to dispatch */
	be64_store(d + 16, e->timebase);
	be64_store(d + 32, e->srr0);
	be64_store(d + 40, e->srr1);
	__atomic_thread_fence(__ATOMIC_RELEASE); /* the entry before the index that shows it */
	be64_store(vpa + VPA_DTL_IDX, idx + 1);
}
