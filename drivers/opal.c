#include "drivers/opal.h"

struct opal_info opal;

void opal_console_write(const char *buf, uint64_t len)
{
	int stalls = 0;
	while (len) {
		uint64_t n = len;   /* in: bytes offered; out: bytes taken (big-endian, as we are) */
		int64_t rc = OPAL3(OPAL_CONSOLE_WRITE, 0, (uint64_t)&n, (uint64_t)buf);
		if (rc == OPAL_SUCCESS && n > 0) {
			buf += n;
			len -= n;
			stalls = 0;
			continue;
		}
		if ((rc != OPAL_SUCCESS && rc != OPAL_BUSY && rc != OPAL_BUSY_EVENT) || ++stalls > 100000)
			return;     /* console gone: dropping output beats hanging */
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

void opal_reboot(void)
{
	while (OPAL0(OPAL_CEC_REBOOT) == OPAL_BUSY)
		OPAL0(OPAL_POLL_EVENTS);
	for (;;)
		OPAL0(OPAL_POLL_EVENTS);
}
