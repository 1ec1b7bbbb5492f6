#include "hv/lib/mmio_insn.h"

/* Primary opcodes (instruction bits 0:5). */
enum {
	OP_X = 31,
	OP_LWZ = 32,
	OP_LWZU = 33,
	OP_LBZ = 34,
	OP_LBZU = 35,
	OP_STW = 36,
	OP_STWU = 37,
	OP_STB = 38,
	OP_STBU = 39,
	OP_LHZ = 40,
	OP_LHZU = 41,
	OP_LHA = 42,
	OP_LHAU = 43,
	OP_STH = 44,
	OP_STHU = 45,
	OP_DS_LOAD = 58,  /* ld, ldu, lwa */
	OP_DS_STORE = 62, /* std, stdu (stq refused) */
};

/* One row per supported form: what it does. */
struct form {
	uint8_t size;
	bool store, sign_extend, byte_reverse, update;
};

#define LOAD(sz)                               \
	{                                      \
		sz, false, false, false, false \
	}
#define LOADU(sz)                             \
	{                                     \
		sz, false, false, false, true \
	}
#define LOADA(sz)                             \
	{                                     \
		sz, false, true, false, false \
	}
#define LOADAU(sz)                           \
	{                                    \
		sz, false, true, false, true \
	}
#define LOADBR(sz)                            \
	{                                     \
		sz, false, false, true, false \
	}
#define STORE(sz)                             \
	{                                     \
		sz, true, false, false, false \
	}
#define STOREU(sz)                           \
	{                                    \
		sz, true, false, false, true \
	}
#define STOREBR(sz)                          \
	{                                    \
		sz, true, false, true, false \
	}

/* clang-format off */
static const struct form d_forms[64] = {
	[OP_LWZ] = LOAD(4),   [OP_LWZU] = LOADU(4),  [OP_LBZ] = LOAD(1),   [OP_LBZU] = LOADU(1),
	[OP_STW] = STORE(4),  [OP_STWU] = STOREU(4), [OP_STB] = STORE(1),  [OP_STBU] = STOREU(1),
	[OP_LHZ] = LOAD(2),   [OP_LHZU] = LOADU(2),  [OP_LHA] = LOADA(2),  [OP_LHAU] = LOADAU(2),
	[OP_STH] = STORE(2),  [OP_STHU] = STOREU(2),
};

/* Opcode 31 by extended opcode (bits 21:30). */
static const struct {
	uint16_t xo;
	struct form f;
} x_forms[] = {
	{ 23, LOAD(4) },    { 55, LOADU(4) },   { 87, LOAD(1) },    { 119, LOADU(1) },
	{ 279, LOAD(2) },   { 311, LOADU(2) },  { 343, LOADA(2) },  { 375, LOADAU(2) },
	{ 341, LOADA(4) },  { 373, LOADAU(4) }, { 21, LOAD(8) },    { 53, LOADU(8) },
	{ 151, STORE(4) },  { 183, STOREU(4) }, { 215, STORE(1) },  { 247, STOREU(1) },
	{ 407, STORE(2) },  { 439, STOREU(2) }, { 149, STORE(8) },  { 181, STOREU(8) },
	{ 534, LOADBR(4) }, { 790, LOADBR(2) }, { 532, LOADBR(8) },
	{ 662, STOREBR(4) }, { 918, STOREBR(2) }, { 660, STOREBR(8) },
};
/* clang-format on */

static bool lookup(uint32_t insn, struct form *f)
{
	unsigned int op = insn >> 26;
	if (op == OP_X) {
		if (insn & 1) /* Rc = 1: an invalid form for these */
			return false;
		unsigned int xo = (insn >> 1) & 0x3ff;
		for (unsigned int i = 0; i < sizeof(x_forms) / sizeof(x_forms[0]); i++)
			if (x_forms[i].xo == xo) {
				*f = x_forms[i].f;
				return true;
			}
		return false;
	}
	if (op == OP_DS_LOAD || op == OP_DS_STORE) {
		static const struct form ds_load[4] = { LOAD(8), LOADU(8), LOADA(4) };
		static const struct form ds_store[4] = { STORE(8), STOREU(8) };
		*f = (op == OP_DS_LOAD ? ds_load : ds_store)[insn & 3];
		return f->size != 0;
	}
	*f = d_forms[op];
	return f->size != 0;
}

bool mmio_insn_decode(uint32_t insn, struct mmio_insn *d)
{
	struct form f;
	if (!lookup(insn, &f))
		return false;
	unsigned int rt = (insn >> 21) & 31, ra = (insn >> 16) & 31;
	/* Update forms with RA = 0, and loads with update into RA itself, are
	 * invalid forms: refused rather than given some meaning. */
	if (f.update && (ra == 0 || (!f.store && ra == rt)))
		return false;
	d->size = f.size;
	d->store = f.store;
	d->sign_extend = f.sign_extend;
	d->byte_reverse = f.byte_reverse;
	d->update = f.update;
	d->rt = (uint8_t)rt;
	d->ra = (uint8_t)ra;
	return true;
}
