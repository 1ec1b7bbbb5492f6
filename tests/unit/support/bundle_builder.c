#include <assert.h>
#include <string.h>
#include <libfdt.h>
#include "hv/config/bundle.h"
#include "tests/unit/support/bundle_builder.h"

/* ---- ELF64 ---- */

static uint64_t elf_buf[(1 << 20) / 8];

static void put(uint8_t *p, unsigned int n, uint64_t v, bool le)
{
	for (unsigned int i = 0; i < n; i++)
		p[le ? i : n - 1 - i] = (uint8_t)(v >> (8 * i));
}

void elf_spec_default(struct elf_spec *s, bool le)
{
	memset(s, 0, sizeof(*s));
	s->le = le;
	s->ident_class = 2;
	s->ident_data = le ? 1 : 2;
	s->type = 3;
	s->machine = 21;
	s->ehsize = 64;
	s->phentsize = 56;
	s->phoff = 64;
	s->entry = 0xc000000000000000ull;
	s->nph = s->phnum = 2;
	s->ph[0] = (struct elf_ph_spec){ 1, 0x1000, 0xc000000000000000ull, 0, 0x2000, 0x5000, 0x11 };
	s->ph[1] = (struct elf_ph_spec){ 4, 0x3000, 0, 0, 0x20, 0x20, 0x22 }; /* PT_NOTE */
}

const uint8_t *elf_build(const struct elf_spec *s, uint64_t *size)
{
	uint8_t *b = (uint8_t *)elf_buf;
	uint64_t end = s->nph ? s->phoff + (uint64_t)s->nph * 56 : 64;
	if (end < 64)
		end = 64;
	/* Segments placed beyond the buffer (tests of bad offsets) are left out. */
	for (unsigned int i = 0; i < s->nph; i++)
		if (s->ph[i].offset < sizeof(elf_buf) && s->ph[i].filesz <= sizeof(elf_buf) - s->ph[i].offset &&
		    s->ph[i].offset + s->ph[i].filesz > end)
			end = s->ph[i].offset + s->ph[i].filesz;
	assert(end <= sizeof(elf_buf));
	memset(b, 0, end);
	memcpy(b, "\177ELF", 4);
	b[4] = s->ident_class;
	b[5] = s->ident_data;
	b[6] = 1;
	put(b + 16, 2, s->type, s->le);
	put(b + 18, 2, s->machine, s->le);
	put(b + 20, 4, 1, s->le);
	put(b + 24, 8, s->entry, s->le);
	put(b + 32, 8, s->phoff, s->le);
	put(b + 52, 2, s->ehsize, s->le);
	put(b + 54, 2, s->phentsize, s->le);
	put(b + 56, 2, s->phnum, s->le);
	for (unsigned int i = 0; i < s->nph; i++) {
		const struct elf_ph_spec *ph = &s->ph[i];
		uint8_t *p = b + s->phoff + (uint64_t)i * 56;
		put(p, 4, ph->type, s->le);
		put(p + 4, 4, 7, s->le); /* RWX */
		put(p + 8, 8, ph->offset, s->le);
		put(p + 16, 8, ph->vaddr, s->le);
		put(p + 24, 8, ph->paddr, s->le);
		put(p + 32, 8, ph->filesz, s->le);
		put(p + 40, 8, ph->memsz, s->le);
		put(p + 48, 8, 0x10000, s->le);
		if (ph->offset <= end && ph->filesz <= end - ph->offset &&
		    ph->offset >= s->phoff + (uint64_t)s->nph * 56)
			memset(b + ph->offset, ph->fill, ph->filesz);
	}
	*size = s->size ? s->size : end;
	return b;
}

/* ---- bundles ---- */

static uint64_t bundle_buf[(1 << 20) / 8];
const uint8_t bb_kernel[4096] = { 0x48, 0x00, 0x00, 0x00, [4095] = 0x7f };
const uint8_t bb_initrd[8192] = { '0', '7', '0', '7', '0', '1', [8191] = 0x55 };

