/*
 * RTAS PCI calls on the partition's host bridges (hv/pci_host.h):
 * ibm,read-pci-config, ibm,write-pci-config, ibm,change-msi and
 * ibm,query-interrupt-source-number, with QEMU pseries' statuses. The BUID
 * comes in two cells; one the partition does not have is a hardware error
 * for config accesses and a parameter error for the MSI calls, as QEMU.
 */
#include "hcall/hcall.h"
#include "hv/papr/rtas.h"
#include "hv/partition.h"

static struct phb *bridge(struct vcpu *v, const struct rtas_args *a)
{
	uint64_t buid = (uint64_t)rtas_arg(a, 1) << 32 | rtas_arg(a, 2);
	for (unsigned int i = 0; i < PHB_MAX; i++) {
		struct phb *b = v->part->phb[i];
		if (b && b->buid == buid)
			return b;
	}
	return NULL;
}

/* (config address, BUID hi, BUID lo, size) -> status, value */
static int32_t read_config(struct vcpu *v, struct rtas_args *a)
{
	struct partition *p = v->part;
	struct phb *b = bridge(v, a);
	uint32_t value = 0;
	if (!b)
		return RTAS_HW_ERROR;
	spin_lock(&p->mmio_lock);
	int32_t status = phb_config_read(b, rtas_arg(a, 0), rtas_arg(a, 3), &value);
	spin_unlock(&p->mmio_lock);
	rtas_ret(a, 1, value);
	return status;
}
RTAS_SERVICE(read_pci_config, "ibm,read-pci-config", 0x2015, 4, 2, read_config);

/* (config address, BUID hi, BUID lo, size, value) -> status */
static int32_t write_config(struct vcpu *v, struct rtas_args *a)
{
	struct partition *p = v->part;
	struct phb *b = bridge(v, a);
	if (!b)
		return RTAS_HW_ERROR;
	spin_lock(&p->mmio_lock);
	int32_t status = phb_config_write(b, rtas_arg(a, 0), rtas_arg(a, 3), rtas_arg(a, 4));
	spin_unlock(&p->mmio_lock);
	return status;
}
RTAS_SERVICE(write_pci_config, "ibm,write-pci-config", 0x2016, 5, 1, write_config);

/* (config address, BUID hi, BUID lo, function, number, sequence) ->
 * status, number, sequence[, type] */
static int32_t change_msi(struct vcpu *v, struct rtas_args *a)
{
	struct partition *p = v->part;
	struct phb *b = bridge(v, a);
	uint32_t rets[4] = { (uint32_t)RTAS_PARAM_ERROR };
	unsigned int n = 1;
	if (b) {
		spin_lock(&p->mmio_lock);
		n = phb_change_msi(b, rtas_arg(a, 0), rtas_arg(a, 3), rtas_arg(a, 4), rtas_arg(a, 5), rets);
		spin_unlock(&p->mmio_lock);
	}
	for (unsigned int i = 1; i < n && i < a->nret; i++)
		rtas_ret(a, i, rets[i]);
	return (int32_t)rets[0];
}
RTAS_SERVICE(change_msi, "ibm,change-msi", 0x2017, 6, 3, change_msi);

/* (config address, BUID hi, BUID lo, index) -> status, source, 1 = edge */
static int32_t query_irq(struct vcpu *v, struct rtas_args *a)
{
	struct partition *p = v->part;
	struct phb *b = bridge(v, a);
	uint32_t irq = 0, edge = 0;
	if (!b)
		return RTAS_PARAM_ERROR;
	spin_lock(&p->mmio_lock);
	int32_t status = phb_query_irq(b, rtas_arg(a, 0), rtas_arg(a, 3), &irq, &edge);
	spin_unlock(&p->mmio_lock);
	rtas_ret(a, 1, irq);
	rtas_ret(a, 2, edge);
	return status;
}
RTAS_SERVICE(query_irq, "ibm,query-interrupt-source-number", 0x2018, 4, 3, query_irq);
