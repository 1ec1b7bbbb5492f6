#include <stdio.h>
#include <string.h>
#include "blk/disks.h"
#include "drivers/block/ramdisk.h"
#include "hv/devices.h"
#include "hv/lib/log.h"
#include "hv/partition.h"

static struct blockdev *hosts[CONFIG_MAX_HOST_DISKS];
static struct ramdisk images[CONFIG_MAX_HOST_DISKS];
static struct blockdev_range disks[CONFIG_MAX_DISKS];
static const struct hv_config *config;

static struct blockdev *find_by_serial(const char *serial, unsigned int nsid)
{
	char suffix[16];
	snprintf(suffix, sizeof(suffix), "n%u", nsid);
	for (struct blockdev *bd = blockdev_first(); bd; bd = bd->next_registered) {
		size_t n = strlen(bd->name), k = strlen(suffix);
		if (!strcmp(bd->serial, serial) && n > k && !strcmp(bd->name + n - k, suffix))
			return bd;
	}
	return NULL;
}

static struct blockdev *resolve(unsigned int i, const struct host_disk_config *h)
{
	switch (h->kind) {
	case HOST_DISK_DEVICE:
		return blockdev_find(h->device);
	case HOST_DISK_SERIAL:
		return find_by_serial(h->serial, h->nsid);
	case HOST_DISK_IMAGE: {
		char name[16];
		snprintf(name, sizeof(name), "image%u", i);
		/* the bundle's bytes, in place: the bundle stays in memory for good */
		ramdisk_init(&images[i], name, (void *)(uintptr_t)h->image.data, h->image.size / 512, 512, false);
		return &images[i].bd;
	}
	}
	return NULL;
}

static const char *describe(const struct host_disk_config *h, char *buf, size_t n)
{
	if (h->kind == HOST_DISK_DEVICE)
		snprintf(buf, n, "device %s", h->device);
	else if (h->kind == HOST_DISK_SERIAL)
		snprintf(buf, n, "serial %s namespace %u", h->serial, h->nsid);
	else
		snprintf(buf, n, "image %s", h->image.name);
	return buf;
}

static int init(const struct hv_config *cfg)
{
	char what[48];
	config = cfg;
	for (unsigned int i = 0; i < cfg->nhost_disks; i++) {
		hosts[i] = resolve(i, &cfg->host_disk[i]);
		if (!hosts[i])
			log_error("disks: host disk '%s' (%s) is not on this machine; its partitions' disks fail every "
				  "request",
				  cfg->host_disk[i].name, describe(&cfg->host_disk[i], what, sizeof(what)));
	}
	for (unsigned int i = 0; i < cfg->ndisks; i++) {
		const struct disk_config *d = &cfg->disk[i];
		const char *pname = cfg->part[d->partition].name;
		struct blockdev *host = hosts[d->host_disk];
		uint64_t bs = host ? host->block_size : 512;
		uint64_t host_bytes = host ? host->nblocks * bs : 0;
		uint64_t size = d->size ? d->size : (host_bytes > d->start ? host_bytes - d->start : 0);
		blockdev_range_init(&disks[i], d->name, host, d->start / bs, size / bs, d->read_only);
		snprintf(disks[i].bd.serial, sizeof(disks[i].bd.serial), "%s", d->serial);
		if (host && disks[i].bd.failed && !host->failed)
			log_error(
				"%s: disk %s: bytes [0x%llx, 0x%llx) do not fit in host disk '%s' (%s, %llu MiB); the "
				"disk fails every request",
				pname, d->name, (unsigned long long)d->start, (unsigned long long)(d->start + size),
				cfg->host_disk[d->host_disk].name, host->name, (unsigned long long)(host_bytes >> 20));
		else if (host)
			hvprint("%s: disk %s on host disk '%s' (%s): %llu MiB from byte 0x%llx, %s%s", pname, d->name,
				cfg->host_disk[d->host_disk].name, host->name, (unsigned long long)(size >> 20),
				(unsigned long long)d->start, disks[i].bd.read_only ? "read-only" : "read-write",
				disks[i].bd.failed ? ", FAILED" : "");
	}
	return 0;
}

struct blockdev *disks_find(const struct partition *p, const char *name)
{
	for (unsigned int i = 0; config && i < config->ndisks; i++)
		if (config->disk[i].partition == p->index && !strcmp(config->disk[i].name, name))
			return &disks[i].bd;
	return NULL;
}

static void stats(const struct partition *p)
{
	for (unsigned int i = 0; config && i < config->ndisks; i++) {
		const struct disk_config *d = &config->disk[i];
		const struct blockdev *bd = &disks[i].bd;
		if (d->partition != p->index)
			continue;
		const struct blockdev *host = disks[i].parent;
		hvprint("monitor: %s: disk %s: %s, %llu MiB of %s, %s, %llu reads, %llu writes, %llu flushes, %llu "
			"errors",
			p->name, d->name, bd->failed || (host && host->failed) ? "FAILED" : "ok",
			(unsigned long long)((bd->nblocks * bd->block_size) >> 20),
			host ? host->name : config->host_disk[d->host_disk].name,
			bd->read_only ? "read-only" : "read-write", (unsigned long long)bd->stats.reads,
			(unsigned long long)bd->stats.writes, (unsigned long long)bd->stats.flushes,
			(unsigned long long)bd->stats.errors);
	}
}

DEVICE_PROVIDER(disks, "disks", init, NULL, NULL, stats);
