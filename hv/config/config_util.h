/*
 * Helpers of the bundle's configuration parser (hv/config/config.c and
 * config_disks.c): error messages that say where, bounded strings and
 * numbers, typo checks of property and node names. Portable.
 */
#ifndef HV_CONFIG_CONFIG_UTIL_H
#define HV_CONFIG_CONFIG_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hv/config/config_types.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)

/* Where an error is: "partition 'web'", "image 'linux'", "/hypervisor". */
struct ctx {
	const void *fdt;
	char where[64];
	char *err;
	size_t errlen;
};

/* "bundle: WHERE: message" into c->err; returns -1. */
int cfg_fail(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Copies a name from the bundle for messages: printable, bounded, one line. */
void cfg_printable(char *dst, size_t n, const char *src, int len);
const char *cfg_size_str(uint64_t v, char *buf, size_t n);
/* Names starting "x-" are experimental: accepted and ignored. */
bool cfg_experimental(const char *name);
int cfg_list_index(const char *name, const char *const *list);
bool cfg_in_list(const char *name, const char *const *list);
/* Every property of node is in allowed (or x-*): catches typos. */
int cfg_check_props(struct ctx *c, int node, const char *const *allowed);
/* Every subnode of node is in allowed (or x-*), and none of those twice. */
int cfg_check_subnodes(struct ctx *c, int node, const char *const *allowed);
/* A number in one cell, or (allow64) two. 1 when absent, 0 when read, -1 on error. */
int cfg_get_num(struct ctx *c, int node, const char *name, bool allow64, uint64_t *out);
/* A NUL-terminated string of at most max bytes (excluding the NUL). 1 when absent. */
int cfg_get_string(struct ctx *c, int node, const char *name, size_t max, const char **out);
/* rc of a getter for a required property: absent becomes an error. */
int cfg_required(struct ctx *c, int rc, const char *name);
/* A flag property (no value): 0 with *set, or -1 after an error. */
int cfg_get_flag(struct ctx *c, int node, const char *name, bool *set);
/* A string property that must be one of two words: 1 when absent, 0 with
 * *second true when it is the second, -1 after an error naming both. */
int cfg_get_either(struct ctx *c, int node, const char *name, const char *first, const char *second, bool *is_second);
/* A name of the bundle's (partition, disk): 1..max characters of a-z, 0-9, _ and -. */
bool cfg_valid_name(const char *name, int len, size_t max);
/* The /images node named by property prop of node (checked by check_images). 1 when absent. */
int cfg_get_image(const void *fdt, struct ctx *c, int node, const char *prop, struct image_ref *ref);

#endif
