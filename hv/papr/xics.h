/*
 * XICS, the interrupt controller a PAPR guest sees (hcalls H_XIRR, H_EOI,
 * H_CPPR, H_IPI, H_IPOLL and RTAS ibm,set-xive/get-xive/int-on/int-off).
 * One presentation controller (ICP) per vCPU, one source controller (ICS)
 * per partition. Priorities: 0 is the most favoured, 0xff means none.
 *
 * Portable: the caller holds the partition's XICS lock, delivers the
 * external interrupt to the vCPU and kicks it when xics_*() says so.
 */
#ifndef HV_PAPR_XICS_H
#define HV_PAPR_XICS_H

#include <stdbool.h>
#include <stdint.h>

#define XICS_IPI         0x2u    /* the source number of an IPI */
#define XICS_IRQ_BASE    0x1000u /* first ICS source number */
#define XICS_NR_IRQS     1024u   /* 0x1000..0x13ff: VIO, PCI LSIs (0x1200), MSIs (0x1300) */
#define XICS_MAX_SERVERS 32u
#define XICS_PRIO_NONE   0xffu

struct xics_icp {
	uint8_t cppr;         /* current processor priority */
	uint8_t mfrr;         /* IPI request; 0xff: none */
	uint8_t pending_prio; /* priority of the presented source */
	uint32_t xisr;        /* presented source; 0: none */
};

struct xics_source {
	uint32_t server;
	uint8_t priority;       /* 0xff: masked */
	uint8_t saved_priority; /* restored by ibm,int-on */
	bool presented;
	bool lsi; /* level: stays asserted until the device lowers it */
	bool asserted;
};

struct xics {
	unsigned int nservers;
	struct xics_icp icp[XICS_MAX_SERVERS];
	struct xics_source src[XICS_NR_IRQS];
	/* Raised and not yet accepted, one bit per source: what an ICP scans. */
	uint64_t pending[XICS_NR_IRQS / 64];
};

void xics_init(struct xics *x, unsigned int nservers);
/* Whether server has an interrupt presented (its external line is up). */
static inline bool xics_pending(const struct xics *x, unsigned int server)
{
	return server < x->nservers && x->icp[server].xisr != 0;
}

/* hcall semantics; they return a PAPR status (H_SUCCESS, H_PARAMETER). */
long xics_h_xirr(struct xics *x, unsigned int server, uint64_t *xirr); /* accept */
long xics_h_ipoll(const struct xics *x, unsigned int server, uint64_t *xirr, uint64_t *mfrr);
long xics_h_cppr(struct xics *x, unsigned int server, uint64_t cppr);
long xics_h_eoi(struct xics *x, unsigned int server, uint64_t xirr);
long xics_h_ipi(struct xics *x, unsigned int server, uint64_t mfrr);

/* RTAS semantics; they return an RTAS status (0, -3 parameter error). */
int xics_set_xive(struct xics *x, uint32_t irq, uint32_t server, uint32_t priority);
int xics_get_xive(const struct xics *x, uint32_t irq, uint32_t *server, uint32_t *priority);
int xics_int_off(struct xics *x, uint32_t irq);
int xics_int_on(struct xics *x, uint32_t irq);

/* Device side: an edge (message) interrupt, or a level one going up/down.
 * Returns the server it is routed to, or -1. */
int xics_raise(struct xics *x, uint32_t irq);
int xics_set_level(struct xics *x, uint32_t irq, bool level);

#endif
