#include <stdarg.h>
#include <stdio.h>
#include "hv/panic.h"
#include "hv/lib/log.h"
#include "arch/spr.h"
#include "drivers/opal/opal.h"
#include "drivers/pci/host_pci.h"

static uint32_t stopping;

/* Only the first CPU to stop the machine talks to OPAL; the rest park. */
static void claim_stop(void)
{
	irq_disable();
	if (__atomic_exchange_n(&stopping, 1, __ATOMIC_ACQ_REL))
		for (;;)
			cpu_relax();
}

void panic(const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	claim_stop();
	hvprint("PANIC: %s", msg);
	hvprint("powering off");
	opal_power_off();
}

void machine_power_off(void)
{
	claim_stop();
	host_pci_shutdown(); /* drives consistent before the power goes */
	hvprint("powering off");
	opal_power_off();
}
