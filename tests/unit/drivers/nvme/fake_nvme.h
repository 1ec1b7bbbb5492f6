/*
 * A model NVMe controller for host tests of drivers/nvme: registers,
 * admin and I/O queues in the driver's memory (reached through the
 * driver's DMA mappings, which it checks), a namespace in RAM, and knobs
 * for the faults a real drive can show.
 */
#ifndef TESTS_FAKE_NVME_H
#define TESTS_FAKE_NVME_H

#include <stdbool.h>
#include <stdint.h>
#include "drivers/nvme/nvme.h"

#define FAKE_MAX_Q    8
#define FAKE_MAX_MAPS 4096
#define FAKE_BUS_OFF  0x4000000000000000ull /* bus = address + this: catches a driver that mixes them */

struct fake_q {
	bool live;
	uint64_t base;
	uint16_t size, head, tail, cqid;
	uint8_t phase;
};

struct fake_held {
	bool live;
	uint16_t sqid, cid;
	uint8_t opcode;
};

struct fake_nvme {
	/* registers */
	uint32_t cc, csts, aqa;
	uint64_t asq, acq;
	/* geometry and identity */
	uint64_t nsze;
	unsigned int lbads, mdts, max_queues, cap_to;
	uint8_t percent_used, spare, spare_threshold; /* its SMART / Health log */
	unsigned int log_pages;                       /* Get Log Page commands seen */
	uint8_t *data;
	/* queues: sq[0]/cq[0] admin */
	struct fake_q sq[FAKE_MAX_Q], cq[FAKE_MAX_Q];
	/* faults */
	bool never_ready, cfs_on_enable, dead, ignore_abort, never_shutdown;
	bool frozen; /* dead until recover() (the driver's EEH thaw) */
	unsigned int recoveries;
	int hold_opcode; /* -1: none; else I/O commands with this opcode get no answer */
	unsigned int hold_count;
	struct fake_held held[64];
	/* what happened */
	unsigned int flushes, commands, aborts_seen, enables, shutdowns, bad_dma;
	uint64_t last_fua_writes;
	/* the driver's DMA mappings */
	struct {
		uint64_t bus, len;
		bool device_writes;
	} maps[FAKE_MAX_MAPS];
	unsigned int nmaps, syncs;
	/* the driver's memory, freed by fake_nvme_free */
	void *allocs[512];
	unsigned int nallocs;
	/* time */
	uint64_t now_us;
	unsigned int thread;
};

void fake_nvme_init(struct fake_nvme *f, uint64_t nsze, unsigned int lbads);
void fake_nvme_free(struct fake_nvme *f);
/* Driver ops bound to f. */
struct nvme_ops fake_nvme_ops(struct fake_nvme *f);
/* Answers the held commands now (status 0) or with abort status. */
void fake_nvme_release_held(struct fake_nvme *f);
/* Posts a raw completion entry on CQ qid (for broken-device tests). */
void fake_nvme_post_raw(struct fake_nvme *f, unsigned int qid, const uint8_t cqe[16]);
/* Live mappings the driver holds. */
unsigned int fake_nvme_live_maps(const struct fake_nvme *f);

#endif
