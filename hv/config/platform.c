#include <string.h>
#include <stdio.h>
#include <libfdt.h>
#include "hv/config/platform.h"
#include "hv/lib/error.h"
#include "hv/lib/fdt_check.h"

static uint64_t read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;
	for (int i = 0; i < cells; i++)
		v = (v << 32) | fdt32_to_cpu(p[i]);
	return v;
}

/* A number stored as one or two cells. */
static int get_num(const void *fdt, int node, const char *name, uint64_t *out)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);
	if (!p)
		return -FDT_ERR_NOTFOUND;
	if (len == 4)
		*out = fdt32_to_cpu(p[0]);
	else if (len == 8)
		*out = read_cells(p, 2);
	else
		return -FDT_ERR_BADVALUE;
	return 0;
}

static int cells_of(const void *fdt, int node, const char *name, int dflt)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);
	if (!p || len != 4)
		return dflt;
	return (int)fdt32_to_cpu(*p);
}

static const char *path_of(const void *fdt, int node, char *buf, size_t len)
{
	if (fdt_get_path(fdt, node, buf, (int)len) < 0)
		snprintf(buf, len, "<node %d>", node);
	return buf;
}

/* Appends each (address, size) pair of node's reg to out[]. */
static int parse_reg(const void *fdt, int node, int ac, int sc, struct range *out, unsigned int *n, unsigned int max,
		     char *err, size_t errlen)
{
	char path[128];
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return errorf(err, errlen, "fdt: %s: missing property reg", path_of(fdt, node, path, sizeof(path)));
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return errorf(err, errlen, "fdt: %s: unsupported #address-cells %d / #size-cells %d",
			      path_of(fdt, node, path, sizeof(path)), ac, sc);
	int entry = (ac + sc) * 4;
	if (len == 0 || len % entry)
		return errorf(err, errlen, "fdt: %s: property reg has length %d, not a multiple of %d",
			      path_of(fdt, node, path, sizeof(path)), len, entry);
	for (int off = 0; off < len; off += entry) {
		const fdt32_t *e = (const fdt32_t *)((const char *)reg + off);
		uint64_t base = read_cells(e, ac), size = read_cells(e + ac, sc);
		if (size == 0)
			continue;
		if (base + size < base)
			return errorf(err, errlen, "fdt: %s: reg range 0x%llx+0x%llx wraps around",
				      path_of(fdt, node, path, sizeof(path)), (unsigned long long)base,
				      (unsigned long long)size);
		if (*n == max)
			return errorf(err, errlen, "fdt: %s: more than %u ranges",
				      path_of(fdt, node, path, sizeof(path)), max);
		out[*n].start = base;
		out[*n].end = base + size;
		(*n)++;
	}
	return 0;
}

static int parse_memory(const void *fdt, struct platform *p, char *err, size_t errlen)
{
	int ac = cells_of(fdt, 0, "#address-cells", 2), sc = cells_of(fdt, 0, "#size-cells", 1);
	for (int node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7); node >= 0;
	     node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", 7)) {
		const char *status = fdt_getprop(fdt, node, "status", NULL);
		if (status && strcmp(status, "okay") && strcmp(status, "ok"))
			continue;
		if (parse_reg(fdt, node, ac, sc, p->mem, &p->nmem, PLAT_MAX_MEM, err, errlen))
			return -1;
	}
	if (p->nmem == 0)
		return errorf(err, errlen, "fdt: no memory node with a usable reg");
	for (unsigned int i = 0; i < p->nmem; i++)
		for (unsigned int j = i + 1; j < p->nmem; j++)
			if (p->mem[i].start < p->mem[j].end && p->mem[j].start < p->mem[i].end)
				return errorf(err, errlen,
					      "fdt: memory ranges overlap: [0x%llx, 0x%llx) and [0x%llx, 0x%llx)",
					      (unsigned long long)p->mem[i].start, (unsigned long long)p->mem[i].end,
					      (unsigned long long)p->mem[j].start, (unsigned long long)p->mem[j].end);
	return 0;
}

