#include "drivers/opal/opal.h"
#include "drivers/timebase.h"

struct opal_info opal;

int64_t opal_call_raw(uint64_t token, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5,
		      uint64_t a6);

/*
 * A guest's decrementer stays live in the register while the hypervisor
 * runs on its thread, and firmware may reprogram DEC in its delay loops:
 * put back what the guest had, less the time the call took.
 */
int64_t opal_call(uint64_t token, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5,
		  uint64_t a6)
{
	int64_t dec = dec_read();
	uint64_t t0 = tb_now();
	int64_t rc = opal_call_raw(token, a0, a1, a2, a3, a4, a5, a6);
	dec_write(dec - (int64_t)(tb_now() - t0));
	return rc;
}

void opal_console_write(const char *buf, uint64_t len)
{
	int stalls = 0;
	while (len) {
		uint64_t n = len; /* in: bytes offered; out: bytes taken (big-endian, as we are) */
		int64_t rc = OPAL3(OPAL_CONSOLE_WRITE, 0, (uint64_t)&n, (uint64_t)buf);
		if (rc == OPAL_SUCCESS && n > 0) {
			buf += n;
			len -= n;
			stalls = 0;
			continue;
		}
		if ((rc != OPAL_SUCCESS && rc != OPAL_BUSY && rc != OPAL_BUSY_EVENT) || ++stalls > 100000)
			return; /* console gone: dropping output beats hanging */
		OPAL0(OPAL_POLL_EVENTS);
	}
}

uint64_t opal_console_read(char *buf, uint64_t len)
{
	uint64_t n = len;
	if (OPAL3(OPAL_CONSOLE_READ, 0, (uint64_t)&n, (uint64_t)buf) != OPAL_SUCCESS)
		return 0;
	return n <= len ? n : 0;
}

/* QEMU and the BMC act on the request only while OPAL polls its events. */
void opal_power_off(void)
{
	while (OPAL1(OPAL_CEC_POWER_DOWN, 0) == OPAL_BUSY)
		OPAL0(OPAL_POLL_EVENTS);
	for (;;)
		OPAL0(OPAL_POLL_EVENTS);
}
