#include <stdio.h>
#include <string.h>
#include "hv/config/elf_load.h"
#include "hv/lib/bytes.h"
#include "hv/lib/error.h"

/* ELF64 layout (System V gABI); fields are read byte by byte in the file's order. */
#define EI_CLASS    4
#define EI_DATA     5
#define ELFCLASS32  1
#define ELFCLASS64  2
#define ELFDATA2LSB 1
#define ELFDATA2MSB 2
#define ET_EXEC     2
#define ET_DYN      3
#define EM_PPC64    21
#define PT_LOAD     1
#define EHDR_SIZE   64
#define PHDR_SIZE   56
#define MAX_PHDRS   256 /* Linux vmlinux has a handful; bounds the work on hostile input */

/* [off, off + len) lies inside [0, size), without overflow. */
static bool inside(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static int plan_raw(const uint8_t *img, uint64_t size, uint64_t load_address, uint64_t mem, struct load_plan *plan,
		    char *err, size_t errlen)
{
	if (!inside(load_address, size, mem))
		return errorf(err, errlen,
			      "raw image of %llu bytes at 0x%llx does not fit in guest memory (0x%llx bytes)",
			      (unsigned long long)size, (unsigned long long)load_address, (unsigned long long)mem);
	plan->nseg = 1;
	plan->seg[0] = (struct load_segment){ load_address, img, size, size };
	plan->entry = load_address;
	plan->lowest = load_address;
	plan->highest = load_address + size;
	return 0;
}

struct phdr {
	uint32_t type;
	uint64_t offset, vaddr, paddr, filesz, memsz;
};

static void read_phdr(const uint8_t *p, bool le, struct phdr *ph)
{
	ph->type = (uint32_t)uint_load(p, 4, le);
	ph->offset = uint_load(p + 8, 8, le);
	ph->vaddr = uint_load(p + 16, 8, le);
	ph->paddr = uint_load(p + 24, 8, le);
	ph->filesz = uint_load(p + 32, 8, le);
	ph->memsz = uint_load(p + 40, 8, le);
}

/* Adds PT_LOAD header i to the plan, checking it against the image, guest memory and the others. */
static int add_segment(const uint8_t *img, uint64_t size, const struct phdr *ph, unsigned int i, uint64_t load_address,
		       uint64_t mem, struct load_plan *plan, char *err, size_t errlen)
{
	if (ph->filesz > ph->memsz)
		return errorf(err, errlen, "ELF: program header %u: file size 0x%llx is larger than memory size 0x%llx",
			      i, (unsigned long long)ph->filesz, (unsigned long long)ph->memsz);
	if (!inside(ph->offset, ph->filesz, size))
		return errorf(err, errlen,
			      "ELF: program header %u: file bytes [0x%llx, +0x%llx) are outside the %llu-byte image", i,
			      (unsigned long long)ph->offset, (unsigned long long)ph->filesz, (unsigned long long)size);
	if (ph->memsz == 0)
		return 0; /* nothing to place */
	if (plan->nseg == ELF_MAX_SEGMENTS)
		return errorf(err, errlen, "ELF: more than %d loadable segments", ELF_MAX_SEGMENTS);
	/* load_address < mem was checked, and the masked part is below 2^28: no overflow. */
	uint64_t addr = (ph->paddr & ELF_ADDR_MASK) + load_address;
	if (!inside(addr, ph->memsz, mem))
		return errorf(
			err, errlen,
			"ELF: program header %u: segment [0x%llx, +0x%llx) is outside guest memory (0x%llx bytes)", i,
			(unsigned long long)addr, (unsigned long long)ph->memsz, (unsigned long long)mem);
	for (unsigned int j = 0; j < plan->nseg; j++) {
		const struct load_segment *o = &plan->seg[j];
		if (addr < o->guest_addr + o->mem_size && o->guest_addr < addr + ph->memsz)
			return errorf(err, errlen,
				      "ELF: program header %u: segment [0x%llx, 0x%llx) overlaps [0x%llx, 0x%llx)", i,
				      (unsigned long long)addr, (unsigned long long)(addr + ph->memsz),
				      (unsigned long long)o->guest_addr,
				      (unsigned long long)(o->guest_addr + o->mem_size));
	}
	plan->seg[plan->nseg++] = (struct load_segment){ addr, img + ph->offset, ph->filesz, ph->memsz };
	if (addr < plan->lowest)
		plan->lowest = addr;
	if (addr + ph->memsz > plan->highest)
		plan->highest = addr + ph->memsz;
	return 0;
}

static int plan_elf(const uint8_t *img, uint64_t size, uint64_t load_address, uint64_t mem, struct load_plan *plan,
		    char *err, size_t errlen)
{
	if (size < EHDR_SIZE)
		return errorf(err, errlen, "ELF: header truncated (%llu bytes)", (unsigned long long)size);
	if (img[EI_CLASS] == ELFCLASS32)
		return errorf(err, errlen, "ELF: 32-bit ELF is not supported; use a 64-bit kernel");
	if (img[EI_CLASS] != ELFCLASS64)
		return errorf(err, errlen, "ELF: unknown class %u", img[EI_CLASS]);
	/* QEMU tries big-endian, then little-endian; the header says which it is. */
	if (img[EI_DATA] != ELFDATA2LSB && img[EI_DATA] != ELFDATA2MSB)
		return errorf(err, errlen, "ELF: unknown byte order %u", img[EI_DATA]);
	bool le = img[EI_DATA] == ELFDATA2LSB;
	unsigned int type = (unsigned int)uint_load(img + 16, 2, le),
		     machine = (unsigned int)uint_load(img + 18, 2, le);
	if (machine != EM_PPC64)
		return errorf(err, errlen, "ELF: machine %u is not 64-bit PowerPC (%d)", machine, EM_PPC64);
	if (type != ET_EXEC && type != ET_DYN)
		return errorf(err, errlen, "ELF: type %u is not an executable", type);
	uint64_t entry = uint_load(img + 24, 8, le), phoff = uint_load(img + 32, 8, le);
	unsigned int ehsize = (unsigned int)uint_load(img + 52, 2, le),
		     phentsize = (unsigned int)uint_load(img + 54, 2, le);
	unsigned int phnum = (unsigned int)uint_load(img + 56, 2, le);
	if (ehsize != EHDR_SIZE)
		return errorf(err, errlen, "ELF: header size %u, expected %d", ehsize, EHDR_SIZE);
	if (phentsize != PHDR_SIZE)
		return errorf(err, errlen, "ELF: program header size %u, expected %d", phentsize, PHDR_SIZE);
	if (phnum == 0 || phnum > MAX_PHDRS)
		return errorf(err, errlen, "ELF: %u program headers (expected 1..%d)", phnum, MAX_PHDRS);
	if (!inside(phoff, (uint64_t)phnum * PHDR_SIZE, size))
		return errorf(err, errlen, "ELF: program headers [0x%llx, +%u*%d) are outside the %llu-byte image",
			      (unsigned long long)phoff, phnum, PHDR_SIZE, (unsigned long long)size);

	plan->is_elf = true;
	plan->little_endian = le;
	plan->lowest = UINT64_MAX;
	plan->highest = 0;
	for (unsigned int i = 0; i < phnum; i++) {
		struct phdr ph;
		read_phdr(img + phoff + (uint64_t)i * PHDR_SIZE, le, &ph);
		if (ph.type == PT_LOAD && add_segment(img, size, &ph, i, load_address, mem, plan, err, errlen))
			return -1;
	}
	if (plan->nseg == 0)
		return errorf(err, errlen, "ELF: no loadable segment");
	plan->entry = (entry & ELF_ADDR_MASK) + load_address;
	for (unsigned int j = 0; j < plan->nseg; j++)
		if (plan->entry >= plan->seg[j].guest_addr &&
		    plan->entry - plan->seg[j].guest_addr < plan->seg[j].mem_size)
			return 0;
	return errorf(err, errlen, "ELF: entry 0x%llx (guest 0x%llx) is not inside a loaded segment",
		      (unsigned long long)entry, (unsigned long long)plan->entry);
}

int elf_plan(const void *image, uint64_t size, uint64_t load_address, uint64_t guest_mem_size, struct load_plan *plan,
	     char *err, size_t errlen)
{
	const uint8_t *img = image;
	memset(plan, 0, sizeof(*plan));
	if (size == 0)
		return errorf(err, errlen, "image is empty");
	if (load_address >= guest_mem_size)
		return errorf(err, errlen, "load address 0x%llx is outside guest memory (0x%llx bytes)",
			      (unsigned long long)load_address, (unsigned long long)guest_mem_size);
	if (size >= 4 && img[0] == 0x7f && img[1] == 'E' && img[2] == 'L' && img[3] == 'F') {
		/* A broken ELF is an error, never silently loaded raw. */
		if (plan_elf(img, size, load_address, guest_mem_size, plan, err, errlen)) {
			memset(plan, 0, sizeof(*plan));
			return -1;
		}
		return 0;
	}
	return plan_raw(img, size, load_address, guest_mem_size, plan, err, errlen);
}

void elf_apply(const struct load_plan *plan, void *guest_mem)
{
	uint8_t *mem = guest_mem;
	for (unsigned int i = 0; i < plan->nseg; i++) {
		const struct load_segment *s = &plan->seg[i];
		memcpy(mem + s->guest_addr, s->src, s->file_size);
		memset(mem + s->guest_addr + s->file_size, 0, s->mem_size - s->file_size);
	}
}

int initrd_place(uint64_t initrd_size, uint64_t guest_mem_size, uint64_t kernel_highest, uint64_t *addr)
{
	if (kernel_highest > UINT64_MAX - 0x1ffff)
		return -1;
	uint64_t a = (kernel_highest + 0x1ffff) & ~0xffffull;
	if (!inside(a, initrd_size, guest_mem_size))
		return -1;
	*addr = a;
	return 0;
}