void props_set(struct props *l, struct prop p)
{
	for (unsigned int i = 0; i < l->n; i++)
		if (!strcmp(l->p[i].name, p.name)) {
			l->p[i] = p;
			return;
		}
	assert(l->n < PROPS_MAX);
	l->p[l->n++] = p;
}

void props_del(struct props *l, const char *name)
{
	for (unsigned int i = 0; i < l->n; i++)
		if (!strcmp(l->p[i].name, name)) {
			memmove(&l->p[i], &l->p[i + 1], (l->n - i - 1) * sizeof(l->p[0]));
			l->n--;
			return;
		}
}

struct props *bundle_add_part(struct bundle_spec *s, const char *name)
{
	assert(s->nparts < BUNDLE_MAX_PARTS);
	struct part_spec *p = &s->parts[s->nparts++];
	p->name = name;
	p->props.n = 0;
	p->ndisks = 0;
	props_set(&p->props, P_U64("memory", 256ull << 20));
	props_set(&p->props, P_U32("vcpus", 2));
	props_set(&p->props, P_STR("kernel", "linux"));
	return &p->props;
}

void bundle_spec_default(struct bundle_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->compatible = BUNDLE_COMPATIBLE;
	s->has_images = true;
	s->nimages = 2;
	s->images[0] = (struct image_spec){ .name = "linux", .data = bb_kernel, .len = sizeof(bb_kernel) };
	s->images[1] = (struct image_spec){ .name = "rootfs", .data = bb_initrd, .len = sizeof(bb_initrd) };
	s->has_partitions = true;
	bundle_add_part(s, "web");
}

static void emit(void *fdt, const struct props *l)
{
	for (unsigned int i = 0; i < l->n; i++) {
		const struct prop *p = &l->p[i];
		switch (p->kind) {
		case PK_U32:
			assert(!fdt_property_u32(fdt, p->name, (uint32_t)p->num));
			break;
		case PK_U64:
			assert(!fdt_property_u64(fdt, p->name, p->num));
			break;
		case PK_STR:
			assert(!fdt_property_string(fdt, p->name, p->str));
			break;
		case PK_RAW:
			assert(!fdt_property(fdt, p->name, p->raw, p->len));
			break;
		case PK_CELLS: {
			fdt32_t cells[64];
			const uint32_t *v = p->raw;
			assert(p->len <= 64);
			for (int j = 0; j < p->len; j++)
				cells[j] = cpu_to_fdt32(v[j]);
			assert(!fdt_property(fdt, p->name, cells, p->len * 4));
			break;
		}
		case PK_END:
			break;
		}
	}
}

struct props *bundle_add_host_disk(struct bundle_spec *s, const char *name)
{
	assert(s->nhost_disks < sizeof(s->host_disks) / sizeof(s->host_disks[0]));
	struct named_props *h = &s->host_disks[s->nhost_disks++];
	h->name = name;
	h->props.n = 0;
	s->has_host_disks = true;
	return &h->props;
}

struct props *bundle_add_disk(struct bundle_spec *s, unsigned int part, const char *name, const char *host)
{
	struct part_spec *p = &s->parts[part];
	assert(p->ndisks < sizeof(p->disks) / sizeof(p->disks[0]));
	struct named_props *d = &p->disks[p->ndisks++];
	d->name = name;
	d->props.n = 0;
	props_set(&d->props, P_STR("host-disk", host));
	return &d->props;
}

struct shm_spec *bundle_add_shm(struct bundle_spec *s, const char *name, uint64_t size)
{
	assert(s->nshm < BUNDLE_MAX_SHM);
	struct shm_spec *r = &s->shm[s->nshm++];
	memset(r, 0, sizeof(*r));
	r->name = name;
	props_set(&r->props, P_U64("size", size));
	s->has_shm = true;
	return r;
}

