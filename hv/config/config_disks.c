#include <stdio.h>
#include <string.h>
#include <libfdt.h>
#include "hv/config/config_disks.h"

#define DISK_ALIGN 4096 /* starts and sizes: whole blocks of 512 and of 4096 bytes */

static int parse_host_disk(const void *fdt, int node, struct hv_config *cfg, struct ctx *c)
{
	int len;
	const char *name = fdt_get_name(fdt, node, &len);
	char shown[40];
	if (!name)
		return cfg_fail(c, "corrupt node");
	cfg_printable(shown, sizeof(shown), name, len);
	snprintf(c->where, sizeof(c->where), "host disk '%s'", shown);
	if (cfg->nhost_disks == CONFIG_MAX_HOST_DISKS)
		return cfg_fail(c, "more than %d host disks", CONFIG_MAX_HOST_DISKS);
	struct host_disk_config *h = &cfg->host_disk[cfg->nhost_disks];
	if (!cfg_valid_name(name, len, sizeof(h->name) - 1))
		return cfg_fail(c, "the name must be 1..%zu characters of a-z, 0-9, _ and -", sizeof(h->name) - 1);
	for (unsigned int i = 0; i < cfg->nhost_disks; i++)
		if (!strcmp(cfg->host_disk[i].name, name))
			return cfg_fail(c, "defined twice");
	memset(h, 0, sizeof(*h));
	memcpy(h->name, name, (size_t)len);
	if (cfg_check_props(c, node,
			    (const char *const[]){ "device", "serial", "namespace", "image", "description", NULL }) ||
	    cfg_check_subnodes(c, node, (const char *const[]){ NULL }))
		return -1;
	const char *device = NULL, *serial = NULL;
	int rd = cfg_get_string(c, node, "device", sizeof(h->device) - 1, &device);
	int rs = cfg_get_string(c, node, "serial", sizeof(h->serial) - 1, &serial);
	int ri = cfg_get_image(fdt, c, node, "image", &h->image);
	if (rd < 0 || rs < 0 || ri < 0)
		return -1;
	if ((rd == 0) + (rs == 0) + (ri == 0) != 1)
		return cfg_fail(c, "give exactly one of device, serial and image");
	uint64_t nsid = 1;
	int rn = cfg_get_num(c, node, "namespace", false, &nsid);
	if (rn < 0)
		return -1;
	if (rn == 0 && rs != 0)
		return cfg_fail(c, "property namespace: only with serial");
	if (nsid < 1 || nsid > 0xfffffffe)
		return cfg_fail(c, "property namespace: %llu is not 1..0xfffffffe", (unsigned long long)nsid);
	if (rd == 0) {
		h->kind = HOST_DISK_DEVICE;
		snprintf(h->device, sizeof(h->device), "%s", device);
	} else if (rs == 0) {
		h->kind = HOST_DISK_SERIAL;
		snprintf(h->serial, sizeof(h->serial), "%s", serial);
		h->nsid = (unsigned int)nsid;
	} else {
		h->kind = HOST_DISK_IMAGE;
		if (h->image.size % 512)
			return cfg_fail(c, "image '%s' is %llu bytes, not a whole number of 512-byte blocks",
					h->image.name, (unsigned long long)h->image.size);
	}
	cfg->nhost_disks++;
	return 0;
}

/* The end of a disk's bytes, for overlap checks: an open range runs to the end of its host disk. */
static uint64_t disk_end(const struct hv_config *cfg, const struct disk_config *d)
{
	if (d->size)
		return d->start + d->size;
	const struct host_disk_config *h = &cfg->host_disk[d->host_disk];
	return h->kind == HOST_DISK_IMAGE ? h->image.size : ~0ull;
}

