#!/usr/bin/env python3
"""Copies a big-endian ELF64 with its ELF header and program headers
rewritten little-endian, and its section headers dropped; the segments (the
code, still big-endian) are untouched. Such an image tells a pseries loader
"little-endian kernel" while its entry code, like every pseries kernel's,
expects the big-endian entry QEMU gives; so it runs only if the hypervisor
enters it as QEMU does.

usage: elf_le_header.py IN OUT"""
import struct
import sys

EHDR = ">16sHHIQQQIHHHHHH"
PHDR = ">IIQQQQQQ"


def main():
    data = bytearray(open(sys.argv[1], "rb").read())
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 2:
        sys.exit("%s: not a big-endian ELF64" % sys.argv[1])
    ident, typ, mach, ver, entry, phoff, shoff, flags, ehsize, phentsize, phnum, shentsize, shnum, shstrndx = \
        struct.unpack_from(EHDR, data, 0)
    ident = ident[:5] + b"\x01" + ident[6:]
    struct.pack_into("<" + EHDR[1:], data, 0, ident, typ, mach, ver, entry, phoff, 0, flags, ehsize, phentsize,
                     phnum, shentsize, 0, 0)
    for i in range(phnum):
        off = phoff + i * phentsize
        struct.pack_into("<" + PHDR[1:], data, off, *struct.unpack_from(PHDR, data, off))
    open(sys.argv[2], "wb").write(data)


if __name__ == "__main__":
    main()
