/* hv/config.c: the bundle's configuration, every property and every error path. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include "hv/config/bundle.h"
#include "hv/config/config.h"
#include "hv/config/elf_load.h"
#include "tests/unit/support/bundle_builder.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)

static struct bundle_spec spec;
static struct hv_config cfg;
static char err[300];
static const void *blob;
static uint64_t blob_size;

static int parse(void)
{
	blob = bundle_build(&spec, &blob_size);
	return config_parse(blob, blob_size, &cfg, err, sizeof(err));
}

static void expect_error(const char *want)
{
	assert_int_equal(parse(), -1);
	if (strcmp(err, want))
		fail_msg("error\n  \"%s\"\nexpected\n  \"%s\"", err, want);
	assert_int_equal(cfg.npartitions, 0);
}

/* Changes one property of partition web (index 0) and expects an error. */
static void web_error(struct prop p, const char *want)
{
	bundle_spec_default(&spec);
	props_set(&spec.parts[0].props, p);
	expect_error(want);
}

static struct props *web(void)
{
	return &spec.parts[0].props;
}

static void parses_full_configuration(void **state)
{
	(void)state;
	static const uint32_t cpus[] = { 3, 1 };
	bundle_spec_default(&spec);
	spec.has_hypervisor = true;
	props_set(&spec.hypervisor, P_U32("time-slice-us", 5000));
	props_set(&spec.hypervisor, P_STR("loglevel", "debug"));
	props_set(&spec.hypervisor, P_STR("on-last-partition-stop", "stay"));
	props_set(web(), P_U32("memory", 512 * MiB)); /* one cell */
	props_set(web(), P_CELLS("cpus", cpus, 2));
	props_set(web(), P_STR("initrd", "rootfs"));
	props_set(web(), P_STR("bootargs", "console=hvc0 root=/dev/ram0"));
	props_set(web(), P_U64("load-address", 0x1000000));
	props_set(web(), P_U32("hpt-shift", 22));
	props_set(web(), P_STR("x-experiment", "anything"));
	struct props *db = bundle_add_part(&spec, "db_2");
	props_set(db, P_U64("memory", 64 * GiB));
	props_set(db, P_U32("vcpus", 32));

	assert_int_equal(parse(), 0);
	assert_int_equal(cfg.time_slice_us, 5000);
	assert_int_equal(cfg.loglevel, 3);
	assert_false(cfg.power_off_when_all_stopped);
	assert_int_equal(cfg.npartitions, 2);

	const struct partition_config *p = &cfg.part[0];
	assert_string_equal(p->name, "web");
	assert_int_equal(p->memory, 512 * MiB);
	assert_int_equal(p->vcpus, 2);
	assert_true(p->cpus_given);
	assert_int_equal(p->cpus[0], 3);
	assert_int_equal(p->cpus[1], 1);
	assert_string_equal(p->kernel.name, "linux");
	assert_int_equal(p->kernel.size, sizeof(bb_kernel));
	/* The image refs point into the bundle, at the bytes that were put there. */
	assert_true((const char *)p->kernel.data > (const char *)blob);
	assert_true((const char *)p->kernel.data + p->kernel.size <= (const char *)blob + blob_size);
	assert_memory_equal(p->kernel.data, bb_kernel, sizeof(bb_kernel));
	assert_true(p->has_initrd);
	assert_string_equal(p->initrd.name, "rootfs");
	assert_int_equal(p->initrd.size, sizeof(bb_initrd));
	assert_memory_equal(p->initrd.data, bb_initrd, sizeof(bb_initrd));
	assert_string_equal(p->bootargs, "console=hvc0 root=/dev/ram0");
	assert_int_equal(p->load_address, 0x1000000);
	assert_int_equal(p->hpt_shift, 22);

	p = &cfg.part[1];
	assert_string_equal(p->name, "db_2");
	assert_int_equal(p->memory, 64 * GiB);
	assert_int_equal(p->vcpus, 32);
	assert_false(p->cpus_given);
	assert_false(p->has_initrd);
	assert_string_equal(p->bootargs, "");
	assert_int_equal(p->load_address, CONFIG_DEFAULT_LOAD_ADDRESS);
	assert_int_equal(p->hpt_shift, 29); /* 64 GiB / 128 */
}

static void applies_defaults(void **state)
{
	(void)state;
	bundle_spec_default(&spec);
	memset(&cfg, 0x5a, sizeof(cfg));
	assert_int_equal(parse(), 0);
	assert_int_equal(cfg.time_slice_us, 10000);
	assert_int_equal(cfg.loglevel, -1);
	assert_true(cfg.power_off_when_all_stopped);
	assert_int_equal(cfg.npartitions, 1);
	assert_int_equal(cfg.part[0].load_address, 0x400000);
	assert_int_equal(cfg.part[0].hpt_shift, 21); /* 256 MiB / 128 = 2 MiB */
	assert_false(cfg.part[0].cpus_given);
	/* An empty hypervisor node changes nothing. */
	spec.has_hypervisor = true;
	assert_int_equal(parse(), 0);
	assert_int_equal(cfg.time_slice_us, 10000);
	assert_true(cfg.power_off_when_all_stopped);
}

