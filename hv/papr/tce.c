#include "hv/papr/tce.h"
#include "hv/lib/bytes.h"
#include "papr.h"

#define PAGE (1ull << TCE_PAGE_SHIFT)

long tce_put(struct tce_table *t, uint64_t ioba, uint64_t tce)
{
	uint64_t index = ioba >> TCE_PAGE_SHIFT;
	if (index >= t->nentries)
		return H_PARAMETER;
	if ((tce & (TCE_READ | TCE_WRITE)) && (tce & ~(PAGE - 1)) >= t->ram_size)
		return H_PARAMETER;
	t->entry[index] = tce;
	return H_SUCCESS;
}

long tce_get(const struct tce_table *t, uint64_t ioba, uint64_t *tce)
{
	uint64_t index = ioba >> TCE_PAGE_SHIFT;
	if (index >= t->nentries)
		return H_PARAMETER;
	*tce = t->entry[index];
	return H_SUCCESS;
}

long tce_stuff(struct tce_table *t, uint64_t ioba, uint64_t tce, uint64_t npages)
{
	if (npages > t->nentries)
		return H_PARAMETER;
	ioba &= ~(PAGE - 1);
	for (uint64_t i = 0; i < npages; i++, ioba += PAGE) {
		long rc = tce_put(t, ioba, tce);
		if (rc)
			return rc;
	}
	return H_SUCCESS;
}

long tce_put_list(struct tce_table *t, uint64_t ioba, const uint8_t *list, uint64_t npages)
{
	if (npages > TCE_LIST_MAX)
		return H_PARAMETER;
	ioba &= ~(PAGE - 1);
	for (uint64_t i = 0; i < npages; i++, ioba += PAGE) {
		long rc = tce_put(t, ioba, be64_load(list + 8 * i));
		if (rc)
			return rc;
	}
	return H_SUCCESS;
}

bool tce_translate(const struct tce_table *t, uint64_t ioba, uint64_t len, bool write, uint64_t *gpa)
{
	uint64_t need = write ? TCE_WRITE : TCE_READ;
	if (!len || ioba + len < ioba)
		return false;
	uint64_t first = ioba >> TCE_PAGE_SHIFT, last = (ioba + len - 1) >> TCE_PAGE_SHIFT;
	if (last >= t->nentries)
		return false;
	for (uint64_t i = first; i <= last; i++) {
		uint64_t e = t->entry[i];
		if (!(e & need) || (i > first && (e & ~(PAGE - 1)) != (t->entry[i - 1] & ~(PAGE - 1)) + PAGE))
			return false;
	}
	*gpa = (t->entry[first] & ~(PAGE - 1)) | (ioba & (PAGE - 1));
	return true;
}
