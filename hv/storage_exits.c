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

bool vcpu_fetch_insn(struct vcpu *v, uint32_t *insn)
{
	struct partition *p = v->part;
	const uint8_t *b;
	if (!(v->msr & MSR_IR)) {
		b = guest_ptr(p, v->nip & 0x0fffffffffffffffull, 4);
	} else {
		uint64_t slb_v;
		struct hpt_match m;
		bool hit;
		if (!slb_find(v->nip, &slb_v))
			return false;
		spin_lock(&p->hpt_lock);
		bool found = hpt_lookup_cached(&p->hpt, &v->insn_cache, slb_v, v->nip, &m, &hit);
		spin_unlock(&p->hpt_lock);
		if (!found || m.absent)
			return false;
		b = (const uint8_t *)(uintptr_t)m.host;
	}
	if (!b)
		return false;
	uint32_t w = be32_load(b);
	*insn = (v->msr & MSR_LE) ? __builtin_bswap32(w) : w;
	return true;
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

/*
 * A virtual-mode hash miss: an emulated page (an absent entry) is the
 * device's; true when that was so and the access is done (or the guest got
 * the interrupt it earned), false when the miss is the guest's own.
 */
static bool emulate_device_access(struct vcpu *v)
{
	struct partition *p = v->part;
	uint64_t slb_v;
	struct hpt_match m;
	bool hit;
	if (!slb_find(v->hdar, &slb_v))
		return false;
	spin_lock(&p->hpt_lock);
	bool found = hpt_lookup_cached(&p->hpt, &v->mmio_cache, slb_v, v->hdar, &m, &hit);
	/* A hit was emulated before and the ranges have not changed since. */
	bool remapped = found && m.absent && !hit && hpt_make_present(&p->hpt, m.ptex);
	spin_unlock(&p->hpt_lock);
	if (remapped) /* memory is there now (a BAR moved): run it again */
		return true;
	if (!found || !m.absent)
		return false;
	bool store = (v->hdsisr & DSISR_STORE) != 0;
	if (!hpt_pp_allows(slb_v, m.r, (v->msr & MSR_PR) != 0, store)) {
		reflect_dsi(v, DSISR_PROTFAULT | (store ? DSISR_STORE : 0));
		return true;
	}
	/* The vCPU is loaded: AMR holds the guest's value. */
	if (!hpt_key_allows(m.r, mfspr(SPR_AMR), store)) {
		reflect_dsi(v, DSISR_KEYFAULT | (store ? DSISR_STORE : 0));
		return true;
	}
	uint32_t insn = 0;
	struct mmio_insn d;
	if (!vcpu_fetch_insn(v, &insn)) {
		refuse(v, insn, m.gpa, "its instruction is not in its memory");
		return true;
	}
	if (!mmio_insn_decode(insn, &d) || d.store != store) {
		refuse(v, insn, m.gpa, "not a load or store the emulation supports");
		return true;
	}
	if (m.gpa & (d.size - 1)) {
		refuse(v, insn, m.gpa, "not naturally aligned");
		return true;
	}
	bool le = (v->msr & MSR_LE) != 0;
	uint64_t value = store ? mmio_insn_store_value(&d, v->gpr, le) : 0;
	spin_lock(&p->mmio_lock);
	mmio_bus_access(&p->mmio, m.gpa, d.size, store, &value);
	spin_unlock(&p->mmio_lock);
	mmio_insn_complete(&d, v->gpr, le, value, v->hdar);
	v->nip += 4;
	p->mmio_emulated++;
	v->resume_now = true;
	return true;
}

static void data_storage(struct vcpu *v)
{
	v->hdar = mfspr(SPR_HDAR);
	v->hdsisr = mfspr(SPR_HDSISR);
	v->asdr = mfspr(SPR_ASDR);
	if (!(v->msr & MSR_DR))
		real_mode_fault(v, true);
	else if (!(v->hdsisr & DSISR_NOHPTE) || !emulate_device_access(v))
		reflect_dsi(v, v->hdsisr);
}
EXIT_HANDLER(hdsi, VEC_HV_DATA_STORAGE, data_storage);

/* An instruction fetch from an emulated page is refused as a guarded one;
 * any other virtual-mode fault is the guest's ISI, its cause bits kept. */
static void insn_storage(struct vcpu *v)
{
	struct partition *p = v->part;
	v->asdr = mfspr(SPR_ASDR);
	if (!(v->msr & MSR_IR)) {
		real_mode_fault(v, false);
		return;
	}
	uint64_t slb_v;
	struct hpt_match m;
	bool device = false;
	if (slb_find(v->nip, &slb_v)) {
		spin_lock(&p->hpt_lock);
		device = hpt_lookup(&p->hpt, slb_v, v->nip, &m) && m.absent;
		spin_unlock(&p->hpt_lock);
	}
	vcpu_reflect(v, VEC_INSN_STORAGE, device ? SRR1_NOEXEC_GUARD : v->msr & SRR1_REASON);
}
EXIT_HANDLER(hisi, VEC_HV_INSN_STORAGE, insn_storage);
