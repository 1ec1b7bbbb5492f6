/* The register frame saved on every exception; laid out for boot/exceptions.S. */
#ifndef HV_REGS_H
#define HV_REGS_H

#define REGS_GPR(n) ((n)*8)
#define REGS_NIP    256
#define REGS_MSR    264
#define REGS_LR     272
#define REGS_CTR    280
#define REGS_CR     288
#define REGS_XER    296
#define REGS_SRR0   304
#define REGS_SRR1   312
#define REGS_HSRR0  320
#define REGS_HSRR1  328
#define REGS_DAR    336
#define REGS_DSISR  344
#define REGS_HDAR   352
#define REGS_HDSISR 360
#define REGS_VECTOR 368
#define REGS_SIZE   384

#ifndef __ASSEMBLER__
#include <stdint.h>

struct regs {
	uint64_t gpr[32];
	uint64_t nip, msr; /* where the interrupted code resumes */
	uint64_t lr, ctr, cr, xer;
	uint64_t srr0, srr1, hsrr0, hsrr1;
	uint64_t dar, dsisr, hdar, hdsisr;
	uint64_t vector;
	uint64_t pad;
};

_Static_assert(sizeof(struct regs) == REGS_SIZE, "regs layout");
#endif
#endif
