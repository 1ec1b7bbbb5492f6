#include "hv/sched.h"
#include "hv/cpu.h"
#include "hv/exits.h"
#include "hv/lib/log.h"
#include "hv/partition.h"
#include "hv/smp.h"
#include "drivers/timebase.h"

#define IDLE_SLICE_US     100000 /* a lone vCPU still exits now and then to notice stops */
#define SERVICE_PERIOD_US 2000
#define SERVICE_SLICE_US  10000 /* a thread with a service keeps its slices short */

static uint64_t slice_ticks, idle_slice_ticks;

int sched_assign(const struct hv_config *cfg)
{
	unsigned int next = 0;
	slice_ticks = us_to_tb(cfg->time_slice_us);
	idle_slice_ticks = us_to_tb(IDLE_SLICE_US);
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

/* A ceded vCPU runs again when prodded or when its decrementer runs out. */
static int ready(struct vcpu *v, uint64_t now)
{
	if (v->stop_requested || v->part->state != PART_RUNNING) {
		v->state = VCPU_STOPPED;
		return 0;
	}
	if (v->state == VCPU_CEDED &&
	    (v->prodded || (int64_t)(now - v->dec_expires) >= 0 || xics_pending(&v->part->xics, v->id))) {
		v->prodded = false;
		v->state = VCPU_RUNNABLE;
	}
	return v->state == VCPU_RUNNABLE;
}

static struct vcpu *pick(struct cpu *c, unsigned int *runnable)
{
	uint64_t now = tb_now();
	struct vcpu *chosen = 0;
	*runnable = 0;
	for (unsigned int i = 0; i < c->nrun; i++) {
		unsigned int k = (c->next_run + i) % c->nrun;
		if (ready(c->run_queue[k], now)) {
			(*runnable)++;
			if (!chosen) {
				chosen = c->run_queue[k];
				c->next_run = (k + 1) % c->nrun;
			}
		}
	}
	return chosen;
}

void sched_thread_loop(void (*service)(void))
{
	struct cpu *c = this_cpu();
	uint64_t next_service = 0;
	for (;;) {
		if (service && (int64_t)(tb_now() - next_service) >= 0) {
			service();
			next_service = tb_now() + us_to_tb(SERVICE_PERIOD_US);
		}
		unsigned int runnable;
		struct vcpu *v = pick(c, &runnable);
		if (v) {
			uint64_t slice = runnable > 1 ? slice_ticks : idle_slice_ticks;
			if (service && slice > us_to_tb(SERVICE_SLICE_US))
				slice = us_to_tb(SERVICE_SLICE_US); /* the service stays responsive */
			vcpu_run_once(c, v, slice);
			continue;
		}
		cpu_relax();
	}
}
