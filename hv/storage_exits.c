/*
 * The storage faults the hypervisor takes for its guests: real-mode
 * accesses outside the VRMA (machine checks), and with LPCR[VPM1] (set
 * when a partition has emulated device registers) the virtual-mode ones:
 * an access to an emulated page is decoded and carried out on the
 * partition's MMIO bus; every other fault is the guest's own and is
 * delivered to it as the DSI or ISI the hardware would have given.
 */
#include "hv/exits.h"
#include "hv/lib/bytes.h"
#include "hv/lib/mmio_insn.h"
#include "hv/mm/hpt_lookup.h"
#include "hv/papr/fwnmi.h"
#include "hv/partition.h"
#include "arch/mmu.h"
#include "arch/spr.h"
#include "arch/vectors.h"

#define DSISR_NOHPTE      0x40000000ull /* no translation: hash miss */
#define DSISR_PROTFAULT   0x08000000ull /* the PP bits said no */
#define DSISR_KEYFAULT    0x00200000ull /* a virtual page class key (AMR/IAMR) said no */
#define DSISR_STORE       0x02000000ull
#define SRR1_NOEXEC_GUARD 0x10000000ull /* ISI: no-execute or guarded page */

/*
 * A machine check for an access nothing answers, as PowerVM and QEMU give
 * one: at the vector the guest registered with ibm,nmi-register, with r3
 * pointing at its saved r3 and an RTAS error log, or else the architected
 * 0x200. A second machine check on the same vCPU before ibm,nmi-interlock
 * is a checkstop of the partition; on another vCPU it waits (the access is
 * retried) until the interlock is released.
 */
