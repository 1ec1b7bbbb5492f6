/*
 * The per-thread scheduler.
 *
 * Each vCPU is pinned to a hardware thread. A thread runs the vCPUs pinned
 * to it in round robin, each for a slice of CPU time (time-slice-us) that
 * only the vCPU itself ends early, by blocking (H_CEDE, stop) or giving it
 * up (H_CONFER): an exit for an hcall, an interrupt or a kick from another
 * thread resumes the same vCPU with what is left of its slice, so nothing
 * another partition does shortens it. Time is charged to the vCPU from
 * entry to the end of its exit's handling. A vCPU alone on its thread
 * runs in long slices, cut short when another one there becomes ready.
 *
 * A vCPU holds its thread from dispatch to undispatch: its VPA dispatch
 * count is even meanwhile, and its dispatches are logged in its DTL.
 * With nothing ready the thread sleeps (stop) until a kick, the earliest
 * decrementer of its ceded vCPUs, or its service is due.
 *
 * A partition restart is the work of its vCPU 0, in bounded steps on that
 * vCPU's thread and time, so it costs no other partition anything.
 */
#include "hv/sched.h"
#include "hv/arch/vcpu_switch.h"
#include "hv/cpu.h"
#include "hv/exits.h"
#include "hv/lib/log.h"
#include "hv/papr/vpa.h"
#include "hv/partition.h"
#include "hv/smp.h"
#include "hv/timer.h"
#include "drivers/timebase.h"
#include "arch/insn.h"
#include "arch/spr.h"

#define LONE_SLICE_US    100000 /* a vCPU alone on its thread still exits now and then */
#define SERVICE_SLICE_US 10000  /* a thread with a service keeps its slices this short */

static uint64_t slice_ticks, lone_slice_ticks;

int sched_assign(const struct hv_config *cfg)
{
	unsigned int next = 0;
	slice_ticks = us_to_tb(cfg->time_slice_us);
	lone_slice_ticks = us_to_tb(LONE_SLICE_US);
	for (unsigned int i = 0; i < npartitions; i++) {
		struct partition *p = &partitions[i];
		const struct partition_config *pc = &cfg->part[i];
		for (unsigned int k = 0; k < p->nvcpus; k++) {
			unsigned int t = pc->cpus_given ? pc->cpus[k] : next++ % ncpus;
			if (t >= ncpus || !cpus[t] || cpus[t]->state != CPU_ONLINE) {
				log_error("bundle: partition '%s': property cpus: hardware thread %u is not online "
					  "(this machine has %u)",
					  p->name, t, smp_online());
				return -1;
			}
			struct cpu *c = cpus[t];
			if (c->nrun == CPU_MAX_VCPUS) {
				log_error("bundle: partition '%s': too many vCPUs on hardware thread %u", p->name, t);
				return -1;
			}
			c->run_queue[c->nrun++] = &p->vcpus[k];
			p->vcpus[k].thread = t;
		}
	}
	return 0;
}

void sched_wake(struct vcpu *v)
{
	v->prodded = true;
}

static bool restart_pending(const struct vcpu *v)
{
	const struct partition *p = v->part;
	return v->id == 0 && p->reboot_requested && p->state == PART_STOPPED;
}

/* Whether v can run now; a ceded vCPU becomes runnable when prodded, when
 * an interrupt is presented to it or when its decrementer runs out. Only
 * v's own thread calls this. */
static bool ready(struct vcpu *v, uint64_t now)
{
	struct partition *p = v->part;
	if (p->state != PART_RUNNING)
		return restart_pending(v);
	if (v->stop_requested)
		return false;
	if (v->state == VCPU_CEDED) {
		uint8_t why;
		if (v->prodded)
			why = DTL_REASON_PROD;
		else if (v->sreset_pending)
			why = DTL_REASON_SYS_RESET;
		else if (xics_pending(&p->xics, v->id) || v->dpdes)
			why = DTL_REASON_EXTERNAL;
		else if ((int64_t)(now - v->dec_expires) >= 0)
			why = DTL_REASON_DEC;
		else
			return false;
		v->prodded = false;
		v->dec_wake = why == DTL_REASON_DEC;
		v->wake_reason = why;
		v->ready_since = now;
		v->state = VCPU_RUNNABLE;
	}
	return v->state == VCPU_RUNNABLE;
}

static uint8_t *vpa_of(const struct vcpu *v)
{
	const struct partition *p = v->part;
	return v->vpa && p->state == PART_RUNNING ? guest_ptr(p, v->vpa, VPA_SIZE_MIN) : 0;
}

static void dispatch(struct cpu *c, struct vcpu *v, uint64_t now)
{
	c->current = v;
	v->dispatched = true;
	uint8_t *vpa = vpa_of(v);
	if (!vpa)
		return;
	vpa_set_dispatched(vpa, true);
	uint8_t *dtl = v->dtl ? guest_ptr(v->part, v->dtl, v->dtl_size) : 0;
	if (dtl && v->left_as) {
		struct dtl_event e = { v->left_as, v->wake_reason, (uint16_t)v->id, (uint32_t)(now - v->ready_since),
				       now,        v->nip,         v->msr };
		dtl_log(vpa, dtl, v->dtl_size, &e);
	}
}

