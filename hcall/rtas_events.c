/* RTAS event-scan, check-exception and ibm,get-system-parameter: nothing to report, nothing offered. */
#include "hcall/hcall.h"
#include "hv/papr/rtas.h"

#define RTAS_NO_ERRORS_FOUND 1

static int32_t rtas_nothing_to_report(struct vcpu *v, struct rtas_args *a)
{
	(void)v;
	(void)a;
	return RTAS_NO_ERRORS_FOUND;
}
RTAS_SERVICE(event_scan, "event-scan", 0x200e, RTAS_ANY, 1, rtas_nothing_to_report);
RTAS_SERVICE(check_exception, "check-exception", 0x200f, RTAS_ANY, 1, rtas_nothing_to_report);

static int32_t rtas_get_system_parameter(struct vcpu *v, struct rtas_args *a)
{
	(void)v;
	(void)a;
	return RTAS_PARAM_ERROR; /* no parameters offered */
}
RTAS_SERVICE(get_system_parameter, "ibm,get-system-parameter", 0x2010, RTAS_ANY, 0, rtas_get_system_parameter);
