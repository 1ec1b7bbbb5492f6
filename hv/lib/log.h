/*
 * Operator log: one line per event, filtered by level. Portable: the
 * hypervisor points the sink at the OPAL console, tests at a buffer.
 * Lines about a partition start with its name ("web: ...").
 */
#ifndef HV_LIB_LOG_H
#define HV_LIB_LOG_H

#include <stdarg.h>
#include <stddef.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

typedef void (*log_sink_fn)(const char *text, size_t len);

void log_set_sink(log_sink_fn sink);
void log_set_level(enum log_level level);
/* Finds "loglevel=error|warn|info|debug" in a command line; -1 if absent or unknown. */
int log_level_from_args(const char *args);
void hvlog(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same with a prefix before the message ("web: "), for wrappers. */
void hvlogv(enum log_level level, const char *prefix, const char *fmt, va_list ap);
/* Unfiltered, unprefixed output (banners, reports, the monitor). */
void hvprint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Unfiltered, after a prefix (a partition's console lines). */
void hvprintv(const char *prefix, const char *fmt, va_list ap);

#define log_error(...) hvlog(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  hvlog(LOG_WARN, __VA_ARGS__)
#define log_info(...)  hvlog(LOG_INFO, __VA_ARGS__)
#define log_debug(...) hvlog(LOG_DEBUG, __VA_ARGS__)

#endif