static void default_hpt_shift_follows_qemu(void **state)
{
	(void)state;
	assert_int_equal(config_default_hpt_shift(64 * MiB), 19);
	assert_int_equal(config_default_hpt_shift(80 * MiB), 20); /* rounded up to 128 MiB */
	assert_int_equal(config_default_hpt_shift(1 * GiB), 23);
	assert_int_equal(config_default_hpt_shift(1 * MiB), 18); /* never below 2^18 */
	assert_int_equal(config_default_hpt_shift(64 * GiB), 29);
}

/* 1/128 of memory, rounded up to a power of two, within 2^18..2^30. */
static void default_hpt_shift_bounds(void **state)
{
	(void)state;
	assert_int_equal(config_default_hpt_shift(0), 18);
	assert_int_equal(config_default_hpt_shift(1 * MiB), 18);
	assert_int_equal(config_default_hpt_shift(256 * MiB), 21);
	assert_int_equal(config_default_hpt_shift(256 * MiB + 1), 22);
	assert_int_equal(config_default_hpt_shift(1 * GiB), 23);
	assert_int_equal(config_default_hpt_shift(3 * GiB), 25);
	assert_int_equal(config_default_hpt_shift(128 * GiB), 30);
	assert_int_equal(config_default_hpt_shift(1ull << 50), 30);
	assert_int_equal(config_default_hpt_shift(UINT64_MAX), 30);
}

static void memory_accepts_one_or_two_cells(void **state)
{
	(void)state;
	bundle_spec_default(&spec);
	props_set(web(), P_U32("memory", 128 * MiB));
	assert_int_equal(parse(), 0);
	assert_int_equal(cfg.part[0].memory, 128 * MiB);
	props_set(web(), P_U64("memory", 4 * GiB));
	props_set(web(), P_U32("load-address", 0x800000));
	assert_int_equal(parse(), 0);
	assert_int_equal(cfg.part[0].memory, 4 * GiB);
	assert_int_equal(cfg.part[0].load_address, 0x800000);
}

static void rejects_bad_memory(void **state)
{
	(void)state;
	web_error(P_U64("memory", 100 * MiB),
		  "bundle: partition 'web': property memory: 100 MiB is not a multiple of 16 MiB");
	web_error(P_U64("memory", 64 * MiB + 4096),
		  "bundle: partition 'web': property memory: 67112960 bytes is not a multiple of 16 MiB");
	web_error(P_U64("memory", 48 * MiB),
		  "bundle: partition 'web': property memory: 48 MiB is out of range 64 MiB..64 GiB");
	web_error(P_U64("memory", 80 * GiB),
		  "bundle: partition 'web': property memory: 80 GiB is out of range 64 MiB..64 GiB");
	web_error(P_U64("memory", 0),
		  "bundle: partition 'web': property memory: 0 bytes is out of range 64 MiB..64 GiB");
	web_error(P_RAW("memory", "\0\0\x10", 3),
		  "bundle: partition 'web': property memory: 3 bytes long, expected 4 or 8 (one or two cells)");
	bundle_spec_default(&spec);
	props_del(web(), "memory");
	expect_error("bundle: partition 'web': missing property memory");
}

static void rejects_bad_vcpus_and_cpus(void **state)
{
	(void)state;
	static const uint32_t three[] = { 0, 1, 2 }, dup[] = { 5, 5 }, far[] = { 0, 64 }, edge[] = { 63, 0 };
	web_error(P_U32("vcpus", 0), "bundle: partition 'web': property vcpus: 0 is out of range 1..32");
	web_error(P_U32("vcpus", 33), "bundle: partition 'web': property vcpus: 33 is out of range 1..32");
	web_error(P_U64("vcpus", 2), "bundle: partition 'web': property vcpus: 8 bytes long, expected 4 (one cell)");
	bundle_spec_default(&spec);
	props_del(web(), "vcpus");
	expect_error("bundle: partition 'web': missing property vcpus");

	web_error(P_CELLS("cpus", three, 3), "bundle: partition 'web': property cpus: 3 entries for 2 vcpus");
	web_error(P_CELLS("cpus", far, 2),
		  "bundle: partition 'web': property cpus: hardware thread 64 is out of range 0..63");
	web_error(P_RAW("cpus", "\0\0\0\0\0", 5),
		  "bundle: partition 'web': property cpus: 5 bytes long, not a list of cells");
	web_error(P_RAW("cpus", "", 0), "bundle: partition 'web': property cpus: 0 entries for 2 vcpus");
	bundle_spec_default(&spec);
	props_set(web(), P_CELLS("cpus", edge, 2));
	assert_int_equal(parse(), 0);
	assert_int_equal(cfg.part[0].cpus[0], 63);
	/* Two vCPUs on one thread is allowed: the hypervisor time-slices them. */
	bundle_spec_default(&spec);
	props_set(web(), P_CELLS("cpus", dup, 2));
	assert_int_equal(parse(), 0);
	assert_int_equal(cfg.part[0].cpus[0], 5);
	assert_int_equal(cfg.part[0].cpus[1], 5);
}

