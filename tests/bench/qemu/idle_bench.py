#!/usr/bin/env python3
"""Host CPU used while guests sit idle at their shells.

Boots the demo (two Linux partitions, two vCPUs each, -smp 4), waits for
both shells, lets them settle, then reads the QEMU process's CPU time over
a measurement window; and the same kernel idle at a shell on QEMU pseries
(-smp 2, one guest) for reference. Figures, not a pass/fail test.
"""
import os
import sys
import time

import pexpect

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, HERE)
from pseries_reference import ensure_images, qemu_command  # noqa: E402

SETTLE_S = 10
WINDOW_S = 20
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def idle_share(p):
    time.sleep(SETTLE_S)
    c0, t0 = cpu_seconds(p.pid), time.monotonic()
    time.sleep(WINDOW_S)
    return (cpu_seconds(p.pid) - c0) / (time.monotonic() - t0)


def powerhv():
    args = ["-M", "powernv9", "-nographic", "-m", "4G", "-smp", "4", "-kernel",
            os.path.join(TOP, "build", "hv.elf"), "-initrd", os.path.join(TOP, "build", "bundles", "demo.bundle")]
    p = pexpect.spawn("qemu-system-ppc64", args, encoding="utf-8", codec_errors="replace", timeout=300)
    seen = set()
    while len(seen) < 2:
        p.expect(r"(alpha|beta): Enter 'help' for a list of built-in commands")
        seen.add(p.match.group(1))
    share = idle_share(p)
    p.terminate(force=True)
    return share


def pseries():
    kernel, initrd = ensure_images()
    p = pexpect.spawn(qemu_command(kernel, initrd, hvtest="", smp=2, mem="512M")[0],
                      qemu_command(kernel, initrd, hvtest="", smp=2, mem="512M")[1:],
                      encoding="utf-8", codec_errors="replace", timeout=300)
    p.expect(r"Enter 'help' for a list of built-in commands")
    share = idle_share(p)
    p.terminate(force=True)
    return share


def main():
    ours = powerhv()
    ref = pseries()
    print("host CPU of QEMU while the guests idle at their shells (%d s window after %d s)" % (WINDOW_S, SETTLE_S))
    print("%-46s %8.1f%% of one core" % ("powerhv, demo: 2 partitions x 2 vCPUs, -smp 4", 100 * ours))
    print("%-46s %8.1f%% of one core" % ("QEMU pseries, 1 guest x 2 vCPUs", 100 * ref))
    print("target: powerhv under 5%% of one core: %s" % ("met" if ours < 0.05 else "NOT met"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