void vcpu_machine_check(struct vcpu *v, enum mc_access kind, uint64_t ea)
{
	struct partition *p = v->part;
	if (kind != MC_IFETCH) {
		mtspr(SPR_DAR, ea);
		mtspr(SPR_DSISR, mc_dsisr(kind));
	}
	if (!p->fwnmi) {
		vcpu_reflect(v, VEC_MACHINE_CHECK, mc_srr1_bits(kind));
		v->msr &= ~MSR_ME; /* the interrupt turns machine checks off */
		return;
	}
	int holder = -1;
	if (!__atomic_compare_exchange_n(&p->mce_interlock, &holder, (int)v->id, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		if (holder == (int)v->id)
			partition_stop(p, "machine check at 0x%llx while handling one (checkstop)",
				       (unsigned long long)ea);
		return; /* another vCPU's is in progress: the access comes back after it */
	}
	uint8_t *log = guest_ptr(p, p->rtas_base + RTAS_ERROR_LOG_OFFSET, RTAS_ERROR_LOG_MAX);
	fwnmi_mc_log(log, v->gpr[3], kind, ea);
	vcpu_reflect(v, VEC_MACHINE_CHECK, mc_srr1_bits(kind));
	v->gpr[3] = p->rtas_base + RTAS_ERROR_LOG_OFFSET;
	v->nip = p->fwnmi_mce;
	v->msr |= MSR_ME;
}

/* The instruction at v's NIP. cached_only (the fast path): only through
 * the page this vCPU's instruction cache holds, without the HPT lock (a
 * race with the guest's own table changes only hurts the guest); else
 * looked up, and the cache filled. Inlined: each caller gets its own. */
static inline __attribute__((always_inline)) bool fetch_insn(struct vcpu *v, bool cached_only, uint32_t *insn,
							     const uint8_t **host, uint64_t *nip_slb_v)
{
	struct partition *p = v->part;
	const uint8_t *b;
	if (!(v->msr & MSR_IR)) {
		b = guest_ptr(p, v->nip & 0x0fffffffffffffffull, 4);
	} else {
		uint64_t slb_v;
		struct hpt_match m;
		bool found, hit;
		if (!slb_find(v->nip, &slb_v))
			return false;
		if (cached_only) {
			found = hpt_lookup_cache_hit(&p->hpt, &v->insn_cache, slb_v, v->nip, &m);
		} else {
			spin_lock(&p->hpt_lock);
			found = hpt_lookup_cached(&p->hpt, &v->insn_cache, slb_v, v->nip, &m, &hit);
			spin_unlock(&p->hpt_lock);
		}
		if (!found || m.absent)
			return false;
		b = (const uint8_t *)(uintptr_t)m.host;
		if (nip_slb_v)
			*nip_slb_v = slb_v;
	}
	if (!b)
		return false;
	uint32_t w = be32_load(b);
	*insn = (v->msr & MSR_LE) ? __builtin_bswap32(w) : w;
	if (host)
		*host = b;
	return true;
}

bool vcpu_fetch_insn(struct vcpu *v, uint32_t *insn)
{
	return fetch_insn(v, false, insn, NULL, NULL);
}

static void reflect_dsi(struct vcpu *v, uint64_t dsisr)
{
	mtspr(SPR_DAR, v->hdar);
	mtspr(SPR_DSISR, dsisr);
	vcpu_reflect(v, VEC_DATA_STORAGE, 0);
}

/*
 * Real-mode accesses translate through the VRMA the hypervisor put in the
 * HPT, so they come here when they fail: a key the guest's own AMR or IAMR
 * forbids is its data or instruction storage interrupt; an address outside
 * its memory is a machine check.
 */
static void real_mode_fault(struct vcpu *v, bool data)
{
	struct partition *p = v->part;
	uint64_t addr = data ? v->hdar : v->nip;
	uint64_t cause = data ? v->hdsisr : v->msr;
	if ((cause & DSISR_KEYFAULT) && addr < p->mem_size) {
		if (data)
			reflect_dsi(v, v->hdsisr);
		else
			vcpu_reflect(v, VEC_INSN_STORAGE, v->msr & SRR1_REASON);
		return;
	}
	vcpu_machine_check(v, !data ? MC_IFETCH : (v->hdsisr & DSISR_STORE) ? MC_STORE : MC_LOAD, addr);
}

/* Once per partition: what the emulation could not do, for the operator. */
static void refuse(struct vcpu *v, uint32_t insn, uint64_t gpa, const char *why)
{
	struct partition *p = v->part;
	p->mmio_refused++;
	if (!p->mmio_refusal_logged) {
		p->mmio_refusal_logged = true;
		partition_log(
			p,
			"vCPU %u: device access at 0x%llx by instruction %08x at 0x%llx: %s; it gets a machine check",
			v->id, (unsigned long long)gpa, insn, (unsigned long long)v->nip, why);
	}
	vcpu_machine_check(v, (v->hdsisr & DSISR_STORE) ? MC_STORE : MC_LOAD, v->hdar);
}

enum mmio_outcome {
	MMIO_DONE,        /* carried out, the guest is past the instruction */
	MMIO_NOT_OURS,    /* not an emulated page: the guest's own miss */
	MMIO_REMAPPED,    /* memory is there now (a BAR moved): run it again */
	MMIO_DENIED_PP,   /* the guest's own PP bits forbid it */
	MMIO_DENIED_KEY,  /* its AMR forbids the page's key */
	MMIO_NO_INSN,     /* the instruction is not in its memory */
	MMIO_UNSUPPORTED, /* not a load or store the emulation does */
	MMIO_MISALIGNED,
};

/* Decodes through the vCPU's one-entry cache (a driver repeats its
 * accesses); false if the emulation does not do insn. */
static const struct mmio_insn *decode(struct vcpu *v, uint32_t insn)
{
	if (!v->decoded_valid || v->decoded_word != insn) {
		v->decoded_valid = false;
		if (!mmio_insn_decode(insn, &v->decoded))
			return NULL;
		v->decoded_word = insn;
		v->decoded_valid = true;
	}
	return &v->decoded;
}

/* The MSR bits an emulated access's outcome depends on: translation on,
 * privilege, byte order. */
#define SHORTCUT_MSR   (MSR_IR | MSR_DR | MSR_PR | MSR_LE)
#define SHORTCUT_STORE (1ull << 62) /* a bit no MSR has */

/* Carries out decoded access d at gpa for v and steps the guest past it;
 * through hint when there is one (the fast path: inlined there). */
static inline __attribute__((always_inline)) void perform(struct vcpu *v, const struct mmio_insn *d, uint64_t gpa,
							  struct mmio_bus_hint *hint)
{
	struct partition *p = v->part;
	bool le = (v->msr & MSR_LE) != 0;
	uint64_t value = d->store ? mmio_insn_store_value(d, v->gpr, le) : 0;
	spin_lock(&p->mmio_lock);
	if (hint)
		mmio_bus_access_hinted(&p->mmio, hint, gpa, d->size, d->store, &value);
	else
		mmio_bus_access(&p->mmio, gpa, d->size, d->store, &value);
	spin_unlock(&p->mmio_lock);
	mmio_insn_complete(d, v->gpr, le, value, v->hdar);
	v->nip += 4;
	p->mmio_emulated++;
}

/*
 * A virtual-mode hash miss at v->hdar; every outcome but MMIO_DONE and
 * MMIO_REMAPPED leaves the guest untouched.
 */
static enum mmio_outcome try_emulate(struct vcpu *v, uint32_t *insn_out, uint64_t *gpa_out)
{
	struct partition *p = v->part;
	uint64_t slb_v;
	struct hpt_match m;
	bool hit;
	if (!slb_find(v->hdar, &slb_v))
		return MMIO_NOT_OURS;
	spin_lock(&p->hpt_lock);
	bool found = hpt_lookup_cached(&p->hpt, &v->mmio_cache, slb_v, v->hdar, &m, &hit);
	/* A hit was emulated before and the ranges have not changed since. */
	bool remapped = found && m.absent && !hit && hpt_make_present(&p->hpt, m.ptex);
	spin_unlock(&p->hpt_lock);
	if (remapped)
		return MMIO_REMAPPED;
	if (!found || !m.absent)
		return MMIO_NOT_OURS;
	*gpa_out = m.gpa;
	bool store = (v->hdsisr & DSISR_STORE) != 0;
	if (!hpt_pp_allows(slb_v, m.r, (v->msr & MSR_PR) != 0, store))
		return MMIO_DENIED_PP;
	/* The vCPU is loaded: AMR holds the guest's value. */
	if (!hpt_key_allows(m.r, mfspr(SPR_AMR), store))
		return MMIO_DENIED_KEY;
	uint32_t insn = 0;
	if (!vcpu_fetch_insn(v, &insn))
		return MMIO_NO_INSN;
	*insn_out = insn;
	const struct mmio_insn *d = decode(v, insn);
	if (!d || d->store != store)
		return MMIO_UNSUPPORTED;
	if (m.gpa & (d->size - 1))
		return MMIO_MISALIGNED;
	perform(v, d, m.gpa, NULL);
	return MMIO_DONE;
}

/*
 * The full exit's view: true when the miss was a device page's and the
 * guest got what it earned (the access, a DSI, a machine check), false
 * when the miss is the guest's own.
 */
static bool emulate_device_access(struct vcpu *v)
{
	uint32_t insn = 0;
	uint64_t gpa = 0;
	bool store = (v->hdsisr & DSISR_STORE) != 0;
	switch (try_emulate(v, &insn, &gpa)) {
	case MMIO_DONE:
		v->resume_now = true;
		return true;
	case MMIO_REMAPPED:
		return true;
	case MMIO_NOT_OURS:
		return false;
	case MMIO_DENIED_PP:
		reflect_dsi(v, DSISR_PROTFAULT | (store ? DSISR_STORE : 0));
		return true;
	case MMIO_DENIED_KEY:
		reflect_dsi(v, DSISR_KEYFAULT | (store ? DSISR_STORE : 0));
		return true;
	case MMIO_NO_INSN:
		refuse(v, insn, gpa, "its instruction is not in its memory");
		return true;
	case MMIO_UNSUPPORTED:
		refuse(v, insn, gpa, "not a load or store the emulation supports");
		return true;
	case MMIO_MISALIGNED:
		refuse(v, insn, gpa, "not naturally aligned");
		return true;
	}
	return false;
}

/* The full exit's view of 0xE00. */
static void data_storage(struct vcpu *v)
{
	if (v->fast_done) { /* storage_fast() did it: only the run loop's part is left */
		v->fast_done = false;
		return;
	}
	v->hdar = mfspr(SPR_HDAR);
	v->hdsisr = mfspr(SPR_HDSISR);
	v->asdr = mfspr(SPR_ASDR);
	if (!(v->msr & MSR_DR))
		real_mode_fault(v, true);
	else if (!(v->hdsisr & DSISR_NOHPTE) || !emulate_device_access(v))
		reflect_dsi(v, v->hdsisr);
}
EXIT_HANDLER(hdsi, VEC_HV_DATA_STORAGE, data_storage);

/* Whether the entry translating ea (in the current SLB) is an emulated page. */
static bool device_page(struct vcpu *v, uint64_t ea)
{
	struct partition *p = v->part;
	uint64_t slb_v;
	struct hpt_match m;
	if (!slb_find(ea, &slb_v))
		return false;
	spin_lock(&p->hpt_lock);
	bool device = hpt_lookup(&p->hpt, slb_v, ea, &m) && m.absent;
	spin_unlock(&p->hpt_lock);
	return device;
}

/* An instruction fetch from an emulated page is refused as a guarded one;
 * any other virtual-mode fault is the guest's ISI, its cause bits kept. */
static void virtual_insn_fault(struct vcpu *v)
{
	vcpu_reflect(v, VEC_INSN_STORAGE, device_page(v, v->nip) ? SRR1_NOEXEC_GUARD : v->msr & SRR1_REASON);
}

static void insn_storage(struct vcpu *v)
{
	if (v->fast_done) {
		v->fast_done = false;
		return;
	}
	v->asdr = mfspr(SPR_ASDR);
	if (!(v->msr & MSR_IR))
		real_mode_fault(v, false);
	else
		virtual_insn_fault(v);
}
EXIT_HANDLER(hisi, VEC_HV_INSN_STORAGE, insn_storage);

/*
 * 0xE00 on the fast path: a device access that needs nothing but itself
 * (a page and instruction this vCPU's full exits found before), or a fault
 * that is the guest's own, which it gets at once. 1 for the full exit.
 */
static long data_fast(struct vcpu *v)
{
	uint64_t ea = mfspr(SPR_HDAR), hdsisr = mfspr(SPR_HDSISR), slb_v;
	if (!(v->msr & MSR_DR))
		return 1;
	v->hdar = ea;
	v->hdsisr = hdsisr;
	if (!(hdsisr & DSISR_NOHPTE)) {
		reflect_dsi(v, hdsisr);
		return 0;
	}
	/* No HPT lock for the cached entries: racing the guest's own changes to
	 * its table only hurts the guest (hv/mm/hpt_lookup.h). */
	struct partition *p = v->part;
	struct hpt_match m;
	bool store = (hdsisr & DSISR_STORE) != 0;
	/* Fibonacci hashing of the instruction number: accesses a fixed
	 * stride apart (an unrolled loop) spread over the table */
	uint32_t slot = ((uint32_t)(v->nip >> 2) * 0x9e3779b1u) >> (32 - MMIO_SHORTCUT_BITS);
	struct mmio_shortcut *sc = &v->shortcut[slot];
	/* (an empty slot never matches: the HPT's generation starts at 1) */
	uint64_t key = (v->msr & SHORTCUT_MSR) | (store ? SHORTCUT_STORE : 0);
	if (sc->nip == v->nip && sc->ea_page == ea >> 12 && sc->key == key && sc->hpt_gen == p->hpt.gen &&
	    !(ea & (sc->d.size - 1)) && be32_load(sc->insn_host) == sc->insn_raw && mfspr(SPR_AMR) == sc->amr) {
		uint64_t data_slb_v, nip_slb_v;
		/* (in real mode the instruction's place cannot change: no segment) */
		if (slb_find(ea, &data_slb_v) && data_slb_v == sc->slb_v &&
		    (!(key & MSR_IR) || (slb_find(v->nip, &nip_slb_v) && nip_slb_v == sc->nip_slb_v))) {
			perform(v, &sc->d, sc->gpa_page | (ea & 0xfff), &sc->bus);
			return (!store && sc->d.rt >= 14) || (sc->d.update && sc->d.ra >= 14) ? 3 : 0;
		}
	}
	if (!slb_find(ea, &slb_v) || !hpt_lookup_cache_hit(&p->hpt, &v->mmio_cache, slb_v, ea, &m)) {
		if (device_page(v, ea))
			return 1; /* first touch: the full exit checks it and fills the caches */
		reflect_dsi(v, hdsisr);
		return 0;
	}
	if (!m.absent || !hpt_pp_allows(slb_v, m.r, (v->msr & MSR_PR) != 0, store) ||
	    !hpt_key_allows(m.r, mfspr(SPR_AMR), store))
		return 1;
	uint32_t insn;
	const uint8_t *insn_host = NULL;
	uint64_t nip_slb_v = 0, amr = mfspr(SPR_AMR);
	if (!fetch_insn(v, true, &insn, &insn_host, &nip_slb_v))
		return 1;
	const struct mmio_insn *d = decode(v, insn);
	if (!d || d->store != store || (m.gpa & (d->size - 1)))
		return 1;
	{ /* what this outcome depended on, to repeat it */
		*sc = (struct mmio_shortcut){ .key = (v->msr & SHORTCUT_MSR) | (store ? SHORTCUT_STORE : 0),
					      .insn_raw = be32_load(insn_host),
					      .insn_host = insn_host,
					      .nip = v->nip,
					      .ea_page = ea >> 12,
					      .amr = amr,
					      .slb_v = slb_v,
					      .nip_slb_v = nip_slb_v,
					      .hpt_gen = p->hpt.gen,
					      .gpa_page = m.gpa & ~0xfffull,
					      .d = *d };
	}
	perform(v, d, m.gpa, &sc->bus);
	/* 3: the access wrote a GPR the C code does not keep (r14-r31). */
	return (!d->store && d->rt >= 14) || (d->update && d->ra >= 14) ? 3 : 0;
}

long storage_fast(struct vcpu *v, uint64_t vec)
{
	long rc;
	if (vec == VEC_HV_DATA_STORAGE) {
		rc = data_fast(v);
	} else {
		if (!(v->msr & MSR_IR))
			return 1;
		virtual_insn_fault(v);
		rc = 0;
	}
	if (rc == 1)
		return rc;
	struct partition *p = v->part;
	if (v->dpdes || xics_pending(&p->xics, v->id)) {
		v->fast_done = true; /* the run loop delivers it */
		return 2;
	}
	v->exits++;
	p->exits_by_vector[VEC_SLOT(vec)]++;
	return rc;
}
