#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <libfdt.h>
#include "hv/config/bundle.h"
#include "hv/config/config.h"
#include "hv/config/config_disks.h"
#include "hv/config/config_util.h"
#include "hv/config/elf_load.h"
#include "hv/lib/error.h"

#define MEM_MIN       (64 * MiB)
#define MEM_MAX       (64 * GiB)
#define MEM_ALIGN     (16 * MiB)
#define LOAD_ALIGN    (64 * KiB)
#define SLICE_MIN_US  100
#define SLICE_MAX_US  1000000
#define HPT_SHIFT_MIN 18
#define HPT_SHIFT_MAX 30

/* A NUL-terminated string of at most max bytes (excluding the NUL). 1 when absent. */
int cfg_get_string(struct ctx *c, int node, const char *name, size_t max, const char **out)
{
	int len;
	const char *p = fdt_getprop(c->fdt, node, name, &len);
	if (!p)
		return 1;
	if (len <= 0 || p[len - 1] != '\0')
		return cfg_fail(c, "property %s: not a string (no terminating NUL)", name);
	if (strlen(p) != (size_t)len - 1)
		return cfg_fail(c, "property %s: not a single string (embedded NUL)", name);
	if ((size_t)len - 1 > max)
		return cfg_fail(c, "property %s: %d bytes long, at most %zu allowed", name, len - 1, max);
	*out = p;
	return 0;
}

int cfg_required(struct ctx *c, int rc, const char *name)
{
	return rc == 1 ? cfg_fail(c, "missing property %s", name) : rc;
}

unsigned int config_default_hpt_shift(uint64_t memory)
{
	unsigned int log = memory <= 1 ? 0 : 64 - (unsigned int)__builtin_clzll(memory - 1);
	unsigned int shift = log > 7 ? log - 7 : 0;
	if (shift < HPT_SHIFT_MIN)
		return HPT_SHIFT_MIN;
	return shift > HPT_SHIFT_MAX ? HPT_SHIFT_MAX : shift;
}

static int parse_hypervisor(const void *fdt, struct hv_config *cfg, struct ctx *c)
{
	static const char *const props[] = { "time-slice-us", "loglevel", "on-last-partition-stop", "description",
					     NULL };
	static const char *const levels[] = { "error", "warn", "info", "debug" };
	int node = fdt_subnode_offset(fdt, 0, "hypervisor");
	if (node == -FDT_ERR_NOTFOUND)
		return 0;
	snprintf(c->where, sizeof(c->where), "/hypervisor");
	if (node < 0)
		return cfg_fail(c, "%s", fdt_strerror(node));
	if (cfg_check_props(c, node, props) || cfg_check_subnodes(c, node, (const char *const[]){ NULL }))
		return -1;
	uint64_t v;
	int rc = cfg_get_num(c, node, "time-slice-us", false, &v);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		if (v < SLICE_MIN_US || v > SLICE_MAX_US)
			return cfg_fail(c, "property time-slice-us: %llu is out of range %d..%d", (unsigned long long)v,
					SLICE_MIN_US, SLICE_MAX_US);
		cfg->time_slice_us = (unsigned int)v;
	}
	const char *s;
	rc = cfg_get_string(c, node, "loglevel", 15, &s);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		for (int i = 0; i < 4; i++)
			if (!strcmp(s, levels[i]))
				cfg->loglevel = i;
		if (cfg->loglevel < 0)
			return cfg_fail(c, "property loglevel: \"%s\" is not one of error, warn, info, debug", s);
	}
	rc = cfg_get_string(c, node, "on-last-partition-stop", 15, &s);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		if (!strcmp(s, "power-off"))
			cfg->power_off_when_all_stopped = true;
		else if (!strcmp(s, "stay"))
			cfg->power_off_when_all_stopped = false;
		else
			return cfg_fail(c, "property on-last-partition-stop: \"%s\" is not \"power-off\" or \"stay\"",
					s);
	}
	return 0;
}

