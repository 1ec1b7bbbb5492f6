#ifndef HV_SELFTEST_H
#define HV_SELFTEST_H

#include "hv/config/platform.h"

/* Runs the power-on self-test; prints "SELFTEST: N passed, M failed" and returns M. */
int selftest_run(const struct platform *p, const struct plat_rsv *busy, unsigned int nbusy);

#endif
