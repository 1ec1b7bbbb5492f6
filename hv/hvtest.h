/*
 * Test hooks selected on the command line ("hvtest=NAME"), so integration
 * tests can drive error paths of the real image: a fault, a broken firmware
 * device tree, console input. They do nothing unless asked for.
 */
#ifndef HV_HVTEST_H
#define HV_HVTEST_H

/* Raw read of /chosen/bootargs, usable before the tree is validated. */
const char *hvtest_bootargs(const void *fdt);
int hvtest_enabled(const char *bootargs, const char *name);
/* fdt-no-timebase / fdt-overlap: returns a damaged copy of fdt, else fdt. */
void *hvtest_mangle_fdt(void *fdt, const char *bootargs);
/* fault / echo: run after boot, before partitions or the self-test. */
void hvtest_run(const char *bootargs);
/* disk-io / disk-records / disk-bench: the host drives (hv/hvtest_disk.c). */
void hvtest_disks(const char *bootargs);

#endif
