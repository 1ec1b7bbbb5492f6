#ifndef HV_PANIC_H
#define HV_PANIC_H

/* Prints "PANIC: <reason>" and powers the machine off. */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* Orderly power-off (the last act of a run). */
void machine_power_off(void) __attribute__((noreturn));

#endif
