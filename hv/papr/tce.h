/*
 * A DMA window's translation table (TCEs), as pseries' H_PUT_TCE family
 * sets it: 4 KiB I/O pages from bus address 0; an entry is a guest-real
 * page number with read (bit 0) and write (bit 1) permission. An entry that
 * grants access must point inside the partition's memory (QEMU checks that
 * only at DMA time; we refuse it at once). Portable.
 */
#ifndef HV_PAPR_TCE_H
#define HV_PAPR_TCE_H

#include <stdbool.h>
#include <stdint.h>

#define TCE_PAGE_SHIFT 12
#define TCE_READ       1ull
#define TCE_WRITE      2ull
#define TCE_LIST_MAX   512 /* H_PUT_TCE_INDIRECT */

struct tce_table {
	uint32_t liobn;
	uint64_t *entry;
	uint64_t nentries;
	uint64_t ram_size; /* of the partition: granting entries stay below */
};

/* hcall semantics; they return H_SUCCESS or H_PARAMETER (and stop at the
 * first bad entry, as QEMU, keeping what was done before it). */
long tce_put(struct tce_table *t, uint64_t ioba, uint64_t tce);
long tce_get(const struct tce_table *t, uint64_t ioba, uint64_t *tce);
long tce_stuff(struct tce_table *t, uint64_t ioba, uint64_t tce, uint64_t npages);
/* list: npages big-endian entries the caller found in guest memory. */
long tce_put_list(struct tce_table *t, uint64_t ioba, const uint8_t *list, uint64_t npages);
/* For device models: [ioba, ioba + len) as one guest-real range if the
 * window maps it contiguously with the access asked for. */
bool tce_translate(const struct tce_table *t, uint64_t ioba, uint64_t len, bool write, uint64_t *gpa);

#endif
