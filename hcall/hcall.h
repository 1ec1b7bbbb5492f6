/*
 * hcall dispatch. Guests reach the hypervisor with "sc 1": r3 = hcall
 * number, r4..r12 = arguments; the status goes back in r3 and results in
 * r4 and up. One table maps numbers to handlers; a handler reads and writes
 * the guest's registers in struct vcpu and returns the status.
 */
#ifndef HCALL_HCALL_H
#define HCALL_HCALL_H

#include <stdint.h>
#include "hv/vcpu.h"

typedef long (*hcall_fn)(struct vcpu *v);

struct hcall_def {
	hcall_fn fn;
	uint8_t slow;       /* needs the run loop (blocks, switches, stops) */
};

/* Called by boot/guest.S with the guest's SPRs live: 0 = done, resume the guest. */
long hcall_fast(struct vcpu *v);
/* Called by the run loop for hcalls hcall_fast handed over. */
void hcall_slow(struct vcpu *v);

/* The families register their handlers here (hcall/\*.c). */
long h_enter(struct vcpu *v);
long h_remove(struct vcpu *v);
long h_protect(struct vcpu *v);
long h_read(struct vcpu *v);
long h_bulk_remove(struct vcpu *v);
long h_clear_ref(struct vcpu *v);
long h_clear_mod(struct vcpu *v);
long h_put_term_char(struct vcpu *v);
long h_get_term_char(struct vcpu *v);
long h_cede(struct vcpu *v);
long h_confer(struct vcpu *v);
long h_prod(struct vcpu *v);
long h_set_sprg0(struct vcpu *v);
long h_set_dabr(struct vcpu *v);
long h_set_xdabr(struct vcpu *v);
long h_page_init(struct vcpu *v);
long h_random(struct vcpu *v);
long h_register_vpa(struct vcpu *v);
long h_set_mode(struct vcpu *v);
long h_get_cpu_characteristics(struct vcpu *v);
long h_rtas(struct vcpu *v);
long h_register_proc_tbl(struct vcpu *v);
long h_xirr(struct vcpu *v);
long h_xirr_x(struct vcpu *v);
long h_ipoll(struct vcpu *v);
long h_cppr(struct vcpu *v);
long h_eoi(struct vcpu *v);
long h_ipi(struct vcpu *v);

#endif
