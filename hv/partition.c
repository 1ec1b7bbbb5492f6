#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "hv/partition.h"
#include "hv/cpu.h"
#include "hv/devices.h"
#include "hv/arch/ptab.h"
#include "hv/lib/log.h"
#include "hv/mm/memory.h"
#include "hv/papr/boot_image.h"
#include "hv/papr/nvram.h"
#include "drivers/timebase.h"
#include "arch/cache.h"
#include "arch/spr.h"

struct partition partitions[MAX_PARTITIONS];
unsigned int npartitions;

static void vlog_prefixed(const struct partition *p, int level, const char *fmt, va_list ap)
{
	char prefix[sizeof(p->name) + 2];
	snprintf(prefix, sizeof(prefix), "%s: ", p->name);
	if (level < 0)
		hvprintv(prefix, fmt, ap);
	else
		hvlogv((enum log_level)level, prefix, fmt, ap);
}

void partition_log(const struct partition *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog_prefixed(p, -1, fmt, ap);
	va_end(ap);
}

static int fail(struct partition *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct partition *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog_prefixed(p, LOG_ERROR, fmt, ap);
	va_end(ap);
	return -1;
}

/* The vty's line sink: one console line per guest line. */
static void console_line(void *ctx, const char *line)
{
	partition_log(ctx, "%s", line);
}

/* LPCR for a hashed-page-table guest: HR=0, HDEC on, external interrupts
 * to the hypervisor, the large decrementer (ibm,dec-bits = 56, as QEMU
 * pseries gives POWER9 guests), interrupts big-endian until the guest asks
 * for little-endian ones with H_SET_MODE (as on QEMU pseries, ILE = 0). */
static uint64_t guest_lpcr(void)
{
	uint64_t lpcr = this_cpu()->hv_lpcr;
	lpcr &= ~(LPCR_HR | LPCR_UPRT | LPCR_GTSE | LPCR_VPM1 | LPCR_AIL | LPCR_ILE | LPCR_LPES | LPCR_MER |
		  LPCR_VRMASD | LPCR_HVICE);
	lpcr |= LPCR_HDICE | LPCR_LD | hpt_vrma_lpcr_vrmasd(VRMA_PAGE_SHIFT);
	return lpcr;
}

static int load_images(struct partition *p)
{
	char err[200];
	struct boot_image img;
	struct guest_fdt_params gp = {
		.name = p->name,
		.mem_size = p->mem_size,
		.hpt_shift = p->hpt.shift,
		.nvcpus = p->nvcpus,
		.tb_freq = tb_freq,
		.bootargs = p->cfg->bootargs,
		.vty_reg = VTY_UNIT_ADDRESS,
		.nvram_size = PARTITION_NVRAM_SIZE,
	};
	for (unsigned int i = 0; i < PHB_MAX; i++)
		gp.phb[i] = p->phb[i];
	if (boot_image_load((void *)(uintptr_t)p->mem_base, p->mem_size, p->cfg, &gp, &img, err, sizeof(err)))
		return fail(p, "%s", err);
	icache_sync_range(p->mem_base + img.code_start, img.code_end - img.code_start);
	icache_sync_range(p->mem_base + img.rtas_base, GUEST_RTAS_AREA);
	p->entry = img.entry;
	p->little_endian = img.little_endian;
	p->load_address = img.load_address;
	p->initrd_addr = img.initrd_addr;
	p->initrd_size = img.initrd_size;
	p->rtas_base = img.rtas_base;
	p->fdt_addr = img.fdt_addr;
	return 0;
}

/* Everything a fresh start needs once the memory is clear: an empty HPT
 * with its VRMA, the images and device tree, a reset interrupt controller
 * and vCPUs. */
static int boot_cleared(struct partition *p)
{
	if (hpt_init(&p->hpt, (void *)(uintptr_t)p->hpt_mem, p->hpt_shift, p->hpt_owned, p->mem_size, p->mem_base))
		return fail(p, "cannot set up a 2^%u byte HPT", p->hpt_shift);
	ptab_attach_hpt(&p->hpt, p->lpid);
	long rc = hpt_install_vrma(&p->hpt, p->mem_size, VRMA_PAGE_SHIFT);
	if (rc)
		return fail(p, "cannot map its real-mode area (%ld)", rc);

	if (load_images(p))
		return -1;
	p->lpcr = guest_lpcr();
	devices_event(p, DEVICES_BOOTING);
	ptab_set(p->lpid, p->hpt_mem | (p->hpt_shift - 18) | hpt_vrma_ps_bits(VRMA_PAGE_SHIFT), 0);

	xics_init(&p->xics, p->nvcpus);
	for (unsigned int i = 0; i < p->nvcpus; i++)
		vcpu_reset(&p->vcpus[i], p, i);
	/* As QEMU pseries enters a -kernel: r3 = FDT, r4 = load address, r5 = 0. */
	p->vcpus[0].gpr[4] = p->load_address;
	vcpu_start(&p->vcpus[0], p->entry, p->fdt_addr);
	p->rtc_offset = 0;
	p->fwnmi = false;
	p->mce_interlock = -1;
	p->boots++;
	p->stop_reason[0] = '\0';
	p->reboot_requested = false;
	__atomic_store_n(&p->state, PART_RUNNING, __ATOMIC_RELEASE);
	devices_event(p, DEVICES_STARTED);
	return 0;
}

int partition_boot(struct partition *p)
{
	/* A partition never sees what the memory held before. */
	memset((void *)(uintptr_t)p->mem_base, 0, p->mem_size);
	return boot_cleared(p);
}

