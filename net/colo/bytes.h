/* Packet fields: loads through hv/lib/bytes.h (byte by byte, any host order),
 * and TCP sequence arithmetic. */
#ifndef NET_COLO_BYTES_H
#define NET_COLO_BYTES_H

#include <stdint.h>
#include "hv/lib/bytes.h"

/* TCP sequence arithmetic modulo 2^32 */
static inline int colo_seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static inline int colo_seq_le(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

#endif