/* Checks every node of /images: a non-empty data property and nothing unknown. */
static int check_images(const void *fdt, struct ctx *c)
{
	static const char *const props[] = { "data", "description", NULL };
	int images = fdt_subnode_offset(fdt, 0, "images");
	if (images == -FDT_ERR_NOTFOUND)
		return 0;
	snprintf(c->where, sizeof(c->where), "/images");
	if (images < 0)
		return cfg_fail(c, "%s", fdt_strerror(images));
	if (cfg_check_props(c, images, (const char *const[]){ "description", NULL }))
		return -1;
	int node;
	fdt_for_each_subnode (node, fdt, images) {
		int len;
		const char *name = fdt_get_name(fdt, node, &len);
		if (!name)
			return cfg_fail(c, "corrupt node");
		char shown[40];
		cfg_printable(shown, sizeof(shown), name, len);
		snprintf(c->where, sizeof(c->where), "image '%s'", shown);
		if (len >= (int)sizeof(((struct image_ref *)0)->name))
			return cfg_fail(c, "name is %d characters long, at most %zu allowed", len,
					sizeof(((struct image_ref *)0)->name) - 1);
		if (cfg_check_props(c, node, props) || cfg_check_subnodes(c, node, (const char *const[]){ NULL }))
			return -1;
		if (!fdt_getprop(fdt, node, "data", &len))
			return cfg_fail(c, "missing property data");
		if (len == 0)
			return cfg_fail(c, "property data: image is empty");
	}
	if (node != -FDT_ERR_NOTFOUND) {
		snprintf(c->where, sizeof(c->where), "/images");
		return cfg_fail(c, "%s", fdt_strerror(node));
	}
	return 0;
}

static int parse_memory(struct ctx *c, int node, struct partition_config *p)
{
	char a[32], b[32], d[32];
	if (cfg_required(c, cfg_get_num(c, node, "memory", true, &p->memory), "memory"))
		return -1;
	if (p->memory < MEM_MIN || p->memory > MEM_MAX)
		return cfg_fail(c, "property memory: %s is out of range %s..%s", cfg_size_str(p->memory, a, sizeof(a)),
				cfg_size_str(MEM_MIN, b, sizeof(b)), cfg_size_str(MEM_MAX, d, sizeof(d)));
	if (p->memory % MEM_ALIGN)
		return cfg_fail(c, "property memory: %s is not a multiple of %s", cfg_size_str(p->memory, a, sizeof(a)),
				cfg_size_str(MEM_ALIGN, b, sizeof(b)));
	return 0;
}

static int parse_cpus(struct ctx *c, int node, struct partition_config *p)
{
	uint64_t v;
	if (cfg_required(c, cfg_get_num(c, node, "vcpus", false, &v), "vcpus"))
		return -1;
	if (v < 1 || v > CONFIG_MAX_VCPUS)
		return cfg_fail(c, "property vcpus: %llu is out of range 1..%d", (unsigned long long)v,
				CONFIG_MAX_VCPUS);
	p->vcpus = (unsigned int)v;
	int len;
	const fdt32_t *cpus = fdt_getprop(c->fdt, node, "cpus", &len);
	if (!cpus)
		return 0;
	if (len % 4)
		return cfg_fail(c, "property cpus: %d bytes long, not a list of cells", len);
	if ((unsigned int)len / 4 != p->vcpus)
		return cfg_fail(c, "property cpus: %d entries for %u vcpus", len / 4, p->vcpus);
	for (unsigned int i = 0; i < p->vcpus; i++) {
		uint32_t t = fdt32_ld(&cpus[i]);
		if (t > CONFIG_MAX_CPU_INDEX)
			return cfg_fail(c, "property cpus: hardware thread %u is out of range 0..%d", t,
					CONFIG_MAX_CPU_INDEX);
		p->cpus[i] = t;
	}
	p->cpus_given = true;
	return 0;
}

/* Loads the kernel on paper: it must fit in memory, and the initrd after it. */
static int check_load(struct ctx *c, struct partition_config *p)
{
	char msg[160], a[32];
	struct load_plan plan;
	if (elf_plan(p->kernel.data, p->kernel.size, p->load_address, p->memory, &plan, msg, sizeof(msg)))
		return cfg_fail(c, "property kernel: image '%s': %s", p->kernel.name, msg);
	uint64_t at;
	if (p->has_initrd && initrd_place(p->initrd.size, p->memory, plan.highest, &at))
		return cfg_fail(
			c,
			"property initrd: image '%s' (%llu bytes) does not fit in %s after the kernel (which ends "
			"at 0x%llx)",
			p->initrd.name, (unsigned long long)p->initrd.size, cfg_size_str(p->memory, a, sizeof(a)),
			(unsigned long long)plan.highest);
	return 0;
}

