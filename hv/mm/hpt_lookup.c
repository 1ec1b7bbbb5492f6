#include "hv/mm/hpt_lookup.h"

/* The base page size the SLB entry selects; 0 for an encoding we do not offer. */
static unsigned int base_shift(uint64_t slb_v)
{
	unsigned int enc = (unsigned int)(slb_v & (SLB_VSID_L | SLB_VSID_LP));
	for (unsigned int i = 0; i < HV_NUM_PAGE_SIZES; i++)
		if (hv_page_sizes[i].slb_enc == enc)
			return hv_page_sizes[i].base_shift;
	return 0;
}

bool hpt_lookup(const struct hpt *h, uint64_t slb_v, uint64_t ea, struct hpt_match *m)
{
	unsigned int base = base_shift(slb_v);
	uint64_t b = slb_v & SLB_VSID_B_MASK;
	if (!base || (b != 0 && b != SLB_VSID_B_1T))
		return false;
	bool tera = b == SLB_VSID_B_1T;
	uint64_t vsid = (slb_v & SLB_VSID_VSID) >> (tera ? 24 : 12);
	uint64_t epn = ea & ((1ull << (tera ? 40 : 28)) - 1) & ~((1ull << base) - 1);
	uint64_t hash = (tera ? vsid ^ (vsid << 25) : vsid) ^ (epn >> base);
	uint64_t ptem = (slb_v & (SLB_VSID_B_MASK | SLB_VSID_VSID)) | ((epn >> 16) & HPTE_V_AVPN) | HPTE_V_VALID;

	for (unsigned int secondary = 0; secondary < 2; secondary++) {
		uint64_t group = ((secondary ? ~hash : hash) & h->hash_mask) * HPTES_PER_GROUP;
		uint64_t want = ptem | (secondary ? HPTE_V_SECONDARY : 0);
		for (unsigned int i = 0; i < HPTES_PER_GROUP; i++) {
			const uint64_t *p = h->table + 2 * (group + i);
			uint64_t v_raw = hpt_ld(p);
			if (!(v_raw & (HPTE_V_VALID | HPTE_V_ABSENT)))
				continue;
			uint64_t r_raw = hpt_ld(p + 1);
			uint64_t v = (hpt_new_to_old_v(v_raw, r_raw) & ~HPTE_V_ABSENT) | HPTE_V_VALID;
			int ps = hpt_page_size_index(v, hpt_new_to_old_r(r_raw));
			if (ps < 0 || hv_page_sizes[ps].base_shift != base)
				continue;
			unsigned int shift = hv_page_sizes[ps].actual_shift;
			/* V, B, H and the AVPN; its bits below the page size are offset. */
			uint64_t cmp = 0xffffffffffffff83ull;
			if (shift > 23)
				cmp &= ~(((1ull << (shift - 23)) - 1) << 7);
			if ((v ^ want) & cmp)
				continue;
			uint64_t mask = (1ull << shift) - 1;
			m->ptex = group + i;
			m->v = v;
			m->r = hpt_guest_r(h, v_raw, r_raw);
			m->absent = (v_raw & HPTE_V_ABSENT) != 0;
			m->shift = shift;
			m->gpa = (m->r & HPTE_R_RPN & ~mask) | (ea & mask);
			m->host = m->absent ? 0 : (hpt_new_to_old_r(r_raw) & HPTE_R_RPN & ~mask) | (ea & mask);
			return true;
		}
	}
	return false;
}

bool hpt_lookup_cached(const struct hpt *h, struct hpt_lookup_cache *c, uint64_t slb_v, uint64_t ea,
		       struct hpt_match *m, bool *hit)
{
	*hit = hpt_lookup_cache_hit(h, c, slb_v, ea, m);
	if (*hit)
		return true;
	c->valid = false;
	if (!hpt_lookup(h, slb_v, ea, m))
		return false;
	const uint64_t *p = h->table + 2 * m->ptex;
	c->raw[0] = hpt_ld(p);
	c->raw[1] = hpt_ld(p + 1);
	c->slb_v = slb_v;
	c->page = ea >> m->shift;
	c->gen = h->ranges_gen;
	c->m = *m;
	c->valid = true;
	return true;
}