static void rejects_bad_image_references(void **state)
{
	(void)state;
	web_error(P_STR("kernel", "linus"), "bundle: partition 'web': property kernel: no image 'linus' in /images");
	web_error(P_STR("initrd", "rootf"), "bundle: partition 'web': property initrd: no image 'rootf' in /images");
	web_error(P_RAW("kernel", "linux", 5),
		  "bundle: partition 'web': property kernel: not a string (no terminating NUL)");
	web_error(P_RAW("kernel", "lin\0ux", 7),
		  "bundle: partition 'web': property kernel: not a single string (embedded NUL)");
	web_error(P_RAW("kernel", "", 0),
		  "bundle: partition 'web': property kernel: not a string (no terminating NUL)");
	web_error(P_STR("kernel", "a-name-that-is-longer-than-31-chars"),
		  "bundle: partition 'web': property kernel: 35 bytes long, at most 31 allowed");
	bundle_spec_default(&spec);
	props_del(web(), "kernel");
	expect_error("bundle: partition 'web': missing property kernel");
	bundle_spec_default(&spec);
	spec.has_images = false;
	expect_error("bundle: partition 'web': property kernel: no image 'linux': the bundle has no /images node");
	/* An image name that only matches up to a unit address is not a match. */
	bundle_spec_default(&spec);
	spec.images[0].name = "linux@1";
	expect_error("bundle: partition 'web': property kernel: no image 'linux' in /images");
}

static void bootargs_are_bounded(void **state)
{
	(void)state;
	static char args[1025];
	memset(args, 'a', 1023);
	args[1023] = '\0';
	bundle_spec_default(&spec);
	props_set(web(), P_STR("bootargs", args));
	assert_int_equal(parse(), 0);
	assert_int_equal(strlen(cfg.part[0].bootargs), 1023);
	args[1023] = 'a';
	args[1024] = '\0';
	web_error(P_STR("bootargs", args),
		  "bundle: partition 'web': property bootargs: 1024 bytes long, at most 1023 allowed");
	web_error(P_RAW("bootargs", "quiet", 5),
		  "bundle: partition 'web': property bootargs: not a string (no terminating NUL)");
}

static void rejects_bad_load_address_and_hpt_shift(void **state)
{
	(void)state;
	web_error(P_U64("load-address", 0x401000),
		  "bundle: partition 'web': property load-address: 0x401000 is not 64 KiB aligned");
	web_error(P_U64("load-address", 256 * MiB),
		  "bundle: partition 'web': property load-address: 0x10000000 is outside memory (256 MiB)");
	web_error(P_RAW("load-address", "\0\0\0\0\0\0", 6),
		  "bundle: partition 'web': property load-address: 6 bytes long, expected 4 or 8 (one or two cells)");
	web_error(P_U32("hpt-shift", 17), "bundle: partition 'web': property hpt-shift: 17 is out of range 18..30");
	web_error(P_U32("hpt-shift", 31), "bundle: partition 'web': property hpt-shift: 31 is out of range 18..30");
	bundle_spec_default(&spec);
	props_set(web(), P_U32("hpt-shift", 18));
	assert_int_equal(parse(), 0);
	assert_int_equal(cfg.part[0].hpt_shift, 18);
	props_set(web(), P_U32("hpt-shift", 30));
	assert_int_equal(parse(), 0);
	assert_int_equal(cfg.part[0].hpt_shift, 30);
}

static void kernel_must_load_and_initrd_fit(void **state)
{
	(void)state;
	/* An ELF kernel: its errors are named with the image. */
	struct elf_spec e;
	elf_spec_default(&e, true);
	e.ph[0].memsz = 0x20000;
	uint64_t esize;
	const uint8_t *elf = elf_build(&e, &esize);
	bundle_spec_default(&spec);
	spec.images[0].data = elf;
	spec.images[0].len = (int)esize;
	props_set(web(), P_U64("load-address", 256 * MiB - 0x10000));
	expect_error("bundle: partition 'web': property kernel: image 'linux': ELF: program header 0: "
		     "segment [0xfff0000, +0x20000) is outside guest memory (0x10000000 bytes)");
	props_del(web(), "load-address");
	e.entry = 0xc000000000100000ull;
	elf = elf_build(&e, &esize);
	expect_error("bundle: partition 'web': property kernel: image 'linux': ELF: entry 0xc000000000100000 "
		     "(guest 0x500000) is not inside a loaded segment");
	e.entry = 0xc000000000000000ull;
	elf = elf_build(&e, &esize);
	assert_int_equal(parse(), 0);

	/* The initrd goes 64 KiB-aligned after the kernel; 8 KiB more than fits is refused. */
	bundle_spec_default(&spec);
	props_set(web(), P_U64("memory", 64 * MiB));
	props_set(web(), P_U64("load-address", 64 * MiB - 0x20000)); /* kernel ends at -0x1f000 */
	props_set(web(), P_STR("initrd", "rootfs"));
	expect_error("bundle: partition 'web': property initrd: image 'rootfs' (8192 bytes) does not fit in 64 MiB "
		     "after the kernel (which ends at 0x3fe1000)");
	props_set(web(), P_U64("load-address", 64 * MiB - 0x30000)); /* initrd at -0x10000 */
	assert_int_equal(parse(), 0);
}

