#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <libfdt.h>
#include "tests/unit/support/fdt_builder.h"

static char buf[64 * 1024];

void fdt_spec_default(struct fdt_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->nmem = 1;
	s->mem[0][0] = 0;
	s->mem[0][1] = 4ull << 30;
	s->ncores = 4;
	s->threads = 1;
	s->boot_cpu = 0;
	s->nrsvmap = 1;
	s->rsvmap[0][0] = 0x30000000;
	s->rsvmap[0][1] = 0x600000;
	s->nresmem = 1;
	s->resmem[0][0] = 0x31000000;
	s->resmem[0][1] = 0xc10000;
}

static void prop_u64(void *fdt, const char *name, uint64_t v)
{
	fdt64_t be = cpu_to_fdt64(v);
	assert(!fdt_property(fdt, name, &be, sizeof(be)));
}

static void prop_u32(void *fdt, const char *name, uint32_t v)
{
	assert(!fdt_property_u32(fdt, name, v));
}

static void prop_reg(void *fdt, uint64_t base, uint64_t size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };
	assert(!fdt_property(fdt, "reg", reg, sizeof(reg)));
}

void *fdt_build(const struct fdt_spec *s)
{
	void *fdt = buf;
	char name[64];
	assert(!fdt_create(fdt, sizeof(buf)));
	for (unsigned int i = 0; i < s->nrsvmap; i++)
		assert(!fdt_add_reservemap_entry(fdt, s->rsvmap[i][0], s->rsvmap[i][1]));
	assert(!fdt_finish_reservemap(fdt));
	assert(!fdt_begin_node(fdt, ""));
	prop_u32(fdt, "#address-cells", 2);
	prop_u32(fdt, "#size-cells", 2);
	assert(!fdt_property_string(fdt, "model", "test machine"));

	for (unsigned int i = 0; i < s->nmem; i++) {
		snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)s->mem[i][0]);
		assert(!fdt_begin_node(fdt, name));
		assert(!fdt_property_string(fdt, "device_type", "memory"));
		if (s->mem_reg_bad_len) {
			fdt32_t bad[3] = { 0, 0, cpu_to_fdt32(1) };
			assert(!fdt_property(fdt, "reg", bad, sizeof(bad)));
		} else {
			prop_reg(fdt, s->mem[i][0], s->mem[i][1]);
		}
		assert(!fdt_end_node(fdt));
	}

	assert(!fdt_begin_node(fdt, "cpus"));
	prop_u32(fdt, "#address-cells", 1);
	prop_u32(fdt, "#size-cells", 0);
	for (unsigned int c = 0; c < s->ncores; c++) {
		snprintf(name, sizeof(name), "PowerPC,POWER9@%x", c * 4);
		assert(!fdt_begin_node(fdt, name));
		assert(!fdt_property_string(fdt, "device_type", "cpu"));
		prop_u32(fdt, "reg", c * 4);
		fdt32_t servers[8];
		for (unsigned int t = 0; t < s->threads; t++)
			servers[t] = cpu_to_fdt32(s->dup_server && c == 1 ? t : c * 4 + t);
		assert(!fdt_property(fdt, "ibm,ppc-interrupt-server#s", servers, s->threads * 4));
		if (s->tbfreq_bad_len)
			assert(!fdt_property(fdt, "timebase-frequency", "abc", 3));
		else if (s->tbfreq_64bit)
			prop_u64(fdt, "timebase-frequency", 512000000);
		else if (!s->no_tbfreq)
			prop_u32(fdt, "timebase-frequency", 512000000);
		assert(!fdt_end_node(fdt));
	}
	assert(!fdt_end_node(fdt));

	if (s->nresmem) {
		assert(!fdt_begin_node(fdt, "reserved-memory"));
		prop_u32(fdt, "#address-cells", 2);
		prop_u32(fdt, "#size-cells", 2);
		for (unsigned int i = 0; i < s->nresmem; i++) {
			snprintf(name, sizeof(name), "ibm,firmware-data@%llx", (unsigned long long)s->resmem[i][0]);
			assert(!fdt_begin_node(fdt, name));
			prop_reg(fdt, s->resmem[i][0], s->resmem[i][1]);
			assert(!fdt_end_node(fdt));
		}
		assert(!fdt_end_node(fdt));
	}

	if (!s->no_opal) {
		assert(!fdt_begin_node(fdt, "ibm,opal"));
		prop_u64(fdt, "opal-base-address", 0x30000000);
		prop_u64(fdt, "opal-entry-address", 0x30000100);
		assert(!fdt_end_node(fdt));
	}

	assert(!fdt_begin_node(fdt, "chosen"));
	if (s->bootargs_unterminated)
		assert(!fdt_property(fdt, "bootargs", "abc", 3));
	else if (s->bootargs)
		assert(!fdt_property_string(fdt, "bootargs", s->bootargs));
	if (s->initrd) {
		prop_u64(fdt, "linux,initrd-start", s->initrd_start);
		if (!s->initrd_only_start)
			prop_u32(fdt, "linux,initrd-end", (uint32_t)s->initrd_end);
	}
	assert(!fdt_end_node(fdt));

	assert(!fdt_end_node(fdt));
	assert(!fdt_finish(fdt));
	fdt_set_boot_cpuid_phys(fdt, s->boot_cpu);
	return fdt;
}
