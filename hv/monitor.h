/*
 * The hypervisor console. Typed bytes go to the partition that has the
 * focus; Ctrl-] opens the monitor, a small command line for the operator:
 * list partitions, per-partition counters, move the focus, stop and
 * restart partitions. The boot CPU polls it between guest slices.
 */
#ifndef HV_MONITOR_H
#define HV_MONITOR_H

#include <stdbool.h>

#define MONITOR_ESCAPE 0x1d /* Ctrl-] */

void monitor_init(void);
/* How the monitor names an hcall table slot (the hcall layer knows). */
void monitor_set_hcall_namer(const char *(*namer)(unsigned long slot));
/* Reads the console and acts on it; whether anything was typed. */
bool monitor_poll(void);
/* One monitor command line (without the newline); portable logic, testable. */
void monitor_command(const char *line);

#endif