static int parse_partition(const void *fdt, int node, struct partition_config *p, struct ctx *c)
{
	static const char *const props[] = { "memory",   "vcpus",        "cpus",      "kernel", "initrd",
					     "bootargs", "load-address", "hpt-shift", NULL };
	if (cfg_check_props(c, node, props) || cfg_check_subnodes(c, node, (const char *const[]){ "disks", NULL }))
		return -1;
	if (parse_memory(c, node, p) || parse_cpus(c, node, p))
		return -1;
	if (cfg_required(c, cfg_get_image(fdt, c, node, "kernel", &p->kernel), "kernel"))
		return -1;
	int rc = cfg_get_image(fdt, c, node, "initrd", &p->initrd);
	if (rc < 0)
		return -1;
	p->has_initrd = rc == 0;
	const char *args;
	rc = cfg_get_string(c, node, "bootargs", sizeof(p->bootargs) - 1, &args);
	if (rc < 0)
		return -1;
	if (rc == 0)
		snprintf(p->bootargs, sizeof(p->bootargs), "%s", args);

	char a[32];
	p->load_address = CONFIG_DEFAULT_LOAD_ADDRESS;
	if (cfg_get_num(c, node, "load-address", true, &p->load_address) < 0)
		return -1;
	if (p->load_address % LOAD_ALIGN)
		return cfg_fail(c, "property load-address: 0x%llx is not 64 KiB aligned",
				(unsigned long long)p->load_address);
	if (p->load_address >= p->memory)
		return cfg_fail(c, "property load-address: 0x%llx is outside memory (%s)",
				(unsigned long long)p->load_address, cfg_size_str(p->memory, a, sizeof(a)));

	uint64_t v;
	rc = cfg_get_num(c, node, "hpt-shift", false, &v);
	if (rc < 0)
		return -1;
	if (rc == 0 && (v < HPT_SHIFT_MIN || v > HPT_SHIFT_MAX))
		return cfg_fail(c, "property hpt-shift: %llu is out of range %d..%d", (unsigned long long)v,
				HPT_SHIFT_MIN, HPT_SHIFT_MAX);
	p->hpt_shift = rc == 0 ? (unsigned int)v : config_default_hpt_shift(p->memory);
	return check_load(c, p);
}

/* The node name is the partition name: [a-z0-9_-], 1..15 characters, unique. */
static int partition_name(struct ctx *c, const char *name, int len, const struct hv_config *cfg,
			  struct partition_config *p)
{
	char shown[40];
	cfg_printable(shown, sizeof(shown), name, len);
	snprintf(c->where, sizeof(c->where), "partition '%s'", shown);
	if (!cfg_valid_name(name, len, sizeof(p->name) - 1))
		return cfg_fail(c, "the name must be 1..%zu characters of a-z, 0-9, _ and -", sizeof(p->name) - 1);
	for (unsigned int i = 0; i < cfg->npartitions; i++)
		if (!strcmp(cfg->part[i].name, name))
			return cfg_fail(c, "defined twice");
	memcpy(p->name, name, (size_t)len);
	p->name[len] = '\0';
	return 0;
}

static int parse_partitions(const void *fdt, struct hv_config *cfg, struct ctx *c)
{
	int parts = fdt_subnode_offset(fdt, 0, "partitions"), node;
	snprintf(c->where, sizeof(c->where), "/partitions");
	if (parts < 0)
		return cfg_fail(c, "%s", fdt_strerror(parts));
	if (cfg_check_props(c, parts, (const char *const[]){ "description", NULL }))
		return -1;
	fdt_for_each_subnode (node, fdt, parts) {
		int len;
		const char *name = fdt_get_name(fdt, node, &len);
		if (!name)
			return cfg_fail(c, "corrupt node");
		if (cfg->npartitions == CONFIG_MAX_PARTITIONS)
			return cfg_fail(c, "more than %d partitions", CONFIG_MAX_PARTITIONS);
		struct partition_config *p = &cfg->part[cfg->npartitions];
		if (partition_name(c, name, len, cfg, p) || parse_partition(fdt, node, p, c))
			return -1;
		cfg->npartitions++;
		snprintf(c->where, sizeof(c->where), "/partitions");
	}
	if (node != -FDT_ERR_NOTFOUND)
		return cfg_fail(c, "%s", fdt_strerror(node));
	if (cfg->npartitions == 0)
		return cfg_fail(c, "no partition defined");
	return 0;
}

