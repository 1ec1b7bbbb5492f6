/*
 * Partitions: a guest's memory, its hashed page table (in hypervisor
 * memory, never mapped into any guest), its partition-table entry, its
 * vCPUs and its pseries platform state (interrupt controller, console,
 * NVRAM).
 */
#ifndef HV_PARTITION_H
#define HV_PARTITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arch/vectors.h"
#include "hv/config/config.h"
#include "hv/lib/mmio_bus.h"
#include "hv/lib/spinlock.h"
#include "hv/mm/hpt.h"
#include "hv/papr/phb.h"
#include "hv/papr/vty.h"
#include "hv/papr/xics.h"
#include "hv/vcpu.h"
#include "papr.h"

#define MAX_PARTITIONS            CONFIG_MAX_PARTITIONS
#define VTY_UNIT_ADDRESS          0x30000000u /* the vty's reg, as on QEMU pseries */
#define VRMA_PAGE_SHIFT           24          /* guest real mode through 16 MiB pages */
#define PARTITION_NVRAM_SIZE      (64 * 1024)
#define PARTITION_REBOOT_BURST    8
#define PARTITION_REBOOT_WINDOW_S 60
#define PARTITION_RESTART_CHUNK   (16ull << 20) /* memory one restart step clears */

enum partition_state { PART_EMPTY, PART_RUNNING, PART_STOPPED };

struct partition {
	char name[16];
	unsigned int index;
	unsigned int lpid;
	volatile enum partition_state state;
	char stop_reason[128];

	uint64_t mem_base; /* host real address of guest real 0 */
	uint64_t mem_size;
	struct spinlock hpt_lock; /* every HPT hcall holds it */
	struct hpt hpt;
	uint64_t hpt_mem; /* the table's memory, kept across reboots */
	unsigned int hpt_shift;
	uint8_t *hpt_owned;
	uint64_t lpcr; /* LPCR while its vCPUs run */

	struct vcpu *vcpus;
	unsigned int nvcpus;
	struct spinlock xics_lock;
	struct xics xics; /* its interrupt controller */
	struct vty vty;
	/* Emulated device registers: accesses trapped through absent HPT
	 * entries (hv/storage_exits.c) go to the regions on this bus. */
	struct spinlock mmio_lock;
	struct mmio_bus mmio;
	struct phb *phb[PHB_MAX]; /* its PCI host bridges, where it has devices (hv/pci_host.h) */
	struct spinlock irq_lock; /* device interrupt state: MSI-X tables, INTx */
	uint64_t mmio_emulated, mmio_refused;
	bool mmio_refusal_logged;

	uint64_t entry, load_address, fdt_addr, initrd_addr, initrd_size;
	bool little_endian;
	uint64_t rtas_base;
	int64_t rtc_offset; /* seconds set-time-of-day moved its clock */
	/* FWNMI (ibm,nmi-register): its vectors, and the vCPU whose machine
	 * check is being handled (-1: none) until ibm,nmi-interlock. */
	bool fwnmi;
	uint64_t fwnmi_sreset, fwnmi_mce;
	volatile int mce_interlock;

	const struct partition_config *cfg;
	uint8_t *nvram;                 /* PARTITION_NVRAM_SIZE bytes, kept across reboots */
	volatile bool reboot_requested; /* its vCPU 0 restarts it (partition_restart_step) */
	uint64_t boots;
	uint64_t zeroed;              /* bytes of memory a restart has cleared so far */
	uint64_t reboot_window_start; /* when the current burst of guest reboots began */
	unsigned int reboots_in_window;

	uint64_t exits_by_vector[VEC_SLOTS]; /* index VEC_SLOT(vector) */
	uint8_t unhandled_logged[VEC_SLOTS]; /* an exit nothing handles is logged once per vector */
};

extern struct partition partitions[MAX_PARTITIONS];
extern unsigned int npartitions;

/* Creates and loads partition i of the bundle, with its devices; on error
 * logs one line and returns -1. */
int partition_create(const struct hv_config *config, unsigned int i);
/* Loads (or reloads) p's memory, HPT, images and vCPUs from its configuration. */
int partition_boot(struct partition *p);
/* Asks for p to be stopped and booted again: by the guest (RTAS
 * system-reboot; a loop of those is held after PARTITION_REBOOT_BURST in
 * PARTITION_REBOOT_WINDOW_S seconds) or by the operator. */
void partition_request_reboot(struct partition *p, const char *why, bool by_operator);
/* One bounded step of p's restart, run by its vCPU 0's thread: waits for
 * the other vCPUs to leave their threads, clears the memory a chunk at a
 * time, then boots. */
void partition_restart_step(struct partition *p);
/* Whether some partition waits for its restart. */
bool partitions_rebooting(void);
/* Whether any vCPU of p is still inside the guest. */
bool partition_busy(const struct partition *p);
/* Its vCPUs' exits, hcalls and delivered interrupts, summed. */
void partition_totals(const struct partition *p, uint64_t *exits, uint64_t *hcalls, uint64_t *irqs);

/* Changes the mask bits of p's LPCR to value for all its vCPUs: this
 * thread at once, the others (kicked) before they next enter the guest. */
void partition_set_lpcr(struct partition *p, uint64_t mask, uint64_t value);
/* Stops every vCPU of p and says why, once; other partitions keep running. */
void partition_stop(struct partition *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
unsigned int partitions_running(void);

/* Guest-real [gpa, gpa+len) as a hypervisor pointer, or NULL if any byte is outside p's memory. */
static inline void *guest_ptr(const struct partition *p, uint64_t gpa, uint64_t len)
{
	if (gpa >= p->mem_size || len > p->mem_size - gpa)
		return NULL;
	return (void *)(uintptr_t)(p->mem_base + gpa);
}

/* vCPU id of p, or NULL when p has no such vCPU. */
static inline struct vcpu *partition_vcpu(const struct partition *p, uint64_t id)
{
	return id < p->nvcpus ? &p->vcpus[id] : NULL;
}

/* Asks for a system reset of v (H_SIGNAL_SYS_RESET, the monitor's nmi):
 * delivered before it next runs. */
void vcpu_request_sreset(struct vcpu *v);

/* Writes one line of console output, prefixed with the partition's name. */
void partition_log(const struct partition *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
