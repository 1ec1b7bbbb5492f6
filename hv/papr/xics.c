#include <string.h>
#include "hv/papr/xics.h"
#include "papr.h"

void xics_init(struct xics *x, unsigned int nservers)
{
	memset(x, 0, sizeof(*x));
	x->nservers = nservers > XICS_MAX_SERVERS ? XICS_MAX_SERVERS : nservers;
	for (unsigned int i = 0; i < XICS_MAX_SERVERS; i++) {
		x->icp[i].cppr = 0; /* everything masked until the OS opens up */
		x->icp[i].mfrr = XICS_PRIO_NONE;
		x->icp[i].pending_prio = XICS_PRIO_NONE;
	}
	for (unsigned int i = 0; i < XICS_NR_IRQS; i++) {
		x->src[i].priority = XICS_PRIO_NONE;
		x->src[i].saved_priority = XICS_PRIO_NONE;
	}
}

static void set_pending(struct xics *x, unsigned int i, bool on)
{
	if (on)
		x->pending[i / 64] |= 1ull << (i % 64);
	else
		x->pending[i / 64] &= ~(1ull << (i % 64));
}

static struct xics_source *source(struct xics *x, uint32_t irq)
{
	if (irq < XICS_IRQ_BASE || irq >= XICS_IRQ_BASE + XICS_NR_IRQS)
		return 0;
	return &x->src[irq - XICS_IRQ_BASE];
}

/*
 * Re-decides what server presents: the most favoured of its IPI and the
 * pending sources routed to it, if more favoured than its CPPR. A source
 * that loses its presentation goes back to pending (the hardware's reject).
 */
static void icp_update(struct xics *x, unsigned int server)
{
	struct xics_icp *icp = &x->icp[server];
	if (icp->xisr >= XICS_IRQ_BASE) {
		struct xics_source *s = source(x, icp->xisr);
		if (s)
			s->presented = false;
	}
	icp->xisr = 0;
	icp->pending_prio = XICS_PRIO_NONE;
	uint8_t best = icp->cppr;
	uint32_t best_irq = 0;
	if (icp->mfrr < best) {
		best = icp->mfrr;
		best_irq = XICS_IPI;
	}
	for (unsigned int w = 0; w < XICS_NR_IRQS / 64; w++)
		for (uint64_t bits = x->pending[w]; bits; bits &= bits - 1) {
			unsigned int i = w * 64 + (unsigned int)__builtin_ctzll(bits);
			const struct xics_source *s = &x->src[i];
			if (s->server == server && s->priority < best) {
				best = s->priority;
				best_irq = XICS_IRQ_BASE + i;
			}
		}
	if (best_irq) {
		icp->xisr = best_irq;
		icp->pending_prio = best;
		if (best_irq != XICS_IPI)
			x->src[best_irq - XICS_IRQ_BASE].presented = true;
	}
}

long xics_h_xirr(struct xics *x, unsigned int server, uint64_t *xirr)
{
	if (server >= x->nservers)
		return H_PARAMETER;
	struct xics_icp *icp = &x->icp[server];
	*xirr = (uint64_t)icp->cppr << 24 | icp->xisr;
	if (icp->xisr) {
		if (icp->xisr >= XICS_IRQ_BASE) {
			struct xics_source *s = source(x, icp->xisr);
			set_pending(x, icp->xisr - XICS_IRQ_BASE, false); /* in service until its EOI */
			s->presented = false;
		}
		icp->cppr = icp->pending_prio;
		icp->xisr = 0;
		icp->pending_prio = XICS_PRIO_NONE;
	}
	return H_SUCCESS;
}

long xics_h_ipoll(const struct xics *x, unsigned int server, uint64_t *xirr, uint64_t *mfrr)
{
	if (server >= x->nservers)
		return H_PARAMETER;
	const struct xics_icp *icp = &x->icp[server];
	*xirr = (uint64_t)icp->cppr << 24 | icp->xisr;
	*mfrr = icp->mfrr;
	return H_SUCCESS;
}

long xics_h_cppr(struct xics *x, unsigned int server, uint64_t cppr)
{
	if (server >= x->nservers)
		return H_PARAMETER;
	x->icp[server].cppr = (uint8_t)cppr;
	icp_update(x, server);
	return H_SUCCESS;
}

long xics_h_eoi(struct xics *x, unsigned int server, uint64_t xirr)
{
	if (server >= x->nservers)
		return H_PARAMETER;
	uint32_t irq = xirr & 0xffffff;
	struct xics_source *s = source(x, irq);
	if (irq != XICS_IPI && irq != 0 && !s)
		return H_PARAMETER;
	x->icp[server].cppr = (uint8_t)(xirr >> 24);
	if (s && s->lsi && s->asserted)
		set_pending(x, irq - XICS_IRQ_BASE, true); /* still asserted: fires again */
	icp_update(x, server);
	return H_SUCCESS;
}

long xics_h_ipi(struct xics *x, unsigned int server, uint64_t mfrr)
{
	if (server >= x->nservers)
		return H_PARAMETER;
	x->icp[server].mfrr = (uint8_t)mfrr;
	icp_update(x, server);
	return H_SUCCESS;
}

int xics_set_xive(struct xics *x, uint32_t irq, uint32_t server, uint32_t priority)
{
	struct xics_source *s = source(x, irq);
	if (!s || server >= x->nservers || priority > XICS_PRIO_NONE)
		return RTAS_PARAM_ERROR;
	unsigned int old = s->server;
	s->server = server;
	s->priority = (uint8_t)priority;
	s->saved_priority = (uint8_t)priority;
	if (s->presented)
		icp_update(x, old);
	icp_update(x, server);
	return 0;
}

int xics_get_xive(const struct xics *x, uint32_t irq, uint32_t *server, uint32_t *priority)
{
	const struct xics_source *s = (irq >= XICS_IRQ_BASE && irq < XICS_IRQ_BASE + XICS_NR_IRQS)
					      ? &x->src[irq - XICS_IRQ_BASE]
					      : 0;
	if (!s)
		return RTAS_PARAM_ERROR;
	*server = s->server;
	*priority = s->priority;
	return 0;
}

int xics_int_off(struct xics *x, uint32_t irq)
{
	struct xics_source *s = source(x, irq);
	if (!s)
		return RTAS_PARAM_ERROR;
	if (s->priority != XICS_PRIO_NONE)
		s->saved_priority = s->priority;
	s->priority = XICS_PRIO_NONE;
	if (s->presented)
		icp_update(x, s->server);
	return 0;
}

int xics_int_on(struct xics *x, uint32_t irq)
{
	struct xics_source *s = source(x, irq);
	if (!s)
		return RTAS_PARAM_ERROR;
	s->priority = s->saved_priority;
	icp_update(x, s->server);
	return 0;
}

int xics_raise(struct xics *x, uint32_t irq)
{
	struct xics_source *s = source(x, irq);
	if (!s)
		return -1;
	set_pending(x, irq - XICS_IRQ_BASE, true);
	icp_update(x, s->server);
	return (int)s->server;
}

int xics_set_level(struct xics *x, uint32_t irq, bool level)
{
	struct xics_source *s = source(x, irq);
	if (!s)
		return -1;
	if (s->lsi && s->asserted == level) /* no edge: nothing to present or withdraw */
		return (int)s->server;
	s->lsi = true;
	s->asserted = level;
	/* Up: pending until accepted (and again at EOI while still up);
	 * down before it was accepted: withdrawn, even if presented. */
	if (!level || !s->presented)
		set_pending(x, irq - XICS_IRQ_BASE, level);
	icp_update(x, s->server);
	return (int)s->server;
}
