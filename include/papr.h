/*
 * PAPR hypervisor-call numbers, return codes and flag values.
 *
 * Values as QEMU's pseries machine (include/hw/ppc/spapr.h) and Linux
 * (arch/powerpc/include/asm/hvcall.h) define them; the guest sees exactly
 * these. Flags use IBM bit numbering in PAPR: bit n is 1 << (63 - n).
 */
#ifndef PAPR_H
#define PAPR_H

/* ---- Return codes (r3) ---- */
#define H_SUCCESS                  0
#define H_BUSY                     1
#define H_CLOSED                   2
#define H_NOT_AVAILABLE            3
#define H_CONSTRAINED              4
#define H_PARTIAL                  5
#define H_IN_PROGRESS              14
#define H_PAGE_REGISTERED          15
#define H_PARTIAL_STORE            16
#define H_PENDING                  17
#define H_CONTINUE                 18
#define H_LONG_BUSY_START_RANGE    9900
#define H_LONG_BUSY_ORDER_1_MSEC   9900
#define H_LONG_BUSY_ORDER_10_MSEC  9901
#define H_LONG_BUSY_ORDER_100_MSEC 9902
#define H_LONG_BUSY_ORDER_1_SEC    9903
#define H_LONG_BUSY_ORDER_10_SEC   9904
#define H_LONG_BUSY_ORDER_100_SEC  9905
#define H_LONG_BUSY_END_RANGE      9905
#define H_HARDWARE                 (-1)
#define H_FUNCTION                 (-2)
#define H_PRIVILEGE                (-3)
#define H_PARAMETER                (-4)
#define H_BAD_MODE                 (-5)
#define H_PTEG_FULL                (-6)
#define H_NOT_FOUND                (-7)
#define H_RESERVED_DABR            (-8)
#define H_NO_MEM                   (-9)
#define H_AUTHORITY                (-10)
#define H_PERMISSION               (-11)
#define H_DROPPED                  (-12)
#define H_SOURCE_PARM              (-13)
#define H_DEST_PARM                (-14)
#define H_REMOTE_PARM              (-15)
#define H_RESOURCE                 (-16)
#define H_ADAPTER_PARM             (-17)
#define H_RH_PARM                  (-18)
#define H_RCQ_PARM                 (-19)
#define H_SCQ_PARM                 (-20)
#define H_EQ_PARM                  (-21)
#define H_RT_PARM                  (-22)
#define H_ST_PARM                  (-23)
#define H_SIGT_PARM                (-24)
#define H_TOKEN_PARM               (-25)
#define H_MLENGTH_PARM             (-27)
#define H_MEM_PARM                 (-28)
#define H_MEM_ACCESS_PARM          (-29)
#define H_ATTR_PARM                (-30)
#define H_PORT_PARM                (-31)
#define H_MCG_PARM                 (-32)
#define H_VL_PARM                  (-33)
#define H_TSIZE_PARM               (-34)
#define H_TRACE_PARM               (-35)
#define H_MASK_PARM                (-37)
#define H_MCG_FULL                 (-38)
#define H_ALIAS_EXIST              (-39)
#define H_P_COUNTER                (-40)
#define H_TABLE_FULL               (-41)
#define H_ALT_TABLE                (-42)
#define H_MR_CONDITION             (-43)
#define H_NOT_ENOUGH_RESOURCES     (-44)
#define H_R_STATE                  (-45)
#define H_RESCINDED                (-46)
#define H_ABORTED                  (-54)
#define H_P2                       (-55)
#define H_P3                       (-56)
#define H_P4                       (-57)
#define H_P5                       (-58)
#define H_P6                       (-59)
#define H_P7                       (-60)
#define H_P8                       (-61)
#define H_P9                       (-62)
#define H_NOOP                     (-63)
#define H_TOO_BIG                  (-64)
#define H_UNSUPPORTED              (-67)
#define H_OVERLAP                  (-68)
#define H_INTERRUPT                (-69)
#define H_BAD_DATA                 (-70)
#define H_NOT_ACTIVE               (-71)
#define H_SG_LIST                  (-72)
#define H_OP_MODE                  (-73)
#define H_COP_HW                   (-74)
#define H_STATE                    (-75)
#define H_IN_USE                   (-77)
#define H_UNSUPPORTED_FLAG         (-256) /* QEMU's name for ..._START */
#define H_UNSUPPORTED_FLAG_START   (-256)
#define H_UNSUPPORTED_FLAG_END     (-511)
#define H_MULTI_THREADS_ACTIVE     (-9005)
#define H_OUTSTANDING_COP_OPS      (-9006)

