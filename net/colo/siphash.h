/* Keyed hash for the connection table: a guest cannot aim at one bucket
 * without knowing the key. */
#ifndef NET_COLO_SIPHASH_H
#define NET_COLO_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

/* SipHash-2-4 of m[0..len) under the 128-bit key k[0] (low) / k[1] (high). */
uint64_t colo_siphash24(const uint64_t k[2], const uint8_t *m, size_t len);

#endif
