/* hv/nvram.c: a fresh NVRAM is one CHRP free partition the OS accepts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "hv/papr/nvram.h"

/* Linux's nvram_checksum() restated over a raw big-endian header. */
static uint8_t os_checksum(const uint8_t *h)
{
	unsigned int sum = h[0] + (unsigned int)(h[2] << 8 | h[3]);
	for (int i = 4; i < 16; i += 2)
		sum += (unsigned int)(h[i] | h[i + 1] << 8); /* a little-endian OS reads the name's words so */
	sum = ((sum & 0xffff) + (sum >> 16)) & 0xffff;
	unsigned int sum2 = (sum >> 8) + (sum << 8);
	return (uint8_t)(((sum + sum2) >> 8) & 0xff);
}

static void fresh_nvram_is_one_free_partition(void **state)
{
	(void)state;
	static uint8_t nv[65536];
	memset(nv, 0xaa, sizeof(nv));
	nvram_format(nv, sizeof(nv));
	assert_int_equal(nv[0], 0x7f);
	assert_int_equal(nv[2] << 8 | nv[3], 4096); /* 64 KiB in 16-byte blocks */
	assert_memory_equal(nv + 4, "wwwwwwwwwwww", 12);
	assert_int_equal(nv[1], os_checksum(nv));
	assert_int_equal(nv[1], 0x29); /* worked by hand from Linux's algorithm */
	for (size_t i = 16; i < sizeof(nv); i++)
		assert_int_equal(nv[i], 0);
}

static void checksum_depends_on_every_field(void **state)
{
	(void)state;
	uint8_t a = nvram_header_checksum(0x7f, 4096, "wwwwwwwwwwww");
	assert_int_not_equal(a, nvram_header_checksum(0x70, 4096, "wwwwwwwwwwww"));
	assert_int_not_equal(a, nvram_header_checksum(0x7f, 2048, "wwwwwwwwwwww"));
	assert_int_not_equal(a, nvram_header_checksum(0x7f, 4096, "wwwwwwwwwwwx"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fresh_nvram_is_one_free_partition),
		cmocka_unit_test(checksum_depends_on_every_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
