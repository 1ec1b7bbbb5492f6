/*
 * The RTAS services a partition reaches through H_RTAS. The argument
 * buffer is big-endian 32-bit words: token, nargs, nret, args..., rets...
 */
#include <string.h>
#include "hv/rtas.h"
#include "hcall/hcall.h"
#include "hcall/papr.h"
#include "hv/console.h"
#include "hv/partition.h"
#include "hv/rtc.h"
#include "arch/spr.h"

#define RTAS_OK          0
#define RTAS_HW_ERROR   -1
#define RTAS_PARAM_ERROR -3

enum { TOK_DISPLAY_CHARACTER = 0x2001, TOK_POWER_OFF, TOK_SYSTEM_REBOOT, TOK_OS_TERM,
       TOK_START_CPU, TOK_STOP_SELF, TOK_QUERY_CPU_STOPPED_STATE,
       TOK_SET_XIVE, TOK_GET_XIVE, TOK_INT_OFF, TOK_INT_ON,
       TOK_GET_TIME_OF_DAY, TOK_SET_TIME_OF_DAY, TOK_EVENT_SCAN, TOK_CHECK_EXCEPTION,
       TOK_GET_SYSTEM_PARAMETER, TOK_NVRAM_FETCH, TOK_NVRAM_STORE };

const struct rtas_token rtas_tokens[] = {
	{ "display-character", TOK_DISPLAY_CHARACTER },
	{ "power-off", TOK_POWER_OFF },
	{ "system-reboot", TOK_SYSTEM_REBOOT },
	{ "ibm,os-term", TOK_OS_TERM },
	{ "start-cpu", TOK_START_CPU },
	{ "stop-self", TOK_STOP_SELF },
	{ "query-cpu-stopped-state", TOK_QUERY_CPU_STOPPED_STATE },
	{ "ibm,set-xive", TOK_SET_XIVE },
	{ "ibm,get-xive", TOK_GET_XIVE },
	{ "ibm,int-off", TOK_INT_OFF },
	{ "ibm,int-on", TOK_INT_ON },
	{ "get-time-of-day", TOK_GET_TIME_OF_DAY },
	{ "set-time-of-day", TOK_SET_TIME_OF_DAY },
	{ "event-scan", TOK_EVENT_SCAN },
	{ "check-exception", TOK_CHECK_EXCEPTION },
	{ "ibm,get-system-parameter", TOK_GET_SYSTEM_PARAMETER },
	{ "nvram-fetch", TOK_NVRAM_FETCH },
	{ "nvram-store", TOK_NVRAM_STORE },
};
const unsigned int rtas_ntokens = sizeof(rtas_tokens) / sizeof(rtas_tokens[0]);

/* mr r4,r3; lis r3,H_RTAS@h; ori r3,r3,H_RTAS@l; sc 1; blr (big-endian words, as RTAS runs) */
const uint32_t rtas_blob[] = { 0x7c641b78, 0x3c600000, 0x6063f000, 0x44000022, 0x4e800020 };
const unsigned int rtas_blob_words = sizeof(rtas_blob) / sizeof(rtas_blob[0]);

static uint32_t ld32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }
static void st32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }

/* Starts a stopped vCPU at addr with r3 = r3val, in the partition's
 * interrupt endianness, real mode, as PAPR's start-cpu does. */
static int32_t start_cpu(struct partition *p, uint32_t id, uint64_t addr, uint64_t r3val)
{
	if (id >= p->nvcpus || !guest_ptr(p, addr, 4))
		return RTAS_PARAM_ERROR;
	struct vcpu *t = &p->vcpus[id];
	if (t->state != VCPU_STOPPED)
		return RTAS_HW_ERROR;
	t->nip = addr;
	t->gpr[3] = r3val;
	t->msr = MSR_SF | MSR_ME | ((p->lpcr & LPCR_ILE) ? MSR_LE : 0);
	__atomic_store_n(&t->state, VCPU_RUNNABLE, __ATOMIC_RELEASE);
	return RTAS_OK;
}

