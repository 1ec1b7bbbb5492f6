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

/* PCI (skiboot include/opal-api.h); used by drivers/pci/host_pci.c. */
#define OPAL_PCI_CONFIG_READ_BYTE       13
#define OPAL_PCI_CONFIG_READ_HALF_WORD  14
#define OPAL_PCI_CONFIG_READ_WORD       15
#define OPAL_PCI_CONFIG_WRITE_BYTE      16
#define OPAL_PCI_CONFIG_WRITE_HALF_WORD 17
#define OPAL_PCI_CONFIG_WRITE_WORD      18
#define OPAL_PCI_EEH_FREEZE_STATUS      23
#define OPAL_PCI_EEH_FREEZE_CLEAR       26
#define OPAL_PCI_PHB_MMIO_ENABLE        27
#define OPAL_PCI_SET_PHB_MEM_WINDOW     28
#define OPAL_PCI_MAP_PE_MMIO_WINDOW     29
#define OPAL_PCI_SET_PE                 31
#define OPAL_PCI_SET_PELTV              32
#define OPAL_PCI_MAP_PE_DMA_WINDOW      44
#define OPAL_PCI_MAP_PE_DMA_WINDOW_REAL 45
#define OPAL_PCI_TCE_KILL               126

#define OPAL_M32_WINDOW_TYPE             1
#define OPAL_M64_WINDOW_TYPE             2
#define OPAL_ENABLE_M64_NON_SPLIT        2 /* the whole M64 BAR decodes for one PE */
#define OPAL_PCI_BUS_ALL                 7 /* compare the whole bus number */
#define OPAL_COMPARE_RID_DEVICE_NUMBER   1
#define OPAL_COMPARE_RID_FUNCTION_NUMBER 1
#define OPAL_MAP_PE                      1
#define OPAL_ADD_PE_TO_DOMAIN            1
#define OPAL_EEH_STOPPED_NOT_FROZEN      0
#define OPAL_EEH_ACTION_CLEAR_FREEZE_ALL 3
#define OPAL_PCI_TCE_KILL_PE             1

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
