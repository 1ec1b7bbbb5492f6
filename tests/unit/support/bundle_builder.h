/*
 * Builds bundles (with libfdt's sequential-write API) and ELF64 kernels
 * (either byte order) in memory for host tests, with knobs to break them.
 */
#ifndef TESTS_UNIT_SUPPORT_BUNDLE_BUILDER_H
#define TESTS_UNIT_SUPPORT_BUNDLE_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- ELF64 ---- */

struct elf_ph_spec {
	uint32_t type; /* 1 = PT_LOAD */
	uint64_t offset, vaddr, paddr, filesz, memsz;
	uint8_t fill; /* the segment's file bytes */
};

struct elf_spec {
	bool le;
	uint8_t ident_class, ident_data; /* 2 and (le ? 1 : 2) by default */
	uint16_t type, machine, ehsize, phentsize, phnum;
	uint64_t entry, phoff;
	unsigned int nph; /* headers written (phnum is what the header claims) */
	struct elf_ph_spec ph[24];
	uint64_t size; /* 0: just large enough for everything */
};

/*
 * A Linux-like vmlinux: ET_DYN, EM_PPC64, one PT_LOAD at file offset
 * 0x1000, vaddr 0xc000000000000000, paddr 0, 0x2000 file bytes, 0x5000 in
 * memory, entry at its start; plus a PT_NOTE.
 */
void elf_spec_default(struct elf_spec *s, bool le);
/* Writes the image into a static buffer (reused by the next call); returns it. */
const uint8_t *elf_build(const struct elf_spec *s, uint64_t *size);

/* ---- bundles ---- */

enum prop_kind { PK_END, PK_U32, PK_U64, PK_STR, PK_RAW, PK_CELLS };

struct prop {
	const char *name;
	enum prop_kind kind;
	uint64_t num;
	const char *str;
	const void *raw; /* PK_RAW bytes, or PK_CELLS uint32_t values */
	int len;         /* PK_RAW bytes, or PK_CELLS count */
};

#define P_U32(n, v)      ((struct prop){ (n), PK_U32, (v), NULL, NULL, 0 })
#define P_U64(n, v)      ((struct prop){ (n), PK_U64, (v), NULL, NULL, 0 })
#define P_STR(n, s)      ((struct prop){ (n), PK_STR, 0, (s), NULL, 0 })
#define P_RAW(n, p, l)   ((struct prop){ (n), PK_RAW, 0, NULL, (p), (l) })
#define P_CELLS(n, p, c) ((struct prop){ (n), PK_CELLS, 0, NULL, (p), (c) })

#define PROPS_MAX 24
struct props {
	unsigned int n;
	struct prop p[PROPS_MAX];
};

/* Replaces the property of that name, or appends it. */
void props_set(struct props *l, struct prop p);
void props_del(struct props *l, const char *name);

struct image_spec {
	const char *name;
	const void *data;
	int len; /* < 0: no data property */
	struct props extra;
};

struct named_props {
	const char *name;
	struct props props;
};

struct part_spec {
	const char *name;
	struct props props;
	unsigned int ndisks; /* nodes under a "disks" node */
	struct named_props disks[6];
};

struct shm_peer_spec {
	const char *name; /* a partition's */
	struct props props;
};

struct shm_spec {
	const char *name;
	struct props props;
	bool no_peers_node;
	unsigned int npeers;
	struct shm_peer_spec peers[8];
};

#define BUNDLE_MAX_PARTS 20
#define BUNDLE_MAX_SHM   10
struct bundle_spec {
	const char *compatible; /* NULL: none */
	bool has_hypervisor;
	struct props hypervisor;
	bool has_images;
	unsigned int nimages;
	struct image_spec images[8];
	bool has_partitions;
	unsigned int nparts;
	struct part_spec parts[BUNDLE_MAX_PARTS];
	struct props root_extra;
	const char *extra_root_node; /* an empty node at the root */
	bool has_shm;                /* a /shared-memory node */
	unsigned int nshm;
	struct shm_spec shm[BUNDLE_MAX_SHM];
	bool has_host_disks; /* a /host-disks node */
	unsigned int nhost_disks;
	struct named_props host_disks[10];
};

/* Raw kernel and initrd bytes the default bundle uses. */
extern const uint8_t bb_kernel[4096];
extern const uint8_t bb_initrd[8192];

/*
 * A valid bundle: images "linux" (bb_kernel, raw) and "rootfs" (bb_initrd),
 * one partition "web": 256 MiB, 2 vcpus, kernel "linux".
 */
void bundle_spec_default(struct bundle_spec *s);
/* Appends a partition with the default web properties under another name; returns its props. */
struct props *bundle_add_part(struct bundle_spec *s, const char *name);
/* Appends region name (size given) to /shared-memory; returns it. */
struct shm_spec *bundle_add_shm(struct bundle_spec *s, const char *name, uint64_t size);
/* Appends a peer (partition name, id) to a region; returns its props. */
struct props *shm_add_peer(struct shm_spec *r, const char *partition, uint32_t id);
/* Appends host disk name to /host-disks; returns its props (empty). */
struct props *bundle_add_host_disk(struct bundle_spec *s, const char *name);
/* Appends disk name (on host disk host) to partition part's disks; returns its props. */
struct props *bundle_add_disk(struct bundle_spec *s, unsigned int part, const char *name, const char *host);
/* Builds into a static buffer (reused by the next call); returns it. */
void *bundle_build(const struct bundle_spec *s, uint64_t *size);

#endif