long rtas_call(struct vcpu *v, uint64_t args)
{
	struct partition *p = v->part;
	uint8_t *hdr = guest_ptr(p, args, 12);
	if (!hdr)
		return H_PARAMETER;
	uint32_t token = ld32(hdr), nargs = ld32(hdr + 4), nret = ld32(hdr + 8);
	if (nargs > 16 || nret > 16)
		return H_PARAMETER;
	uint8_t *a = guest_ptr(p, args, 12 + 4ull * (nargs + nret));
	if (!a)
		return H_PARAMETER;
	uint8_t *rets = a + 12 + 4 * nargs;
	int32_t status = RTAS_PARAM_ERROR;
	switch (token) {
	case TOK_DISPLAY_CHARACTER:
		if (nargs == 1) {
			char c = (char)ld32(a + 12);
			vty_output(p, &c, 1);
			status = RTAS_OK;
		}
		break;
	case TOK_POWER_OFF:
		partition_stop(p, "powered off by the guest");
		status = RTAS_OK;
		break;
	case TOK_SYSTEM_REBOOT:
		partition_request_reboot(p, "rebooting at the guest's request");
		status = RTAS_OK;
		break;
	case TOK_START_CPU:             /* (cpu, start address, r3) */
		if (nargs == 3 && nret >= 1)
			status = start_cpu(p, ld32(a + 12), ld32(a + 16), ld32(a + 20));
		break;
	case TOK_STOP_SELF:
		v->state = VCPU_STOPPED;
		status = RTAS_OK;
		break;
	case TOK_QUERY_CPU_STOPPED_STATE:   /* (cpu) -> status, state: 0 stopped, 2 running */
		if (nargs == 1 && nret >= 2) {
			uint32_t id = ld32(a + 12);
			if (id < p->nvcpus) {
				st32(rets + 4, p->vcpus[id].state == VCPU_STOPPED ? 0 : 2);
				status = RTAS_OK;
			}
		}
		break;
	case TOK_SET_XIVE:              /* (irq, server, priority) */
		if (nargs == 3 && nret >= 1) {
			spin_lock(&p->xics_lock);
			status = xics_set_xive(&p->xics, ld32(a + 12), ld32(a + 16), ld32(a + 20));
			spin_unlock(&p->xics_lock);
		}
		break;
	case TOK_GET_XIVE:              /* (irq) -> status, server, priority */
		if (nargs == 1 && nret >= 3) {
			uint32_t server = 0, prio = 0;
			spin_lock(&p->xics_lock);
			status = xics_get_xive(&p->xics, ld32(a + 12), &server, &prio);
			spin_unlock(&p->xics_lock);
			st32(rets + 4, server);
			st32(rets + 8, prio);
		}
		break;
	case TOK_INT_OFF:
	case TOK_INT_ON:
		if (nargs == 1 && nret >= 1) {
			spin_lock(&p->xics_lock);
			status = token == TOK_INT_OFF ? xics_int_off(&p->xics, ld32(a + 12))
						      : xics_int_on(&p->xics, ld32(a + 12));
			spin_unlock(&p->xics_lock);
		}
		break;
	case TOK_GET_TIME_OF_DAY:       /* -> status, year, month, day, hour, minute, second, ns */
		if (nargs == 0 && nret >= 8) {
			struct rtc_time t;
			if (rtc_read(&t)) {
				status = RTAS_HW_ERROR;
				break;
			}
			rtc_from_epoch(rtc_to_epoch(&t) + p->rtc_offset, &t);
			uint32_t f[7] = { t.year, t.month, t.day, t.hour, t.minute, t.second, t.nanosecond };
			for (int i = 0; i < 7; i++)
				st32(rets + 4 + 4 * i, f[i]);
			status = RTAS_OK;
		}
		break;
	case TOK_SET_TIME_OF_DAY:       /* (year, month, day, hour, minute, second, ns): this partition only */
		if (nargs == 7 && nret >= 1) {
			struct rtc_time now, want = { ld32(a + 12), ld32(a + 16), ld32(a + 20), ld32(a + 24),
						      ld32(a + 28), ld32(a + 32), 0 };
			if (want.month < 1 || want.month > 12 || want.day < 1 || want.day > 31 || want.hour > 23 ||
			    want.minute > 59 || want.second > 60)
				break;
			if (rtc_read(&now)) {
				status = RTAS_HW_ERROR;
				break;
			}
			p->rtc_offset = rtc_to_epoch(&want) - rtc_to_epoch(&now);
			status = RTAS_OK;
		}
		break;
	case TOK_EVENT_SCAN:            /* nothing to report */
	case TOK_CHECK_EXCEPTION:
		if (nret >= 1)
			status = 1;             /* "no errors found" */
		break;
	case TOK_NVRAM_FETCH:           /* (index, buffer, length) -> status, length done */
	case TOK_NVRAM_STORE:
		if (nargs == 3 && nret >= 2) {
			uint32_t index = ld32(a + 12), len = ld32(a + 20);
			uint8_t *buf = guest_ptr(p, ld32(a + 16), len);
			if (!buf || index > PARTITION_NVRAM_SIZE || len > PARTITION_NVRAM_SIZE - index)
				break;
			if (token == TOK_NVRAM_FETCH)
				memcpy(buf, p->nvram + index, len);
			else
				memcpy(p->nvram + index, buf, len);
			st32(rets + 4, len);
			status = RTAS_OK;
		}
		break;
	case TOK_GET_SYSTEM_PARAMETER:
		status = RTAS_PARAM_ERROR;  /* -3: no parameters offered */
		break;
	case TOK_OS_TERM: {
		/* The argument is the address of the OS's message (its panic string). */
		char msg[96] = "";
		const char *m = nargs >= 1 ? guest_ptr(p, ld32(a + 12), 1) : 0;
		for (unsigned int i = 0; m && i < sizeof(msg) - 1 && guest_ptr(p, ld32(a + 12) + i, 1); i++) {
			char ch = m[i];
			if (!ch || ch == '\n')
				break;
			msg[i] = (ch >= 32 && ch < 127) ? ch : '?';
			msg[i + 1] = 0;
		}
		partition_stop(p, "the guest OS terminated (ibm,os-term): %s", msg[0] ? msg : "no message");
		status = RTAS_OK;
		break;
	}
	}
	if (nret > 0)
		st32(rets, (uint32_t)status);
	return H_SUCCESS;
}

long h_rtas(struct vcpu *v)
{
	return rtas_call(v, v->gpr[4]);
}
