/* The hypervisor console: the firmware's serial console through OPAL. */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include <stddef.h>

void console_init(void);
void console_write(const char *s, size_t len);
/* Returns a byte typed on the console, or -1 when none is waiting. */
int console_getc(void);

#endif