static void rejects_unknown_properties_and_nodes(void **state)
{
	(void)state;
	web_error(P_U32("cpu", 1), "bundle: partition 'web': unknown property 'cpu'");
	/* A typo is reported as such, not as the property it was meant to be. */
	bundle_spec_default(&spec);
	props_del(web(), "memory");
	props_set(web(), P_U64("memroy", 256 * MiB));
	expect_error("bundle: partition 'web': unknown property 'memroy'");
}

static void allows_experimental_properties(void **state)
{
	(void)state;
	bundle_spec_default(&spec);
	props_set(web(), P_STR("x-note", "ok"));
	props_set(&spec.root_extra, P_U32("x-root", 1));
	spec.extra_root_node = "x-future";
	assert_int_equal(parse(), 0);
}

static void rejects_bad_partition_names(void **state)
{
	(void)state;
	bundle_spec_default(&spec);
	spec.parts[0].name = "Web";
	expect_error("bundle: partition 'Web': the name must be 1..15 characters of a-z, 0-9, _ and -");
	spec.parts[0].name = "web@1";
	expect_error("bundle: partition 'web@1': the name must be 1..15 characters of a-z, 0-9, _ and -");
	spec.parts[0].name = "a-very-long-name"; /* 16 */
	expect_error("bundle: partition 'a-very-long-name': the name must be 1..15 characters of a-z, 0-9, _ and -");
	spec.parts[0].name = "fifteen-chars_1";
	assert_int_equal(parse(), 0);
	assert_string_equal(cfg.part[0].name, "fifteen-chars_1");

	bundle_spec_default(&spec);
	bundle_add_part(&spec, "web"); /* dtc refuses this, a hostile bundle need not */
	expect_error("bundle: partition 'web': defined twice");
}

static void limits_partition_count(void **state)
{
	(void)state;
	static char names[17][16];
	bundle_spec_default(&spec);
	for (unsigned int i = 1; i < CONFIG_MAX_PARTITIONS; i++) {
		snprintf(names[i], sizeof(names[i]), "p%u", i);
		bundle_add_part(&spec, names[i]);
	}
	assert_int_equal(parse(), 0);
	assert_int_equal(cfg.npartitions, 16);
	assert_string_equal(cfg.part[15].name, "p15");
	bundle_add_part(&spec, "one-too-many");
	expect_error("bundle: /partitions: more than 16 partitions");

	bundle_spec_default(&spec);
	spec.nparts = 0;
	expect_error("bundle: /partitions: no partition defined");
}

static void rejects_bad_hypervisor_settings(void **state)
{
	(void)state;
	static const char *const levels[] = { "error", "warn", "info", "debug" };
	bundle_spec_default(&spec);
	spec.has_hypervisor = true;
	for (int i = 0; i < 4; i++) {
		props_set(&spec.hypervisor, P_STR("loglevel", levels[i]));
		assert_int_equal(parse(), 0);
		assert_int_equal(cfg.loglevel, i);
	}
	props_set(&spec.hypervisor, P_STR("loglevel", "verbose"));
	expect_error("bundle: /hypervisor: property loglevel: \"verbose\" is not one of error, warn, info, debug");
	props_del(&spec.hypervisor, "loglevel");

	props_set(&spec.hypervisor, P_U32("time-slice-us", 99));
	expect_error("bundle: /hypervisor: property time-slice-us: 99 is out of range 100..1000000");
	props_set(&spec.hypervisor, P_U32("time-slice-us", 1000001));
	expect_error("bundle: /hypervisor: property time-slice-us: 1000001 is out of range 100..1000000");
	props_set(&spec.hypervisor, P_U32("time-slice-us", 100));
	assert_int_equal(parse(), 0);
	assert_int_equal(cfg.time_slice_us, 100);

	props_set(&spec.hypervisor, P_STR("on-last-partition-stop", "power-off"));
	assert_int_equal(parse(), 0);
	assert_true(cfg.power_off_when_all_stopped);
	props_set(&spec.hypervisor, P_STR("on-last-partition-stop", "reboot"));
	expect_error(
		"bundle: /hypervisor: property on-last-partition-stop: \"reboot\" is not \"power-off\" or \"stay\"");
	props_del(&spec.hypervisor, "on-last-partition-stop");

	props_set(&spec.hypervisor, P_U32("timeslice", 100));
	expect_error("bundle: /hypervisor: unknown property 'timeslice'");
}

