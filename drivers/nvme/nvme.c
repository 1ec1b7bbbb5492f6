#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "drivers/nvme/nvme.h"
#include "drivers/nvme/nvme_defs.h"
#include "hv/lib/bytes.h"
#include "hv/lib/log.h"

#define ERRORS_LOGGED 16 /* then only counted (a failing drive must not flood the console) */

static uint32_t rd32(struct nvme_ctrl *c, uint32_t reg)
{
	return c->ops.read32(c->ops.ctx, reg);
}

static void wr32(struct nvme_ctrl *c, uint32_t reg, uint32_t v)
{
	c->ops.write32(c->ops.ctx, reg, v);
}

/* Low half first, as real controllers want (they need not take 64-bit accesses). */
static uint64_t rd64(struct nvme_ctrl *c, uint32_t reg)
{
	uint64_t lo = rd32(c, reg);
	return (uint64_t)rd32(c, reg + 4) << 32 | lo;
}

static void wr64(struct nvme_ctrl *c, uint32_t reg, uint64_t v)
{
	wr32(c, reg, (uint32_t)v);
	wr32(c, reg + 4, (uint32_t)(v >> 32));
}

static uint64_t now(struct nvme_ctrl *c)
{
	return c->ops.now_us(c->ops.ctx);
}

static uint32_t sq_doorbell(const struct nvme_ctrl *c, uint16_t qid)
{
	return NVME_REG_DBS + (2u * qid) * (4u << NVME_CAP_DSTRD(c->cap));
}

static uint32_t cq_doorbell(const struct nvme_ctrl *c, uint16_t qid)
{
	return NVME_REG_DBS + (2u * qid + 1) * (4u << NVME_CAP_DSTRD(c->cap));
}