/* ---- Flags (r4 of the page-table hcalls, and others) ---- */
#define H_LARGE_PAGE         (1ull << (63 - 16))
#define H_EXACT              (1ull << (63 - 24)) /* H_ENTER: use exactly ptex */
#define H_R_XLATE            (1ull << (63 - 25))
#define H_READ_4             (1ull << (63 - 26)) /* H_READ: 4 entries */
#define H_PAGE_STATE_CHANGE  (1ull << (63 - 28))
#define H_PAGE_UNUSED        ((1ull << (63 - 29)) | (1ull << (63 - 30)))
#define H_PAGE_SET_UNUSED    (H_PAGE_STATE_CHANGE | H_PAGE_UNUSED)
#define H_PAGE_SET_LOANED    (H_PAGE_SET_UNUSED | (1ull << (63 - 31)))
#define H_PAGE_SET_ACTIVE    H_PAGE_STATE_CHANGE
#define H_AVPN               (1ull << (63 - 32)) /* H_REMOVE/H_PROTECT: avpn must match */
#define H_ANDCOND            (1ull << (63 - 33)) /* H_REMOVE: only if (pteh & avpn) == 0 */
#define H_LOCAL              (1ull << (63 - 35))
#define H_ICACHE_INVALIDATE  (1ull << (63 - 40))
#define H_ICACHE_SYNCHRONIZE (1ull << (63 - 41))
#define H_COALESCE_CAND      (1ull << (63 - 42))
#define H_ZERO_PAGE          (1ull << (63 - 48))
#define H_COPY_PAGE          (1ull << (63 - 49))
#define H_N                  (1ull << (63 - 61))
#define H_PP1                (1ull << (63 - 62))
#define H_PP2                (1ull << (63 - 63))

/* H_PROTECT flags carry the new protection bits (QEMU h_protect, KVM
 * kvmppc_h_protect): pp0 in bit 8 (-> HPTE_R_PP0 via << 55), key bits 0:1 in
 * bits 12:13 (-> HPTE_R_KEY_HI via << 48), N/PP/key bits 2:4 in place. */
#define H_PROTECT_PP0      0x0000000000000100ull
#define H_PROTECT_KEY_HI   0x0000000000003000ull
#define H_PROTECT_LOW_BITS 0x0000000000000e07ull /* KEY_LO | N | PP */

/* H_BULK_REMOVE: each request is a (tsh, tsl) pair in r4..r11. */
#define H_BULK_REMOVE_TYPE      0xc000000000000000ull
#define H_BULK_REMOVE_REQUEST   0x4000000000000000ull
#define H_BULK_REMOVE_RESPONSE  0x8000000000000000ull
#define H_BULK_REMOVE_END       0xc000000000000000ull
#define H_BULK_REMOVE_CODE      0x3000000000000000ull
#define H_BULK_REMOVE_SUCCESS   0x0000000000000000ull
#define H_BULK_REMOVE_NOT_FOUND 0x1000000000000000ull
#define H_BULK_REMOVE_PARM      0x2000000000000000ull
#define H_BULK_REMOVE_HW        0x3000000000000000ull
#define H_BULK_REMOVE_RC        0x0c00000000000000ull /* R -> 0x08.., C -> 0x04.. */
#define H_BULK_REMOVE_FLAGS     0x0300000000000000ull
#define H_BULK_REMOVE_ABSOLUTE  0x0000000000000000ull
#define H_BULK_REMOVE_ANDCOND   0x0100000000000000ull
#define H_BULK_REMOVE_AVPN      0x0200000000000000ull
#define H_BULK_REMOVE_PTEX      0x00ffffffffffffffull
#define H_BULK_REMOVE_MAX_BATCH 4

/* ---- RTAS call statuses (the first return word) ---- */
#define RTAS_OK          0
#define RTAS_HW_ERROR    (-1)
#define RTAS_BUSY        (-2)
#define RTAS_PARAM_ERROR (-3)

