/*
 * Boot sequence of the boot CPU, entered from boot/entry.S once the image
 * runs at its linked address with a stack.
 */
#include <string.h>
#include "drivers/opal/opal.h"
#include "drivers/opal/rtc.h"
#include "drivers/pci/host_pci.h"
#include "hcall/hcall.h"
#include "hv/arch/ptab.h"
#include "hv/config/config.h"
#include "hv/config/platform.h"
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/exits.h"
#include "hv/hvtest.h"
#include "hv/lib/log.h"
#include "hv/mm/memory.h"
#include "hv/monitor.h"
#include "hv/panic.h"
#include "hv/devices.h"
#include "hv/partition.h"
#include "hv/sched.h"
#include "hv/selftest.h"
#include "hv/smp.h"
#include "hv/timer.h"
#include "hv/version.h"
#include "arch/spr.h"

extern char image_start[], _end[], boot_cpu_area[];

void boot_main(void *fdt, uint64_t opal_base, uint64_t opal_entry, uint64_t load_base);

static struct platform platform;

static void print_platform(const struct platform *p)
{
	hvprint("platform: %s, %u CPUs, timebase %llu Hz", p->model[0] ? p->model : "(no model)", p->ncpus,
		(unsigned long long)p->tb_freq);
	for (unsigned int i = 0; i < p->nmem; i++)
		hvprint("memory:   [0x%012llx, 0x%012llx) %6llu MiB", (unsigned long long)p->mem[i].start,
			(unsigned long long)p->mem[i].end,
			(unsigned long long)((p->mem[i].end - p->mem[i].start) >> 20));
	for (unsigned int i = 0; i < p->nrsv; i++)
		hvprint("reserved: [0x%012llx, 0x%012llx) %s", (unsigned long long)p->rsv[i].r.start,
			(unsigned long long)p->rsv[i].r.end, p->rsv[i].name);
	if (p->cpus_ignored)
		log_warn("platform: %u CPUs beyond the first %d are not used", p->cpus_ignored, PLAT_MAX_CPUS);
}

static void add_busy(struct plat_rsv *b, unsigned int *n, uint64_t start, uint64_t end, const char *name)
{
	b[*n].r.start = start;
	b[*n].r.end = end;
	strncpy(b[*n].name, name, sizeof(b[*n].name) - 1);
	hvprint("reserved: [0x%012llx, 0x%012llx) %s", (unsigned long long)start, (unsigned long long)end, name);
	(*n)++;
}

static struct hv_config config;

static unsigned int cpu_index(void)
{
	return this_cpu()->index;
}

static void start_thread_loop(void *arg)
{
	(void)arg;
	ptab_cpu_init();
	sched_thread_loop(0);
}

/* The console is polled every 2 ms while someone types, and every 20 ms
 * once nothing was typed for a second, so idle partitions cost nothing. */
#define CONSOLE_POLL_TYPING_US 2000
#define CONSOLE_POLL_IDLE_US   20000

/* What the boot thread does between guest slices: the console and the
 * monitor, and power-off once every partition stopped. Returns when to
 * come back, in microseconds. */
static uint64_t boot_thread_service(void)
{
	static uint64_t last_typed;
	if (monitor_poll())
		last_typed = tb_now();
	uint64_t next = tb_now() - last_typed < us_to_tb(1000000) ? CONSOLE_POLL_TYPING_US : CONSOLE_POLL_IDLE_US;
	if (npartitions && partitions_running() == 0 && config.power_off_when_all_stopped && !partitions_rebooting()) {
		hvprint("all partitions have stopped");
		machine_power_off();
	}
	return next;
}

/* Creates the bundle's partitions and turns every thread into a vCPU runner. */
static void run_bundle(const void *bundle, uint64_t size)
{
	char err[200];
	if (config_parse(bundle, size, &config, err, sizeof(err))) { /* checks the container too */
		log_error("%s", err);
		log_error("boot: the initrd at 0x%llx (%llu bytes) is not a usable bundle",
			  (unsigned long long)(uintptr_t)bundle, (unsigned long long)size);
		machine_power_off();
	}
	if (config.loglevel >= 0)
		log_set_level((enum log_level)config.loglevel);
	hvprint("bundle: %u partition(s)", config.npartitions);
	hcall_init();
	exits_init();
	if (devices_init(&config))
		machine_power_off();
	for (unsigned int i = 0; i < config.npartitions; i++)
		if (partition_create(&config, i))
			machine_power_off();
	if (sched_assign(&config))
		machine_power_off();
	for (unsigned int i = 1; i < ncpus; i++)
		if (cpus[i] && cpus[i]->state == CPU_ONLINE) {
			cpus[i]->call_arg = 0;
			sync();
			cpus[i]->call_fn = start_thread_loop;
		}
	ptab_cpu_init();
	monitor_set_hcall_namer(hcall_name);
	monitor_init();
	sched_thread_loop(boot_thread_service);
}