static int add_rsv(struct platform *p, uint64_t start, uint64_t end, const char *name, char *err, size_t errlen)
{
	if (p->nrsv == PLAT_MAX_RSV)
		return errorf(err, errlen, "fdt: more than %d reserved ranges", PLAT_MAX_RSV);
	p->rsv[p->nrsv].r.start = start;
	p->rsv[p->nrsv].r.end = end;
	snprintf(p->rsv[p->nrsv].name, sizeof(p->rsv[0].name), "%s", name);
	p->nrsv++;
	return 0;
}

static int parse_reserved(const void *fdt, struct platform *p, char *err, size_t errlen)
{
	int n = fdt_num_mem_rsv(fdt);
	if (n < 0)
		return errorf(err, errlen, "fdt: bad reserve map: %s", fdt_strerror(n));
	for (int i = 0; i < n; i++) {
		uint64_t addr, size;
		if (fdt_get_mem_rsv(fdt, i, &addr, &size) < 0 || addr + size < addr)
			return errorf(err, errlen, "fdt: reserve map entry %d is invalid", i);
		if (size && add_rsv(p, addr, addr + size, "reserve map", err, errlen))
			return -1;
	}
	int parent = fdt_path_offset(fdt, "/reserved-memory");
	if (parent < 0)
		return 0;
	int ac = cells_of(fdt, parent, "#address-cells", 2), sc = cells_of(fdt, parent, "#size-cells", 1);
	int child;
	fdt_for_each_subnode (child, fdt, parent) {
		struct range r[8];
		unsigned int nr = 0;
		if (parse_reg(fdt, child, ac, sc, r, &nr, 8, err, errlen))
			return -1;
		const char *name = fdt_get_name(fdt, child, NULL);
		for (unsigned int i = 0; i < nr; i++)
			if (add_rsv(p, r[i].start, r[i].end, name ? name : "reserved-memory", err, errlen))
				return -1;
	}
	return 0;
}

static int parse_cpus(const void *fdt, struct platform *p, char *err, size_t errlen)
{
	char path[128];
	int cpus = fdt_path_offset(fdt, "/cpus");
	if (cpus < 0)
		return errorf(err, errlen, "fdt: missing node /cpus");
	int node;
	fdt_for_each_subnode (node, fdt, cpus) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		if (!type || strcmp(type, "cpu"))
			continue;
		const char *status = fdt_getprop(fdt, node, "status", NULL);
		if (status && strcmp(status, "okay") && strcmp(status, "ok"))
			continue;
		if (p->tb_freq == 0) {
			int rc = get_num(fdt, node, "timebase-frequency", &p->tb_freq);
			if (rc == -FDT_ERR_NOTFOUND)
				return errorf(err, errlen, "fdt: %s: missing property timebase-frequency",
					      path_of(fdt, node, path, sizeof(path)));
			if (rc || p->tb_freq == 0)
				return errorf(err, errlen, "fdt: %s: property timebase-frequency is malformed or zero",
					      path_of(fdt, node, path, sizeof(path)));
		}
		int len;
		const fdt32_t *servers = fdt_getprop(fdt, node, "ibm,ppc-interrupt-server#s", &len);
		if (!servers)
			servers = fdt_getprop(fdt, node, "reg", &len);
		if (!servers)
			return errorf(err, errlen, "fdt: %s: missing property ibm,ppc-interrupt-server#s and reg",
				      path_of(fdt, node, path, sizeof(path)));
		if (len <= 0 || len % 4)
			return errorf(err, errlen, "fdt: %s: property ibm,ppc-interrupt-server#s has length %d",
				      path_of(fdt, node, path, sizeof(path)), len);
		for (int i = 0; i < len / 4; i++) {
			uint32_t s = fdt32_to_cpu(servers[i]);
			for (unsigned int k = 0; k < p->ncpus; k++)
				if (p->cpu_server[k] == s)
					return errorf(err, errlen, "fdt: %s: server number 0x%x listed twice",
						      path_of(fdt, node, path, sizeof(path)), s);
			if (p->ncpus == PLAT_MAX_CPUS) {
				p->cpus_ignored++;
				continue;
			}
			p->cpu_server[p->ncpus++] = s;
		}
	}
	if (p->ncpus == 0)
		return errorf(err, errlen, "fdt: /cpus has no usable cpu node");
	p->boot_cpu = fdt_boot_cpuid_phys(fdt);
	for (unsigned int k = 0; k < p->ncpus; k++)
		if (p->cpu_server[k] == p->boot_cpu)
			return 0;
	return errorf(err, errlen, "fdt: boot CPU 0x%x is not among the CPUs in /cpus", p->boot_cpu);
}

