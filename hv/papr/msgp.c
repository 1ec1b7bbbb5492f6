#include "hv/papr/msgp.h"

#define OP_X              31
#define XO_MSGSNDP        142
#define XO_MSGCLRP        174
#define XO_MFSPR          339
#define XO_MTSPR          467
#define SPR_DPDES         176
#define DBELL_TYPE_SERVER 5 /* rb bits 32:36: a privileged doorbell to a thread */

static unsigned int rt(uint32_t insn)
{
	return (insn >> 21) & 31;
}

static unsigned int rb(uint32_t insn)
{
	return (insn >> 11) & 31;
}

static unsigned int spr(uint32_t insn)
{
	return ((insn >> 16) & 31) | ((insn >> 11) & 31) << 5;
}

bool msgp_emulate(uint32_t insn, uint64_t gpr[32], uint64_t *dpdes)
{
	if (insn >> 26 != OP_X)
		return false;
	switch ((insn >> 1) & 0x3ff) {
	case XO_MSGSNDP: {
		uint64_t arg = gpr[rb(insn)];
		if (((arg >> 27) & 31) == DBELL_TYPE_SERVER && (arg & 0x7f) == 0)
			*dpdes = 1; /* thread 0, the only one of the virtual core */
		return true;
	}
	case XO_MSGCLRP:
		if (((gpr[rb(insn)] >> 27) & 31) == DBELL_TYPE_SERVER)
			*dpdes = 0;
		return true;
	case XO_MFSPR:
		if (spr(insn) != SPR_DPDES)
			return false;
		gpr[rt(insn)] = *dpdes;
		return true;
	case XO_MTSPR:
		if (spr(insn) != SPR_DPDES)
			return false;
		*dpdes = gpr[rt(insn)] & 1;
		return true;
	}
	return false;
}
