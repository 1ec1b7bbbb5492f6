/*
 * One-line error messages for parsers: a module that checks hostile input
 * writes why it refused into the caller's buffer and returns -1, with
 * "return errorf(err, errlen, ...);". Portable.
 */
#ifndef HV_LIB_ERROR_H
#define HV_LIB_ERROR_H

#include <stdarg.h>
#include <stddef.h>

int errorf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int verrorf(char *err, size_t errlen, const char *fmt, va_list ap);

#endif