/* ---- hcall numbers (r3 on entry) ---- */
#define H_REMOVE                        0x04
#define H_ENTER                         0x08
#define H_READ                          0x0c
#define H_CLEAR_MOD                     0x10
#define H_CLEAR_REF                     0x14
#define H_PROTECT                       0x18
#define H_GET_TCE                       0x1c
#define H_PUT_TCE                       0x20
#define H_SET_SPRG0                     0x24
#define H_SET_DABR                      0x28
#define H_PAGE_INIT                     0x2c
#define H_SET_ASR                       0x30
#define H_ASR_ON                        0x34
#define H_ASR_OFF                       0x38
#define H_LOGICAL_CI_LOAD               0x3c
#define H_LOGICAL_CI_STORE              0x40
#define H_LOGICAL_CACHE_LOAD            0x44
#define H_LOGICAL_CACHE_STORE           0x48
#define H_LOGICAL_ICBI                  0x4c
#define H_LOGICAL_DCBF                  0x50
#define H_GET_TERM_CHAR                 0x54
#define H_PUT_TERM_CHAR                 0x58
#define H_REAL_TO_LOGICAL               0x5c
#define H_HYPERVISOR_DATA               0x60
#define H_EOI                           0x64
#define H_CPPR                          0x68
#define H_IPI                           0x6c
#define H_IPOLL                         0x70
#define H_XIRR                          0x74
#define H_MIGRATE_DMA                   0x78
#define H_PERFMON                       0x7c
#define H_REGISTER_VPA                  0xdc
#define H_CEDE                          0xe0
#define H_CONFER                        0xe4
#define H_PROD                          0xe8
#define H_GET_PPP                       0xec
#define H_SET_PPP                       0xf0
#define H_PURR                          0xf4
#define H_PIC                           0xf8
#define H_REG_CRQ                       0xfc
#define H_FREE_CRQ                      0x100
#define H_VIO_SIGNAL                    0x104
#define H_SEND_CRQ                      0x108
#define H_COPY_RDMA                     0x110
#define H_REGISTER_LOGICAL_LAN          0x114
#define H_FREE_LOGICAL_LAN              0x118
#define H_ADD_LOGICAL_LAN_BUFFER        0x11c
#define H_SEND_LOGICAL_LAN              0x120
#define H_BULK_REMOVE                   0x124
#define H_MULTICAST_CTRL                0x130
#define H_SET_XDABR                     0x134
#define H_STUFF_TCE                     0x138
#define H_PUT_TCE_INDIRECT              0x13c
#define H_CHANGE_LOGICAL_LAN_MAC        0x14c
#define H_VTERM_PARTNER_INFO            0x150
#define H_REGISTER_VTERM                0x154
#define H_FREE_VTERM                    0x158
#define H_RESET_EVENTS                  0x15c
#define H_ALLOC_RESOURCE                0x160
#define H_FREE_RESOURCE                 0x164
#define H_MODIFY_QP                     0x168
#define H_QUERY_QP                      0x16c
#define H_REREGISTER_PMR                0x170
#define H_REGISTER_SMR                  0x174
#define H_QUERY_MR                      0x178
#define H_QUERY_MW                      0x17c
#define H_QUERY_HCA                     0x180
#define H_QUERY_PORT                    0x184
#define H_MODIFY_PORT                   0x188
#define H_DEFINE_AQP1                   0x18c
#define H_GET_TRACE_BUFFER              0x190
#define H_DEFINE_AQP0                   0x194
#define H_RESIZE_MR                     0x198
#define H_ATTACH_MCQP                   0x19c
#define H_DETACH_MCQP                   0x1a0
#define H_CREATE_RPT                    0x1a4
#define H_REMOVE_RPT                    0x1a8
#define H_REGISTER_RPAGES               0x1ac
#define H_DISABLE_AND_GET               0x1b0
#define H_ERROR_DATA                    0x1b4
#define H_GET_HCA_INFO                  0x1b8
#define H_GET_PERF_COUNT                0x1bc
#define H_MANAGE_TRACE                  0x1c0
#define H_GET_CPU_CHARACTERISTICS       0x1c8
#define H_FREE_LOGICAL_LAN_BUFFER       0x1d4
#define H_POLL_PENDING                  0x1d8
#define H_QUERY_INT_STATE               0x1e4
#define H_ILLAN_ATTRIBUTES              0x244
#define H_MODIFY_HEA_QP                 0x250
#define H_QUERY_HEA_QP                  0x254
#define H_QUERY_HEA                     0x258
#define H_QUERY_HEA_PORT                0x25c
#define H_MODIFY_HEA_PORT               0x260
#define H_REG_BCMC                      0x264
#define H_DEREG_BCMC                    0x268
#define H_REGISTER_HEA_RPAGES           0x26c
#define H_DISABLE_AND_GET_HEA           0x270
#define H_GET_HEA_INFO                  0x274
#define H_ALLOC_HEA_RESOURCE            0x278
#define H_ADD_CONN                      0x284
#define H_DEL_CONN                      0x288
#define H_JOIN                          0x298
#define H_VASI_SIGNAL                   0x2a0
#define H_VASI_STATE                    0x2a4
#define H_VIOCTL                        0x2a8
#define H_ENABLE_CRQ                    0x2b0
#define H_GET_EM_PARMS                  0x2b8
#define H_SET_MPP                       0x2d0
#define H_GET_MPP                       0x2d4
#define H_REG_SUB_CRQ                   0x2dc
#define H_FREE_SUB_CRQ                  0x2e0
#define H_SEND_SUB_CRQ                  0x2e4
#define H_SEND_SUB_CRQ_INDIRECT         0x2e8
#define H_HOME_NODE_ASSOCIATIVITY       0x2ec
#define H_BEST_ENERGY                   0x2f4
#define H_XIRR_X                        0x2fc
#define H_RANDOM                        0x300
#define H_COP                           0x304
#define H_GET_MPP_X                     0x314
#define H_SET_MODE                      0x31c
#define H_BLOCK_REMOVE                  0x328
#define H_CLEAR_HPT                     0x358
#define H_REQUEST_VMC                   0x360
#define H_RESIZE_HPT_PREPARE            0x36c
#define H_RESIZE_HPT_COMMIT             0x370
#define H_CLEAN_SLB                     0x374
#define H_INVALIDATE_PID                0x378
#define H_REGISTER_PROC_TBL             0x37c
#define H_SIGNAL_SYS_RESET              0x380
#define H_ALLOCATE_VAS_WINDOW           0x388
#define H_MODIFY_VAS_WINDOW             0x38c
#define H_DEALLOCATE_VAS_WINDOW         0x390
#define H_QUERY_VAS_WINDOW              0x394
#define H_QUERY_VAS_CAPABILITIES        0x398
#define H_QUERY_NX_CAPABILITIES         0x39c
#define H_GET_NX_FAULT                  0x3a0
#define H_INT_GET_SOURCE_INFO           0x3a8
#define H_INT_SET_SOURCE_CONFIG         0x3ac
#define H_INT_GET_SOURCE_CONFIG         0x3b0
#define H_INT_GET_QUEUE_INFO            0x3b4
#define H_INT_SET_QUEUE_CONFIG          0x3b8
#define H_INT_GET_QUEUE_CONFIG          0x3bc
#define H_INT_SET_OS_REPORTING_LINE     0x3c0
#define H_INT_GET_OS_REPORTING_LINE     0x3c4
#define H_INT_ESB                       0x3c8
#define H_INT_SYNC                      0x3cc
#define H_INT_RESET                     0x3d0
#define H_SCM_READ_METADATA             0x3e4
#define H_SCM_WRITE_METADATA            0x3e8
#define H_SCM_BIND_MEM                  0x3ec
#define H_SCM_UNBIND_MEM                0x3f0
#define H_SCM_QUERY_BLOCK_MEM_BINDING   0x3f4
#define H_SCM_QUERY_LOGICAL_MEM_BINDING 0x3f8
#define H_SCM_UNBIND_ALL                0x3fc
#define H_SCM_HEALTH                    0x400
#define H_SCM_PERFORMANCE_STATS         0x418
#define H_PKS_GET_CONFIG                0x41c
#define H_PKS_SET_PASSWORD              0x420
#define H_PKS_GEN_PASSWORD              0x424
#define H_PKS_WRITE_OBJECT              0x42c
#define H_PKS_GEN_KEY                   0x430
#define H_PKS_READ_OBJECT               0x434
#define H_PKS_REMOVE_OBJECT             0x438
#define H_PKS_CONFIRM_OBJECT_FLUSHED    0x43c
#define H_RPT_INVALIDATE                0x448
#define H_SCM_FLUSH                     0x44c
#define H_GET_ENERGY_SCALE_INFO         0x450
#define H_WATCHDOG                      0x45c
#define MAX_HCALL_OPCODE                H_WATCHDOG

