/* RTAS power-off, system-reboot and ibm,os-term: the partition's, never the machine's. */
#include "hcall/hcall.h"
#include "hv/papr/rtas.h"
#include "hv/partition.h"

static int32_t rtas_power_off(struct vcpu *v, struct rtas_args *a)
{
	(void)a;
	partition_stop(v->part, "powered off by the guest");
	return RTAS_OK;
}
RTAS_SERVICE(power_off, "power-off", 0x2002, RTAS_ANY, 0, rtas_power_off);

static int32_t rtas_system_reboot(struct vcpu *v, struct rtas_args *a)
{
	(void)a;
	partition_request_reboot(v->part, "rebooting at the guest's request", false);
	return RTAS_OK;
}
RTAS_SERVICE(system_reboot, "system-reboot", 0x2003, RTAS_ANY, 0, rtas_system_reboot);

/* The argument is the address of the OS's message (its panic string). */
static int32_t rtas_os_term(struct vcpu *v, struct rtas_args *a)
{
	struct partition *p = v->part;
	char msg[96] = "";
	uint32_t addr = a->nargs >= 1 ? rtas_arg(a, 0) : 0;
	const char *m = a->nargs >= 1 ? guest_ptr(p, addr, 1) : 0;
	for (unsigned int i = 0; m && i < sizeof(msg) - 1 && guest_ptr(p, addr + i, 1); i++) {
		char ch = m[i];
		if (!ch || ch == '\n')
			break;
		msg[i] = (ch >= 32 && ch < 127) ? ch : '?';
		msg[i + 1] = 0;
	}
	partition_stop(p, "the guest OS terminated (ibm,os-term): %s", msg[0] ? msg : "no message");
	return RTAS_OK;
}
RTAS_SERVICE(os_term, "ibm,os-term", 0x2004, RTAS_ANY, 0, rtas_os_term);
