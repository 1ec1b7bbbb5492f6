#!/usr/bin/env python3
"""ivshmem between two Linux partitions on two cores (QEMU TCG).

Boots the linux-ivshmem bundle with /tests/ivshmem-bench.sh in both
partitions (tests/guests/linux/): peer 0 copies 32 MiB with memcpy into
BAR 2 (the shared memory) and within its own RAM, best of three each; then
both ring 2,000 doorbell round trips through INTx and uio_pci_generic.
A round trip is two doorbells, each an MMIO exit on the sender's core and
an interrupt into the other partition on another core, plus the receiving
process's wake-up and its config write to unmask INTx. Figures only.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pexpect

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def main():
    src = os.path.join(TOP, "build", "bundles", "linux-ivshmem.bundle")
    with tempfile.TemporaryDirectory() as tmp:
        bundle = os.path.join(tmp, "bench.bundle")
        shutil.copy(src, bundle)
        for part in ("alpha", "beta"):
            subprocess.run(["fdtput", "-t", "s", bundle, "/partitions/" + part, "bootargs",
                            "console=hvc0 quiet hvtest=ivshmem-bench"], check=True)
        args = ["-M", "powernv9", "-nographic", "-m", "4G", "-smp", "4", "-kernel",
                os.path.join(TOP, "build", "hv.elf"), "-initrd", bundle]
        p = pexpect.spawn("qemu-system-ppc64", args, encoding="utf-8", codec_errors="replace", timeout=900)
        text = ""
        for _ in range(2):
            p.expect(r"(alpha|beta): GUEST DONE ivshmem-bench")
            text += p.before + p.after
        p.terminate(force=True)  # the bundle keeps the machine up (its monitor)
    bw = re.search(r"alpha: GUEST IVSHMEM: bandwidth (\d+) MiB: BAR2 (\d+) MiB/s, RAM (\d+) MiB/s, "
                   r"ratio ([0-9.]+), data (\w+)", text)
    rt = re.search(r"alpha: GUEST IVSHMEM: pingpong (\d+) rounds, lost (\d+), spurious (\d+), ([0-9.]+) us", text)
    if not bw or not rt:
        print("the guests did not report their figures:")
        print("\n".join(l for l in text.splitlines() if "IVSHMEM" in l))
        return 1
    print("ivshmem between two Linux partitions on two cores (QEMU TCG)")
    print("%-44s %12s  %s" % ("figure", "measured", "target"))
    ratio = float(bw.group(4))
    print("%-44s %9s MiB/s" % ("memcpy of %s MiB into BAR 2" % bw.group(1), bw.group(2)))
    print("%-44s %9s MiB/s" % ("memcpy of %s MiB in the partition's RAM" % bw.group(1), bw.group(3)))
    print("%-44s %12.3f  >= 0.95: %s" % ("BAR 2 / RAM", ratio, "met" if ratio >= 0.95 else "NOT met"))
    us = float(rt.group(4))
    print("%-44s %9.1f us" % ("doorbell round trip (%s rounds)" % rt.group(1), us))
    print("%-44s %9.1f us" % ("doorbell to interrupt, one way (half)", us / 2))
    print("%-44s %12s" % ("lost / spurious interrupts", "%s / %s" % (rt.group(2), rt.group(3))))
    return 0 if bw.group(5) == "ok" and rt.group(2) == rt.group(3) == "0" else 1


if __name__ == "__main__":
    sys.exit(main())