/* Standard hcall numbers are multiples of 4 below PAPR_HCALL_LIMIT; a
 * per-hcall table has HCALL_SLOTS entries: one per standard number, and a
 * last one for H_RTAS (KVMPPC_H_RTAS). hcall_slot() maps a number to its
 * entry, or to -1 when it has none. */
#define PAPR_HCALL_LIMIT 0x500
#define HCALL_SLOT_RTAS  (PAPR_HCALL_LIMIT / 4)
#define HCALL_SLOTS      (HCALL_SLOT_RTAS + 1)

/* Platform-specific range 0xf000-0xfffc: QEMU/KVM's own hcalls. */
#define KVMPPC_HCALL_BASE      0xf000
#define KVMPPC_H_RTAS          0xf000 /* RTAS call through our RTAS blob */
#define KVMPPC_H_LOGICAL_MEMOP 0xf001
#define KVMPPC_H_CAS           0xf002 /* client-architecture-support (SLOF) */
#define KVMPPC_H_UPDATE_DT     0xf003
/* Nested KVM-HV (not offered by us; listed to recognise them). */
#define H_SET_PARTITION_TABLE  0xf800
#define H_ENTER_NESTED         0xf804
#define H_TLB_INVALIDATE       0xf808
#define H_COPY_TOFROM_GUEST    0xf80c

#ifndef __ASSEMBLER__
static inline long hcall_slot(unsigned long nr)
{
	if (nr < PAPR_HCALL_LIMIT && !(nr & 3))
		return (long)(nr / 4);
	return nr == KVMPPC_H_RTAS ? HCALL_SLOT_RTAS : -1;
}
#endif

#endif
