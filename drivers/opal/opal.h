/* OPAL firmware calls (skiboot's runtime interface). */
#ifndef DRIVERS_OPAL_OPAL_H
#define DRIVERS_OPAL_OPAL_H

#include <stdint.h>

#define OPAL_CONSOLE_WRITE    1
#define OPAL_CONSOLE_READ     2
#define OPAL_RTC_READ         3
#define OPAL_CEC_POWER_DOWN   5
#define OPAL_CEC_REBOOT       6
#define OPAL_POLL_EVENTS      10
#define OPAL_START_CPU        41
#define OPAL_QUERY_CPU_STATUS 42
#define OPAL_REINIT_CPUS      70

#define OPAL_SUCCESS    0
#define OPAL_PARAMETER  -1
#define OPAL_BUSY       -2
#define OPAL_HARDWARE   -6
#define OPAL_BUSY_EVENT -12

struct opal_info {
	uint64_t base; /* r2 for OPAL */
	uint64_t entry;
};
extern struct opal_info opal;

int64_t opal_call(uint64_t token, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5,
		  uint64_t a6);

#define OPAL0(t)          opal_call(t, 0, 0, 0, 0, 0, 0, 0)
#define OPAL1(t, a)       opal_call(t, a, 0, 0, 0, 0, 0, 0)
#define OPAL2(t, a, b)    opal_call(t, a, b, 0, 0, 0, 0, 0)
#define OPAL3(t, a, b, c) opal_call(t, a, b, c, 0, 0, 0, 0)

/* Writes all of buf to the firmware console, waiting while it is busy. */
void opal_console_write(const char *buf, uint64_t len);
/* Reads up to len bytes; returns the number read (0 when nothing waits). */
uint64_t opal_console_read(char *buf, uint64_t len);
void opal_power_off(void) __attribute__((noreturn));

#endif
