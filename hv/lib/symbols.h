/* Symbol names for backtraces; the table is generated after a first link. */
#ifndef HV_LIB_SYMBOLS_H
#define HV_LIB_SYMBOLS_H

#include <stdint.h>

struct hv_symbol {
	uint64_t addr;
	uint32_t name; /* offset into the names blob */
	uint32_t pad;
};

struct hv_symtab {
	const struct hv_symbol *syms; /* sorted by addr */
	unsigned int count;
	const char *names;
	uint64_t text_end; /* addresses past this are not code */
};

extern const struct hv_symtab hv_symtab;

/* Name of the function containing addr and the offset into it, or NULL. */
const char *symbol_lookup(const struct hv_symtab *t, uint64_t addr, uint64_t *offset);

#endif
