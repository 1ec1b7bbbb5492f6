#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "hv/partition.h"
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/elf_load.h"
#include "hv/guest_fdt.h"
#include "hv/log.h"
#include "hv/memory.h"
#include "hv/panic.h"
#include "hv/rtas.h"
#include "hv/nvram.h"
#include "hv/sched.h"
#include "hv/timer.h"
#include "arch/spr.h"

struct partition partitions[MAX_PARTITIONS];
unsigned int npartitions;

/* Partition table: 16 bytes per LPID; 4 KiB (PATS = 0) holds 256 LPIDs. */
#define PTAB_SIZE 4096
static uint64_t *ptab;

void ptab_cpu_init(void)
{
	mtspr(SPR_PTCR, (uint64_t)ptab);   /* PATS = 0 */
	isync();
}

static void ptab_set(unsigned int lpid, uint64_t dw0, uint64_t dw1)
{
	ptab[2 * lpid] = dw0;
	ptab[2 * lpid + 1] = dw1;
	/* Drop anything cached for this LPID (partition-scoped, all entries). */
	__asm__ volatile("ptesync; tlbie %0,%1,2,0,0; eieio; tlbsync; ptesync"
			 : : "r"(2ull << 10), "r"((uint64_t)lpid) : "memory");
}

static void tlb_invalidate(void *ctx, uint64_t rb)
{
	struct partition *p = ctx;
	__asm__ volatile("ptesync; tlbie %0,%1,0,0,0; eieio; tlbsync; ptesync"
			 : : "r"(rb), "r"((uint64_t)p->lpid) : "memory");
}

static void zero_page(void *ctx, uint64_t host_real, uint64_t size)
{
	(void)ctx;
	memset((void *)(uintptr_t)host_real, 0, size);
}

static void icache_sync(void *ctx, uint64_t host_real, uint64_t size)
{
	(void)ctx;
	for (uint64_t a = host_real; a < host_real + size; a += 128)
		__asm__ volatile("dcbst 0,%0" : : "r"(a) : "memory");
	__asm__ volatile("sync" ::: "memory");
	for (uint64_t a = host_real; a < host_real + size; a += 128)
		__asm__ volatile("icbi 0,%0" : : "r"(a) : "memory");
	__asm__ volatile("sync; isync" ::: "memory");
}

static void ptesync_hook(void *ctx)
{
	(void)ctx;
	__asm__ volatile("ptesync" ::: "memory");
}

void partition_log(const struct partition *p, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hvprint("%s: %s", p->name, msg);
}

static int fail(struct partition *p, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_error("%s: %s", p->name, msg);
	return -1;
}

/* LPCR for a hashed-page-table guest: HR=0, guest interrupts in the
 * guest's endianness, HDEC on, external interrupts to the hypervisor. */
static uint64_t guest_lpcr(bool little_endian)
{
	uint64_t lpcr = mfspr(SPR_LPCR);
	lpcr &= ~(LPCR_HR | LPCR_UPRT | LPCR_GTSE | LPCR_VPM1 | LPCR_AIL | LPCR_ILE | LPCR_LPES |
		  LPCR_MER | LPCR_LD | LPCR_VRMASD | LPCR_HVICE);
	lpcr |= LPCR_HDICE | hpt_vrma_lpcr_vrmasd(VRMA_PAGE_SHIFT);
	if (little_endian)
		lpcr |= LPCR_ILE;
	return lpcr;
}

