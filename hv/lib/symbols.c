#include <stddef.h>
#include "hv/lib/symbols.h"

const char *symbol_lookup(const struct hv_symtab *t, uint64_t addr, uint64_t *offset)
{
	if (!t || t->count == 0 || addr < t->syms[0].addr || addr >= t->text_end)
		return NULL;
	unsigned int lo = 0, hi = t->count; /* last sym with addr <= target */
	while (hi - lo > 1) {
		unsigned int mid = lo + (hi - lo) / 2;
		if (t->syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - t->syms[lo].addr;
	return t->names + t->syms[lo].name;
}
