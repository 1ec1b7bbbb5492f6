/*
 * The processor-control instructions of a guest's virtual core
 * (msgsndp, msgclrp, mfspr/mtspr DPDES), emulated: the hypervisor keeps
 * HFSCR[MSGP] from guests, so on hardware they trap (hypervisor facility
 * unavailable) instead of ringing a real doorbell another partition's
 * thread could see. A partition's vCPUs are one-thread cores, so a guest
 * can only doorbell itself (thread 0), as KVM lets an SMT-1 guest. Portable.
 */
#ifndef HV_PAPR_MSGP_H
#define HV_PAPR_MSGP_H

#include <stdbool.h>
#include <stdint.h>

#define HFSCR_IC_MSGP 10 /* HFSCR[IC] (its top byte) for these instructions */

/* Emulates insn on gpr with the vCPU's doorbell *dpdes (bit 0): true if
 * it was one of the four, false for anything else (nothing changed). */
bool msgp_emulate(uint32_t insn, uint64_t gpr[32], uint64_t *dpdes);

#endif