static int load_images(struct partition *p, const struct partition_config *cfg)
{
	char err[160];
	struct load_plan plan;
	if (elf_plan(cfg->kernel.data, cfg->kernel.size, cfg->load_address, p->mem_size, &plan, err, sizeof(err)))
		return fail(p, "kernel '%s': %s", cfg->kernel.name, err);
	elf_apply(&plan, (void *)(uintptr_t)p->mem_base);
	icache_sync(NULL, p->mem_base + plan.lowest, plan.highest - plan.lowest);
	p->entry = plan.entry;
	p->little_endian = plan.little_endian;
	p->load_address = cfg->load_address;
	uint64_t top = plan.highest;
	if (cfg->has_initrd) {
		if (initrd_place(cfg->initrd.size, p->mem_size, plan.highest, &p->initrd_addr))
			return fail(p, "initrd '%s' (%llu bytes) does not fit in memory after the kernel",
				    cfg->initrd.name, (unsigned long long)cfg->initrd.size);
		p->initrd_size = cfg->initrd.size;
		memcpy(guest_ptr(p, p->initrd_addr, p->initrd_size), cfg->initrd.data, p->initrd_size);
		top = p->initrd_addr + p->initrd_size;
	}
	/* RTAS blob and the device tree go at the top of memory, like QEMU puts them high in the RMA. */
	p->rtas_base = p->mem_size - 0x10000;
	p->fdt_addr = p->mem_size - 0x10000 - GUEST_FDT_MAX;
	if (top > p->fdt_addr)
		return fail(p, "kernel and initrd end at 0x%llx, above the device tree at 0x%llx: give it more memory",
			    (unsigned long long)top, (unsigned long long)p->fdt_addr);
	uint32_t *blob = guest_ptr(p, p->rtas_base, rtas_blob_words * 4);
	memcpy(blob, rtas_blob, rtas_blob_words * 4);
	icache_sync(NULL, (uint64_t)(uintptr_t)blob, rtas_blob_words * 4);
	struct guest_fdt_params gp = {
		.name = p->name, .mem_size = p->mem_size, .hpt_shift = p->hpt.shift, .nvcpus = p->nvcpus, .tb_freq = tb_freq,
		.bootargs = cfg->bootargs, .initrd_start = p->initrd_addr, .initrd_size = p->initrd_size,
		.vty_reg = VTY_UNIT_ADDRESS, .rtas_base = p->rtas_base, .rtas_size = rtas_blob_words * 4,
		.nvram_size = PARTITION_NVRAM_SIZE,
	};
	int rc = guest_fdt_build(guest_ptr(p, p->fdt_addr, GUEST_FDT_MAX), GUEST_FDT_MAX, &gp);
	if (rc)
		return fail(p, "cannot build its device tree (libfdt error %d)", rc);
	return 0;
}

static void vcpu_init(struct partition *p, struct vcpu *v, unsigned int id)
{
	unsigned int thread = v->thread;      /* the pinning survives a reboot */
	memset(v, 0, sizeof(*v));
	v->thread = thread;
	v->needs_load = true;
	v->part = p;
	v->id = id;
	v->msr = MSR_SF | MSR_ME | (p->little_endian ? MSR_LE : 0);
	v->dec_expires = tb_now() + 0x7fffffff;
	v->state = VCPU_STOPPED;
	if (id == 0) {
		/* As QEMU pseries enters a -kernel: r3 = FDT, r4 = load address, r5 = 0. */
		v->nip = p->entry;
		v->gpr[3] = p->fdt_addr;
		v->gpr[4] = p->load_address;
		v->state = VCPU_RUNNABLE;
	}
}

/* Everything a fresh start needs: zeroed memory, an empty HPT with its VRMA,
 * the images and device tree, a reset interrupt controller and vCPUs. */
int partition_boot(struct partition *p)
{
	const struct partition_config *cfg = p->cfg;
	uint64_t hpt_mem = p->hpt_mem;
	unsigned int shift = p->hpt_shift;
	/* A partition never sees what the memory held before. */
	memset((void *)(uintptr_t)p->mem_base, 0, p->mem_size);

	if (hpt_init(&p->hpt, (void *)(uintptr_t)hpt_mem, shift, p->hpt_owned, p->mem_size, p->mem_base))
		return fail(p, "cannot set up a 2^%u byte HPT", shift);
	p->hpt.ctx = p;
	p->hpt.tlb_invalidate = tlb_invalidate;
	p->hpt.zero_page = zero_page;
	p->hpt.icache_sync = icache_sync;
	p->hpt.ptesync = ptesync_hook;
	long rc = hpt_install_vrma(&p->hpt, p->mem_size, VRMA_PAGE_SHIFT);
	if (rc)
		return fail(p, "cannot map its real-mode area (%ld)", rc);

	if (load_images(p, cfg))
		return -1;
	p->lpcr = guest_lpcr(p->little_endian);
	ptab_set(p->lpid, hpt_mem | (shift - 18) | hpt_vrma_ps_bits(VRMA_PAGE_SHIFT), 0);

	xics_init(&p->xics, p->nvcpus);
	for (unsigned int i = 0; i < p->nvcpus; i++)
		vcpu_init(p, &p->vcpus[i], i);
	p->rtc_offset = 0;
	p->boots++;
	p->reboot_requested = false;
	p->stop_reason[0] = '\0';
	__atomic_store_n(&p->state, PART_RUNNING, __ATOMIC_RELEASE);
	return 0;
}

