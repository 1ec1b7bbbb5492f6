/* The guest's hashed-MMU page sizes: see page_sizes.h. */
#include "hv/mm/page_sizes.h"

const struct hv_page_size hv_page_sizes[HV_NUM_PAGE_SIZES] = {
	[HV_PS_4K] = { 12, 12, 0x00, 0x000 },
	[HV_PS_4K_64K] = { 12, 16, 0x07, 0x000 },
	[HV_PS_4K_16M] = { 12, 24, 0x38, 0x000 },
	[HV_PS_64K] = { 16, 16, 0x01, SLB_VSID_L | SLB_VSID_LP_01 },
	[HV_PS_64K_16M] = { 16, 24, 0x08, SLB_VSID_L | SLB_VSID_LP_01 },
	[HV_PS_16M] = { 24, 24, 0x00, SLB_VSID_L },
};

int hv_page_size_slb_enc(unsigned int base_shift)
{
	switch (base_shift) {
	case 12:
		return hv_page_sizes[HV_PS_4K].slb_enc;
	case 16:
		return hv_page_sizes[HV_PS_64K].slb_enc;
	case 24:
		return hv_page_sizes[HV_PS_16M].slb_enc;
	}
	return -1;
}
