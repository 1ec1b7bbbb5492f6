#include "hv/smp.h"
#include "hv/lib/log.h"
#include "hv/timer.h"
#include "arch/spr.h"
#include "drivers/opal/opal.h"

#define CPU_START_TIMEOUT_US 2000000

/* Read by boot/entry.S: the area of the CPU being started right now. */
struct cpu *volatile secondary_boot_cpu;
extern char secondary_entry[];

void secondary_main(uint64_t pir);

static int wait_state(struct cpu *c, uint32_t want, uint64_t timeout_us)
{
	uint64_t end = tb_now() + us_to_tb(timeout_us);
	while (c->state != want)
		if ((int64_t)(tb_now() - end) > 0)
			return -1;
	return 0;
}

unsigned int smp_start(const struct platform *p)
{
	unsigned int index = 1;
	for (unsigned int i = 0; i < p->ncpus; i++) {
		uint32_t server = p->cpu_server[i];
		if (server == p->boot_cpu)
			continue;
		struct cpu *c = cpu_create(index++, server, false);
		c->state = CPU_STARTING;
		secondary_boot_cpu = c;
		sync();
		int64_t rc = OPAL2(OPAL_START_CPU, server, (uint64_t)secondary_entry);
		if (rc != OPAL_SUCCESS) {
			log_error("smp: OPAL_START_CPU for server 0x%x failed (%lld)", server, (long long)rc);
			c->state = CPU_FAILED;
			continue;
		}
		if (wait_state(c, CPU_ONLINE, CPU_START_TIMEOUT_US)) {
			log_error("smp: CPU %u (server 0x%x) did not report in", c->index, server);
			c->state = CPU_FAILED;
		}
	}
	return smp_online();
}

unsigned int smp_online(void)
{
	unsigned int n = 0;
	for (unsigned int i = 0; i < ncpus; i++)
		n += cpus[i] && cpus[i]->state == CPU_ONLINE;
	return n;
}

void secondary_main(uint64_t pir)
{
	struct cpu *c = this_cpu();
	cpu_init_thread();
	timer_cpu_setup();
	if (pir != c->server)
		log_warn("smp: CPU %u started as PIR 0x%llx, expected 0x%x", c->index, (unsigned long long)pir,
			 c->server);
	log_info("cpu %u: online (server 0x%x)", c->index, c->server);
	sync();
	c->state = CPU_ONLINE;
	for (;;) {
		cpu_call_fn fn = c->call_fn;
		if (fn) {
			fn(c->call_arg);
			sync();
			c->call_fn = 0;
		}
		cpu_relax();
	}
}
