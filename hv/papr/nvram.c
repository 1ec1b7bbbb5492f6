#include <string.h>
#include "hv/papr/nvram.h"

#define NVRAM_SIG_FREE 0x7f

/* Sum of the signature, the length and the name's six 16-bit words, folded
 * to a byte. The name here is all 'w', so its words read the same in
 * either byte order, as the OS will read them. */
uint8_t nvram_header_checksum(uint8_t signature, uint16_t length, const char name[12])
{
	uint32_t sum = signature + length;
	for (int i = 0; i < 12; i += 2)
		sum += (uint32_t)((uint8_t)name[i] << 8 | (uint8_t)name[i + 1]);
	sum = ((sum & 0xffff) + (sum >> 16)) & 0xffff;
	uint32_t sum2 = (sum >> 8) + (sum << 8);
	return (uint8_t)(((sum + sum2) >> 8) & 0xff);
}

void nvram_format(uint8_t *nvram, size_t size)
{
	static const char free_name[12] = "wwwwwwwwwwww";
	uint16_t blocks = (uint16_t)(size / 16);
	memset(nvram, 0, size);
	nvram[0] = NVRAM_SIG_FREE;
	nvram[1] = nvram_header_checksum(NVRAM_SIG_FREE, blocks, free_name);
	nvram[2] = (uint8_t)(blocks >> 8); /* length in 16-byte blocks, big-endian */
	nvram[3] = (uint8_t)blocks;
	memcpy(nvram + 4, free_name, 12);
}