static int parse_opal(const void *fdt, struct platform *p, char *err, size_t errlen)
{
	int node = fdt_path_offset(fdt, "/ibm,opal");
	if (node < 0)
		return errorf(err, errlen, "fdt: missing node /ibm,opal (not started by OPAL firmware?)");
	if (get_num(fdt, node, "opal-base-address", &p->opal_base))
		return errorf(err, errlen, "fdt: /ibm,opal: property opal-base-address is missing or malformed");
	if (get_num(fdt, node, "opal-entry-address", &p->opal_entry))
		return errorf(err, errlen, "fdt: /ibm,opal: property opal-entry-address is missing or malformed");
	return 0;
}

static int parse_chosen(const void *fdt, struct platform *p, char *err, size_t errlen)
{
	int node = fdt_path_offset(fdt, "/chosen");
	if (node < 0)
		return 0;
	int len;
	const char *args = fdt_getprop(fdt, node, "bootargs", &len);
	if (args && len > 0) {
		if (args[len - 1] != '\0')
			return errorf(err, errlen, "fdt: /chosen: property bootargs is not a string");
		snprintf(p->bootargs, sizeof(p->bootargs), "%s", args);
	}
	int rs = get_num(fdt, node, "linux,initrd-start", &p->initrd_start);
	int re = get_num(fdt, node, "linux,initrd-end", &p->initrd_end);
	if (rs == -FDT_ERR_NOTFOUND && re == -FDT_ERR_NOTFOUND)
		return 0;
	if (rs || re)
		return errorf(err, errlen, "fdt: /chosen: linux,initrd-start/end are malformed or only one is present");
	if (p->initrd_end < p->initrd_start)
		return errorf(err, errlen, "fdt: /chosen: linux,initrd-end 0x%llx is below linux,initrd-start 0x%llx",
			      (unsigned long long)p->initrd_end, (unsigned long long)p->initrd_start);
	p->has_initrd = p->initrd_end > p->initrd_start;
	return 0;
}

int platform_parse(const void *fdt, struct platform *p, char *err, size_t errlen)
{
	memset(p, 0, sizeof(*p));
	int rc = fdt_check_header(fdt);
	if (rc)
		return errorf(err, errlen, "fdt: bad header: %s", fdt_strerror(rc));
	if (fdt_check_structure(fdt, "fdt", 32, err, errlen))
		return -1;
	p->fdt_size = fdt_totalsize(fdt);
	const char *model = fdt_getprop(fdt, 0, "model", &rc);
	if (model && rc > 0 && model[rc - 1] == '\0')
		snprintf(p->model, sizeof(p->model), "%s", model);
	if (parse_memory(fdt, p, err, errlen) || parse_reserved(fdt, p, err, errlen) ||
	    parse_cpus(fdt, p, err, errlen) || parse_opal(fdt, p, err, errlen) || parse_chosen(fdt, p, err, errlen))
		return -1;
	return 0;
}

uint64_t platform_mem_total(const struct platform *p)
{
	uint64_t t = 0;
	for (unsigned int i = 0; i < p->nmem; i++)
		t += p->mem[i].end - p->mem[i].start;
	return t;
}
