/*
 * The virtual processor area (VPA) a PAPR guest registers per vCPU
 * (H_REGISTER_VPA) and its dispatch trace log (DTL), as the hypervisor
 * keeps them: the dispatch count is even while the vCPU holds a thread
 * and odd while it does not (Linux's vcpu_is_preempted() reads its
 * parity), and each dispatch of the kinds the guest enabled in the VPA's
 * DTL enable mask appends one entry to the DTL ring. Portable: guest
 * memory is seen as host buffers; the guest may scribble on both, so
 * every index is taken modulo the ring.
 */
#ifndef HV_PAPR_VPA_H
#define HV_PAPR_VPA_H

#include <stdbool.h>
#include <stdint.h>

#define VPA_SIZE_MIN        640   /* the lppaca */
#define VPA_SHARED_PROC     0x9   /* byte: 0x2 = shared processor */
#define VPA_DTL_ENABLE_MASK 0xb8  /* byte: which dispatches to log */
#define VPA_DISPATCH_COUNT  0x100 /* big-endian u32 (Linux: yield_count) */
#define VPA_DTL_IDX         0x218 /* big-endian u64: entries ever written */
#define DTL_ENTRY_SIZE      48

/* Kinds of dispatch, as the DTL enable mask names them. */
#define DTL_LOG_CEDE    0x1 /* after H_CEDE */
#define DTL_LOG_PREEMPT 0x2 /* after the hypervisor took the thread away */

/* DTL dispatch reasons (PAPR). */
#define DTL_REASON_EXTERNAL   0
#define DTL_REASON_PROD       2
#define DTL_REASON_DEC        3
#define DTL_REASON_SYS_RESET  4
#define DTL_REASON_TIME_SLICE 7

struct dtl_event {
	uint8_t kind; /* DTL_LOG_* */
	uint8_t dispatch_reason;
	uint16_t processor_id;
	uint32_t waited; /* ticks it was ready to run but not running */
	uint64_t timebase, srr0, srr1;
};

/* Makes the dispatch count even (the vCPU now holds a thread) or odd. */
void vpa_set_dispatched(uint8_t *vpa, bool dispatched);
/* Appends e to the ring dtl (dtl_size bytes) if the VPA's mask asks for its kind. */
void dtl_log(uint8_t *vpa, uint8_t *dtl, uint64_t dtl_size, const struct dtl_event *e);

#endif
