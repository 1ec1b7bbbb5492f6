/*
 * Guest kernel loading, as QEMU's pseries machine does for -kernel: an
 * ELF64 PowerPC image (either endianness) has each PT_LOAD segment placed
 * at (p_paddr & 0x0fffffff) + load address, its file bytes copied and the
 * rest up to p_memsz zeroed; the entry is translated the same way. Any
 * other image is loaded raw at the load address and entered there.
 *
 * Portable: elf_plan only validates and describes the load (the image is
 * hostile input); the caller copies with its own access to guest memory.
 */
#ifndef HV_CONFIG_ELF_LOAD_H
#define HV_CONFIG_ELF_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS 16
/* QEMU pseries keeps the low 28 bits of an address and adds the load address. */
#define ELF_ADDR_MASK    0x0fffffffull

struct load_segment {
	uint64_t guest_addr; /* guest-real */
	const void *src;     /* points into the image */
	uint64_t file_size;
	uint64_t mem_size; /* >= file_size; the rest is zeroed */
};

struct load_plan {
	unsigned int nseg;
	struct load_segment seg[ELF_MAX_SEGMENTS];
	uint64_t entry;
	bool little_endian;
	bool is_elf;
	uint64_t lowest, highest; /* guest-real span [lowest, highest) */
};

/* Plans loading image into guest memory [0, guest_mem_size); 0, or -1 with err set. */
int elf_plan(const void *image, uint64_t size, uint64_t load_address, uint64_t guest_mem_size, struct load_plan *plan,
	     char *err, size_t errlen);

/* Applies a plan to guest memory seen as a host buffer: copies and zeroes. */
void elf_apply(const struct load_plan *plan, void *guest_mem);

/*
 * Where the initrd goes: after the kernel, like QEMU pseries
 * ((end + 0x1ffff) & ~0xffff: 64 KiB aligned, at least 64 KiB of gap).
 * 0, or -1 when it does not fit below guest_mem_size.
 */
int initrd_place(uint64_t initrd_size, uint64_t guest_mem_size, uint64_t kernel_highest, uint64_t *addr);

#endif
