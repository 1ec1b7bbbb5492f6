/*
 * Link-time registration. A module adds an entry to a named set where it
 * defines it (REGISTER); whoever owns the set walks every entry linked into
 * the program (REGISTRY_FOREACH). Adding an hcall, an RTAS service or an
 * exit handler is then one definition in its own file, and no central list
 * changes. The linker gathers each set into one array (linker/hv.lds names
 * the image's sets; host programs get the same from the toolchain's
 * automatic __start_/__stop_ symbols). Entry types must be a multiple of
 * 8 bytes so that the array has no gaps.
 */
#ifndef HV_LIB_REGISTRY_H
#define HV_LIB_REGISTRY_H

#define REGISTER(set, type, name) static const type name __attribute__((used, section(#set), aligned(8)))

/* Weak, so that a program without any entry of the set links too. */
#define REGISTRY_DECLARE(set, type)                              \
	extern const type __start_##set[] __attribute__((weak)); \
	extern const type __stop_##set[] __attribute__((weak))

#define REGISTRY_FOREACH(set, type, it) for (const type *it = __start_##set; it < __stop_##set; it++)

#endif
