#include <stdlib.h>
#include <string.h>
#include "tests/unit/drivers/nvme/fake_nvme.h"
#include "drivers/nvme/nvme_defs.h"
#include "hv/lib/bytes.h"

void fake_nvme_init(struct fake_nvme *f, uint64_t nsze, unsigned int lbads)
{
	memset(f, 0, sizeof(*f));
	f->nsze = nsze;
	f->lbads = lbads;
	f->mdts = 5; /* 128 KiB */
	f->max_queues = 4;
	f->cap_to = 2; /* 1 s */
	f->hold_opcode = -1;
	f->data = calloc(1, nsze << lbads);
}

void fake_nvme_free(struct fake_nvme *f)
{
	free(f->data);
	f->data = NULL;
	for (unsigned int i = 0; i < f->nallocs; i++)
		free(f->allocs[i]);
	f->nallocs = 0;
}

unsigned int fake_nvme_live_maps(const struct fake_nvme *f)
{
	return f->nmaps;
}

/* The driver's memory at bus, if [bus, bus+len) is inside one live mapping
 * allowing the access; NULL (and counted) otherwise. */
static uint8_t *dma(struct fake_nvme *f, uint64_t bus, uint64_t len, bool write)
{
	for (unsigned int i = 0; i < f->nmaps; i++)
		if (bus >= f->maps[i].bus && bus + len <= f->maps[i].bus + f->maps[i].len &&
		    (!write || f->maps[i].device_writes))
			return (uint8_t *)(uintptr_t)(bus - FAKE_BUS_OFF);
	f->bad_dma++;
	return NULL;
}

static void post(struct fake_nvme *f, unsigned int sqid, uint16_t cid, uint16_t status, uint32_t result)
{
	struct fake_q *sq = &f->sq[sqid], *cq = &f->cq[sq->cqid];
	uint8_t *e = dma(f, cq->base + (uint64_t)cq->tail * 16, 16, true);
	if (!e)
		return;
	le32_store(e, result);
	le32_store(e + 4, 0);
	le32_store(e + 8, (uint32_t)sq->head | (uint32_t)sqid << 16);
	le32_store(e + 12, (uint32_t)cid | (uint32_t)cq->phase << 16 | (uint32_t)status << 17);
	if (++cq->tail == cq->size) {
		cq->tail = 0;
		cq->phase ^= 1;
	}
}

void fake_nvme_post_raw(struct fake_nvme *f, unsigned int qid, const uint8_t cqe[16])
{
	struct fake_q *cq = &f->cq[qid];
	uint8_t *e = dma(f, cq->base + (uint64_t)cq->tail * 16, 16, true);
	if (!e)
		return;
	memcpy(e, cqe, 16);
	if (++cq->tail == cq->size) {
		cq->tail = 0;
		cq->phase ^= 1;
	}
}

/* Copies between the namespace and the PRP-described memory. */
static int transfer(struct fake_nvme *f, const uint8_t *sqe, uint64_t off, uint64_t len, bool to_host)
{
	uint64_t prp1 = le64_load(sqe + 24), prp2 = le64_load(sqe + 32);
	uint64_t first = 4096 - (prp1 & 4095);
	if (first > len)
		first = len;
	uint64_t pages_after = (len - first + 4095) / 4096, done = 0;
	for (uint64_t k = 0; done < len; k++) {
		uint64_t addr;
		if (k == 0)
			addr = prp1;
		else if (pages_after == 1)
			addr = prp2;
		else {
			uint8_t *list = dma(f, prp2 + 8 * (k - 1), 8, false);
			if (!list)
				return -1;
			addr = le64_load(list);
		}
		uint64_t n = k == 0 ? first : (len - done < 4096 ? len - done : 4096);
		if (k > 0 && (addr & 4095))
			return -1;
		uint8_t *mem = dma(f, addr, n, to_host);
		if (!mem)
			return -1;
		if (to_host)
			memcpy(mem, f->data + off + done, n);
		else
			memcpy(f->data + off + done, mem, n);
		done += n;
	}
	return 0;
}

