#!/usr/bin/env python3
"""The cost of an emulated device access, in hypervisor instructions.

The PCI test guest in bench mode (tests/guests/bundles/pci-bench.dts) makes
256 stores to ivshmem's IntrMask, 256 stores to an offset of BAR 0 with no
register (the cost of the exit and emulation alone) and 256 loads of its
IVPosition, each through an absent HPT entry; each one is a hypervisor data storage interrupt (0xE00)
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
    ranges = {k: (addr[k], starts[names.index(k) + 1]) for k in ("regs_write", "regs_read")}
    order = [("4-byte store to IntrMask", "regs_write", None), ("4-byte store, no register", "regs_write", 400),
             ("4-byte load of IVPosition", "regs_read", None)]
    counts = {label: [] for label, _, _ in order}
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "exec.log")
        failed = hcall_bench.trace(dfilter, log, BUNDLE, "pci")
        seen = {"regs_write": 0, "regs_read": 0}
        for vec, pcs in hcall_bench.episodes(log, syms):
            if vec != 0xe00:
                continue
            for fn, (lo, hi) in ranges.items():
                if any(lo <= pc < hi for pc in pcs):
                    # The guest's order: 256 of each, stores to IntrMask first.
                    rows = [label for label, f, _ in order if f == fn]
                    counts[rows[min(seen[fn] // 256, len(rows) - 1)]].append(len(pcs))
                    seen[fn] += 1
                    break
    print("hypervisor instructions per emulated ivshmem register access (QEMU exec trace, median)")
    print("%-28s %8s %8s %8s %7s  %s" % ("access", "median", "min", "max", "count", "target"))
    for label, _, target in order:
        c = counts[label]
        if len(c) != 256:
            print("%-28s %8s (%d seen)" % (label, "missing", len(c)))
            failed += 1
            continue
        m = statistics.median(c)
        verdict = "" if target is None else ("< %d: %s" % (target, "met" if m < target else "NOT met"))
        print("%-28s %8d %8d %8d %7d  %s" % (label, m, min(c), max(c), len(c), verdict))
    if failed:
        print("the bench guest reported %d failed checks" % failed)
        sys.exit(1)


if __name__ == "__main__":
    main()
