#include <string.h>
#include "hv/monitor.h"
#include "hv/console.h"
#include "hv/devices.h"
#include "hv/exceptions.h"
#include "hv/lib/log.h"
#include "hv/partition.h"
#include "drivers/timebase.h"

static unsigned int focus; /* partition index */
static const char *(*hcall_namer)(unsigned long slot);

void monitor_set_hcall_namer(const char *(*namer)(unsigned long slot))
{
	hcall_namer = namer;
}
static int in_monitor;
static char line[80];
static unsigned int line_len;

void monitor_init(void)
{
	if (npartitions > 1)
		hvprint("console: input goes to %s; Ctrl-] opens the monitor (help, list, focus NAME)",
			partitions[focus].name);
}

static struct partition *find(const char *name)
{
	for (unsigned int i = 0; i < npartitions; i++)
		if (!strcmp(partitions[i].name, name))
			return &partitions[i];
	hvprint("monitor: no partition named '%s'", name);
	return 0;
}

static const char *state_name(enum partition_state s)
{
	return s == PART_RUNNING ? "running" : s == PART_STOPPED ? "stopped" : "empty";
}

static void cmd_list(void)
{
	hvprint("monitor: %-12s %-8s %5s %8s %10s %10s %8s", "partition", "state", "vcpus", "memory", "exits", "hcalls",
		"irqs");
	for (unsigned int i = 0; i < npartitions; i++) {
		struct partition *p = &partitions[i];
		uint64_t exits, hcalls, irqs;
		partition_totals(p, &exits, &hcalls, &irqs);
		hvprint("monitor: %-12s %-8s %5u %5llu MiB %10llu %10llu %8llu%s", p->name, state_name(p->state),
			p->nvcpus, (unsigned long long)(p->mem_size >> 20), (unsigned long long)exits,
			(unsigned long long)hcalls, (unsigned long long)irqs, i == focus ? "  (focus)" : "");
	}
}

static void cmd_stats(struct partition *p)
{
	hvprint("monitor: %s: exits by reason:", p->name);
	for (unsigned int v = 0; v < VEC_SLOTS; v++)
		if (p->exits_by_vector[v])
			hvprint("monitor:   0x%03x %-32s %llu", v << 5, vector_name(v << 5),
				(unsigned long long)p->exits_by_vector[v]);
	hvprint("monitor: %s: hcalls by name:", p->name);
	for (unsigned int n = 0; n < HCALL_SLOTS; n++) {
		uint64_t calls = 0;
		for (unsigned int k = 0; k < p->nvcpus; k++)
			calls += p->vcpus[k].hcalls_by_slot[n];
		const char *name = hcall_namer ? hcall_namer(n) : 0;
		if (calls)
			hvprint("monitor:   0x%04x %-26s %llu", n == HCALL_SLOT_RTAS ? KVMPPC_H_RTAS : n * 4,
				name ? name : "(unknown)", (unsigned long long)calls);
	}
	uint64_t bad = 0;
	bool bridges = false;
	for (unsigned int i = 0; i < PHB_MAX; i++)
		if (p->phb[i]) {
			bridges = true;
			bad += p->phb[i]->refused;
		}
	if (bridges)
		hvprint("monitor: %s: devices: %llu emulated accesses, %llu refused, %llu unassigned, %llu bad "
			"config/BAR/MSI requests",
			p->name, (unsigned long long)p->mmio_emulated, (unsigned long long)p->mmio_refused,
			(unsigned long long)p->mmio.unassigned, (unsigned long long)bad);
	devices_stats(p);
	for (unsigned int k = 0; k < p->nvcpus; k++) {
		const struct vcpu *v = &p->vcpus[k];
		hvprint("monitor: %s: vCPU %u on thread %u: %llu exits, %llu hcalls (%llu restarted), %llu interrupts, "
			"%llu slices, cpu %llu ms",
			p->name, k, v->thread, (unsigned long long)v->exits, (unsigned long long)vcpu_hcalls(v),
			(unsigned long long)v->hcall_restarts, (unsigned long long)v->interrupts,
			(unsigned long long)v->slices, (unsigned long long)(tb_to_us(v->run_ticks) / 1000));
	}
}

