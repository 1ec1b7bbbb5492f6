/*
 * The guest load and store instructions an emulated MMIO access can come
 * from, decoded (portable C; the caller fetched the instruction word).
 *
 * Supported: the fixed-point loads and stores of 1, 2, 4 and 8 bytes in
 * their D-, DS- and X-forms, with and without update, the algebraic loads
 * (lha, lwa and their forms) and the byte-reversed ones (l/st h/w/d brx).
 * Everything else (floating point, vector, load/store multiple or string,
 * quadword, reservations, cache-inhibited forms, cache operations, the
 * invalid forms) is refused: the caller gives the guest an interrupt.
 *
 * Values on the bus are numbers: the little-endian reading of the bytes at
 * ascending addresses (PCI's order). The guest's register holds the same
 * bytes as its MSR[LE] and the instruction's byte reversal say.
 */
#ifndef HV_LIB_MMIO_INSN_H
#define HV_LIB_MMIO_INSN_H

#include <stdbool.h>
#include <stdint.h>

struct mmio_insn {
	uint8_t size; /* 1, 2, 4 or 8 bytes */
	bool store;
	bool sign_extend;  /* lha, lwa and forms */
	bool byte_reverse; /* the brx forms */
	bool update;       /* RA gets the effective address */
	uint8_t rt;        /* RT of a load, RS of a store */
	uint8_t ra;
};

/* Decodes insn; false if it is not one this emulation supports. */
bool mmio_insn_decode(uint32_t insn, struct mmio_insn *d);

/* Inline: they are on the MMIO fast path (hv/storage_exits.c). */

static inline uint64_t mmio_insn_mask(unsigned int size)
{
	return size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

static inline uint64_t mmio_insn_reverse(uint64_t v, unsigned int size)
{
	switch (size) {
	case 2:
		return __builtin_bswap16((uint16_t)v);
	case 4:
		return __builtin_bswap32((uint32_t)v);
	case 8:
		return __builtin_bswap64(v);
	}
	return v & 0xff;
}

/* The register holds the bus value's bytes in little-endian order when the
 * guest is little-endian and the instruction does not reverse, or the
 * guest is big-endian and it does. */
static inline bool mmio_insn_swapped(const struct mmio_insn *d, bool guest_le)
{
	return guest_le == d->byte_reverse;
}

/* What a store puts on the bus (its low d->size bytes). */
static inline uint64_t mmio_insn_store_value(const struct mmio_insn *d, const uint64_t gpr[32], bool guest_le)
{
	uint64_t v = gpr[d->rt] & mmio_insn_mask(d->size);
	return mmio_insn_swapped(d, guest_le) ? mmio_insn_reverse(v, d->size) : v;
}

/* Finishes the instruction: a load's RT from the bus value, RA for the
 * update forms (ea, the effective address the hardware reported). */
static inline void mmio_insn_complete(const struct mmio_insn *d, uint64_t gpr[32], bool guest_le, uint64_t bus_value,
				      uint64_t ea)
{
	if (!d->store) {
		uint64_t v = bus_value & mmio_insn_mask(d->size);
		if (mmio_insn_swapped(d, guest_le))
			v = mmio_insn_reverse(v, d->size);
		if (d->sign_extend && d->size < 8 && (v >> (8 * d->size - 1)) & 1)
			v |= ~mmio_insn_mask(d->size);
		gpr[d->rt] = v;
	}
	if (d->update)
		gpr[d->ra] = ea;
}

#endif