static void rejects_bad_images(void **state)
{
	(void)state;
	bundle_spec_default(&spec);
	spec.images[1].len = -1;
	expect_error("bundle: image 'rootfs': missing property data");
	spec.images[1].len = 0;
	expect_error("bundle: image 'rootfs': property data: image is empty");
	bundle_spec_default(&spec);
	props_set(&spec.images[0].extra, P_STR("compression", "gzip"));
	expect_error("bundle: image 'linux': unknown property 'compression'");
	props_set(&spec.images[0].extra, P_STR("description", "Linux 6.1"));
	props_del(&spec.images[0].extra, "compression");
	assert_int_equal(parse(), 0);
	bundle_spec_default(&spec);
	spec.images[1].name = "an-image-name-of-32-characters-x";
	expect_error(
		"bundle: image 'an-image-name-of-32-characters-x': name is 32 characters long, at most 31 allowed");
}

static void rejects_bad_root(void **state)
{
	(void)state;
	bundle_spec_default(&spec);
	spec.extra_root_node = "partition";
	expect_error("bundle: /: unknown node 'partition'");
	spec.extra_root_node = "images"; /* a second /images */
	expect_error("bundle: /: node 'images' appears twice");
	bundle_spec_default(&spec);
	props_set(&spec.root_extra, P_STR("model", "x"));
	expect_error("bundle: /: unknown property 'model'");
	/* Container errors come from bundle_check. */
	bundle_spec_default(&spec);
	spec.compatible = "ibm,powernv";
	expect_error("bundle: root node is not compatible with \"powerhv,bundle-v1\"");
	bundle_spec_default(&spec);
	spec.has_partitions = false;
	expect_error("bundle: missing node /partitions");
}