/* One peer of a region: the node name is a partition's. */
static int parse_peer(const void *fdt, int node, struct hv_config *cfg, struct shm_config *r, struct ctx *c)
{
	int len;
	const char *name = fdt_get_name(fdt, node, &len);
	char shown[20];
	if (!name)
		return cfg_fail(c, "corrupt node");
	cfg_printable(shown, sizeof(shown), name, len);
	snprintf(c->where, sizeof(c->where), "shared memory '%.15s': peer '%.19s'", r->name, shown);
	if (cfg_check_props(c, node, (const char *const[]){ "id", "access", "bridge", NULL }) ||
	    cfg_check_subnodes(c, node, (const char *const[]){ NULL }))
		return -1;
	unsigned int k;
	for (k = 0; k < cfg->npartitions && strcmp(cfg->part[k].name, name); k++)
		;
	if (k == cfg->npartitions)
		return cfg_fail(c, "no partition of that name");
	if (r->npeers == CONFIG_MAX_SHM_PEERS)
		return cfg_fail(c, "more than %d peers", CONFIG_MAX_SHM_PEERS);
	struct shm_peer_config *pc = &r->peer[r->npeers];
	uint64_t id;
	int rc = cfg_required(c, cfg_get_num(c, node, "id", false, &id), "id");
	if (rc)
		return -1;
	for (unsigned int i = 0; i < r->npeers; i++) {
		if (r->peer[i].partition == k)
			return cfg_fail(c, "the partition is a peer twice");
		if (r->peer[i].id == id)
			return cfg_fail(c, "property id: %llu is taken", (unsigned long long)id);
	}
	const char *access = "read-write";
	if (cfg_get_string(c, node, "access", 15, &access) < 0)
		return -1;
	if (strcmp(access, "read-write") && strcmp(access, "read-only"))
		return cfg_fail(c, "property access: \"%s\" is not \"read-write\" or \"read-only\"", access);
	uint64_t bridge = 0;
	if (cfg_get_num(c, node, "bridge", false, &bridge) < 0)
		return -1;
	if (bridge >= CONFIG_MAX_BRIDGES)
		return cfg_fail(c, "property bridge: %llu is not 0..%d", (unsigned long long)bridge,
				CONFIG_MAX_BRIDGES - 1);
	pc->partition = k;
	pc->id = (unsigned int)id;
	pc->bridge = (unsigned int)bridge;
	pc->read_only = !strcmp(access, "read-only");
	r->npeers++;
	return 0;
}

