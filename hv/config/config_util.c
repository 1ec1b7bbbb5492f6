/* Helpers of the bundle's configuration parser (config.c, config_disks.c). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <libfdt.h>
#include "hv/config/config_util.h"
#include "hv/lib/error.h"

int cfg_fail(struct ctx *c, const char *fmt, ...)
{
	int n = snprintf(c->err, c->errlen, "bundle: %s: ", c->where);
	if (n < 0 || (size_t)n >= c->errlen)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	verrorf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Copies a name from the bundle for messages: printable, bounded, one line. */
void cfg_printable(char *dst, size_t n, const char *src, int len)
{
	size_t o = 0;
	for (int i = 0; i < len && src[i] && o + 1 < n; i++)
		dst[o++] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
	dst[o] = '\0';
}

const char *cfg_size_str(uint64_t v, char *buf, size_t n)
{
	if (v && v % GiB == 0)
		snprintf(buf, n, "%llu GiB", (unsigned long long)(v / GiB));
	else if (v && v % MiB == 0)
		snprintf(buf, n, "%llu MiB", (unsigned long long)(v / MiB));
	else
		snprintf(buf, n, "%llu bytes", (unsigned long long)v);
	return buf;
}

bool cfg_experimental(const char *name)
{
	return strncmp(name, "x-", 2) == 0;
}

int cfg_get_flag(struct ctx *c, int node, const char *name, bool *set)
{
	int len;
	*set = fdt_getprop(c->fdt, node, name, &len) != NULL;
	if (*set && len != 0)
		return cfg_fail(c, "property %s: a flag takes no value", name);
	return 0;
}

int cfg_get_either(struct ctx *c, int node, const char *name, const char *first, const char *second, bool *is_second)
{
	const char *v;
	int rc = cfg_get_string(c, node, name, 31, &v);
	if (rc)
		return rc;
	if (strcmp(v, first) && strcmp(v, second)) {
		char shown[40];
		cfg_printable(shown, sizeof(shown), v, (int)strlen(v));
		return cfg_fail(c, "property %s: '%s' is not %s or %s", name, shown, first, second);
	}
	*is_second = !strcmp(v, second);
	return 0;
}

/* Index of name in a NULL-terminated list, or -1. */
int cfg_list_index(const char *name, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (!strcmp(name, list[i]))
			return i;
	return -1;
}

bool cfg_in_list(const char *name, const char *const *list)
{
	return cfg_list_index(name, list) >= 0 || cfg_experimental(name);
}

/* Every property of node is in allowed (or x-*): catches typos. */
int cfg_check_props(struct ctx *c, int node, const char *const *allowed)
{
	int prop;
	fdt_for_each_property_offset (prop, c->fdt, node) {
		const char *name;
		if (!fdt_getprop_by_offset(c->fdt, prop, &name, NULL) || !name)
			return cfg_fail(c, "corrupt property");
		if (!cfg_in_list(name, allowed)) {
			char shown[40];
			cfg_printable(shown, sizeof(shown), name, (int)strlen(name));
			return cfg_fail(c, "unknown property '%s'", shown);
		}
	}
	if (prop != -FDT_ERR_NOTFOUND)
		return cfg_fail(c, "%s", fdt_strerror(prop));
	return 0;
}

/* Every subnode of node is in allowed (or x-*), and none of those twice. */
int cfg_check_subnodes(struct ctx *c, int node, const char *const *allowed)
{
	int sub;
	unsigned int seen = 0;
	fdt_for_each_subnode (sub, c->fdt, node) {
		int len;
		const char *name = fdt_get_name(c->fdt, sub, &len);
		if (!name)
			return cfg_fail(c, "corrupt node");
		char shown[40];
		cfg_printable(shown, sizeof(shown), name, len);
		int i = cfg_list_index(name, allowed);
		if (i < 0 && !cfg_experimental(name))
			return cfg_fail(c, "unknown node '%s'", shown);
		if (i >= 0 && (seen & (1u << i)))
			return cfg_fail(c, "node '%s' appears twice", shown);
		if (i >= 0)
			seen |= 1u << i;
	}
	if (sub != -FDT_ERR_NOTFOUND)
		return cfg_fail(c, "%s", fdt_strerror(sub));
	return 0;
}

/* A number in one cell, or (allow64) two. 1 when absent, 0 when read, -1 on error. */
int cfg_get_num(struct ctx *c, int node, const char *name, bool allow64, uint64_t *out)
{
	int len;
	const uint8_t *p = fdt_getprop(c->fdt, node, name, &len);
	if (!p)
		return 1;
	if (len == 4) {
		*out = fdt32_ld((const fdt32_t *)p);
	} else if (len == 8 && allow64) {
		*out = ((uint64_t)fdt32_ld((const fdt32_t *)p) << 32) | fdt32_ld((const fdt32_t *)(p + 4));
	} else {
		return cfg_fail(c, "property %s: %d bytes long, expected %s", name, len,
				allow64 ? "4 or 8 (one or two cells)" : "4 (one cell)");
	}
	return 0;
}

/* Resolves the image named by partition property prop (already checked by check_images). */
int cfg_get_image(const void *fdt, struct ctx *c, int part, const char *prop, struct image_ref *ref)
{
	const char *want;
	int rc = cfg_get_string(c, part, prop, sizeof(ref->name) - 1, &want);
	if (rc)
		return rc;
	int images = fdt_subnode_offset(fdt, 0, "images"), node;
	if (images < 0)
		return cfg_fail(c, "property %s: no image '%s': the bundle has no /images node", prop, want);
	fdt_for_each_subnode (node, fdt, images) {
		const char *name = fdt_get_name(fdt, node, NULL);
		if (name && !strcmp(name, want)) {
			int len;
			ref->data = fdt_getprop(fdt, node, "data", &len);
			ref->size = (uint64_t)len;
			snprintf(ref->name, sizeof(ref->name), "%s", want);
			return 0;
		}
	}
	return cfg_fail(c, "property %s: no image '%s' in /images", prop, want);
}

bool cfg_valid_name(const char *name, int len, size_t max)
{
	bool ok = len >= 1 && (size_t)len <= max;
	for (int i = 0; ok && i < len; i++)
		ok = (name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') || name[i] == '_' ||
		     name[i] == '-';
	return ok;
}