static void log_error_limited(struct nvme_ctrl *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void log_error_limited(struct nvme_ctrl *c, const char *fmt, ...)
{
	if (++c->stats.errors > ERRORS_LOGGED)
		return;
	char prefix[24];
	snprintf(prefix, sizeof(prefix), "%s: ", c->name);
	va_list ap;
	va_start(ap, fmt);
	hvlogv(LOG_WARN, prefix, fmt, ap);
	va_end(ap);
	if (c->stats.errors == ERRORS_LOGGED)
		log_warn("%s: further command errors are only counted", c->name);
}

/* ---- completion entries and PRPs (pure functions, fuzzed) ---- */

void nvme_cqe_decode(const uint8_t *cqe, struct nvme_cqe_view *v)
{
	uint32_t dw2 = le32_load(cqe + 8), dw3 = le32_load(cqe + 12);
	v->result = le32_load(cqe);
	v->sqhd = (uint16_t)dw2;
	v->sqid = (uint16_t)(dw2 >> 16);
	v->cid = (uint16_t)dw3;
	v->phase = dw3 >> 16 & 1;
	v->status = (uint16_t)(dw3 >> 17);
}

int nvme_build_prps(const struct nvme_map *maps, unsigned int n, uint8_t *list, uint64_t list_bus, uint64_t *prp1,
		    uint64_t *prp2)
{
	/* Page k of the transfer: PRP1 for k = 0, list entry k - 1 after that. */
	unsigned int np = 0;
	uint64_t second = 0;
	for (unsigned int i = 0; i < n; i++) {
		uint64_t start = maps[i].bus, end = maps[i].bus + maps[i].len;
		if (!maps[i].len || end < start)
			return -1;
		/* Only the first piece may start inside a page, only the last end inside one. */
		if ((i > 0 && start % NVME_PAGE) || (i + 1 < n && end % NVME_PAGE))
			return -1;
		for (uint64_t p = start; p < end; p = (p & ~(uint64_t)(NVME_PAGE - 1)) + NVME_PAGE) {
			if (np == 0)
				*prp1 = p;
			else if (np - 1 < NVME_PAGE / 8)
				le64_store(list + 8 * (np - 1), p);
			else
				return -1;
			if (np == 1)
				second = p;
			np++;
		}
	}
	if (!np)
		return -1;
	*prp2 = np == 1 ? 0 : np == 2 ? second : list_bus;
	return 0;
}

/* ---- queues ---- */

static void *alloc(struct nvme_ctrl *c, uint64_t size, uint64_t align)
{
	return c->ops.alloc(c->ops.ctx, size, align);
}

static int map_fixed(struct nvme_ctrl *c, void *mem, uint64_t len, bool device_writes, uint64_t *bus)
{
	return c->ops.dma_map(c->ops.ctx, (uint64_t)(uintptr_t)mem, len, device_writes, bus);
}

/* Memory for a queue, allocated and mapped once; I/O queues get a PRP list page per command. */
static int queue_alloc(struct nvme_ctrl *c, struct nvme_queue *q, uint16_t qid, uint16_t depth, bool io)
{
	if (q->sq)
		return 0;
	q->qid = qid;
	q->depth = depth;
	q->sq = alloc(c, (uint64_t)depth * NVME_SQE_SIZE, NVME_PAGE);
	q->cq = alloc(c, (uint64_t)depth * NVME_CQE_SIZE, NVME_PAGE);
	q->cmds = alloc(c, (uint64_t)depth * sizeof(struct nvme_cmd), 64);
	uint8_t *lists = io ? alloc(c, (uint64_t)depth * NVME_PAGE, NVME_PAGE) : NULL;
	struct nvme_map *maps = io ? alloc(c, (uint64_t)depth * NVME_MAX_CMD_MAPS * sizeof(struct nvme_map), 64) : NULL;
	uint64_t lists_bus = 0;
	if (!q->sq || !q->cq || !q->cmds || (io && (!lists || !maps)) ||
	    map_fixed(c, q->sq, (uint64_t)depth * NVME_SQE_SIZE, false, &q->sq_bus) ||
	    map_fixed(c, q->cq, (uint64_t)depth * NVME_CQE_SIZE, true, &q->cq_bus) ||
	    (io && map_fixed(c, lists, (uint64_t)depth * NVME_PAGE, false, &lists_bus))) {
		q->sq = NULL;
		log_error("%s: no memory or DMA space for queue %u", c->name, qid);
		return -1;
	}
	for (uint16_t i = 0; i < depth; i++)
		if (io) {
			q->cmds[i].prp_list = lists + (uint64_t)i * NVME_PAGE;
			q->cmds[i].prp_list_bus = lists_bus + (uint64_t)i * NVME_PAGE;
			q->cmds[i].maps = maps + (uint64_t)i * NVME_MAX_CMD_MAPS;
		}
	return 0;
}

static void queue_clear(struct nvme_queue *q)
{
	memset(q->sq, 0, (uint64_t)q->depth * NVME_SQE_SIZE);
	memset(q->cq, 0, (uint64_t)q->depth * NVME_CQE_SIZE);
	q->sq_tail = q->sq_head = q->cq_head = q->next_cid = 0;
	q->phase = 1;
	q->inflight = 0;
}

static int alloc_cid(struct nvme_queue *q)
{
	if (q->inflight >= q->depth - 1)
		return -1;
	for (uint16_t n = 0; n < q->depth; n++) {
		uint16_t cid = (uint16_t)((q->next_cid + n) % q->depth);
		if (!q->cmds[cid].in_use) {
			q->next_cid = (uint16_t)((cid + 1) % q->depth);
			return cid;
		}
	}
	return -1;
}

/* Puts sqe (its CID filled in here) on q and rings the doorbell. Lock held. */
static void queue_push(struct nvme_ctrl *c, struct nvme_queue *q, uint16_t cid, uint8_t *sqe, uint64_t timeout_us)
{
	struct nvme_cmd *cmd = &q->cmds[cid];
	le32_store(sqe, (uint32_t)sqe[0] | (uint32_t)cid << 16);
	memcpy(q->sq + (uint64_t)q->sq_tail * NVME_SQE_SIZE, sqe, NVME_SQE_SIZE);
	cmd->in_use = true;
	cmd->aborted = false;
	cmd->opcode = sqe[0];
	cmd->deadline_us = now(c) + timeout_us;
	q->inflight++;
	q->sq_tail = (uint16_t)((q->sq_tail + 1) % q->depth);
	c->stats.commands++;
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* the entry is in memory before the doorbell */
	wr32(c, sq_doorbell(c, q->qid), q->sq_tail);
}

static void release_maps(struct nvme_ctrl *c, struct nvme_cmd *cmd)
{
	for (uint16_t i = 0; i < cmd->nmaps; i++)
		c->ops.dma_unmap(c->ops.ctx, cmd->maps[i].bus, cmd->maps[i].len);
	cmd->nmaps = 0;
}

struct done_list {
	struct blk_request *head, **tail;
	bool unmapped;
};

static void finish(struct done_list *d, struct blk_request *r, enum blk_status s)
{
	r->status = s;
	r->next = NULL;
	*d->tail = r;
	d->tail = &r->next;
}

static void run_done(struct nvme_ctrl *c, struct done_list *d)
{
	if (d->unmapped && c->ops.dma_sync)
		c->ops.dma_sync(c->ops.ctx); /* before anyone reuses the memory */
	for (struct blk_request *r = d->head, *next; r; r = next) {
		next = r->next;
		r->done(r, r->status);
	}
}

static const char *opname(uint8_t op, bool admin)
{
	if (admin)
		return op == NVME_ADM_ABORT ? "abort" : op == NVME_ADM_IDENTIFY ? "identify" : "admin command";
	switch (op) {
	case NVME_CMD_READ:
		return "read";
	case NVME_CMD_WRITE:
		return "write";
	case NVME_CMD_FLUSH:
		return "flush";
	case NVME_CMD_DSM:
		return "discard";
	case NVME_CMD_WRITE_ZEROES:
		return "write-zeroes";
	}
	return "command";
}

static void complete_cmd(struct nvme_ctrl *c, struct nvme_queue *q, struct nvme_cmd *cmd, const struct nvme_cqe_view *v,
			 struct done_list *d)
{
	if (cmd->nmaps) {
		release_maps(c, cmd);
		d->unmapped = true;
	}
	cmd->in_use = false;
	q->inflight--;
	if (v->status)
		log_error_limited(c, "%s on queue %u failed: status type %u code 0x%02x%s",
				  opname(cmd->opcode, !q->qid), q->qid, NVME_STATUS_TYPE(v->status),
				  NVME_STATUS_CODE(v->status), cmd->aborted ? " (after a timeout)" : "");
	if (cmd->admin_sync) {
		cmd->status = v->status;
		cmd->result = v->result;
		__atomic_store_n(&cmd->done, true, __ATOMIC_RELEASE);
	} else if (cmd->req) {
		finish(d, cmd->req, v->status ? BLK_EIO : BLK_OK);
		cmd->req = NULL;
	}
}

/* Takes what the controller posted on q. Lock held. */
static unsigned int reap(struct nvme_ctrl *c, struct nvme_queue *q, struct done_list *d)
{
	unsigned int n = 0;
	for (;;) {
		const uint8_t *e = q->cq + (uint64_t)q->cq_head * NVME_CQE_SIZE;
		if ((le16_load(e + 14) & 1) != q->phase)
			break;
		__atomic_thread_fence(__ATOMIC_ACQUIRE); /* the rest of the entry after its phase */
		struct nvme_cqe_view v;
		nvme_cqe_decode(e, &v);
		if (++q->cq_head == q->depth) {
			q->cq_head = 0;
			q->phase ^= 1;
		}
		n++;
		if (v.cid >= q->depth || !q->cmds[v.cid].in_use || v.sqid != q->qid) {
			c->stats.bad_completions++;
			continue;
		}
		if (v.sqhd < q->depth)
			q->sq_head = v.sqhd;
		complete_cmd(c, q, &q->cmds[v.cid], &v, d);
	}
	if (n)
		wr32(c, cq_doorbell(c, q->qid), q->cq_head);
	return n;
}

/* ---- admin commands ---- */

static void sqe_init(uint8_t *sqe, uint8_t opcode, uint32_t nsid)
{
	memset(sqe, 0, NVME_SQE_SIZE);
	sqe[0] = opcode;
	le32_store(sqe + 4, nsid);
}

static void sqe_dw(uint8_t *sqe, unsigned int dw, uint32_t v)
{
	le32_store(sqe + 4 * dw, v);
}

/* Runs one command on q to its end: its status (0: success), or -1 when
 * it did not complete in time (its slot stays busy until the next reset). */
static int run_sync(struct nvme_ctrl *c, struct nvme_queue *q, uint8_t *sqe, uint64_t timeout_us, uint32_t *result)
{
	struct done_list d = { NULL, &d.head, false };
	spin_lock(&q->lock);
	int cid = alloc_cid(q);
	if (cid < 0) {
		spin_unlock(&q->lock);
		return -1;
	}
	struct nvme_cmd *cmd = &q->cmds[cid];
	cmd->admin_sync = true;
	cmd->req = NULL;
	cmd->nmaps = 0;
	cmd->done = false;
	queue_push(c, q, (uint16_t)cid, sqe, timeout_us);
	spin_unlock(&q->lock);
	uint64_t deadline = now(c) + timeout_us;
	while (!__atomic_load_n(&cmd->done, __ATOMIC_ACQUIRE)) {
		spin_lock(&q->lock);
		reap(c, q, &d);
		spin_unlock(&q->lock);
		if (__atomic_load_n(&cmd->done, __ATOMIC_ACQUIRE))
			break;
		if ((int64_t)(now(c) - deadline) > 0) {
			c->stats.timeouts++;
			log_warn("%s: %s timed out after %llu ms", c->name, opname(sqe[0], !q->qid),
				 (unsigned long long)(timeout_us / 1000));
			return -1;
		}
		c->ops.delay_us(c->ops.ctx, 5);
	}
	run_done(c, &d);
	cmd->admin_sync = false;
	if (result)
		*result = cmd->result;
	return cmd->status;
}

static int admin_run(struct nvme_ctrl *c, uint8_t *sqe, uint32_t *result)
{
	return run_sync(c, &c->admin, sqe, c->admin_timeout_us, result);
}

int nvme_ctrl_raw_io(struct nvme_ctrl *c, uint8_t opcode, uint32_t nsid, uint64_t lba, uint32_t nblocks, uint64_t prp1,
		     uint64_t prp2)
{
	if (c->state != NVME_LIVE || !c->nioq || !nblocks)
		return -1;
	uint8_t sqe[NVME_SQE_SIZE];
	sqe_init(sqe, opcode, nsid);
	le64_store(sqe + 24, prp1);
	le64_store(sqe + 32, prp2);
	sqe_dw(sqe, 10, (uint32_t)lba);
	sqe_dw(sqe, 11, (uint32_t)(lba >> 32));
	sqe_dw(sqe, 12, nblocks - 1);
	return run_sync(c, &c->io[0], sqe, c->io_timeout_us, NULL);
}

/* Fire and forget: an abort for (qid, cid). Its answer is only reaped. */
static void admin_abort(struct nvme_ctrl *c, uint16_t qid, uint16_t cid)
{
	struct nvme_queue *q = &c->admin;
	uint8_t sqe[NVME_SQE_SIZE];
	sqe_init(sqe, NVME_ADM_ABORT, 0);
	sqe_dw(sqe, 10, (uint32_t)cid << 16 | qid);
	spin_lock(&q->lock);
	int slot = alloc_cid(q);
	if (slot >= 0) {
		q->cmds[slot].admin_sync = false;
		q->cmds[slot].req = NULL;
		queue_push(c, q, (uint16_t)slot, sqe, c->admin_timeout_us);
		c->stats.aborts++;
	}
	spin_unlock(&q->lock);
}

/* ---- enable, disable, identify ---- */

static bool wait_csts(struct nvme_ctrl *c, uint32_t mask, uint32_t want, uint64_t timeout_us, uint32_t *csts)
{
	uint64_t deadline = now(c) + timeout_us;
	for (;;) {
		*csts = rd32(c, NVME_REG_CSTS);
		if (*csts == ~0u)
			return false;
		if ((*csts & mask) == want)
			return true;
		if ((int64_t)(now(c) - deadline) > 0)
			return false;
		c->ops.delay_us(c->ops.ctx, 100);
	}
}

static int disable(struct nvme_ctrl *c)
{
	uint32_t cc = rd32(c, NVME_REG_CC), csts;
	if (cc == ~0u)
		return -1;
	if (cc & NVME_CC_EN)
		wr32(c, NVME_REG_CC, cc & ~NVME_CC_EN);
	if (!wait_csts(c, NVME_CSTS_RDY, 0, c->enable_timeout_us, &csts)) {
		log_error("%s: the controller did not stop within %llu ms (CSTS 0x%x)", c->name,
			  (unsigned long long)(c->enable_timeout_us / 1000), csts);
		return -1;
	}
	return 0;
}

static int enable(struct nvme_ctrl *c)
{
	if (disable(c))
		return -1;
	queue_clear(&c->admin);
	wr32(c, NVME_REG_AQA, (uint32_t)(c->admin.depth - 1) << 16 | (uint32_t)(c->admin.depth - 1));
	wr64(c, NVME_REG_ASQ, c->admin.sq_bus);
	wr64(c, NVME_REG_ACQ, c->admin.cq_bus);
	wr32(c, NVME_REG_CC, NVME_CC_IOCQES | NVME_CC_IOSQES | NVME_CC_EN);
	uint32_t csts;
	if (!wait_csts(c, NVME_CSTS_RDY | NVME_CSTS_CFS, NVME_CSTS_RDY, c->enable_timeout_us, &csts)) {
		if (csts == ~0u)
			log_error("%s: the controller stopped answering while it was enabled", c->name);
		else if (csts & NVME_CSTS_CFS)
			log_error("%s: the controller reports a fatal status (CSTS 0x%x) while it was enabled", c->name,
				  csts);
		else
			log_error("%s: the controller did not become ready within %llu ms (CAP.TO)", c->name,
				  (unsigned long long)(c->enable_timeout_us / 1000));
		return -1;
	}
	return 0;
}

static void copy_string(char *out, size_t outlen, const uint8_t *in, size_t inlen)
{
	size_t n = inlen < outlen - 1 ? inlen : outlen - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = in[i] >= 0x20 && in[i] < 0x7f ? (char)in[i] : '?';
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

static int identify(struct nvme_ctrl *c, uint8_t cns, uint32_t nsid)
{
	uint8_t sqe[NVME_SQE_SIZE];
	memset(c->scratch, 0, NVME_PAGE);
	sqe_init(sqe, NVME_ADM_IDENTIFY, nsid);
	le64_store(sqe + 24, c->scratch_bus);
	sqe_dw(sqe, 10, cns);
	return admin_run(c, sqe, NULL);
}

static int identify_controller(struct nvme_ctrl *c)
{
	if (identify(c, NVME_ID_CNS_CTRL, 0)) {
		log_error("%s: Identify Controller failed", c->name);
		return -1;
	}
	const uint8_t *id = c->scratch;
	copy_string(c->serial, sizeof(c->serial), id + NVME_IDC_SN, 20);
	copy_string(c->model, sizeof(c->model), id + NVME_IDC_MN, 40);
	copy_string(c->firmware, sizeof(c->firmware), id + NVME_IDC_FR, 8);
	uint8_t mdts = id[NVME_IDC_MDTS];
	c->max_transfer = NVME_MAX_TRANSFER;
	if (mdts && mdts < 20 && (NVME_PAGE << mdts) < c->max_transfer)
		c->max_transfer = NVME_PAGE << mdts;
	c->nn = le32_load(id + NVME_IDC_NN);
	c->oncs = le16_load(id + NVME_IDC_ONCS);
	c->volatile_cache = id[NVME_IDC_VWC] & 1;
	return 0;
}

static int ns_submit(struct blockdev *bd, struct blk_request *r);
static unsigned int ns_poll(struct blockdev *bd);
static int ns_health(struct blockdev *bd, struct blk_health *h)
{
	struct nvme_ns *ns = bd->priv;
	return nvme_ctrl_health(ns->ctrl, h);
}

static const struct blockdev_ops ns_ops = { ns_submit, ns_poll, ns_health };

static void identify_namespaces(struct nvme_ctrl *c)
{
	c->nns = 0;
	uint32_t last = c->nn < NVME_MAX_NS ? c->nn : NVME_MAX_NS;
	for (uint32_t nsid = 1; nsid <= last; nsid++) {
		if (identify(c, NVME_ID_CNS_NS, nsid)) {
			log_warn("%s: Identify Namespace %u failed; namespace not used", c->name, nsid);
			continue;
		}
		const uint8_t *id = c->scratch;
		uint64_t nsze = le64_load(id + NVME_IDN_NSZE);
		if (!nsze)
			continue; /* not active */
		unsigned int fmt = id[NVME_IDN_FLBAS] & 0xf;
		const uint8_t *lbaf = id + NVME_IDN_LBAF + 4 * fmt;
		unsigned int ms = le16_load(lbaf), lbads = lbaf[2];
		if (fmt > id[NVME_IDN_NLBAF] || ms || lbads < 9 || lbads > 12) {
			log_warn("%s: namespace %u has LBA format %u (%u-byte blocks, %u bytes metadata); not used",
				 c->name, nsid, fmt, lbads < 32 ? 1u << lbads : 0, ms);
			continue;
		}
		struct nvme_ns *ns = &c->ns[c->nns++];
		memset(ns, 0, sizeof(*ns));
		ns->ctrl = c;
		ns->nsid = nsid;
		struct blockdev *bd = &ns->bd;
		char ctrl_name[11] = { 0 };
		memcpy(ctrl_name, c->name, sizeof(ctrl_name) - 1);
		snprintf(bd->name, sizeof(bd->name), "%sn%u", ctrl_name, nsid);
		memcpy(bd->model, c->model, sizeof(bd->model));
		memcpy(bd->serial, c->serial, sizeof(bd->serial));
		bd->block_size = 1u << lbads;
		bd->nblocks = nsze;
		bd->max_blocks = c->max_transfer >> lbads;
		bd->max_zero_blocks = 0x10000; /* the 16-bit block count of Write Zeroes */
		bd->volatile_cache = c->volatile_cache;
		bd->can_discard = c->oncs & NVME_ONCS_DSM;
		bd->can_write_zeroes = c->oncs & NVME_ONCS_WZ;
		bd->ops = &ns_ops;
		bd->priv = ns;
	}
}

static int set_queue_count(struct nvme_ctrl *c)
{
	uint8_t sqe[NVME_SQE_SIZE];
	uint32_t want = c->wanted_ioq ? c->wanted_ioq : 1, got;
	if (want > NVME_MAX_IOQ)
		want = NVME_MAX_IOQ;
	sqe_init(sqe, NVME_ADM_SET_FEATURES, 0);
	sqe_dw(sqe, 10, NVME_FEAT_NUM_QUEUES);
	sqe_dw(sqe, 11, (want - 1) << 16 | (want - 1));
	if (admin_run(c, sqe, &got)) {
		log_error("%s: Set Features (number of queues) failed", c->name);
		return -1;
	}
	uint32_t sq = (got & 0xffff) + 1, cq = (got >> 16) + 1;
	c->nioq = want < sq ? want : sq;
	if (cq < c->nioq)
		c->nioq = cq;
	return 0;
}

static int create_io_queues(struct nvme_ctrl *c)
{
	uint16_t depth = NVME_IO_DEPTH;
	if (NVME_CAP_MQES(c->cap) + 1u < depth)
		depth = (uint16_t)(NVME_CAP_MQES(c->cap) + 1);
	for (unsigned int i = 0; i < c->nioq; i++) {
		struct nvme_queue *q = &c->io[i];
		uint16_t qid = (uint16_t)(i + 1);
		if (queue_alloc(c, q, qid, depth, true))
			return -1;
		queue_clear(q);
		uint8_t sqe[NVME_SQE_SIZE];
		sqe_init(sqe, NVME_ADM_CREATE_CQ, 0);
		le64_store(sqe + 24, q->cq_bus);
		sqe_dw(sqe, 10, (uint32_t)(q->depth - 1) << 16 | qid);
		sqe_dw(sqe, 11, 1); /* physically contiguous, interrupts off: we poll */
		if (admin_run(c, sqe, NULL)) {
			log_error("%s: Create I/O Completion Queue %u failed", c->name, qid);
			return -1;
		}
		sqe_init(sqe, NVME_ADM_CREATE_SQ, 0);
		le64_store(sqe + 24, q->sq_bus);
		sqe_dw(sqe, 10, (uint32_t)(q->depth - 1) << 16 | qid);
		sqe_dw(sqe, 11, (uint32_t)qid << 16 | 1);
		if (admin_run(c, sqe, NULL)) {
			log_error("%s: Create I/O Submission Queue %u failed", c->name, qid);
			return -1;
		}
	}
	return 0;
}

void nvme_ctrl_init(struct nvme_ctrl *c, const char *name, const struct nvme_ops *ops, unsigned int wanted_ioq)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->ops = *ops;
	c->wanted_ioq = wanted_ioq;
	c->io_timeout_us = 30 * 1000000ull;
	c->admin_timeout_us = 10 * 1000000ull;
	c->enable_timeout_us = 500000;
}

static void fail(struct nvme_ctrl *c)
{
	c->state = NVME_FAILED;
	for (unsigned int i = 0; i < c->nns; i++)
		c->ns[i].bd.failed = true;
}

int nvme_ctrl_start(struct nvme_ctrl *c)
{
	c->cap = rd64(c, NVME_REG_CAP);
	if (c->cap == ~0ull && c->ops.recover && c->ops.recover(c->ops.ctx))
		c->cap = rd64(c, NVME_REG_CAP);
	if (c->cap == ~0ull) {
		log_error("%s: the controller does not answer (registers read all-ones)", c->name);
		fail(c);
		return -1;
	}
	c->vs = rd32(c, NVME_REG_VS);
	c->enable_timeout_us = (NVME_CAP_TO(c->cap) ? NVME_CAP_TO(c->cap) : 1) * 500000ull;
	if (NVME_CAP_MPSMIN(c->cap) > 0 || !(c->cap & NVME_CAP_CSS_NVM)) {
		log_error("%s: the controller needs pages over 4 KiB or lacks the NVM command set (CAP 0x%llx)",
			  c->name, (unsigned long long)c->cap);
		fail(c);
		return -1;
	}
	if (!c->scratch) {
		c->scratch = alloc(c, NVME_PAGE, NVME_PAGE);
		c->log = alloc(c, NVME_PAGE, NVME_PAGE);
		if (!c->scratch || map_fixed(c, c->scratch, NVME_PAGE, true, &c->scratch_bus) || !c->log ||
		    map_fixed(c, c->log, NVME_PAGE, true, &c->log_bus)) {
			c->scratch = c->log = NULL;
			log_error("%s: no memory for the driver", c->name);
			fail(c);
			return -1;
		}
	}
	if (queue_alloc(c, &c->admin, 0, NVME_ADMIN_DEPTH, false) || enable(c) || identify_controller(c) ||
	    set_queue_count(c) || create_io_queues(c)) {
		disable(c);
		fail(c);
		return -1;
	}
	identify_namespaces(c);
	c->state = NVME_LIVE;
	return 0;
}

int nvme_ctrl_health(struct nvme_ctrl *c, struct blk_health *h)
{
	if (c->state != NVME_LIVE || !c->log)
		return -1;
	uint8_t sqe[NVME_SQE_SIZE];
	sqe_init(sqe, NVME_ADM_GET_LOG_PAGE, 0xffffffffu); /* the controller's, not a namespace's */
	le64_store(sqe + 24, c->log_bus);
	sqe_dw(sqe, 10, (512 / 4 - 1) << 16 | NVME_LOG_HEALTH); /* 128 dwords */
	spin_lock(&c->log_lock);
	memset(c->log, 0, 512);
	int rc = admin_run(c, sqe, NULL);
	if (!rc)
		*h = (struct blk_health){ c->log[NVME_HEALTH_USED], c->log[NVME_HEALTH_SPARE],
					  c->log[NVME_HEALTH_SPARE_MIN] };
	spin_unlock(&c->log_lock);
	return rc ? -1 : 0;
}

void nvme_ctrl_shutdown(struct nvme_ctrl *c)
{
	if (c->state == NVME_OFF)
		return;
	uint32_t cc = rd32(c, NVME_REG_CC), csts;
	if (cc == ~0u)
		return;
	wr32(c, NVME_REG_CC, (cc & ~NVME_CC_SHN_MASK) | NVME_CC_SHN_NORMAL);
	if (wait_csts(c, NVME_CSTS_SHST_MASK, NVME_CSTS_SHST_DONE, c->enable_timeout_us, &csts))
		log_info("%s: shut down cleanly", c->name);
	else
		log_warn("%s: shutdown did not complete within %llu ms (CSTS 0x%x)", c->name,
			 (unsigned long long)(c->enable_timeout_us / 1000), csts);
	c->state = NVME_OFF;
}

/* Drops every command of q (the controller is disabled): requests fail,
 * their memory is unmapped so nothing can land there later. Lock held. */
static void queue_cancel(struct nvme_ctrl *c, struct nvme_queue *q, struct done_list *d)
{
	if (!q->sq)
		return;
	for (uint16_t i = 0; i < q->depth; i++) {
		struct nvme_cmd *cmd = &q->cmds[i];
		if (!cmd->in_use)
			continue;
		if (cmd->nmaps) {
			release_maps(c, cmd);
			d->unmapped = true;
		}
		cmd->in_use = false;
		if (cmd->req)
			finish(d, cmd->req, BLK_ECANCELED);
		cmd->req = NULL;
		if (cmd->admin_sync) {
			cmd->status = 0xffff;
			__atomic_store_n(&cmd->done, true, __ATOMIC_RELEASE);
		}
	}
	queue_clear(q);
}

int nvme_ctrl_reset(struct nvme_ctrl *c, const char *why)
{
	if (!spin_trylock(&c->reset_lock))
		return 0; /* another thread is at it */
	c->reset_pending = false;
	if (c->state != NVME_LIVE) {
		spin_unlock(&c->reset_lock);
		return -1;
	}
	c->state = NVME_RESETTING; /* submitters wait, pollers skip */
	log_warn("%s: resetting the controller: %s", c->name, why);
	c->stats.resets++;
	struct done_list d = { NULL, &d.head, false };
	for (unsigned int i = 0; i < c->nioq; i++)
		spin_lock(&c->io[i].lock);
	spin_lock(&c->admin.lock);
	if (rd32(c, NVME_REG_CSTS) == ~0u && c->ops.recover)
		c->ops.recover(c->ops.ctx);
	int rc = disable(c);
	for (unsigned int i = 0; i < c->nioq; i++)
		queue_cancel(c, &c->io[i], &d);
	queue_cancel(c, &c->admin, &d);
	spin_unlock(&c->admin.lock);
	for (unsigned int i = 0; i < c->nioq; i++)
		spin_unlock(&c->io[i].lock);
	run_done(c, &d);
	if (!rc)
		rc = enable(c);
	if (!rc)
		rc = create_io_queues(c);
	if (rc) {
		log_error("%s: the controller did not come back; its namespaces fail every request", c->name);
		disable(c);
		fail(c);
	} else {
		c->state = NVME_LIVE;
		log_info("%s: the controller is back", c->name);
	}
	spin_unlock(&c->reset_lock);
	return rc;
}

/* Commands past their deadline: abort first, reset when the abort does not
 * help; and the controller's own fatal status. Lock held. */
static void check_timeouts(struct nvme_ctrl *c, struct nvme_queue *q)
{
	uint64_t t = now(c);
	if (t - q->last_timeout_scan_us < 1000)
		return;
	q->last_timeout_scan_us = t;
	uint32_t csts = rd32(c, NVME_REG_CSTS);
	if (csts == ~0u || (csts & NVME_CSTS_CFS)) {
		c->reset_reason = csts == ~0u ? "its registers read all-ones" : "it reported a fatal status (CSTS.CFS)";
		if (!c->reset_pending)
			log_error("%s: %s", c->name,
				  csts == ~0u ? "the controller stopped answering (registers read all-ones)"
					      : "the controller reports a fatal status (CSTS.CFS)");
		c->reset_pending = true;
		return;
	}
	for (uint16_t i = 0; i < q->depth; i++) {
		struct nvme_cmd *cmd = &q->cmds[i];
		if (!cmd->in_use || (int64_t)(t - cmd->deadline_us) <= 0)
			continue;
		if (!q->qid || cmd->aborted) {
			c->reset_reason = q->qid ? "a timed-out command did not answer its abort"
						 : "an abort timed out";
			c->reset_pending = true;
			continue;
		}
		c->stats.timeouts++;
		log_warn("%s: %s (command %u on queue %u) timed out after %llu ms; aborting it", c->name,
			 opname(cmd->opcode, false), i, q->qid, (unsigned long long)(c->io_timeout_us / 1000));
		cmd->aborted = true;
		cmd->deadline_us = t + c->admin_timeout_us;
		admin_abort(c, q->qid, i);
	}
}

static unsigned int poll_queue(struct nvme_ctrl *c, struct nvme_queue *q)
{
	struct done_list d = { NULL, &d.head, false };
	if (!spin_trylock(&q->lock))
		return 0; /* its owner polls it */
	unsigned int n = reap(c, q, &d);
	if (q->inflight)
		check_timeouts(c, q);
	spin_unlock(&q->lock);
	run_done(c, &d);
	return n;
}

unsigned int nvme_ctrl_poll(struct nvme_ctrl *c)
{
	if (c->state != NVME_LIVE)
		return 0;
	unsigned int n = 0;
	for (unsigned int i = 0; i < c->nioq; i++)
		n += poll_queue(c, &c->io[i]);
	if (c->admin.inflight)
		n += poll_queue(c, &c->admin);
	if (c->reset_pending)
		nvme_ctrl_reset(c, c->reset_reason ? c->reset_reason : "it stopped answering");
	return n;
}

/* ---- the namespaces' block devices ---- */

static int map_data(struct nvme_ctrl *c, struct nvme_cmd *cmd, const struct blk_request *r)
{
	bool device_writes = r->op == BLK_READ;
	cmd->nmaps = 0;
	for (unsigned int i = 0; i < r->nsegs; i++) {
		struct nvme_map *m = &cmd->maps[i];
		if (c->ops.dma_map(c->ops.ctx, r->segs[i].addr, r->segs[i].len, device_writes, &m->bus)) {
			c->stats.map_failures++;
			release_maps(c, cmd);
			return -1;
		}
		m->len = r->segs[i].len;
		cmd->nmaps++;
	}
	return 0;
}

static int ns_submit(struct blockdev *bd, struct blk_request *r)
{
	struct nvme_ns *ns = bd->priv;
	struct nvme_ctrl *c = ns->ctrl;
	if (c->state != NVME_LIVE && c->state != NVME_RESETTING)
		return BLK_EIO;
	if ((r->op == BLK_DISCARD || r->op == BLK_WRITE_ZEROES) && r->nblocks > 0x10000)
		return BLK_EINVAL;
	struct nvme_queue *q = &c->io[c->ops.thread_index(c->ops.ctx) % c->nioq];
	uint8_t sqe[NVME_SQE_SIZE];
	spin_lock(&q->lock);
	int cid = c->state == NVME_LIVE ? alloc_cid(q)
					: -1; /* a reset holds every queue's lock while it changes state */
	if (cid < 0) {
		spin_unlock(&q->lock);
		return c->state == NVME_FAILED ? BLK_EIO : -1;
	}
	struct nvme_cmd *cmd = &q->cmds[cid];
	cmd->nmaps = 0;
	switch (r->op) {
	case BLK_READ:
	case BLK_WRITE: {
		sqe_init(sqe, r->op == BLK_READ ? NVME_CMD_READ : NVME_CMD_WRITE, ns->nsid);
		if (map_data(c, cmd, r)) {
			int busy = q->inflight > 0;
			spin_unlock(&q->lock);
			return busy ? -1 : BLK_ENOMEM;
		}
		uint64_t prp1, prp2;
		if (nvme_build_prps(cmd->maps, cmd->nmaps, cmd->prp_list, cmd->prp_list_bus, &prp1, &prp2)) {
			release_maps(c, cmd);
			spin_unlock(&q->lock);
			if (c->ops.dma_sync)
				c->ops.dma_sync(c->ops.ctx);
			return BLK_EINVAL;
		}
		le64_store(sqe + 24, prp1);
		le64_store(sqe + 32, prp2);
		sqe_dw(sqe, 10, (uint32_t)r->dev_lba);
		sqe_dw(sqe, 11, (uint32_t)(r->dev_lba >> 32));
		sqe_dw(sqe, 12, (r->nblocks - 1) | (r->op == BLK_WRITE && r->fua ? NVME_RW_FUA : 0));
		break;
	}
	case BLK_FLUSH:
		sqe_init(sqe, NVME_CMD_FLUSH, ns->nsid);
		break;
	case BLK_WRITE_ZEROES:
		sqe_init(sqe, NVME_CMD_WRITE_ZEROES, ns->nsid);
		sqe_dw(sqe, 10, (uint32_t)r->dev_lba);
		sqe_dw(sqe, 11, (uint32_t)(r->dev_lba >> 32));
		sqe_dw(sqe, 12, r->nblocks - 1);
		break;
	case BLK_DISCARD:
		/* One range, in the command's own list page. */
		sqe_init(sqe, NVME_CMD_DSM, ns->nsid);
		memset(cmd->prp_list, 0, 16);
		le32_store(cmd->prp_list + 4, r->nblocks);
		le64_store(cmd->prp_list + 8, r->dev_lba);
		le64_store(sqe + 24, cmd->prp_list_bus);
		sqe_dw(sqe, 10, 0);
		sqe_dw(sqe, 11, NVME_DSM_DEALLOCATE);
		break;
	default:
		spin_unlock(&q->lock);
		return BLK_EINVAL;
	}
	cmd->req = r;
	cmd->admin_sync = false;
	queue_push(c, q, (uint16_t)cid, sqe, c->io_timeout_us);
	spin_unlock(&q->lock);
	return 0;
}

static unsigned int ns_poll(struct blockdev *bd)
{
	struct nvme_ns *ns = bd->priv;
	return nvme_ctrl_poll(ns->ctrl);
}