void partition_restart_step(struct partition *p)
{
	if (p->zeroed == 0) {
		for (unsigned int i = 0; i < p->nvcpus; i++)
			if (p->vcpus[i].in_guest || p->vcpus[i].dispatched || p->vcpus[i].loaded)
				return; /* kicked: their threads put them away soon */
	}
	if (p->zeroed < p->mem_size) {
		uint64_t n = p->mem_size - p->zeroed < PARTITION_RESTART_CHUNK ? p->mem_size - p->zeroed
									       : PARTITION_RESTART_CHUNK;
		memset((void *)(uintptr_t)(p->mem_base + p->zeroed), 0, n);
		p->zeroed += n;
		return;
	}
	p->zeroed = 0;
	if (boot_cleared(p)) {
		p->reboot_requested = false;
		log_error("%s: restart failed; it stays stopped", p->name);
		return;
	}
	partition_log(p, "restarted (boot %llu)", (unsigned long long)p->boots);
}

int partition_create(const struct hv_config *config, unsigned int index)
{
	const struct partition_config *cfg = &config->part[index];
	if (ptab_init()) {
		log_error("partition: no memory for the partition table");
		return -1;
	}
	struct partition *p = &partitions[npartitions];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", cfg->name);
	p->index = npartitions;
	p->lpid = npartitions + 1; /* LPID 0 stays the hypervisor's */
	p->mem_size = cfg->memory;
	p->nvcpus = cfg->vcpus;
	vty_init(&p->vty, console_line, p);

	unsigned int shift = cfg->hpt_shift;
	uint64_t hpt_bytes = 1ull << shift, owned_bytes = ((hpt_bytes / 16) + 7) / 8;
	p->mem_base = hv_alloc_pages(p->mem_size, 16 << 20);
	uint64_t hpt_mem = hv_alloc_pages(hpt_bytes, hpt_bytes);
	uint64_t owned = hv_alloc_pages(owned_bytes, 4096);
	p->vcpus = (struct vcpu *)(uintptr_t)hv_alloc_pages(p->nvcpus * sizeof(struct vcpu), 4096);
	p->nvram = (uint8_t *)(uintptr_t)hv_alloc_pages(PARTITION_NVRAM_SIZE, 4096);
	if (!p->mem_base || !hpt_mem || !owned || !p->vcpus || !p->nvram)
		return fail(p, "not enough memory for %llu MiB of guest memory and a %llu KiB HPT",
			    (unsigned long long)(p->mem_size >> 20), (unsigned long long)(hpt_bytes >> 10));
	memset(p->vcpus, 0, p->nvcpus * sizeof(struct vcpu));
	nvram_format(p->nvram, PARTITION_NVRAM_SIZE);
	p->cfg = cfg;
	p->hpt_mem = hpt_mem;
	p->hpt_shift = shift;
	p->hpt_owned = (uint8_t *)(uintptr_t)owned;
	if (devices_attach(p, config) || partition_boot(p))
		return -1;
	npartitions++;
	log_info("%s: %llu MiB at 0x%llx, HPT %llu KiB at 0x%llx, LPID %u, %u vCPUs, %s kernel entry 0x%llx%s", p->name,
		 (unsigned long long)(p->mem_size >> 20), (unsigned long long)p->mem_base,
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
		vcpu_kick(&p->vcpus[i]);
	}
	devices_event(p, DEVICES_STOPPED);
	uint64_t exits, hcalls, irqs;
	partition_totals(p, &exits, &hcalls, &irqs);
	partition_log(p, "stopped: %s", p->stop_reason);
	partition_log(p, "ran %llu exits, %llu hcalls, %llu interrupts delivered", (unsigned long long)exits,
		      (unsigned long long)hcalls, (unsigned long long)irqs);
}

void vcpu_request_sreset(struct vcpu *v)
{
	if (v->state == VCPU_STOPPED)
		return; /* not started: nothing to reset */
	v->sreset_pending = true;
	vcpu_kick(v);
}

void partition_set_lpcr(struct partition *p, uint64_t mask, uint64_t value)
{
	p->lpcr = (p->lpcr & ~mask) | (value & mask);
	mtspr(SPR_LPCR, p->lpcr);
	isync();
	for (unsigned int i = 0; i < p->nvcpus; i++)
		vcpu_kick(&p->vcpus[i]);
}

void partition_request_reboot(struct partition *p, const char *why, bool by_operator)
{
	uint64_t now = tb_now();
	if (by_operator || now - p->reboot_window_start > us_to_tb(PARTITION_REBOOT_WINDOW_S * 1000000ull)) {
		p->reboot_window_start = now;
		p->reboots_in_window = 0;
	}
	if (!by_operator && ++p->reboots_in_window > PARTITION_REBOOT_BURST) {
		partition_stop(p, "reboot loop: %u reboots in %u s; held until 'restart %s' in the monitor",
			       PARTITION_REBOOT_BURST, PARTITION_REBOOT_WINDOW_S, p->name);
		return;
	}
	p->zeroed = 0;
	p->reboot_requested = true;
	partition_stop(p, "%s", why);
	vcpu_kick(&p->vcpus[0]); /* its thread does the work */
}

bool partitions_rebooting(void)
{
	for (unsigned int i = 0; i < npartitions; i++)
		if (partitions[i].reboot_requested)
			return true;
	return false;
}

void partition_totals(const struct partition *p, uint64_t *exits, uint64_t *hcalls, uint64_t *irqs)
{
	*exits = *hcalls = *irqs = 0;
	for (unsigned int i = 0; i < p->nvcpus; i++) {
		*exits += p->vcpus[i].exits;
		*hcalls += vcpu_hcalls(&p->vcpus[i]);
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

unsigned int partitions_running(void)
{
	unsigned int n = 0;
	for (unsigned int i = 0; i < npartitions; i++)
		n += partitions[i].state == PART_RUNNING;
	return n;
}
