/*
 * bundle-check FILE: validates a bundle with the hypervisor's own parser
 * (hv/config/config.c, hv/config/elf_load.c) and prints one line per partition, or the
 * parser's error line and exits 1. Used by tools/bundle.sh.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hv/config/config.h"
#include "hv/config/elf_load.h"

#define MiB (1ull << 20)

/* Reads the whole file into an 8-byte aligned buffer (libfdt wants it aligned). */
static void *read_file(const char *path, uint64_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "bundle-check: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	size_t cap = 1 << 20, len = 0;
	uint64_t *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread((char *)buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			uint64_t *bigger = realloc(buf, cap *= 2);
			if (!bigger)
				free(buf);
			buf = bigger;
		}
	}
	bool bad = ferror(f);
	fclose(f);
	if (!buf || bad) {
		fprintf(stderr, "bundle-check: %s: %s\n", path, buf ? "read error" : "out of memory");
		free(buf);
		return NULL;
	}
	*size = len;
	return buf;
}

static void print_partition(const struct partition_config *p)
{
	struct load_plan plan;
	char err[160];
	/* config_parse already planned this load successfully; redo it for the summary. */
	(void)elf_plan(p->kernel.data, p->kernel.size, p->load_address, p->memory, &plan, err, sizeof(err));
	printf("partition %s: memory %llu MiB, vcpus %u", p->name, (unsigned long long)(p->memory / MiB), p->vcpus);
	if (p->cpus_given) {
		printf(" on cpus");
		for (unsigned int i = 0; i < p->vcpus; i++)
			printf("%s%u", i ? "," : " ", p->cpus[i]);
	}
	printf(", kernel '%s' %llu bytes %s, entry 0x%llx", p->kernel.name, (unsigned long long)p->kernel.size,
	       !plan.is_elf         ? "raw"
	       : plan.little_endian ? "ELF little-endian"
				    : "ELF big-endian",
	       (unsigned long long)plan.entry);
	uint64_t at;
	if (p->has_initrd && initrd_place(p->initrd.size, p->memory, plan.highest, &at) == 0)
		printf(", initrd '%s' %llu bytes at 0x%llx", p->initrd.name, (unsigned long long)p->initrd.size,
		       (unsigned long long)at);
	else
		printf(", no initrd");
	printf("\n");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bundle-check FILE\n");
		return 2;
	}
	uint64_t size = 0;
	void *blob = read_file(argv[1], &size);
	if (!blob)
		return 1;
	static struct hv_config cfg;
	char err[300];
	if (config_parse(blob, size, &cfg, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		free(blob);
		return 1;
	}
	static const char *const levels[] = { "error", "warn", "info", "debug" };
	printf("bundle ok: %llu bytes, %u partition%s, time slice %u us, loglevel %s, on last partition stop: %s\n",
	       (unsigned long long)size, cfg.npartitions, cfg.npartitions == 1 ? "" : "s", cfg.time_slice_us,
	       cfg.loglevel < 0 ? "default" : levels[cfg.loglevel],
	       cfg.power_off_when_all_stopped ? "power-off" : "stay");
	for (unsigned int i = 0; i < cfg.npartitions; i++)
		print_partition(&cfg.part[i]);
	for (unsigned int i = 0; i < cfg.nshm; i++) {
		const struct shm_config *r = &cfg.shm[i];
		printf("shared memory %s: %llu KiB", r->name, (unsigned long long)(r->size >> 10));
		if (r->output_size)
			printf(", output sections of %llu KiB", (unsigned long long)(r->output_size >> 10));
		for (unsigned int k = 0; k < r->npeers; k++) {
			printf("%s %s as %u%s", k ? "," : ", peers", cfg.part[r->peer[k].partition].name, r->peer[k].id,
			       r->peer[k].read_only ? " (read-only)" : "");
			if (r->peer[k].bridge)
				printf(" on bridge %u", r->peer[k].bridge);
		}
		printf("\n");
	}
	for (unsigned int i = 0; i < cfg.nhost_disks; i++) {
		const struct host_disk_config *h = &cfg.host_disk[i];
		if (h->kind == HOST_DISK_DEVICE)
			printf("host disk %s: device %s\n", h->name, h->device);
		else if (h->kind == HOST_DISK_SERIAL)
			printf("host disk %s: NVMe serial %s namespace %u\n", h->name, h->serial, h->nsid);
		else
			printf("host disk %s: image '%s' %llu bytes\n", h->name, h->image.name,
			       (unsigned long long)h->image.size);
	}
	for (unsigned int i = 0; i < cfg.ndisks; i++) {
		const struct disk_config *d = &cfg.disk[i];
		printf("disk %s of partition %s: host disk %s from byte 0x%llx, ", d->name, cfg.part[d->partition].name,
		       cfg.host_disk[d->host_disk].name, (unsigned long long)d->start);
		if (d->size)
			printf("%llu MiB", (unsigned long long)(d->size / MiB));
		else
			printf("to the end");
		printf(", %s, serial %s\n", d->read_only ? "read-only" : "read-write", d->serial);
	}
	free(blob);
	return 0;
}
