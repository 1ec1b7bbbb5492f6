#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "hv/lib/log.h"

#define LOG_LINE_MAX 256

static log_sink_fn log_sink;
static enum log_level log_level = LOG_INFO;

static const char *const level_names[] = { "error", "warn", "info", "debug" };
static const char *const level_prefix[] = { "ERROR: ", "WARNING: ", "", "debug: " };

void log_set_sink(log_sink_fn sink)
{
	log_sink = sink;
}
void log_set_level(enum log_level level)
{
	log_level = level;
}

int log_level_from_args(const char *args)
{
	static const char key[] = "loglevel=";
	for (const char *p = args; p && (p = strstr(p, key)); p++) {
		if (p != args && p[-1] != ' ')
			continue;
		const char *v = p + sizeof(key) - 1;
		size_t n = strcspn(v, " ");
		for (int l = LOG_ERROR; l <= LOG_DEBUG; l++)
			if (strlen(level_names[l]) == n && !strncmp(v, level_names[l], n))
				return l;
		return -1;
	}
	return -1;
}

static void emit(const char *level_prefix, const char *prefix, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	size_t n = (size_t)snprintf(line, sizeof(line), "%s%s", level_prefix, prefix);
	if (n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	int m = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (m < 0)
		m = 0;
	n += (size_t)m;
	if (n > sizeof(line) - 2)
		n = sizeof(line) - 2; /* truncated: keep the line ending */
	if (n == 0 || line[n - 1] != '\n')
		line[n++] = '\n';
	line[n] = '\0';
	if (log_sink)
		log_sink(line, n);
}

void hvlogv(enum log_level level, const char *prefix, const char *fmt, va_list ap)
{
	if (level <= log_level)
		emit(level_prefix[level], prefix, fmt, ap);
}

void hvlog(enum log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	hvlogv(level, "", fmt, ap);
	va_end(ap);
}

void hvprintv(const char *prefix, const char *fmt, va_list ap)
{
	emit("", prefix, fmt, ap);
}

void hvprint(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit("", "", fmt, ap);
	va_end(ap);
}
