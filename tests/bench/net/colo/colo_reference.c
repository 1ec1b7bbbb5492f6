/* Linear reference model: see colo_reference.h. Host only (malloc). */
#include "tests/bench/net/colo/colo_reference.h"

#include <stdlib.h>
#include <string.h>

struct ref_pkt {
	struct ref_pkt *next;
	uint8_t *data; /* private copy, as QEMU keeps one */
	uint32_t len, payload_off, payload_len;
	uint64_t cookie;
};

struct ref_conn {
	struct ref_conn *next;
	uint8_t key[13]; /* src, dst, sport, dport, proto */
	struct ref_pkt *list[2];
};

struct ref_model {
	struct ref_conn *head, *tail;
	colo_action_fn action;
	void *ctx;
};

struct ref_model *ref_new(colo_action_fn action, void *ctx)
{
	struct ref_model *m = calloc(1, sizeof(*m));
	if (m) {
		m->action = action;
		m->ctx = ctx;
	}
	return m;
}

static void free_list(struct ref_pkt *p)
{
	while (p) {
		struct ref_pkt *n = p->next;
		free(p->data);
		free(p);
		p = n;
	}
}

void ref_free(struct ref_model *m)
{
	for (struct ref_conn *c = m->head; c;) {
		struct ref_conn *n = c->next;
		free_list(c->list[0]);
		free_list(c->list[1]);
		free(c);
		c = n;
	}
	free(m);
}

size_t ref_conn_size(void)
{
	return sizeof(struct ref_conn);
}

static struct ref_conn *lookup(struct ref_model *m, const uint8_t key[13])
{
	for (struct ref_conn *c = m->head; c; c = c->next)
		if (memcmp(c->key, key, 13) == 0)
			return c;
	struct ref_conn *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	memcpy(c->key, key, 13);
	if (m->tail)
		m->tail->next = c;
	else
		m->head = c;
	m->tail = c;
	return c;
}

static void append(struct ref_pkt **list, struct ref_pkt *p)
{
	while (*list)
		list = &(*list)->next;
	*list = p;
}

static void finish(struct ref_model *m, struct ref_pkt *p, enum colo_action_kind kind)
{
	struct colo_action a = { kind, COLO_REASON_NONE, p->cookie, NULL, p->len };
	free(p->data);
	free(p);
	m->action(m->ctx, &a);
}

/* For each primary packet, search the secondary list for equal payload. */
static void compare(struct ref_model *m, struct ref_conn *c)
{
	struct ref_pkt **pp = &c->list[COLO_PRIMARY];
	while (*pp) {
		struct ref_pkt *p = *pp, **sp = &c->list[COLO_SECONDARY];
		while (*sp &&
		       !((*sp)->payload_len == p->payload_len &&
			 memcmp((*sp)->data + (*sp)->payload_off, p->data + p->payload_off, p->payload_len) == 0))
			sp = &(*sp)->next;
		if (!*sp) {
			pp = &p->next;
			continue;
		}
		struct ref_pkt *s = *sp;
		*sp = s->next;
		*pp = p->next;
		finish(m, p, COLO_ACT_RELEASE);
		finish(m, s, COLO_ACT_DROP);
	}
}

int ref_feed(struct ref_model *m, enum colo_side side, const uint8_t *f, uint32_t len, uint64_t cookie)
{
	if (len < 14 + 20 || f[12] != 0x08 || f[13] != 0x00)
		return -1;
	const uint8_t *ip = f + 14;
	uint32_t ihl = (uint32_t)(ip[0] & 15) * 4;
	uint32_t tot = (uint32_t)ip[2] << 8 | ip[3];
	if (ihl < 20 || tot < ihl || tot > len - 14 || ip[9] != 6 || tot - ihl < 20)
		return -1;
	const uint8_t *tcp = ip + ihl;
	uint32_t doff = (uint32_t)(tcp[12] >> 4) * 4;
	if (doff < 20 || doff > tot - ihl)
		return -1;

	uint8_t key[13];
	memcpy(key, ip + 12, 8);
	memcpy(key + 8, tcp, 4);
	key[12] = ip[9];
	struct ref_conn *c = lookup(m, key);
	struct ref_pkt *p = calloc(1, sizeof(*p));
	uint8_t *copy = malloc(len);
	if (!c || !p || !copy) {
		free(p);
		free(copy);
		return -1;
	}
	memcpy(copy, f, len);
	p->data = copy;
	p->len = len;
	p->payload_off = 14 + ihl + doff;
	p->payload_len = tot - ihl - doff;
	p->cookie = cookie;
	append(&c->list[side], p);
	compare(m, c);
	return 0;
}