void boot_main(void *fdt, uint64_t opal_base, uint64_t opal_entry, uint64_t load_base)
{
	opal.base = opal_base;
	opal.entry = opal_entry;
	struct cpu *boot = (struct cpu *)boot_cpu_area;
	_Static_assert(sizeof(struct cpu) <= 1024, "boot_cpu_area in boot/entry.S is too small");
	boot->self = boot;
	boot->state = CPU_ONLINE;
	boot->boot_cpu = 1;
	boot->server = (uint32_t)mfspr(SPR_PIR);
	cpus[0] = boot;
	ncpus = 1;
	console_init();

	hvprint("%s %s: hypervisor for POWER, built %s", HV_NAME, HV_VERSION, HV_BUILD_DATE);
	hvprint("boot: image at 0x0-0x%llx (loaded at 0x%llx), FDT at 0x%llx, OPAL at 0x%llx",
		(unsigned long long)(uint64_t)_end, (unsigned long long)load_base, (unsigned long long)(uint64_t)fdt,
		(unsigned long long)opal_base);

	fdt = hvtest_mangle_fdt(fdt, hvtest_bootargs(fdt));
	char err[200];
	if (platform_parse(fdt, &platform, err, sizeof(err))) {
		log_error("%s", err);
		log_error("boot: cannot continue without a valid device tree");
		machine_power_off();
	}
	int lvl = log_level_from_args(platform.bootargs);
	if (lvl >= 0)
		log_set_level((enum log_level)lvl);
	else if (strstr(platform.bootargs, "loglevel="))
		log_warn("boot: unknown loglevel in \"%s\" (use error, warn, info or debug)", platform.bootargs);
	timebase_init(platform.tb_freq);
	cpu_init_thread();
	timer_cpu_setup();
	print_platform(&platform);

	struct plat_rsv busy[4];
	unsigned int nbusy = 0;
	add_busy(busy, &nbusy, (uint64_t)image_start, (uint64_t)_end, "hypervisor image");
	add_busy(busy, &nbusy, (uint64_t)fdt, (uint64_t)fdt + platform.fdt_size, "firmware device tree");
	if (platform.has_initrd)
		add_busy(busy, &nbusy, platform.initrd_start, platform.initrd_end, "bundle (initrd)");
	if (memory_init(&platform, busy, nbusy)) {
		log_error("boot: cannot continue without a memory map");
		machine_power_off();
	}
	hvprint("memory: %llu MiB free for guests and the hypervisor in %u extents",
		(unsigned long long)(hv_free_bytes() >> 20), hv_palloc.nfree);

	rtc_anchor(); /* once, here: a read of the firmware clock is slow */
	unsigned int online = smp_start(&platform);
	hvprint("smp: %u of %u CPUs online", online, platform.ncpus);

	struct host_pci_options pci = { .bypass = strstr(platform.bootargs, "hostdma=bypass") != NULL,
					.threads = ncpus,
					.thread_index = cpu_index };
	if (hvtest_enabled(platform.bootargs, "nvme-never-ready"))
		pci.faults |= HOST_FAULT_NVME_NEVER_READY;
	if (hvtest_enabled(platform.bootargs, "nvme-lost-doorbell"))
		pci.faults |= HOST_FAULT_NVME_LOST_DOORBELL;
	if (hvtest_enabled(platform.bootargs, "nvme-fatal"))
		pci.faults |= HOST_FAULT_NVME_FATAL;
	if (hvtest_enabled(platform.bootargs, "nvme-stray-dma"))
		pci.faults |= HOST_FAULT_NVME_STRAY_DMA;
	if (hvtest_enabled(platform.bootargs, "host-bar-pattern"))
		pci.faults |= HOST_TEST_BAR_PATTERN;
	host_pci_init(fdt, &pci);

	hvtest_run(platform.bootargs);

	if (platform.has_initrd) {
		run_bundle((const void *)platform.initrd_start, platform.initrd_end - platform.initrd_start);
	}

	hvprint("no bundle given: running the power-on self-test");
	selftest_run(&platform, busy, nbusy);
	machine_power_off();
}
