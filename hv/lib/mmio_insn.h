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

/* What a store puts on the bus (its low d->size bytes). */
uint64_t mmio_insn_store_value(const struct mmio_insn *d, const uint64_t gpr[32], bool guest_le);

/* Finishes the instruction: a load's RT from the bus value, RA for the
 * update forms (ea, the effective address the hardware reported). */
void mmio_insn_complete(const struct mmio_insn *d, uint64_t gpr[32], bool guest_le, uint64_t bus_value, uint64_t ea);

#endif