void monitor_command(const char *cmd)
{
	char verb[16] = "", arg[32] = "";
	unsigned int i = 0, k = 0;
	while (cmd[i] == ' ')
		i++;
	while (cmd[i] && cmd[i] != ' ' && k < sizeof(verb) - 1)
		verb[k++] = cmd[i++];
	while (cmd[i] == ' ')
		i++;
	for (k = 0; cmd[i] && cmd[i] != ' ' && k < sizeof(arg) - 1;)
		arg[k++] = cmd[i++];
	struct partition *p;
	if (!strcmp(verb, "help") || !strcmp(verb, "?")) {
		hvprint("monitor: list | stats NAME | focus NAME | stop NAME | restart NAME | nmi NAME | (empty line: "
			"back "
			"to the console)");
	} else if (!strcmp(verb, "list")) {
		cmd_list();
	} else if (!strcmp(verb, "stats")) {
		if ((p = find(arg)))
			cmd_stats(p);
	} else if (!strcmp(verb, "focus")) {
		if ((p = find(arg))) {
			focus = p->index;
			hvprint("monitor: console input now goes to %s", p->name);
		}
	} else if (!strcmp(verb, "stop")) {
		if ((p = find(arg))) {
			if (p->state == PART_STOPPED)
				hvprint("monitor: %s is already stopped", p->name);
			else
				partition_stop(p, "stopped from the monitor");
		}
	} else if (!strcmp(verb, "nmi")) {
		if ((p = find(arg))) {
			for (unsigned int k = 0; k < p->nvcpus; k++)
				vcpu_request_sreset(&p->vcpus[k]);
			hvprint("monitor: %s: system reset sent to its vCPUs", p->name);
		}
	} else if (!strcmp(verb, "restart")) {
		if ((p = find(arg)))
			partition_request_reboot(p, "restarting from the monitor", true);
	} else if (verb[0]) {
		hvprint("monitor: unknown command '%s' (help lists them)", verb);
	}
}

/* A focused partition that has not taken its input for this long no
 * longer holds the console back: what is typed is read (and what does not
 * fit dropped), so Ctrl-] still reaches the monitor. */
#define INPUT_HOLD_US 1000000

bool monitor_poll(void)
{
	static uint64_t full_since;
	bool typed = false;
	char buf[32];
	unsigned int n = 0, cap = sizeof(buf);
	int c;
	/* Take from the console only what the focused partition's input has
	 * room for: the rest waits in the firmware's console (back pressure, as
	 * QEMU's chardevs), so a pasted line is not cut. */
	if (!in_monitor && focus < npartitions) {
		unsigned int room = vty_input_room(&partitions[focus].vty);
		if (room)
			full_since = 0;
		else if (!full_since)
			full_since = tb_now();
		if (room < cap && (!full_since || tb_now() - full_since < us_to_tb(INPUT_HOLD_US)))
			cap = room;
		if (!cap)
			return false;
	}
	while (n < cap && (c = console_getc()) >= 0) {
		typed = true;
		if (c == MONITOR_ESCAPE) {
			in_monitor = 1;
			line_len = 0;
			hvprint("monitor: (help for commands, empty line to leave)");
			continue;
		}
		if (!in_monitor) {
			buf[n++] = (char)c;
			continue;
		}
		if (c == '\r' || c == '\n') {
			line[line_len] = '\0';
			if (line_len == 0) {
				in_monitor = 0;
				hvprint("monitor: back to %s", npartitions ? partitions[focus].name : "the console");
			} else {
				monitor_command(line);
			}
			line_len = 0;
		} else if ((c == 0x7f || c == 8) && line_len) {
			line_len--;
		} else if (c >= 32 && c < 127 && line_len < sizeof(line) - 1) {
			line[line_len++] = (char)c;
		}
	}
	if (n && focus < npartitions) {
		vty_flush(&partitions[focus].vty);
		vty_input(&partitions[focus].vty, buf, n);
	}
	return typed;
}