static void identify(struct fake_nvme *f, const uint8_t *sqe, uint16_t *status)
{
	uint8_t *out = dma(f, le64_load(sqe + 24), 4096, true);
	if (!out) {
		*status = 0x4006; /* internal error, DNR */
		return;
	}
	memset(out, 0, 4096);
	uint32_t cns = le32_load(sqe + 40) & 0xff, nsid = le32_load(sqe + 4);
	if (cns == NVME_ID_CNS_CTRL) {
		memcpy(out + NVME_IDC_SN, "FAKE0001            ", 20);
		memcpy(out + NVME_IDC_MN, "Model NVMe                              ", 40);
		memcpy(out + NVME_IDC_FR, "1.0     ", 8);
		out[NVME_IDC_MDTS] = (uint8_t)f->mdts;
		le32_store(out + NVME_IDC_NN, 2);
		out[NVME_IDC_ONCS] = NVME_ONCS_DSM | NVME_ONCS_WZ;
		out[NVME_IDC_VWC] = 1;
	} else if (cns == NVME_ID_CNS_NS && nsid == 1) {
		le64_store(out + NVME_IDN_NSZE, f->nsze);
		out[NVME_IDN_LBAF + 2] = (uint8_t)f->lbads;
	} /* namespace 2: inactive (all zero) */
}

static void hold(struct fake_nvme *f, unsigned int sqid, uint16_t cid, uint8_t opcode)
{
	for (unsigned int i = 0; i < 64; i++)
		if (!f->held[i].live) {
			f->held[i] = (struct fake_held){ true, (uint16_t)sqid, cid, opcode };
			f->hold_count++;
			return;
		}
}

static void execute(struct fake_nvme *f, unsigned int sqid, const uint8_t *sqe)
{
	uint8_t op = sqe[0];
	uint16_t cid = le16_load(sqe + 2), status = 0;
	uint32_t result = 0, cdw10 = le32_load(sqe + 40), cdw11 = le32_load(sqe + 44), cdw12 = le32_load(sqe + 48);
	f->commands++;
	if (sqid == 0) {
		switch (op) {
		case NVME_ADM_IDENTIFY:
			identify(f, sqe, &status);
			break;
		case NVME_ADM_GET_LOG_PAGE: {
			f->log_pages++;
			uint32_t bytes = ((cdw10 >> 16) + 1) * 4;
			uint8_t *log = (cdw10 & 0xff) == NVME_LOG_HEALTH && bytes <= 4096
					       ? dma(f, le64_load(sqe + 24), bytes, true)
					       : NULL;
			if (!log) {
				status = 0x109; /* invalid log page */
				break;
			}
			memset(log, 0, bytes);
			log[NVME_HEALTH_SPARE] = f->spare;
			log[NVME_HEALTH_SPARE_MIN] = f->spare_threshold;
			log[NVME_HEALTH_USED] = f->percent_used;
			break;
		}
		case NVME_ADM_SET_FEATURES: {
			unsigned int want = (cdw11 & 0xffff) + 1, got = want < f->max_queues ? want : f->max_queues;
			result = (got - 1) << 16 | (got - 1);
			break;
		}
		case NVME_ADM_CREATE_CQ: {
			unsigned int qid = cdw10 & 0xffff;
			if (qid == 0 || qid >= FAKE_MAX_Q) {
				status = 0x101; /* invalid queue identifier */
				break;
			}
			f->cq[qid] = (struct fake_q){ true, le64_load(sqe + 24), (uint16_t)((cdw10 >> 16) + 1), 0, 0, 0,
						      1 };
			break;
		}
		case NVME_ADM_CREATE_SQ: {
			unsigned int qid = cdw10 & 0xffff, cqid = cdw11 >> 16;
			if (qid == 0 || qid >= FAKE_MAX_Q || !f->cq[cqid].live) {
				status = 0x101;
				break;
			}
			f->sq[qid] = (struct fake_q){
				true, le64_load(sqe + 24), (uint16_t)((cdw10 >> 16) + 1), 0, 0, (uint16_t)cqid, 0
			};
			break;
		}
		case NVME_ADM_ABORT: {
			f->aborts_seen++;
			result = 1; /* not aborted */
			if (f->ignore_abort)
				break;
			for (unsigned int i = 0; i < 64; i++)
				if (f->held[i].live && f->held[i].sqid == (cdw10 & 0xffff) &&
				    f->held[i].cid == cdw10 >> 16) {
					f->held[i].live = false;
					post(f, f->held[i].sqid, f->held[i].cid, NVME_SC_ABORT_REQ, 0);
					result = 0;
				}
			break;
		}
		default:
			status = 0x4001; /* invalid opcode */
		}
		post(f, sqid, cid, status, result);
		return;
	}
	if (f->hold_opcode == op) {
		hold(f, sqid, cid, op);
		return;
	}
	uint64_t slba = (uint64_t)cdw11 << 32 | cdw10, nlb = (cdw12 & 0xffff) + 1;
	switch (op) {
	case NVME_CMD_READ:
	case NVME_CMD_WRITE:
		if (slba >= f->nsze || nlb > f->nsze - slba)
			status = 0x80; /* LBA out of range */
		else if (transfer(f, sqe, slba << f->lbads, nlb << f->lbads, op == NVME_CMD_READ))
			status = 0x4004; /* data transfer error */
		else if (op == NVME_CMD_WRITE && (cdw12 & NVME_RW_FUA))
			f->last_fua_writes++;
		break;
	case NVME_CMD_FLUSH:
		f->flushes++;
		break;
	case NVME_CMD_WRITE_ZEROES:
		if (slba >= f->nsze || nlb > f->nsze - slba)
			status = 0x80;
		else
			memset(f->data + (slba << f->lbads), 0, nlb << f->lbads);
		break;
	case NVME_CMD_DSM: {
		uint8_t *range = dma(f, le64_load(sqe + 24), 16, false);
		if (!range) {
			status = 0x4004;
			break;
		}
		uint64_t s = le64_load(range + 8), n = le32_load(range + 4);
		if (s >= f->nsze || n > f->nsze - s)
			status = 0x80;
		else
			memset(f->data + (s << f->lbads), 0, n << f->lbads);
		break;
	}
	default:
		status = 0x4001;
	}
	post(f, sqid, cid, status, 0);
}

