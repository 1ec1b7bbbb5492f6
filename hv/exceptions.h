#ifndef HV_EXCEPTIONS_H
#define HV_EXCEPTIONS_H

#include <stdint.h>
#include "hv/regs.h"

void exception_handler(struct regs *r);
const char *vector_name(uint64_t vector);
/* Prints the full register report and backtrace of r. */
void fault_report(const struct regs *r);

#endif
