/* hv/papr/fwnmi.c: the machine-check error log a pseries Linux decodes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "hv/papr/fwnmi.h"

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* Walks the log as Linux's get_pseries_errorlog() does and returns the MC section's data. */
static const uint8_t *mc_section(const uint8_t *log)
{
	uint32_t ext_len = be32(log + 4);
	const uint8_t *ext = log + 8;
	if (ext_len < 16 || (ext[2] & 0x0f) != 14 || be32(ext + 12) != 0x49424d00)
		return NULL;
	for (const uint8_t *p = ext + 16; p < ext + ext_len;) {
		unsigned int len = (unsigned int)(p[2] << 8 | p[3]);
		if ((p[0] << 8 | p[1]) == 0x4d43)
			return p + 8;
		if (!len)
			return NULL;
		p += len;
	}
	return NULL;
}

static void log_decodes_as_linux_reads_it(void **state)
{
	(void)state;
	uint8_t buf[256];
	memset(buf, 0xee, sizeof(buf));
	unsigned int n = fwnmi_mc_log(buf, 0x1122334455667788ull, MC_STORE, 0x10000000);
	assert_true(n <= RTAS_SRESET_OFFSET - RTAS_ERROR_LOG_OFFSET);
	assert_int_equal(be64(buf), 0x1122334455667788ull); /* the saved r3 */
	const uint8_t *log = buf + 8;
	assert_int_equal(log[0], 6);            /* version 6 */
	assert_int_equal(log[1] >> 5, 3);       /* severity: error, synchronous */
	assert_int_equal((log[1] >> 3) & 3, 2); /* not recovered */
	assert_int_equal((log[1] >> 2) & 1, 1); /* extended log present */
	assert_int_equal(8 + 8 + be32(log + 4), n);
	const uint8_t *mc = mc_section(log);
	assert_non_null(mc);
	assert_int_equal(mc[8], 0);           /* uncorrectable error */
	assert_int_equal(mc[9] & 0x40, 0x40); /* effective address provided */
	assert_int_equal(mc[9] & 0x07, 3);    /* on a load or store */
	assert_int_equal(be64(mc + 16), 0x10000000);
	fwnmi_mc_log(buf, 0, MC_IFETCH, 0x20000000);
	assert_int_equal(mc_section(buf + 8)[9] & 0x07, 1); /* an instruction fetch */
}

static void srr1_and_dsisr_name_the_access(void **state)
{
	(void)state;
	assert_int_equal(mc_srr1_bits(MC_LOAD), 0x200000);
	assert_int_equal(mc_dsisr(MC_LOAD), 0x40);
	assert_int_equal(mc_srr1_bits(MC_STORE), 0x08340000);
	assert_int_equal(mc_srr1_bits(MC_IFETCH), 0x080c0000);
	assert_int_equal(mc_srr1_bits(MC_LOAD) & ~0x783f0000ull, 0); /* only interrupt-cause bits */
	assert_int_equal(rtas_area_size(2), 2048 + 32 + 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(log_decodes_as_linux_reads_it),
		cmocka_unit_test(srr1_and_dsisr_name_the_access),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
