/* Page preparation on the machine: memset, the icache sequence, and "stop"
 * once the running guest entry's budget (its HDEC) is spent. */
#ifndef HV_ARCH_PAGE_PREP_HW_H
#define HV_ARCH_PAGE_PREP_HW_H

#include "hv/mm/page_prep.h"

extern const struct page_prep_ops page_prep_hw;

#endif
