#include <string.h>
#include <libfdt.h>
#include "hv/hvtest.h"
#include "hv/console.h"
#include "hv/lib/log.h"
#include "drivers/timebase.h"
#include "arch/insn.h"

static char fdt_copy[128 * 1024] __attribute__((aligned(8)));

const char *hvtest_bootargs(const void *fdt)
{
	if (fdt_check_header(fdt))
		return "";
	int node = fdt_path_offset(fdt, "/chosen"), len;
	const char *args = node < 0 ? NULL : fdt_getprop(fdt, node, "bootargs", &len);
	return args && len > 0 && args[len - 1] == '\0' ? args : "";
}

int hvtest_enabled(const char *bootargs, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = bootargs; (p = strstr(p, "hvtest=")); p++) {
		const char *v = p + 7;
		if (!strncmp(v, name, n) && (v[n] == '\0' || v[n] == ' ' || v[n] == ','))
			return 1;
	}
	return 0;
}

void *hvtest_mangle_fdt(void *fdt, const char *bootargs)
{
	int drop_tb = hvtest_enabled(bootargs, "fdt-no-timebase");
	int overlap = hvtest_enabled(bootargs, "fdt-overlap");
	if (!drop_tb && !overlap)
		return fdt;
	if (fdt_open_into(fdt, fdt_copy, sizeof(fdt_copy))) {
		log_error("hvtest: cannot copy the device tree");
		return fdt;
	}
	if (drop_tb) {
		log_info("hvtest: removing timebase-frequency from the device tree");
		int cpus = fdt_path_offset(fdt_copy, "/cpus"), node;
		fdt_for_each_subnode (node, fdt_copy, cpus)
			fdt_delprop(fdt_copy, node, "timebase-frequency");
	}
	if (overlap) {
		log_info("hvtest: adding a memory node that overlaps memory@0");
		int node = fdt_add_subnode(fdt_copy, 0, "memory@10000000");
		fdt64_t reg[2] = { cpu_to_fdt64(0x10000000), cpu_to_fdt64(0x20000000) };
		if (node < 0 || fdt_setprop_string(fdt_copy, node, "device_type", "memory") ||
		    fdt_setprop(fdt_copy, node, "reg", reg, sizeof(reg)))
			log_error("hvtest: cannot add the memory node");
	}
	return fdt_copy;
}

static void __attribute__((noinline)) fault_test_trigger(void)
{
	trap();
}

static void __attribute__((noinline)) fault_test(void)
{
	log_info("hvtest: taking a deliberate unexpected trap");
	fault_test_trigger();
	log_error("hvtest: the trap returned; the fault path is broken");
}

/* Reads one line from the console (30 s at most) and prints it back. */
static void echo_test(void)
{
	char line[64];
	unsigned int n = 0;
	hvprint("hvtest: type a line");
	uint64_t end = tb_now() + us_to_tb(30000000);
	while ((int64_t)(tb_now() - end) < 0) {
		int c = console_getc();
		if (c < 0) {
			udelay(1000);
			continue;
		}
		if (c == '\r' || c == '\n')
			break;
		if (n < sizeof(line) - 1)
			line[n++] = (char)c;
	}
	line[n] = '\0';
	hvprint("hvtest: read \"%s\" (%u bytes)", line, n);
}

void hvtest_run(const char *bootargs)
{
	if (hvtest_enabled(bootargs, "fault"))
		fault_test();
	if (hvtest_enabled(bootargs, "echo"))
		echo_test();
	hvtest_disks(bootargs);
}
