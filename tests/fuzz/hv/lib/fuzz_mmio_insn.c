/*
 * Fuzzes the MMIO load/store decoder (hv/lib/mmio_insn.c) with instruction
 * words, registers and bus values from the input. Checks that a decoded
 * access is one the emulation can carry out (1, 2, 4 or 8 bytes, valid
 * registers, no invalid update form), that finishing it changes only RT and
 * RA, and that a load followed by the same store gives the bus value back.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "hv/lib/mmio_insn.h"

#define CHECK(c)                 \
	do {                     \
		if (!(c))        \
			abort(); \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t take(const uint8_t **p, size_t *left, unsigned int n)
{
	uint64_t v = 0;
	for (unsigned int i = 0; i < n && *left; i++, (*p)++, (*left)--)
		v = v << 8 | **p;
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data;
	size_t left = size;
	while (left >= 4) {
		uint32_t insn = (uint32_t)take(&p, &left, 4);
		bool le = take(&p, &left, 1) & 1;
		uint64_t bus = take(&p, &left, 8), ea = take(&p, &left, 8);
		uint64_t gpr[32], before[32];
		for (unsigned int i = 0; i < 32; i++)
			gpr[i] = before[i] = 0x0101010101010101ull * i ^ bus;
		struct mmio_insn d;
		if (!mmio_insn_decode(insn, &d))
			continue;
		CHECK(d.size == 1 || d.size == 2 || d.size == 4 || d.size == 8);
		CHECK(d.rt < 32 && d.ra < 32);
		CHECK(!d.update || (d.ra != 0 && (d.store || d.ra != d.rt)));
		CHECK(!(d.store && d.sign_extend));
		uint64_t mask = d.size == 8 ? ~0ull : (1ull << (8 * d.size)) - 1;
		if (d.store)
			CHECK((mmio_insn_store_value(&d, gpr, le) & ~mask) == 0);
		mmio_insn_complete(&d, gpr, le, bus, ea);
		for (unsigned int i = 0; i < 32; i++)
			if (i != d.rt && !(d.update && i == d.ra))
				CHECK(gpr[i] == before[i]);
		if (d.update)
			CHECK(gpr[d.ra] == ea);
		if (!d.store) {
			/* The same access as a store puts the loaded bytes back. */
			struct mmio_insn s = d;
			s.store = true;
			s.sign_extend = false;
			CHECK(mmio_insn_store_value(&s, gpr, le) == (bus & mask));
			if (!d.sign_extend)
				CHECK((gpr[d.rt] & ~mask) == 0);
		}
	}
	return 0;
}