static void rejects_truncated_and_corrupt_bundles(void **state)
{
	(void)state;
	bundle_spec_default(&spec);
	blob = bundle_build(&spec, &blob_size);
	assert_int_equal(config_parse(blob, blob_size - 1, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "were loaded"));
	/* A property whose length runs past the structure block. */
	static uint64_t copy[(1 << 16) / 8];
	memcpy(copy, blob, blob_size);
	int node = fdt_path_offset(copy, "/images/linux");
	int len;
	const struct fdt_property *p = fdt_get_property(copy, node, "data", &len);
	assert_non_null(p);
	((struct fdt_property *)p)->len = cpu_to_fdt32(0x7fffff00);
	assert_int_equal(config_parse(copy, blob_size, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bundle: corrupt structure"));
	assert_int_equal(cfg.npartitions, 0);
}

static void error_messages_are_bounded(void **state)
{
	(void)state;
	char small[16];
	bundle_spec_default(&spec);
	props_set(web(), P_U64("memory", 100 * MiB));
	blob = bundle_build(&spec, &blob_size);
	assert_int_equal(config_parse(blob, blob_size, &cfg, small, sizeof(small)), -1);
	assert_string_equal(small, "bundle: partiti");
	/* Names from the bundle are shown printable. */
	bundle_spec_default(&spec);
	spec.parts[0].name = "we\tb";
	expect_error("bundle: partition 'we?b': the name must be 1..15 characters of a-z, 0-9, _ and -");
}

static void parses_shared_memory(void **state)
{
	(void)state;
	bundle_spec_default(&spec);
	bundle_add_part(&spec, "db");
	struct shm_spec *r = bundle_add_shm(&spec, "demo", 4 * MiB);
	props_set(&r->props, P_U32("output-section-size", 0x10000));
	props_set(shm_add_peer(r, "db", 1), P_U32("bridge", 1));
	props_set(shm_add_peer(r, "web", 0), P_STR("access", "read-only"));
	bundle_add_shm(&spec, "small", 4096);
	shm_add_peer(&spec.shm[1], "web", 0);
	assert_int_equal(parse(), 0);
	assert_int_equal(cfg.nshm, 2);
	assert_string_equal(cfg.shm[0].name, "demo");
	assert_int_equal(cfg.shm[0].size, 4 * MiB);
	assert_int_equal(cfg.shm[0].output_size, 0x10000);
	assert_int_equal(cfg.shm[0].npeers, 2);
	assert_int_equal(cfg.shm[0].peer[0].partition, 1);
	assert_int_equal(cfg.shm[0].peer[0].id, 1);
	assert_false(cfg.shm[0].peer[0].read_only);
	assert_int_equal(cfg.shm[0].peer[0].bridge, 1);
	assert_int_equal(cfg.shm[0].peer[1].partition, 0);
	assert_true(cfg.shm[0].peer[1].read_only);
	assert_int_equal(cfg.shm[0].peer[1].bridge, 0);
	assert_int_equal(cfg.shm[1].output_size, 0);
}

/* A region with peer web as id 0, changed by one property. */
static void shm_error(const char *prop, struct prop p, const char *want)
{
	bundle_spec_default(&spec);
	struct shm_spec *r = bundle_add_shm(&spec, "demo", MiB);
	struct props *peer = shm_add_peer(r, "web", 0);
	if (!strcmp(prop, "region"))
		props_set(&r->props, p);
	else
		props_set(peer, p);
	expect_error(want);
}

static void rejects_bad_shared_memory(void **state)
{
	(void)state;
	shm_error("region", P_U64("size", 3 * MiB),
		  "bundle: shared memory 'demo': property size: 3 MiB is not a power of two from 4 KiB to 1 GiB");
	shm_error("region", P_U64("size", 2048),
		  "bundle: shared memory 'demo': property size: 2048 bytes is not a power of two from 4 KiB to 1 GiB");
	shm_error("region", P_U64("size", 2 * GiB),
		  "bundle: shared memory 'demo': property size: 2 GiB is not a power of two from 4 KiB to 1 GiB");
	shm_error("region", P_U32("output-section-size", 100),
		  "bundle: shared memory 'demo': property output-section-size: 100 bytes is not a multiple of 64 KiB");
	shm_error("region", P_U64("output-section-size", MiB),
		  "bundle: shared memory 'demo': the state table and 1 output sections of 1 MiB do not fit in 1 MiB");
	shm_error("region", P_U32("colour", 1), "bundle: shared memory 'demo': unknown property 'colour'");
	shm_error("peer", P_U32("id", 1), "bundle: shared memory 'demo': peer ids must be 0..0");
	shm_error("peer", P_STR("access", "write-only"),
		  "bundle: shared memory 'demo': peer 'web': property access: \"write-only\" is not \"read-write\" or "
		  "\"read-only\"");
	shm_error("peer", P_U32("irq", 1), "bundle: shared memory 'demo': peer 'web': unknown property 'irq'");
	shm_error("peer", P_U32("bridge", 2),
		  "bundle: shared memory 'demo': peer 'web': property bridge: 2 is not 0..1");

	bundle_spec_default(&spec);
	shm_add_peer(bundle_add_shm(&spec, "demo", MiB), "nosuch", 0);
	expect_error("bundle: shared memory 'demo': peer 'nosuch': no partition of that name");
	bundle_spec_default(&spec);
	struct shm_spec *r = bundle_add_shm(&spec, "demo", MiB);
	shm_add_peer(r, "web", 0);
	shm_add_peer(r, "web", 1);
	expect_error("bundle: shared memory 'demo': peer 'web': the partition is a peer twice");
	bundle_spec_default(&spec);
	bundle_add_part(&spec, "db");
	r = bundle_add_shm(&spec, "demo", MiB);
	shm_add_peer(r, "web", 0);
	shm_add_peer(r, "db", 0);
	expect_error("bundle: shared memory 'demo': peer 'db': property id: 0 is taken");
	bundle_spec_default(&spec);
	bundle_add_shm(&spec, "demo", MiB);
	expect_error("bundle: shared memory 'demo': no peers");
	bundle_spec_default(&spec);
	bundle_add_shm(&spec, "demo", MiB)->no_peers_node = true;
	expect_error("bundle: shared memory 'demo': missing node peers");
	bundle_spec_default(&spec);
	props_del(&bundle_add_shm(&spec, "demo", MiB)->props, "size");
	expect_error("bundle: shared memory 'demo': missing property size");
	bundle_spec_default(&spec);
	shm_add_peer(bundle_add_shm(&spec, "demo", MiB), "web", 0);
	shm_add_peer(bundle_add_shm(&spec, "demo", MiB), "web", 0);
	expect_error("bundle: shared memory 'demo': defined twice");
	bundle_spec_default(&spec);
	for (int i = 0; i < 7; i++)
		bundle_add_part(&spec, (const char *[]){ "a", "b", "c", "d", "e", "f", "g" }[i]);
	r = bundle_add_shm(&spec, "demo", MiB);
	for (uint32_t i = 0; i < 7; i++)
		shm_add_peer(r, (const char *[]){ "a", "b", "c", "d", "e", "f", "g" }[i], i);
	expect_error("bundle: shared memory 'demo': peer 'g': more than 6 peers");
}

/* Two partitions, web and db, with disks on host disks "fast" (an NVMe by serial) and "img" (an image). */
static void disks_spec(void)
{
	bundle_spec_default(&spec);
	bundle_add_part(&spec, "db");
	struct props *h = bundle_add_host_disk(&spec, "fast");
	props_set(h, P_STR("serial", "disk0"));
	props_set(h, P_U32("namespace", 2));
	props_set(bundle_add_host_disk(&spec, "byname"), P_STR("device", "nvme1n1"));
	props_set(bundle_add_host_disk(&spec, "img"), P_STR("image", "rootfs")); /* 8 KiB */
	struct props *d = bundle_add_disk(&spec, 0, "data", "fast");
	props_set(d, P_U64("start", 0));
	props_set(d, P_U64("size", 1 * GiB));
	d = bundle_add_disk(&spec, 1, "data", "fast");
	props_set(d, P_U64("start", 1 * GiB)); /* to the end */
	props_set(d, P_STR("serial", "db-disk-1"));
	props_set(d, P_U32("queues", 3));
	props_set(d, P_STR("write-cache", "writethrough"));
	props_set(d, P_STR("ring", "packed"));
	props_set(d, P_RAW("access-platform", "", 0));
	d = bundle_add_disk(&spec, 1, "seed", "img");
	props_set(d, P_STR("write-cache", "writeback"));
	props_set(d, P_RAW("read-only", "", 0));
}

static void parses_disks(void **state)
{
	(void)state;
	disks_spec();
	assert_int_equal(parse(), 0);
	assert_int_equal(cfg.nhost_disks, 3);
	assert_string_equal(cfg.host_disk[0].name, "fast");
	assert_int_equal(cfg.host_disk[0].kind, HOST_DISK_SERIAL);
	assert_string_equal(cfg.host_disk[0].serial, "disk0");
	assert_int_equal(cfg.host_disk[0].nsid, 2);
	assert_int_equal(cfg.host_disk[1].kind, HOST_DISK_DEVICE);
	assert_string_equal(cfg.host_disk[1].device, "nvme1n1");
	assert_int_equal(cfg.host_disk[2].kind, HOST_DISK_IMAGE);
	assert_int_equal(cfg.host_disk[2].image.size, sizeof(bb_initrd));
	assert_int_equal(cfg.ndisks, 3);
	assert_string_equal(cfg.disk[0].name, "data");
	assert_int_equal(cfg.disk[0].partition, 0);
	assert_int_equal(cfg.disk[0].host_disk, 0);
	assert_int_equal(cfg.disk[0].size, 1 * GiB);
	assert_false(cfg.disk[0].read_only);
	assert_string_equal(cfg.disk[0].serial, "web-data"); /* the default */
	assert_int_equal(cfg.disk[1].partition, 1);
	assert_int_equal(cfg.disk[1].start, 1 * GiB);
	assert_int_equal(cfg.disk[1].size, 0);
	assert_string_equal(cfg.disk[1].serial, "db-disk-1");
	assert_int_equal(cfg.disk[0].queues, 0); /* one per vCPU */
	assert_false(cfg.disk[0].write_through); /* write-back by default */
	assert_int_equal(cfg.disk[1].queues, 3);
	assert_true(cfg.disk[1].write_through);
	assert_true(cfg.disk[1].packed_ring);
	assert_true(cfg.disk[1].access_platform);
	assert_false(cfg.disk[0].access_platform);
	assert_false(cfg.disk[0].packed_ring);
	assert_int_equal(cfg.disk[2].host_disk, 2);
	assert_true(cfg.disk[2].read_only);
	assert_false(cfg.disk[2].write_through);
}

static void disk_error(void (*change)(void), const char *want)
{
	disks_spec();
	change();
	expect_error(want);
	assert_int_equal(cfg.ndisks, 0);
	assert_int_equal(cfg.nhost_disks, 0);
}

static void overlap_first_gib(void)
{
	props_set(&spec.parts[1].disks[0].props, P_U64("start", 1 * GiB - 4096));
}
static void overlap_same_partition(void)
{
	props_set(bundle_add_disk(&spec, 0, "more", "fast"), P_U64("start", 512 * MiB));
}
static void open_ended_overlaps_later(void)
{
	props_set(bundle_add_disk(&spec, 0, "tail", "fast"), P_U64("start", 8 * GiB));
}
static void unaligned_start(void)
{
	props_set(&spec.parts[0].disks[0].props, P_U64("start", 512));
}
static void zero_size(void)
{
	props_set(&spec.parts[0].disks[0].props, P_U64("size", 0));
}
static void past_image(void)
{
	props_set(&spec.parts[1].disks[1].props, P_U64("size", 12288));
}
static void no_such_host_disk(void)
{
	props_set(&spec.parts[0].disks[0].props, P_STR("host-disk", "slow"));
}
static void two_kinds(void)
{
	props_set(&spec.host_disks[0].props, P_STR("device", "nvme0n1"));
}
static void none_of_the_kinds(void)
{
	props_del(&spec.host_disks[1].props, "device");
}
static void namespace_without_serial(void)
{
	props_set(&spec.host_disks[1].props, P_U32("namespace", 1));
}
static void read_only_with_value(void)
{
	props_set(&spec.parts[1].disks[1].props, P_U32("read-only", 1));
}
static void duplicate_disk(void)
{
	props_set(bundle_add_disk(&spec, 1, "seed", "img"), P_RAW("read-only", "", 0));
}
static void bad_disk_name(void)
{
	bundle_add_disk(&spec, 0, "Data", "fast");
}
static void no_queues(void)
{
	props_set(&spec.parts[0].disks[0].props, P_U32("queues", 0));
}
static void too_many_queues(void)
{
	props_set(&spec.parts[0].disks[0].props, P_U32("queues", 17));
}
static void bad_cache_mode(void)
{
	props_set(&spec.parts[0].disks[0].props, P_STR("write-cache", "none"));
}
static void access_platform_with_value(void)
{
	props_set(&spec.parts[0].disks[0].props, P_U32("access-platform", 1));
}
static void bad_ring(void)
{
	props_set(&spec.parts[0].disks[0].props, P_STR("ring", "circular"));
}
static void typo(void)
{
	props_set(&spec.parts[0].disks[0].props, P_U64("sise", 4096));
}

static void rejects_bad_disks(void **state)
{
	(void)state;
	disk_error(overlap_first_gib, "bundle: partition 'db': disk 'data': bytes [0x3ffff000, the end) of host disk "
				      "'fast' overlap partition 'web' disk 'data'");
	disk_error(overlap_same_partition, "bundle: partition 'web': disk 'more': bytes [0x20000000, the end) of "
					   "host disk 'fast' overlap partition 'web' disk 'data'");
	/* web's disks come first: db's open range meets web's later one */
	disk_error(open_ended_overlaps_later, "bundle: partition 'db': disk 'data': bytes [0x40000000, the end) of "
					      "host disk 'fast' overlap partition 'web' disk 'tail'");
	disk_error(unaligned_start, "bundle: partition 'web': disk 'data': property start: 0x200 is not a multiple "
				    "of 4 KiB");
	disk_error(zero_size, "bundle: partition 'web': disk 'data': property size: 0 bytes is not a non-zero "
			      "multiple of 4 KiB");
	disk_error(past_image, "bundle: partition 'db': disk 'seed': bytes up to 0x3000 are past the end of image "
			       "'rootfs' (8192 bytes)");
	disk_error(no_such_host_disk, "bundle: partition 'web': disk 'data': property host-disk: no host disk 'slow' "
				      "in /host-disks");
	disk_error(two_kinds, "bundle: host disk 'fast': give exactly one of device, serial and image");
	disk_error(none_of_the_kinds, "bundle: host disk 'byname': give exactly one of device, serial and image");
	disk_error(namespace_without_serial, "bundle: host disk 'byname': property namespace: only with serial");
	disk_error(read_only_with_value, "bundle: partition 'db': disk 'seed': property read-only: a flag takes no "
					 "value");
	disk_error(duplicate_disk, "bundle: partition 'db': disk 'seed': defined twice");
	disk_error(bad_disk_name, "bundle: partition 'web': disk 'Data': the name must be 1..15 characters of a-z, "
				  "0-9, _ and -");
	disk_error(typo, "bundle: partition 'web': disk 'data': unknown property 'sise'");
	disk_error(no_queues, "bundle: partition 'web': disk 'data': property queues: 0 is not 1..16");
	disk_error(too_many_queues, "bundle: partition 'web': disk 'data': property queues: 17 is not 1..16");
	disk_error(access_platform_with_value,
		   "bundle: partition 'web': disk 'data': property access-platform: a flag takes no value");
	disk_error(bad_ring, "bundle: partition 'web': disk 'data': property ring: 'circular' is not split or packed");
	disk_error(bad_cache_mode, "bundle: partition 'web': disk 'data': property write-cache: 'none' is not "
				   "writeback or writethrough");
}

static void read_only_ranges_may_be_shared(void **state)
{
	(void)state;
	disks_spec();
	props_set(bundle_add_disk(&spec, 0, "seed", "img"), P_RAW("read-only", "", 0));
	assert_int_equal(parse(), 0);
	assert_int_equal(cfg.ndisks, 4);
	/* but not with a writer */
	disks_spec();
	bundle_add_disk(&spec, 0, "seed", "img");
	expect_error("bundle: partition 'db': disk 'seed': bytes [0x0, 0x2000) of host disk 'img' overlap "
		     "partition 'web' disk 'seed'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_shared_memory),
		cmocka_unit_test(rejects_bad_shared_memory),
		cmocka_unit_test(parses_full_configuration),
		cmocka_unit_test(applies_defaults),
		cmocka_unit_test(default_hpt_shift_follows_qemu),
		cmocka_unit_test(default_hpt_shift_bounds),
		cmocka_unit_test(memory_accepts_one_or_two_cells),
		cmocka_unit_test(rejects_bad_memory),
		cmocka_unit_test(rejects_bad_vcpus_and_cpus),
		cmocka_unit_test(rejects_bad_image_references),
		cmocka_unit_test(bootargs_are_bounded),
		cmocka_unit_test(rejects_bad_load_address_and_hpt_shift),
		cmocka_unit_test(kernel_must_load_and_initrd_fit),
		cmocka_unit_test(rejects_unknown_properties_and_nodes),
		cmocka_unit_test(allows_experimental_properties),
		cmocka_unit_test(rejects_bad_partition_names),
		cmocka_unit_test(limits_partition_count),
		cmocka_unit_test(rejects_bad_hypervisor_settings),
		cmocka_unit_test(rejects_bad_images),
		cmocka_unit_test(rejects_bad_root),
		cmocka_unit_test(rejects_truncated_and_corrupt_bundles),
		cmocka_unit_test(error_messages_are_bounded),
		cmocka_unit_test(parses_disks),
		cmocka_unit_test(rejects_bad_disks),
		cmocka_unit_test(read_only_ranges_may_be_shared),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