void fake_nvme_release_held(struct fake_nvme *f)
{
	for (unsigned int i = 0; i < 64; i++)
		if (f->held[i].live) {
			f->held[i].live = false;
			post(f, f->held[i].sqid, f->held[i].cid, 0, 0);
		}
}

static void doorbell(struct fake_nvme *f, uint32_t reg, uint32_t v)
{
	unsigned int idx = (reg - NVME_REG_DBS) / 4, qid = idx / 2;
	if (qid >= FAKE_MAX_Q || !(f->csts & NVME_CSTS_RDY))
		return;
	if (idx % 2) { /* CQ head: nothing to model */
		f->cq[qid].head = (uint16_t)v;
		return;
	}
	struct fake_q *sq = &f->sq[qid];
	if (!sq->live || v >= sq->size)
		return;
	sq->tail = (uint16_t)v;
	while (sq->head != sq->tail) {
		uint8_t *sqe = dma(f, sq->base + (uint64_t)sq->head * 64, 64, false);
		uint8_t copy[64];
		if (!sqe)
			return;
		memcpy(copy, sqe, 64);
		sq->head = (uint16_t)((sq->head + 1) % sq->size);
		execute(f, qid, copy);
	}
}

static uint32_t rd32(void *ctx, uint32_t reg)
{
	struct fake_nvme *f = ctx;
	if (f->dead)
		return ~0u;
	uint64_t cap = 63ull | 1ull << 16 | (uint64_t)f->cap_to << 24 | NVME_CAP_CSS_NVM;
	switch (reg) {
	case NVME_REG_CAP:
		return (uint32_t)cap;
	case NVME_REG_CAP + 4:
		return (uint32_t)(cap >> 32);
	case NVME_REG_VS:
		return 0x10400;
	case NVME_REG_CC:
		return f->cc;
	case NVME_REG_CSTS:
		return f->csts;
	}
	return 0;
}

