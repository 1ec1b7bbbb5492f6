#include <stdint.h>
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/lib/log.h"
#include "hv/lib/spinlock.h"
#include "drivers/opal/opal.h"

static struct spinlock console_lock = SPINLOCK_INIT;
static volatile int64_t console_owner = -1; /* CPU index holding the lock */

/* Whole lines stay whole across CPUs; a CPU that faults while printing
 * (its own lock held) still gets its report out. */
void console_write(const char *s, size_t len)
{
	int64_t me = this_cpu()->index;
	int nested = console_owner == me;
	if (!nested) {
		spin_lock(&console_lock);
		console_owner = me;
	}
	opal_console_write(s, len);
	if (!nested) {
		console_owner = -1;
		spin_unlock(&console_lock);
	}
}

int console_getc(void)
{
	char c;
	if (opal_console_read(&c, 1) == 1)
		return (unsigned char)c;
	return -1;
}

void console_init(void)
{
	log_set_sink(console_write);
}
