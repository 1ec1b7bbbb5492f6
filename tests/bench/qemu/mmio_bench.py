#!/usr/bin/env python3
"""The cost of an emulated device access, in hypervisor instructions.

The PCI test guest in bench mode (tests/guests/bundles/pci-bench.dts) makes
256 stores to ivshmem's IntrMask and 256 loads of its IVPosition through an
absent HPT entry; each one is a hypervisor data storage interrupt (0xE00)
that finds the entry, fetches and decodes the instruction and carries it
out on the partition's MMIO bus. Counted as hcall_bench.py counts hcalls:
from QEMU's execution trace of the hypervisor's own code.
"""
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hcall_bench  # noqa: E402

BUNDLE = os.path.join(hcall_bench.TOP, "build", "bundles", "pci-bench.bundle")


def main():
    syms, addr, etext = hcall_bench.symbols()
    names = [n for _, n in syms]
    starts = [a for a, _ in syms]
    memset_end = starts[names.index("memset") + 1]
    dfilter = "0x0..0x%x,0x%x..0x%x" % (addr["memset"] - 1, memset_end, etext - 1)
    kinds = {"regs_write": "4-byte store (stw)", "regs_read": "4-byte load (lwz)"}
    ranges = {k: (addr[k], starts[names.index(k) + 1]) for k in kinds}
    counts = {}
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "exec.log")
        failed = hcall_bench.trace(dfilter, log, BUNDLE, "pci")
        for vec, pcs in hcall_bench.episodes(log, syms):
            if vec != 0xe00:
                continue
            for k, (lo, hi) in ranges.items():
                if any(lo <= pc < hi for pc in pcs):
                    counts.setdefault(kinds[k], []).append(len(pcs))
                    break
    print("hypervisor instructions per emulated ivshmem register access (QEMU exec trace, median)")
    print("%-24s %8s %8s %8s %7s  %s" % ("access", "median", "min", "max", "count", "target"))
    for kind, target in (("4-byte store (stw)", 400), ("4-byte load (lwz)", None)):
        c = counts.get(kind)
        if not c:
            print("%-24s %8s" % (kind, "missing"))
            failed += 1
            continue
        m = statistics.median(c)
        verdict = "" if target is None else ("< %d: %s" % (target, "met" if m < target else "NOT met"))
        print("%-24s %8d %8d %8d %7d  %s" % (kind, m, min(c), max(c), len(c), verdict))
    if failed:
        print("the bench guest reported %d failed checks" % failed)
        sys.exit(1)


if __name__ == "__main__":
    main()