static int parse_disk(const void *fdt, int node, struct hv_config *cfg, unsigned int part, struct ctx *c)
{
	int len;
	const char *name = fdt_get_name(fdt, node, &len);
	char shown[40], a[32], b[32];
	if (!name)
		return cfg_fail(c, "corrupt node");
	cfg_printable(shown, sizeof(shown), name, len);
	snprintf(c->where, sizeof(c->where), "partition '%s': disk '%.20s'", cfg->part[part].name, shown);
	if (cfg->ndisks == CONFIG_MAX_DISKS)
		return cfg_fail(c, "more than %d disks in all", CONFIG_MAX_DISKS);
	struct disk_config *d = &cfg->disk[cfg->ndisks];
	memset(d, 0, sizeof(*d));
	if (!cfg_valid_name(name, len, sizeof(d->name) - 1))
		return cfg_fail(c, "the name must be 1..%zu characters of a-z, 0-9, _ and -", sizeof(d->name) - 1);
	memcpy(d->name, name, (size_t)len);
	d->partition = part;
	if (cfg_check_props(c, node,
			    (const char *const[]){ "host-disk", "start", "size", "read-only", "serial", "queues",
						   "write-cache", "ring", "access-platform", "description", NULL }) ||
	    cfg_check_subnodes(c, node, (const char *const[]){ NULL }))
		return -1;
	const char *host, *serial;
	if (cfg_required(c, cfg_get_string(c, node, "host-disk", 15, &host), "host-disk"))
		return -1;
	unsigned int h;
	for (h = 0; h < cfg->nhost_disks && strcmp(cfg->host_disk[h].name, host); h++)
		;
	if (h == cfg->nhost_disks)
		return cfg_fail(c, "property host-disk: no host disk '%s' in /host-disks", host);
	d->host_disk = h;
	if (cfg_get_num(c, node, "start", true, &d->start) < 0)
		return -1;
	int rs = cfg_get_num(c, node, "size", true, &d->size);
	if (rs < 0)
		return -1;
	if (d->start % DISK_ALIGN)
		return cfg_fail(c, "property start: 0x%llx is not a multiple of 4 KiB", (unsigned long long)d->start);
	if (rs == 0 && (!d->size || d->size % DISK_ALIGN))
		return cfg_fail(c, "property size: %s is not a non-zero multiple of 4 KiB",
				cfg_size_str(d->size, a, sizeof(a)));
	if (d->start + d->size < d->start)
		return cfg_fail(c, "start + size wraps around");
	const struct host_disk_config *hd = &cfg->host_disk[h];
	if (hd->kind == HOST_DISK_IMAGE && disk_end(cfg, d) > hd->image.size)
		return cfg_fail(c, "bytes up to 0x%llx are past the end of image '%s' (%s)",
				(unsigned long long)disk_end(cfg, d), hd->image.name,
				cfg_size_str(hd->image.size, a, sizeof(a)));
	if (hd->kind == HOST_DISK_IMAGE && d->start >= hd->image.size)
		return cfg_fail(c, "property start: past the end of image '%s'", hd->image.name);
	if (cfg_get_flag(c, node, "read-only", &d->read_only) ||
	    cfg_get_flag(c, node, "access-platform", &d->access_platform))
		return -1;
	int rsr = cfg_get_string(c, node, "serial", sizeof(d->serial) - 1, &serial);
	if (rsr < 0)
		return -1;
	if (rsr == 0)
		snprintf(d->serial, sizeof(d->serial), "%s", serial);
	else {
		char pname[10] = { 0 }, dname[11] = { 0 };
		memcpy(pname, cfg->part[part].name, sizeof(pname) - 1);
		memcpy(dname, d->name, sizeof(dname) - 1);
		snprintf(d->serial, sizeof(d->serial), "%s-%s", pname, dname);
	}
	uint64_t queues = 0;
	int rq = cfg_get_num(c, node, "queues", false, &queues);
	if (rq < 0)
		return -1;
	if (rq == 0 && (queues < 1 || queues > CONFIG_MAX_DISK_QUEUES))
		return cfg_fail(c, "property queues: %llu is not 1..%d", (unsigned long long)queues,
				CONFIG_MAX_DISK_QUEUES);
	d->queues = (unsigned int)queues;
	if (cfg_get_either(c, node, "write-cache", "writeback", "writethrough", &d->write_through) < 0 ||
	    cfg_get_either(c, node, "ring", "split", "packed", &d->packed_ring) < 0)
		return -1;
	for (unsigned int i = 0; i < cfg->ndisks; i++) {
		const struct disk_config *o = &cfg->disk[i];
		if (o->partition == part && !strcmp(o->name, d->name))
			return cfg_fail(c, "defined twice");
		if (o->host_disk != h || (o->read_only && d->read_only))
			continue; /* a read-only range may be shared */
		if (d->start < disk_end(cfg, o) && o->start < disk_end(cfg, d)) {
			uint64_t e = disk_end(cfg, d);
			snprintf(a, sizeof(a), e == ~0ull ? "the end" : "0x%llx", (unsigned long long)e);
			snprintf(b, sizeof(b), "%s", o->name);
			return cfg_fail(c, "bytes [0x%llx, %s) of host disk '%s' overlap partition '%s' disk '%s'",
					(unsigned long long)d->start, a, hd->name, cfg->part[o->partition].name, b);
		}
	}
	cfg->ndisks++;
	return 0;
}

int config_parse_disks(const void *fdt, struct hv_config *cfg, struct ctx *c)
{
	int top = fdt_subnode_offset(fdt, 0, "host-disks"), node;
	if (top >= 0) {
		snprintf(c->where, sizeof(c->where), "/host-disks");
		if (cfg_check_props(c, top, (const char *const[]){ "description", NULL }))
			return -1;
		fdt_for_each_subnode (node, fdt, top) {
			const char *name = fdt_get_name(fdt, node, NULL);
			if (name && cfg_experimental(name))
				continue;
			if (parse_host_disk(fdt, node, cfg, c))
				return -1;
		}
		if (node != -FDT_ERR_NOTFOUND)
			return cfg_fail(c, "%s", fdt_strerror(node));
	} else if (top != -FDT_ERR_NOTFOUND) {
		snprintf(c->where, sizeof(c->where), "/host-disks");
		return cfg_fail(c, "%s", fdt_strerror(top));
	}
	int parts = fdt_subnode_offset(fdt, 0, "partitions");
	for (unsigned int p = 0; p < cfg->npartitions; p++) {
		int pn = fdt_subnode_offset(fdt, parts, cfg->part[p].name);
		int disks = pn < 0 ? pn : fdt_subnode_offset(fdt, pn, "disks");
		if (disks == -FDT_ERR_NOTFOUND)
			continue;
		snprintf(c->where, sizeof(c->where), "partition '%s': disks", cfg->part[p].name);
		if (disks < 0)
			return cfg_fail(c, "%s", fdt_strerror(disks));
		if (cfg_check_props(c, disks, (const char *const[]){ "description", NULL }))
			return -1;
		fdt_for_each_subnode (node, fdt, disks) {
			const char *name = fdt_get_name(fdt, node, NULL);
			if (name && cfg_experimental(name))
				continue;
			if (parse_disk(fdt, node, cfg, p, c))
				return -1;
		}
		if (node != -FDT_ERR_NOTFOUND)
			return cfg_fail(c, "%s", fdt_strerror(node));
	}
	return 0;
}
