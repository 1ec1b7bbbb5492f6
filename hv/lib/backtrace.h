/* Stack walking over the ELFv2 back chain (portable: tests give a fake stack). */
#ifndef HV_LIB_BACKTRACE_H
#define HV_LIB_BACKTRACE_H

#include <stdint.h>

/*
 * Follows back-chain pointers from sp while they stay 8-byte aligned,
 * strictly increase and lie within [lo, hi); collects the saved LR of
 * each frame. Returns the number of return addresses stored.
 */
unsigned int backtrace_walk(uint64_t sp, uint64_t lo, uint64_t hi, uint64_t *out, unsigned int max);

#endif