static int parse_region(const void *fdt, int node, struct hv_config *cfg, struct ctx *c)
{
	int len, peers, sub;
	const char *name = fdt_get_name(fdt, node, &len);
	char shown[40], buf[32];
	if (!name)
		return cfg_fail(c, "corrupt node");
	cfg_printable(shown, sizeof(shown), name, len);
	snprintf(c->where, sizeof(c->where), "shared memory '%s'", shown);
	if (cfg->nshm == CONFIG_MAX_SHM)
		return cfg_fail(c, "more than %d regions", CONFIG_MAX_SHM);
	struct shm_config *r = &cfg->shm[cfg->nshm];
	if (len < 1 || len >= (int)sizeof(r->name))
		return cfg_fail(c, "the name must be 1..%zu characters", sizeof(r->name) - 1);
	memcpy(r->name, name, (size_t)len);
	if (cfg_check_props(c, node, (const char *const[]){ "size", "output-section-size", "description", NULL }) ||
	    cfg_check_subnodes(c, node, (const char *const[]){ "peers", NULL }))
		return -1;
	if (cfg_required(c, cfg_get_num(c, node, "size", true, &r->size), "size"))
		return -1;
	if (r->size < 4 * KiB || r->size > GiB || (r->size & (r->size - 1)))
		return cfg_fail(c, "property size: %s is not a power of two from 4 KiB to 1 GiB",
				cfg_size_str(r->size, buf, sizeof(buf)));
	if (cfg_get_num(c, node, "output-section-size", true, &r->output_size) < 0)
		return -1;
	if (r->output_size % (64 * KiB)) /* so that guests with 64 KiB pages can map each */
		return cfg_fail(c, "property output-section-size: %s is not a multiple of 64 KiB",
				cfg_size_str(r->output_size, buf, sizeof(buf)));
	peers = fdt_subnode_offset(fdt, node, "peers");
	if (peers < 0)
		return cfg_fail(c, "missing node peers");
	fdt_for_each_subnode (sub, fdt, peers)
		if (parse_peer(fdt, sub, cfg, r, c))
			return -1;
	snprintf(c->where, sizeof(c->where), "shared memory '%s'", shown);
	if (sub != -FDT_ERR_NOTFOUND)
		return cfg_fail(c, "%s", fdt_strerror(sub));
	if (r->npeers == 0)
		return cfg_fail(c, "no peers");
	for (unsigned int i = 0; i < r->npeers; i++)
		if (r->peer[i].id >= r->npeers)
			return cfg_fail(c, "peer ids must be 0..%u", r->npeers - 1);
	if (r->output_size && 64 * KiB + r->npeers * r->output_size > r->size)
		return cfg_fail(c, "the state table and %u output sections of %s do not fit in %s", r->npeers,
				cfg_size_str(r->output_size, buf, sizeof(buf)),
				cfg_size_str(r->size, shown, sizeof(shown)));
	cfg->nshm++;
	return 0;
}

static int parse_shared_memory(const void *fdt, struct hv_config *cfg, struct ctx *c)
{
	int top = fdt_subnode_offset(fdt, 0, "shared-memory"), node;
	if (top == -FDT_ERR_NOTFOUND)
		return 0;
	snprintf(c->where, sizeof(c->where), "/shared-memory");
	if (top < 0)
		return cfg_fail(c, "%s", fdt_strerror(top));
	if (cfg_check_props(c, top, (const char *const[]){ "description", NULL }))
		return -1;
	fdt_for_each_subnode (node, fdt, top) {
		int len;
		const char *name = fdt_get_name(fdt, node, &len);
		if (name && cfg_experimental(name))
			continue;
		if (parse_region(fdt, node, cfg, c))
			return -1;
		for (unsigned int i = 0; i + 1 < cfg->nshm; i++)
			if (!strcmp(cfg->shm[i].name, cfg->shm[cfg->nshm - 1].name))
				return cfg_fail(c, "defined twice");
	}
	if (node != -FDT_ERR_NOTFOUND)
		return cfg_fail(c, "%s", fdt_strerror(node));
	return 0;
}

int config_parse(const void *bundle, uint64_t size, struct hv_config *cfg, char *err, size_t errlen)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->time_slice_us = CONFIG_DEFAULT_TIME_SLICE_US;
	cfg->loglevel = -1;
	cfg->power_off_when_all_stopped = true;
	if (bundle_check(bundle, size, err, errlen) < 0)
		return -1;
	struct ctx c = { .fdt = bundle, .err = err, .errlen = errlen };
	snprintf(c.where, sizeof(c.where), "/");
	if (cfg_check_props(
		    &c, 0,
		    (const char *const[]){ "compatible", "description", "#address-cells", "#size-cells", NULL }) ||
	    cfg_check_subnodes(&c, 0,
			       (const char *const[]){ "hypervisor", "images", "partitions", "shared-memory",
						      "host-disks", NULL }) ||
	    parse_hypervisor(bundle, cfg, &c) || check_images(bundle, &c) || parse_partitions(bundle, cfg, &c) ||
	    parse_shared_memory(bundle, cfg, &c) || config_parse_disks(bundle, cfg, &c)) {
		cfg->npartitions = 0;
		cfg->nshm = 0;
		cfg->nhost_disks = 0;
		cfg->ndisks = 0;
		return -1;
	}
	return 0;
}