int partition_create(const struct partition_config *cfg, const struct hv_config *hv)
{
	(void)hv;
	if (!ptab) {
		ptab = (uint64_t *)(uintptr_t)hv_alloc_pages(PTAB_SIZE, PTAB_SIZE);
		if (!ptab)
			panic("partition: no memory for the partition table");
		memset(ptab, 0, PTAB_SIZE);
		ptab_cpu_init();
	}
	struct partition *p = &partitions[npartitions];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", cfg->name);
	p->index = npartitions;
	p->lpid = npartitions + 1;     /* LPID 0 stays the hypervisor's */
	p->mem_size = cfg->memory;
	p->nvcpus = cfg->vcpus;

	unsigned int shift = cfg->hpt_shift ? cfg->hpt_shift : hpt_default_shift(cfg->memory);
	uint64_t hpt_bytes = 1ull << shift, owned_bytes = ((hpt_bytes / 16) + 7) / 8;
	p->mem_base = hv_alloc_pages(p->mem_size, 16 << 20);
	uint64_t hpt_mem = hv_alloc_pages(hpt_bytes, hpt_bytes);
	uint64_t owned = hv_alloc_pages(owned_bytes, 4096);
	p->vcpus = (struct vcpu *)(uintptr_t)hv_alloc_pages(p->nvcpus * sizeof(struct vcpu), 4096);
	p->nvram = (uint8_t *)(uintptr_t)hv_alloc_pages(PARTITION_NVRAM_SIZE, 4096);
	if (!p->mem_base || !hpt_mem || !owned || !p->vcpus || !p->nvram)
		return fail(p, "not enough memory for %llu MiB of guest memory and a %llu KiB HPT",
			    (unsigned long long)(p->mem_size >> 20), (unsigned long long)(hpt_bytes >> 10));
	nvram_format(p->nvram, PARTITION_NVRAM_SIZE);
	p->cfg = cfg;
	p->hpt_mem = hpt_mem;
	p->hpt_shift = shift;
	p->hpt_owned = (uint8_t *)(uintptr_t)owned;
	if (partition_boot(p))
		return -1;
	npartitions++;
	log_info("%s: %llu MiB at 0x%llx, HPT %llu KiB at 0x%llx, LPID %u, %u vCPUs, %s kernel entry 0x%llx%s",
		 p->name, (unsigned long long)(p->mem_size >> 20), (unsigned long long)p->mem_base,
		 (unsigned long long)(hpt_bytes >> 10), (unsigned long long)hpt_mem, p->lpid, p->nvcpus,
		 p->little_endian ? "little-endian" : "big-endian", (unsigned long long)p->entry,
		 p->initrd_size ? ", initrd" : "");
	return 0;
}

void partition_stop(struct partition *p, const char *fmt, ...)
{
	if (__atomic_exchange_n(&p->state, PART_STOPPED, __ATOMIC_ACQ_REL) == PART_STOPPED)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->stop_reason, sizeof(p->stop_reason), fmt, ap);
	va_end(ap);
	for (unsigned int i = 0; i < p->nvcpus; i++) {
		p->vcpus[i].stop_requested = true;
		sched_kick(&p->vcpus[i]);
	}
	uint64_t exits, hcalls, irqs;
	partition_totals(p, &exits, &hcalls, &irqs);
	partition_log(p, "stopped: %s", p->stop_reason);
	partition_log(p, "ran %llu exits, %llu hcalls, %llu interrupts delivered", (unsigned long long)exits,
		      (unsigned long long)hcalls, (unsigned long long)irqs);
}

void partition_request_reboot(struct partition *p, const char *why)
{
	p->reboot_requested = true;
	partition_stop(p, "%s", why);
}

void partition_totals(const struct partition *p, uint64_t *exits, uint64_t *hcalls, uint64_t *irqs)
{
	*exits = *hcalls = *irqs = 0;
	for (unsigned int i = 0; i < p->nvcpus; i++) {
		*exits += p->vcpus[i].exits;
		*hcalls += p->vcpus[i].hcalls;
		*irqs += p->vcpus[i].interrupts;
	}
}

bool partition_busy(const struct partition *p)
{
	for (unsigned int i = 0; i < p->nvcpus; i++)
		if (p->vcpus[i].in_guest)
			return true;
	return false;
}

void vty_input(struct partition *p, const char *buf, unsigned int len)
{
	spin_lock(&p->vty.lock);
	for (unsigned int i = 0; i < len; i++) {
		unsigned int next = (p->vty.in_head + 1) % sizeof(p->vty.in);
		if (next == p->vty.in_tail)
			break;                  /* full: the guest is not reading; drop */
		p->vty.in[p->vty.in_head] = buf[i];
		p->vty.in_head = next;
	}
	spin_unlock(&p->vty.lock);
}

unsigned int vty_read(struct partition *p, char *buf, unsigned int max)
{
	unsigned int n = 0;
	spin_lock(&p->vty.lock);
	while (n < max && p->vty.in_tail != p->vty.in_head) {
		buf[n++] = p->vty.in[p->vty.in_tail];
		p->vty.in_tail = (p->vty.in_tail + 1) % sizeof(p->vty.in);
	}
	spin_unlock(&p->vty.lock);
	return n;
}

unsigned int partitions_running(void)
{
	unsigned int n = 0;
	for (unsigned int i = 0; i < npartitions; i++)
		n += partitions[i].state == PART_RUNNING;
	return n;
}
