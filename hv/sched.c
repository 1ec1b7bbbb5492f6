#include "hv/sched.h"
#include "hv/log.h"
#include "hv/monitor.h"
#include "hv/panic.h"
#include "hv/partition.h"
#include "hv/smp.h"
#include "hv/timer.h"
#include "arch/spr.h"

#define IDLE_SLICE_US 100000    /* a lone vCPU still exits now and then to notice stops */

int sched_power_off_when_idle = 1;
static uint64_t slice_ticks, idle_slice_ticks;

int sched_assign(const struct hv_config *cfg)
{
	unsigned int next = 0;
	slice_ticks = us_to_tb(cfg->time_slice_us);
	idle_slice_ticks = us_to_tb(IDLE_SLICE_US);
	sched_power_off_when_idle = cfg->power_off_when_all_stopped;
	for (unsigned int i = 0; i < npartitions; i++) {
		struct partition *p = &partitions[i];
		const struct partition_config *pc = &cfg->part[i];
		for (unsigned int k = 0; k < p->nvcpus; k++) {
			unsigned int t = pc->cpus_given ? pc->cpus[k] : next++ % ncpus;
			if (t >= ncpus || !cpus[t] || cpus[t]->state != CPU_ONLINE) {
				log_error("bundle: partition '%s': property cpus: hardware thread %u is not online (this machine has %u)",
					  p->name, t, smp_online());
				return -1;
			}
			struct cpu *c = cpus[t];
			if (c->nrun == sizeof(c->run_queue) / sizeof(c->run_queue[0])) {
				log_error("bundle: partition '%s': too many vCPUs on hardware thread %u", p->name, t);
				return -1;
			}
			c->run_queue[c->nrun++] = &p->vcpus[k];
			p->vcpus[k].thread = t;
		}
	}
	return 0;
}

static int partitions_rebooting(void)
{
	for (unsigned int i = 0; i < npartitions; i++)
		if (partitions[i].reboot_requested)
			return 1;
	return 0;
}

void sched_wake(struct vcpu *v)
{
	v->prodded = true;
}

void sched_kick(struct vcpu *v)
{
	struct cpu *c = cpus[v->thread];
	if (c == this_cpu())
		return;
	/* A directed hypervisor doorbell (msgsnd type 5) to the thread's PIR. */
	__asm__ volatile("sync; msgsnd %0" : : "r"((5ull << 27) | c->server) : "memory");
}

/* A ceded vCPU runs again when prodded or when its decrementer runs out. */
static int ready(struct vcpu *v, uint64_t now)
{
	if (v->stop_requested || v->part->state != PART_RUNNING) {
		v->state = VCPU_STOPPED;
		return 0;
	}
	if (v->state == VCPU_CEDED && (v->prodded || (int64_t)(now - v->dec_expires) >= 0 ||
				       xics_pending(&v->part->xics, v->id))) {
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

void vcpu_thread_loop(void)
{
	struct cpu *c = this_cpu();
	uint64_t next_poll = 0;
	ptab_cpu_init();
	if (c->boot_cpu)
		monitor_init();
	for (;;) {
		/* The boot thread also serves the console, a few hundred times a second. */
		if (c->boot_cpu && (int64_t)(tb_now() - next_poll) >= 0) {
			monitor_poll();
			next_poll = tb_now() + us_to_tb(2000);
		}
		unsigned int runnable;
		struct vcpu *v = pick(c, &runnable);
		if (v) {
			uint64_t slice = runnable > 1 ? slice_ticks : idle_slice_ticks;
			if (c->boot_cpu && slice > us_to_tb(10000))
				slice = us_to_tb(10000);   /* the console stays responsive */
			vcpu_run_once(c, v, slice);
			continue;
		}
		if (c->boot_cpu && npartitions && partitions_running() == 0 && sched_power_off_when_idle &&
		    !partitions_rebooting()) {
			hvprint("all partitions have stopped");
			machine_power_off();
		}
		cpu_relax();
	}
}