struct props *shm_add_peer(struct shm_spec *r, const char *partition, uint32_t id)
{
	assert(r->npeers < 8);
	struct shm_peer_spec *p = &r->peers[r->npeers++];
	memset(p, 0, sizeof(*p));
	p->name = partition;
	props_set(&p->props, P_U32("id", id));
	return &p->props;
}

void *bundle_build(const struct bundle_spec *s, uint64_t *size)
{
	void *fdt = bundle_buf;
	assert(!fdt_create(fdt, sizeof(bundle_buf)));
	assert(!fdt_finish_reservemap(fdt));
	assert(!fdt_begin_node(fdt, ""));
	if (s->compatible)
		assert(!fdt_property_string(fdt, "compatible", s->compatible));
	emit(fdt, &s->root_extra);
	if (s->has_hypervisor) {
		assert(!fdt_begin_node(fdt, "hypervisor"));
		emit(fdt, &s->hypervisor);
		assert(!fdt_end_node(fdt));
	}
	if (s->has_images) {
		assert(!fdt_begin_node(fdt, "images"));
		for (unsigned int i = 0; i < s->nimages; i++) {
			assert(!fdt_begin_node(fdt, s->images[i].name));
			if (s->images[i].len >= 0)
				assert(!fdt_property(fdt, "data", s->images[i].data, s->images[i].len));
			emit(fdt, &s->images[i].extra);
			assert(!fdt_end_node(fdt));
		}
		assert(!fdt_end_node(fdt));
	}
	if (s->has_partitions) {
		assert(!fdt_begin_node(fdt, "partitions"));
		for (unsigned int i = 0; i < s->nparts; i++) {
			assert(!fdt_begin_node(fdt, s->parts[i].name));
			emit(fdt, &s->parts[i].props);
			if (s->parts[i].ndisks) {
				assert(!fdt_begin_node(fdt, "disks"));
				for (unsigned int k = 0; k < s->parts[i].ndisks; k++) {
					assert(!fdt_begin_node(fdt, s->parts[i].disks[k].name));
					emit(fdt, &s->parts[i].disks[k].props);
					assert(!fdt_end_node(fdt));
				}
				assert(!fdt_end_node(fdt));
			}
			assert(!fdt_end_node(fdt));
		}
		assert(!fdt_end_node(fdt));
	}
	if (s->has_host_disks) {
		assert(!fdt_begin_node(fdt, "host-disks"));
		for (unsigned int i = 0; i < s->nhost_disks; i++) {
			assert(!fdt_begin_node(fdt, s->host_disks[i].name));
			emit(fdt, &s->host_disks[i].props);
			assert(!fdt_end_node(fdt));
		}
		assert(!fdt_end_node(fdt));
	}
	if (s->has_shm) {
		assert(!fdt_begin_node(fdt, "shared-memory"));
		for (unsigned int i = 0; i < s->nshm; i++) {
			const struct shm_spec *r = &s->shm[i];
			assert(!fdt_begin_node(fdt, r->name));
			emit(fdt, &r->props);
			if (!r->no_peers_node) {
				assert(!fdt_begin_node(fdt, "peers"));
				for (unsigned int k = 0; k < r->npeers; k++) {
					assert(!fdt_begin_node(fdt, r->peers[k].name));
					emit(fdt, &r->peers[k].props);
					assert(!fdt_end_node(fdt));
				}
				assert(!fdt_end_node(fdt));
			}
			assert(!fdt_end_node(fdt));
		}
		assert(!fdt_end_node(fdt));
	}
	if (s->extra_root_node) {
		assert(!fdt_begin_node(fdt, s->extra_root_node));
		assert(!fdt_end_node(fdt));
	}
	assert(!fdt_end_node(fdt));
	assert(!fdt_finish(fdt));
	*size = fdt_totalsize(fdt);
	return fdt;
}
