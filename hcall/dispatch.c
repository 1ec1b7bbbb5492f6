#include "hcall/hcall.h"
#include "hcall/papr.h"
#include "hv/partition.h"

#define TABLE_LIMIT 0x500    /* standard PAPR numbers are below; H_RTAS is apart */

static const struct hcall_def table[TABLE_LIMIT / 4] = {
	[H_REMOVE / 4]        = { h_remove, 0 },
	[H_ENTER / 4]         = { h_enter, 0 },
	[H_READ / 4]          = { h_read, 0 },
	[H_CLEAR_MOD / 4]     = { h_clear_mod, 0 },
	[H_CLEAR_REF / 4]     = { h_clear_ref, 0 },
	[H_PROTECT / 4]       = { h_protect, 0 },
	[H_SET_SPRG0 / 4]     = { h_set_sprg0, 0 },
	[H_SET_DABR / 4]      = { h_set_dabr, 0 },
	[H_PAGE_INIT / 4]     = { h_page_init, 0 },
	[H_GET_TERM_CHAR / 4] = { h_get_term_char, 0 },
	[H_PUT_TERM_CHAR / 4] = { h_put_term_char, 0 },
	[H_REGISTER_VPA / 4]  = { h_register_vpa, 0 },
	[H_CEDE / 4]          = { h_cede, 1 },
	[H_CONFER / 4]        = { h_confer, 1 },
	[H_PROD / 4]          = { h_prod, 0 },
	[H_BULK_REMOVE / 4]   = { h_bulk_remove, 0 },
	[H_SET_XDABR / 4]     = { h_set_xdabr, 0 },
	[H_GET_CPU_CHARACTERISTICS / 4] = { h_get_cpu_characteristics, 0 },
	[H_RANDOM / 4]        = { h_random, 0 },
	[H_SET_MODE / 4]      = { h_set_mode, 0 },
	[H_REGISTER_PROC_TBL / 4] = { h_register_proc_tbl, 0 },
	[H_EOI / 4]           = { h_eoi, 0 },
	[H_CPPR / 4]          = { h_cppr, 0 },
	[H_IPI / 4]           = { h_ipi, 0 },
	[H_IPOLL / 4]         = { h_ipoll, 0 },
	[H_XIRR / 4]          = { h_xirr, 0 },
	[H_XIRR_X / 4]        = { h_xirr_x, 0 },
};

static const struct hcall_def rtas_def = { h_rtas, 1 };

static inline const struct hcall_def *lookup(uint64_t nr)
{
	if (nr < TABLE_LIMIT && !(nr & 3))
		return table[nr / 4].fn ? &table[nr / 4] : 0;
	return nr == KVMPPC_H_RTAS ? &rtas_def : 0;
}

/* The hot path: no locks, no logging, guest SPRs live. */
long hcall_fast(struct vcpu *v)
{
	uint64_t nr = v->gpr[3];
	const struct hcall_def *d = lookup(nr);
	if (!d) {
		v->gpr[3] = (uint64_t)H_FUNCTION;
		return 0;
	}
	if (d->slow)
		return 1;
	v->hcalls++;
	v->part->hcalls_by_nr[nr / 4]++;
	v->gpr[3] = (uint64_t)d->fn(v);
	return v->hcall_done;       /* done, but an interrupt is now due: full exit */
}

void hcall_slow(struct vcpu *v)
{
	if (v->hcall_done) {
		v->hcall_done = false;
		return;
	}
	uint64_t nr = v->gpr[3];
	const struct hcall_def *d = lookup(nr);
	v->hcalls++;
	if (nr < TABLE_LIMIT)
		v->part->hcalls_by_nr[nr / 4]++;
	v->gpr[3] = d ? (uint64_t)d->fn(v) : (uint64_t)H_FUNCTION;
}