static void wr32(void *ctx, uint32_t reg, uint32_t v)
{
	struct fake_nvme *f = ctx;
	if (f->dead)
		return;
	switch (reg) {
	case NVME_REG_CC:
		if ((v & NVME_CC_EN) && !(f->cc & NVME_CC_EN)) {
			f->enables++;
			memset(f->sq, 0, sizeof(f->sq));
			memset(f->cq, 0, sizeof(f->cq));
			memset(f->held, 0, sizeof(f->held));
			f->sq[0] = (struct fake_q){ true, f->asq, (uint16_t)((f->aqa & 0xfff) + 1), 0, 0, 0, 0 };
			f->cq[0] = (struct fake_q){ true, f->acq, (uint16_t)((f->aqa >> 16 & 0xfff) + 1), 0, 0, 0, 1 };
			if (f->cfs_on_enable)
				f->csts |= NVME_CSTS_CFS;
			else if (!f->never_ready)
				f->csts |= NVME_CSTS_RDY;
		} else if (!(v & NVME_CC_EN)) {
			f->csts &= ~(NVME_CSTS_RDY | NVME_CSTS_CFS);
			memset(f->held, 0, sizeof(f->held));
		}
		if ((v & NVME_CC_SHN_MASK) && !(f->cc & NVME_CC_SHN_MASK)) {
			f->shutdowns++;
			if (!f->never_shutdown)
				f->csts = (f->csts & ~NVME_CSTS_SHST_MASK) | NVME_CSTS_SHST_DONE;
		}
		f->cc = v;
		break;
	case NVME_REG_AQA:
		f->aqa = v;
		break;
	case NVME_REG_ASQ:
		f->asq = (f->asq & ~0xffffffffull) | v;
		break;
	case NVME_REG_ASQ + 4:
		f->asq = (f->asq & 0xffffffffull) | (uint64_t)v << 32;
		break;
	case NVME_REG_ACQ:
		f->acq = (f->acq & ~0xffffffffull) | v;
		break;
	case NVME_REG_ACQ + 4:
		f->acq = (f->acq & 0xffffffffull) | (uint64_t)v << 32;
		break;
	default:
		if (reg >= NVME_REG_DBS)
			doorbell(f, reg, v);
	}
}

static void *alloc(void *ctx, uint64_t size, uint64_t align)
{
	struct fake_nvme *f = ctx;
	void *p = NULL;
	if (f->nallocs == sizeof(f->allocs) / sizeof(f->allocs[0]))
		return NULL;
	if (align < sizeof(void *))
		align = sizeof(void *);
	if (posix_memalign(&p, align, size))
		return NULL;
	memset(p, 0, size);
	f->allocs[f->nallocs++] = p;
	return p;
}

static int map(void *ctx, uint64_t addr, uint64_t len, bool device_writes, uint64_t *bus)
{
	struct fake_nvme *f = ctx;
	if (f->nmaps == FAKE_MAX_MAPS)
		return -1;
	*bus = addr + FAKE_BUS_OFF;
	f->maps[f->nmaps].bus = *bus;
	f->maps[f->nmaps].len = len;
	f->maps[f->nmaps].device_writes = device_writes;
	f->nmaps++;
	return 0;
}

static void unmap(void *ctx, uint64_t bus, uint64_t len)
{
	struct fake_nvme *f = ctx;
	for (unsigned int i = 0; i < f->nmaps; i++)
		if (f->maps[i].bus == bus && f->maps[i].len == len) {
			f->maps[i] = f->maps[--f->nmaps];
			return;
		}
	f->bad_dma++; /* unmapping what is not mapped */
}

static void sync_maps(void *ctx)
{
	((struct fake_nvme *)ctx)->syncs++;
}

static uint64_t now_us(void *ctx)
{
	return ++((struct fake_nvme *)ctx)->now_us; /* time passes while the driver looks */
}

static void delay_us(void *ctx, uint64_t us)
{
	((struct fake_nvme *)ctx)->now_us += us;
}

static unsigned int thread_index(void *ctx)
{
	return ((struct fake_nvme *)ctx)->thread;
}

/* A frozen PE (EEH) reads all-ones until thawed; thawing brings the
 * device back in reset (as a PE reset does). */
static bool recover(void *ctx)
{
	struct fake_nvme *f = ctx;
	f->recoveries++;
	if (!f->frozen)
		return false;
	f->frozen = false;
	f->dead = false;
	f->cc = 0;
	f->csts = 0;
	return true;
}

struct nvme_ops fake_nvme_ops(struct fake_nvme *f)
{
	struct nvme_ops ops = { f, rd32, wr32, alloc, map, unmap, sync_maps, now_us, delay_us, thread_index, recover };
	return ops;
}