static void undispatch(struct cpu *c, uint64_t now)
{
	struct vcpu *v = c->current;
	c->current = 0;
	v->dispatched = false;
	v->ready_since = now;
	v->wake_reason = DTL_REASON_TIME_SLICE;
	v->left_as = v->state == VCPU_CEDED ? DTL_LOG_CEDE : v->state == VCPU_RUNNABLE ? DTL_LOG_PREEMPT : 0;
	uint8_t *vpa = vpa_of(v);
	if (vpa)
		vpa_set_dispatched(vpa, false);
}

/*
 * What runs next and for how long: the current vCPU while it is ready and
 * has slice left, else the next ready one after it in the run queue, with
 * a fresh slice. *budget is capped so that the thread looks again when a
 * ceded vCPU's decrementer is due. NULL when nothing is ready; *wake is then
 * when something next will be.
 */
static struct vcpu *pick(struct cpu *c, uint64_t now, bool service, int64_t *budget, uint64_t *wake)
{
	unsigned int nready = 0, cur = 0;
	struct vcpu *next = 0;
	uint64_t soonest = now + DEC_PARKED;
	for (unsigned int i = 0; i < c->nrun; i++)
		if (c->run_queue[i] == c->current)
			cur = i;
	for (unsigned int i = 1; i <= c->nrun; i++) {
		struct vcpu *v = c->run_queue[(cur + i) % c->nrun];
		if (ready(v, now)) {
			nready++;
			if (!next || next == c->current)
				next = v; /* the first after current, current itself last */
		} else if (v->state == VCPU_CEDED && (int64_t)(v->dec_expires - soonest) < 0) {
			soonest = v->dec_expires;
		}
	}
	*wake = soonest;
	if (!next)
		return 0;
	struct vcpu *v = c->current;
	if (!v || !ready(v, now) || c->slice_left <= 0 || (v->slice_given_up && nready > 1)) {
		v = next;
		c->slice_left = (int64_t)slice_ticks;
	}
	v->slice_given_up = false;
	int64_t b = nready > 1 ? c->slice_left : (int64_t)lone_slice_ticks;
	if (nready > 1 && c->slice_left > (int64_t)slice_ticks)
		b = c->slice_left = (int64_t)slice_ticks;
	if (service && b > (int64_t)us_to_tb(SERVICE_SLICE_US))
		b = (int64_t)us_to_tb(SERVICE_SLICE_US);
	if ((int64_t)(soonest - now) < b)
		b = (int64_t)(soonest - now) > 0 ? (int64_t)(soonest - now) : 1;
	*budget = b;
	return v;
}

/* Sleeps until a kick, an interrupt, or the timebase reaches wake. */
static void idle(struct cpu *c, uint64_t now, uint64_t wake)
{
	if (c->current)
		undispatch(c, now);
	if (c->last_loaded) { /* so that no guest DEC can wake us, and it is saved */
		vcpu_put(c->last_loaded, c->hv_lpcr);
		c->last_loaded = 0;
	}
	uint64_t ticks = (int64_t)(wake - now) > 0 ? wake - now : 1;
	hdec_arm(ticks);
	doorbell_clear_hv();
	/* A vCPU made ready before the clear is seen below; a kick after it
	 * leaves a doorbell pending, which ends the stop at once. */
	int64_t b;
	uint64_t w;
	if (!pick(c, tb_now(), false, &b, &w))
		stop_lite();
	doorbell_clear_hv();
}

static void charge(struct cpu *c, struct vcpu *v, uint64_t t0)
{
	uint64_t used = tb_now() - t0;
	v->run_ticks += used;
	c->slice_left -= (int64_t)used;
}

void sched_thread_loop(uint64_t (*service)(void))
{
	struct cpu *c = this_cpu();
	uint64_t next_service = 0;
	for (;;) {
		uint64_t now = tb_now();
		if (service && (int64_t)(now - next_service) >= 0) {
			uint64_t after_us = service();
			now = tb_now();
			next_service = now + us_to_tb(after_us);
		}
		int64_t budget;
		uint64_t wake;
		struct vcpu *v = pick(c, now, service != 0, &budget, &wake);
		if (service && (int64_t)(next_service - wake) < 0)
			wake = next_service;
		if (!v) {
			idle(c, now, wake);
			continue;
		}
		if (c->current != v) {
			if (c->current)
				undispatch(c, now);
			dispatch(c, v, now);
		}
		if (v->part->state != PART_RUNNING) { /* restart_pending(v) */
			undispatch(c, now);
			if (c->last_loaded) {
				vcpu_put(c->last_loaded, c->hv_lpcr);
				c->last_loaded = 0;
			}
			partition_restart_step(v->part);
			charge(c, v, now);
			continue;
		}
		vcpu_run_once(c, v, (uint64_t)budget);
		charge(c, v, now);
		if (!ready(v, tb_now()))
			undispatch(c, tb_now());
	}
}
