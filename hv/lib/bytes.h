/* Byte-order-explicit loads and stores of unaligned fields (portable). */
#ifndef HV_LIB_BYTES_H
#define HV_LIB_BYTES_H

#include <stdbool.h>
#include <stdint.h>

static inline uint16_t be16_load(const void *p)
{
	const uint8_t *b = p;
	return (uint16_t)(b[0] << 8 | b[1]);
}

static inline uint32_t be32_load(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static inline uint64_t be64_load(const void *p)
{
	const uint8_t *b = p;
	return (uint64_t)be32_load(b) << 32 | be32_load(b + 4);
}

static inline void be32_store(void *p, uint32_t v)
{
	uint8_t *b = p;
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static inline void be64_store(void *p, uint64_t v)
{
	be32_store(p, (uint32_t)(v >> 32));
	be32_store((uint8_t *)p + 4, (uint32_t)v);
}

static inline uint64_t le64_load(const void *p)
{
	const uint8_t *b = p;
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

static inline uint16_t le16_load(const void *p)
{
	const uint8_t *b = p;
	return (uint16_t)(b[0] | b[1] << 8);
}

static inline uint32_t le32_load(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static inline void le16_store(void *p, uint16_t v)
{
	uint8_t *b = p;
	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
}

static inline void le32_store(void *p, uint32_t v)
{
	uint8_t *b = p;
	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
	b[2] = (uint8_t)(v >> 16);
	b[3] = (uint8_t)(v >> 24);
}

static inline void le64_store(void *p, uint64_t v)
{
	le32_store(p, (uint32_t)v);
	le32_store((uint8_t *)p + 4, (uint32_t)(v >> 32));
}

/* An n-byte (1..8) unsigned field in either byte order. */
static inline uint64_t uint_load(const void *p, unsigned int n, bool little_endian)
{
	const uint8_t *b = p;
	uint64_t v = 0;
	for (unsigned int i = 0; i < n; i++)
		v |= (uint64_t)b[little_endian ? i : n - 1 - i] << (8 * i);
	return v;
}

#endif
