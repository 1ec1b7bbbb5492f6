#!/usr/bin/env python3
"""Linux boot on the hypervisor beside the same kernel on QEMU pseries.

Both boot Debian's ppc64el kernel and the test initramfs with 2 vCPUs and
512 MiB under TCG, in the same run, and run /tests/info.sh. The hypervisor
gets as many hardware threads as the partition has vCPUs (-smp 2), as the
pseries machine gets as many host threads. Printed: guest
uptime when init starts, wall time to init, and for the hypervisor the
partition's exits, hcalls and interrupts. Figures, not a pass/fail test.
"""
import os
import re
import sys
import time

import pexpect

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, HERE)
from pseries_reference import run_pseries  # noqa: E402

CACHE = os.environ.get("HV_CACHE", os.path.join(TOP, "cache"))


def run_powerhv():
    args = ["-M", "powernv9", "-nographic", "-m", "4G", "-smp", "2", "-kernel",
            os.path.join(TOP, "build", "hv.elf"), "-initrd", os.path.join(TOP, "build", "bundles", "linux-info.bundle")]
    t0 = time.monotonic()
    p = pexpect.spawn("qemu-system-ppc64", args, encoding="utf-8", codec_errors="replace", timeout=300)
    p.expect(r"alpha: GUEST INIT: uptime ([0-9.]+)\r*\n")
    uptime, wall = float(p.match.group(1)), time.monotonic() - t0
    p.expect(r"alpha: ran (\d+) exits, (\d+) hcalls, (\d+) interrupts")
    exits, hcalls, irqs = (int(p.match.group(i)) for i in (1, 2, 3))
    p.expect(pexpect.EOF)
    return {"uptime_at_init": uptime, "wall_to_init": wall, "exits": exits, "hcalls": hcalls, "irqs": irqs}


def main():
    with open(os.path.join(CACHE, "guests", "kernel.version")) as f:
        print("guest kernel: %s, 2 vCPUs, 512 MiB, TCG" % f.read().strip())
    ours = run_powerhv()
    ref = run_pseries(hvtest="info", smp=2, mem="512M")
    if not ref.get("uptime_at_init"):
        print("QEMU pseries reference did not reach init")
        return 1
    print("%-28s %12s %14s %8s" % ("", "powerhv", "QEMU pseries", "ratio"))
    for key, label in (("uptime_at_init", "guest uptime at init (s)"), ("wall_to_init", "wall time to init (s)")):
        print("%-28s %12.2f %14.2f %7.2fx" % (label, ours[key], ref[key], ours[key] / ref[key]))
    print("%-28s %12d %14s" % ("exits (whole run)", ours["exits"], "-"))
    print("%-28s %12d %14s" % ("hcalls (whole run)", ours["hcalls"], "-"))
    print("%-28s %12d %14s" % ("interrupts delivered", ours["irqs"], "-"))
    ratio = ours["uptime_at_init"] / ref["uptime_at_init"]
    print("target: guest time to init within 1.2x QEMU pseries: %s (%.2fx)" % ("met" if ratio <= 1.2 else "NOT met", ratio))
    return 0


if __name__ == "__main__":
    sys.exit(main())
