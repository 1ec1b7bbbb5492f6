/*
 * An NVMe controller driver, portable: every touch of the machine (its
 * registers, DMA mappings, memory, time, the current thread) goes through
 * struct nvme_ops, so the same code runs on a POWER9 board through OPAL
 * (drivers/nvme/nvme_pci.c) and on the build machine against a model
 * controller (tests/unit/drivers/nvme).
 *
 * One I/O queue pair per hypervisor thread that issues I/O, as many as the
 * controller grants (threads share them round-robin beyond that), each with
 * its own lock; completion by polling; each namespace is a block device
 * (drivers/block/blockdev.h) named "nvme<C>n<N>".
 *
 * Faults end in a clean state, never a hang: every wait is bounded (CAP.TO
 * for enable and shutdown, io_timeout_us per command); a command that
 * times out is aborted, and if that does not answer the controller is
 * reset, its requests completing with an error; a controller that does
 * not come back, or reports a fatal status, fails its namespaces.
 */
#ifndef DRIVERS_NVME_NVME_H
#define DRIVERS_NVME_NVME_H

#include <stdbool.h>
#include <stdint.h>
#include "drivers/block/blockdev.h"
#include "hv/lib/spinlock.h"

#define NVME_MAX_IOQ      64
#define NVME_MAX_NS       8
#define NVME_IO_DEPTH     64 /* entries per I/O queue (a slot stays free: depth-1 in flight) */
#define NVME_ADMIN_DEPTH  16
#define NVME_PAGE         4096u
#define NVME_MAX_TRANSFER (1u << 20) /* our own cap on one command, MDTS permitting */
#define NVME_MAX_CMD_MAPS BLK_MAX_SEGS

struct nvme_ops {
	void *ctx;
	uint32_t (*read32)(void *ctx, uint32_t reg);
	void (*write32)(void *ctx, uint32_t reg, uint32_t val);
	/* Zeroed memory, aligned to align; the address is both the pointer and
	 * the real address given to dma_map. NULL when out of memory. */
	void *(*alloc)(void *ctx, uint64_t size, uint64_t align);
	int (*dma_map)(void *ctx, uint64_t addr, uint64_t len, bool device_writes, uint64_t *bus);
	void (*dma_unmap)(void *ctx, uint64_t bus, uint64_t len);
	void (*dma_sync)(void *ctx); /* after unmaps: the device has forgotten them */
	uint64_t (*now_us)(void *ctx);
	void (*delay_us)(void *ctx, uint64_t us);
	unsigned int (*thread_index)(void *ctx);
	/* All-ones from a register: is the device frozen (EEH)? Thaws it if it
	 * can; true when the device may answer again. NULL: never frozen. */
	bool (*recover)(void *ctx);
};

struct nvme_map {
	uint64_t bus;
	uint32_t len;
};

struct nvme_cmd {
	bool in_use, aborted, admin_sync;
	uint8_t opcode;
	uint64_t deadline_us;
	struct blk_request *req;
	uint8_t *prp_list;
	uint64_t prp_list_bus;
	struct nvme_map *maps;
	uint16_t nmaps;
	/* admin_sync commands: */
	volatile bool done;
	uint16_t status;
	uint32_t result;
};

struct nvme_queue {
	uint16_t qid, depth;
	uint8_t *sq, *cq;
	uint64_t sq_bus, cq_bus;
	uint16_t sq_tail, sq_head, cq_head, next_cid;
	uint8_t phase;
	uint16_t inflight;
	struct nvme_cmd *cmds;
	struct spinlock lock;
	uint64_t last_timeout_scan_us;
};

struct nvme_ctrl;

struct nvme_ns {
	struct blockdev bd;
	struct nvme_ctrl *ctrl;
	uint32_t nsid;
};

enum nvme_state { NVME_OFF, NVME_LIVE, NVME_RESETTING, NVME_FAILED };

struct nvme_stats {
	uint64_t commands, timeouts, aborts, resets, bad_completions, errors, map_failures;
};

struct nvme_ctrl {
	char name[16];
	struct nvme_ops ops;
	enum nvme_state state;
	uint64_t cap;
	uint32_t vs;
	uint64_t enable_timeout_us;
	uint64_t io_timeout_us, admin_timeout_us;
	uint32_t max_transfer; /* bytes per command */
	uint16_t oncs;
	bool volatile_cache;
	char model[41], serial[21], firmware[9];
	uint32_t nn;
	struct nvme_queue admin;
	struct nvme_queue io[NVME_MAX_IOQ];
	unsigned int nioq, wanted_ioq;
	struct nvme_ns ns[NVME_MAX_NS];
	unsigned int nns;
	struct spinlock reset_lock;
	volatile bool reset_pending;
	const char *reset_reason;
	uint8_t *scratch; /* one page for Identify and DSM ranges */
	uint64_t scratch_bus;
	uint8_t *log; /* one page for log pages asked at run time */
	uint64_t log_bus;
	struct spinlock log_lock;
	struct nvme_stats stats;
};

/* Sets up c (nothing touches the device yet). wanted_ioq: I/O queue pairs
 * to ask for (the number of threads that issue I/O). */
void nvme_ctrl_init(struct nvme_ctrl *c, const char *name, const struct nvme_ops *ops, unsigned int wanted_ioq);
/* Resets and enables the controller, identifies it and its namespaces,
 * creates the I/O queues. 0, or -1 after one log line (state FAILED). */
int nvme_ctrl_start(struct nvme_ctrl *c);
/* CC.SHN and a bounded wait for SHST: the drive is consistent. */
void nvme_ctrl_shutdown(struct nvme_ctrl *c);
/* The SMART / Health log's wear figures (Get Log Page, waited for). */
int nvme_ctrl_health(struct nvme_ctrl *c, struct blk_health *h);
/* Disables, fails what is in flight (BLK_ECANCELED), enables again. */
int nvme_ctrl_reset(struct nvme_ctrl *c, const char *why);
/* Polls every queue (completions, timeouts, a pending reset). */
unsigned int nvme_ctrl_poll(struct nvme_ctrl *c);

/* For tests and diagnostics: one I/O command with the caller's own PRPs
 * (device addresses), run to its end on the first I/O queue; its status,
 * or -1 when it did not complete. */
int nvme_ctrl_raw_io(struct nvme_ctrl *c, uint8_t opcode, uint32_t nsid, uint64_t lba, uint32_t nblocks, uint64_t prp1,
		     uint64_t prp2);

/* Parses one completion entry as the driver does (for the fuzzer). */
struct nvme_cqe_view {
	uint16_t cid, sqid, sqhd, status;
	uint32_t result;
	bool phase;
};
void nvme_cqe_decode(const uint8_t *cqe, struct nvme_cqe_view *v);
/* Fills PRP1/PRP2 (and the list page) for maps[0..n); -1 if the pieces
 * break the PRP rules (an inner boundary not on a page) or need more than
 * one list page. */
int nvme_build_prps(const struct nvme_map *maps, unsigned int n, uint8_t *list, uint64_t list_bus, uint64_t *prp1,
		    uint64_t *prp2);

#endif
