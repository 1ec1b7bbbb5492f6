/*
 * The TCE hcalls on the partition's DMA windows (each PCI host bridge's
 * ibm,dma-window): H_PUT_TCE, H_GET_TCE, H_STUFF_TCE, H_PUT_TCE_INDIRECT.
 * An unknown LIOBN is H_PARAMETER; the table is the bridge's, under the
 * partition's MMIO lock.
 */
#include "hcall/hcall.h"
#include "hv/partition.h"

static struct tce_table *window(struct vcpu *v)
{
	for (unsigned int i = 0; i < PHB_MAX; i++) {
		struct phb *b = v->part->phb[i];
		if (b && v->gpr[4] == b->dma.liobn)
			return &b->dma;
	}
	return NULL;
}

/* (liobn, ioba, tce) */
static long h_put_tce(struct vcpu *v)
{
	struct partition *p = v->part;
	struct tce_table *t = window(v);
	if (!t)
		return H_PARAMETER;
	spin_lock(&p->mmio_lock);
	long rc = tce_put(t, v->gpr[5] & ~0xfffull, v->gpr[6]);
	spin_unlock(&p->mmio_lock);
	return rc;
}
HCALL(H_PUT_TCE, h_put_tce, 0);

/* (liobn, ioba) -> tce */
static long h_get_tce(struct vcpu *v)
{
	struct partition *p = v->part;
	struct tce_table *t = window(v);
	uint64_t tce = 0;
	if (!t)
		return H_PARAMETER;
	spin_lock(&p->mmio_lock);
	long rc = tce_get(t, v->gpr[5] & ~0xfffull, &tce);
	spin_unlock(&p->mmio_lock);
	if (rc == H_SUCCESS)
		v->gpr[4] = tce;
	return rc;
}
HCALL(H_GET_TCE, h_get_tce, 0);

/* (liobn, ioba, tce, npages) */
static long h_stuff_tce(struct vcpu *v)
{
	struct partition *p = v->part;
	struct tce_table *t = window(v);
	if (!t)
		return H_PARAMETER;
	spin_lock(&p->mmio_lock);
	long rc = tce_stuff(t, v->gpr[5], v->gpr[6], v->gpr[7]);
	spin_unlock(&p->mmio_lock);
	return rc;
}
HCALL(H_STUFF_TCE, h_stuff_tce, 0);

/* (liobn, ioba, list, npages): the list a 4 KiB-aligned page of the caller's memory. */
static long h_put_tce_indirect(struct vcpu *v)
{
	struct partition *p = v->part;
	struct tce_table *t = window(v);
	uint64_t list = v->gpr[6], npages = v->gpr[7];
	if (!t || (list & 0xfff) || npages > TCE_LIST_MAX)
		return H_PARAMETER;
	const uint8_t *entries = guest_ptr(p, list, npages * 8);
	if (!entries)
		return H_PARAMETER;
	spin_lock(&p->mmio_lock);
	long rc = tce_put_list(t, v->gpr[5], entries, npages);
	spin_unlock(&p->mmio_lock);
	return rc;
}
HCALL(H_PUT_TCE_INDIRECT, h_put_tce_indirect, 0);
