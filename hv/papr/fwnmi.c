#include <string.h>
#include "hv/papr/fwnmi.h"
#include "hv/lib/bytes.h"

uint64_t mc_srr1_bits(enum mc_access kind)
{
	switch (kind) {
	case MC_LOAD:
		return 0x200000ull; /* SRR1 42: a load or store, the address in DAR */
	case MC_STORE:
		return 0x08340000ull;
	default:
		return 0x080c0000ull; /* an instruction fetch */
	}
}

uint64_t mc_dsisr(enum mc_access kind)
{
	return kind == MC_LOAD ? 0x40 : 0; /* DSISR 57: an uncorrectable error on a load */
}

/* RTAS error log (PAPR, Linux asm/rtas.h): version 6, a severe synchronous
 * error not recovered, from the CPU at memory, then the v6 extension in the
 * IBM event-log format with one "MC" section (Linux pseries/ras.c). */
#define LOG_VERSION_6           0x06
#define LOG_SEVERITY_ERROR_SYNC (0x3 << 5)
#define LOG_DISP_NOT_RECOVERED  (0x2 << 3)
#define LOG_EXTENDED            0x04
#define LOG_INITIATOR_CPU       (0x1 << 4)
#define LOG_TARGET_MEMORY       0x4
#define LOG_TYPE_ECC_UNCORR     0x09
#define V6_VALID_UNRECOVERABLE  0xc6 /* valid, unrecoverable, new, big-endian */
#define V6_FORMAT_EVENT_LOG     0x8e /* PowerPC format, IBM event log */
#define V6_COMPANY_IBM          0x49424d00u
#define SECTION_MC              0x4d43 /* "MC" */
#define MC_TYPE_UE              0x00
#define MC_UE_EA_PROVIDED       0x40
#define MC_UE_LOAD_STORE        3
#define MC_UE_IFETCH            1

unsigned int fwnmi_mc_log(uint8_t *log, uint64_t saved_r3, enum mc_access kind, uint64_t ea)
{
	enum { HEADER = 8, V6 = 16, SECTION = 8 + 32 };
	uint8_t *p = log;
	memset(log, 0, 8 + HEADER + V6 + SECTION);
	be64_store(p, saved_r3);
	p += 8;
	p[0] = LOG_VERSION_6;
	p[1] = LOG_SEVERITY_ERROR_SYNC | LOG_DISP_NOT_RECOVERED | LOG_EXTENDED;
	p[2] = LOG_INITIATOR_CPU | LOG_TARGET_MEMORY;
	p[3] = LOG_TYPE_ECC_UNCORR;
	be32_store(p + 4, V6 + SECTION);
	p += HEADER;
	p[0] = V6_VALID_UNRECOVERABLE;
	p[2] = V6_FORMAT_EVENT_LOG;
	be32_store(p + 12, V6_COMPANY_IBM);
	p += V6;
	p[0] = SECTION_MC >> 8;
	p[1] = SECTION_MC & 0xff;
	p[3] = SECTION; /* section length, header included */
	p[4] = 1;       /* version */
	p[8 + 8] = MC_TYPE_UE;
	p[8 + 9] = MC_UE_EA_PROVIDED | (kind == MC_IFETCH ? MC_UE_IFETCH : MC_UE_LOAD_STORE);
	be64_store(p + 8 + 16, ea);
	return 8 + HEADER + V6 + SECTION;
}
