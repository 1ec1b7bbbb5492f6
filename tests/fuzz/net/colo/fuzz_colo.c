/*
 * libFuzzer target for the COLO parser and engine. The input is a script:
 *   op:1 len:2(LE) frame:len  repeated, where op & 3 is
 *     0 feed the frame to the primary, 1 to the secondary,
 *     2 to both (then one more byte m: if non-zero, the secondary's copy
 *       has byte (m * 7) % len flipped),
 *     3 control: bit 2 set = colo_scan, clear = colo_checkpoint_done
 *       (no length or frame follows);
 *   and op >> 3 advances the clock by that many 100 us.
 * Checked: parser facts stay inside the frame; every frame the engine took
 * is named by exactly one RELEASE (primary) or DROP (secondary) with the
 * pointer and length it was fed with, and nothing is left after a final
 * flush.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/colo/colo.h"
#include "net/colo/parse.h"

#define MAX_FRAMES 4096

struct owned {
	uint8_t *buf;
	uint32_t len;
	uint8_t side;
	bool live;
};

struct harness {
	struct owned f[MAX_FRAMES];
	uint32_t n;
};

static void die(void)
{
	__builtin_trap();
}

static void on_action(void *ctx, const struct colo_action *a)
{
	struct harness *h = ctx;
	if (a->kind == COLO_ACT_CHECKPOINT)
		return;
	if (a->cookie >= h->n)
		die();
	struct owned *o = &h->f[a->cookie];
	if (!o->live || o->buf != a->frame || o->len != a->len)
		die();
	if ((a->kind == COLO_ACT_RELEASE) != (o->side == COLO_PRIMARY))
		die();
	o->live = false;
	free(o->buf);
	o->buf = NULL;
}

static void check_parse(const uint8_t *f, uint32_t len)
{
	struct colo_frame_info fi;
	colo_parse(f, len, &fi);
	if (fi.cmp_len > len || fi.l3_off > len)
		die();
	for (int i = 0; i < 2; i++)
		if (fi.mask_off[i] + fi.mask_len[i] > fi.cmp_len)
			die();
	if (fi.cls == COLO_CLS_TCP && fi.payload_off + fi.payload_len > len)
		die();
	if ((fi.bad != COLO_BAD_NONE) && fi.cls != COLO_CLS_RAW)
		die();
}

static void feed(struct colo_engine *e, struct harness *h, enum colo_side side, const uint8_t *data, uint32_t len,
		 uint64_t now)
{
	if (h->n == MAX_FRAMES)
		return;
	/* exact-size copy so any over-read is caught by ASan */
	uint8_t *buf = malloc(len ? len : 1);
	if (!buf)
		return;
	memcpy(buf, data, len);
	check_parse(buf, len);
	uint32_t id = h->n++;
	h->f[id] = (struct owned){ buf, len, (uint8_t)side, true };
	enum colo_feed_result r = colo_feed(e, side, buf, len, id, now);
	if (r != COLO_FEED_TAKEN) {
		if (!h->f[id].live) /* refused frames must not be actioned */
			die();
		h->f[id].live = false;
		free(buf);
		h->f[id].buf = NULL;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct harness h;
	static uint64_t mem[65536];
	struct colo_config cfg;

	memset(&h, 0, sizeof(h));
	colo_config_default(&cfg);
	cfg.max_conns = 16;
	cfg.max_frames = 64;
	cfg.max_queue = 8;
	cfg.max_queued_bytes = 32768;
	cfg.compare_timeout_ns = 5000000;
	cfg.scan_period_ns = 1000000;
	cfg.idle_timeout_ns = 50000000;
	cfg.closed_timeout_ns = 10000000;
	cfg.hash_key[0] = 1;
	cfg.hash_key[1] = 2;
	cfg.action = on_action;
	cfg.action_ctx = &h;
	if (colo_mem_size(&cfg) > sizeof(mem))
		die();
	struct colo_engine *e = colo_init(mem, sizeof(mem), &cfg);
	if (!e)
		die();

	uint64_t now = 0;
	size_t i = 0;
	while (i < size) {
		uint8_t op = data[i++];
		now += (uint64_t)(op >> 3) * 100000;
		if ((op & 3) == 3) {
			if (op & 4)
				colo_scan(e, now);
			else
				colo_checkpoint_done(e, now);
			continue;
		}
		if (size - i < 2)
			break;
		uint32_t len = (uint32_t)data[i] | (uint32_t)data[i + 1] << 8;
		i += 2;
		len &= 0x7ff;
		if (len > size - i)
			len = (uint32_t)(size - i);
		const uint8_t *frame = data + i;
		i += len;
		if ((op & 3) < 2) {
			feed(e, &h, (enum colo_side)(op & 3), frame, len, now);
			continue;
		}
		uint8_t m = i < size ? data[i++] : 0;
		feed(e, &h, COLO_PRIMARY, frame, len, now);
		uint8_t copy[0x800];
		memcpy(copy, frame, len);
		if (m && len)
			copy[(m * 7u) % len] ^= 0x01;
		feed(e, &h, COLO_SECONDARY, copy, len, now);
	}

	colo_checkpoint_done(e, now);
	for (uint32_t k = 0; k < h.n; k++)
		if (h.f[k].live)
			die();
	struct colo_stats st;
	colo_get_stats(e, &st);
	if (st.frames_queued[0] || st.frames_queued[1] || st.bytes_queued)
		die();
	return 0;
}
