/* H_REGISTER_VPA: the virtual processor area, the dispatch trace log and
 * the SLB shadow; size, alignment, page-crossing and ordering rules as
 * QEMU pseries. */
#include "hcall/hcall.h"
#include "hv/lib/bytes.h"
#include "hv/papr/vpa.h"
#include "hv/partition.h"

#define VPA_FLAGS_MASK           (7ull << 45)
#define VPA_REGISTER             (1ull << 45)
#define VPA_REGISTER_DTL         (2ull << 45)
#define VPA_REGISTER_SLBSHADOW   (3ull << 45)
#define VPA_DEREGISTER           (5ull << 45)
#define VPA_DEREGISTER_DTL       (6ull << 45)
#define VPA_DEREGISTER_SLBSHADOW (7ull << 45)
#define DTL_MIN_SIZE             48
#define SLB_SHADOW_MIN_SIZE      8

/* Each area states its size at offset 4 and must lie in one 4 KiB page (the VPA, the SLB shadow) or in memory (the DTL). */
static long check_area(struct partition *p, uint64_t addr, uint64_t min, int is_vpa, int one_page, uint64_t *size)
{
	if (addr == 0)
		return H_HARDWARE;
	if (is_vpa && (addr % 128))
		return H_PARAMETER;
	const uint8_t *hdr = guest_ptr(p, addr, 8);
	if (!hdr)
		return H_PARAMETER;
	*size = is_vpa ? be16_load(hdr + 4) : be32_load(hdr + 4);
	if (*size < min)
		return H_PARAMETER;
	if (one_page && (addr / 4096) != ((addr + *size - 1) / 4096))
		return H_PARAMETER;
	if (!guest_ptr(p, addr, *size))
		return H_PARAMETER;
	return H_SUCCESS;
}

static long h_register_vpa(struct vcpu *v)
{
	struct partition *p = v->part;
	uint64_t flags = v->gpr[4], addr = v->gpr[6], size = 0;
	struct vcpu *t = partition_vcpu(p, v->gpr[5]);
	if (!t)
		return H_PARAMETER;
	long rc;
	switch (flags & VPA_FLAGS_MASK) {
	case VPA_REGISTER:
		if ((rc = check_area(p, addr, VPA_SIZE_MIN, 1, 1, &size)))
			return rc;
		t->vpa = addr;
		t->vpa_size = size;
		uint8_t *vpa = guest_ptr(p, addr, VPA_SIZE_MIN);
		vpa[VPA_SHARED_PROC] |= 0x2;
		vpa_set_dispatched(vpa, t->dispatched); /* the count's parity says so from now on */
		return H_SUCCESS;
	case VPA_REGISTER_DTL:
		if ((rc = check_area(p, addr, DTL_MIN_SIZE, 0, 0, &size)))
			return rc;
		if (!t->vpa)
			return H_RESOURCE;
		t->dtl = addr;
		t->dtl_size = size;
		return H_SUCCESS;
	case VPA_REGISTER_SLBSHADOW:
		if ((rc = check_area(p, addr, SLB_SHADOW_MIN_SIZE, 0, 1, &size)))
			return rc;
		if (!t->vpa)
			return H_RESOURCE;
		t->slb_shadow = addr;
		t->slb_shadow_size = size;
		return H_SUCCESS;
	case VPA_DEREGISTER:
		if (t->slb_shadow || t->dtl)
			return H_RESOURCE;
		t->vpa = t->vpa_size = 0;
		return H_SUCCESS;
	case VPA_DEREGISTER_DTL:
		t->dtl = t->dtl_size = 0;
		return H_SUCCESS;
	case VPA_DEREGISTER_SLBSHADOW:
		t->slb_shadow = t->slb_shadow_size = 0;
		return H_SUCCESS;
	}
	return H_PARAMETER;
}
HCALL(H_REGISTER_VPA, h_register_vpa, 0);
