#!/usr/bin/python3
"""Reference: the test kernel and initramfs booted on QEMU's own pseries machine.

Boots cache/guests/vmlinux + initramfs.cpio.gz (tools/guest_images.sh) on
`qemu-system-ppc64 -M pseries` (TCG, hash MMU through `disable_radix`, XICS),
runs the initramfs test named by hvtest=NAME, and reports the guest uptime
when /init starts, the wall time until then, and the guest's GUEST lines.
Importable: run_pseries(hvtest, smp, mem) -> dict, so the hypervisor's
benchmark can print both side by side.

    /usr/bin/python3 tests/bench/qemu/pseries_reference.py [--test info] [--smp 2] [--mem 1G]

Note: QEMU pseries boots the kernel through SLOF and prom_init (the Open
Firmware client interface and ibm,client-architecture-support), so its path
to init is longer than a direct FDT entry; the uptime at init still counts
from the kernel's own start of time.
"""
import argparse
import os
import re
import subprocess
import sys
import time

import pexpect

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
CACHE = os.environ.get("HV_CACHE", os.path.join(TOP, "cache"))
GUESTS = os.path.join(CACHE, "guests")

# Verified on QEMU 7.2 (Debian 1:7.2+dfsg-7): the spectre/meltdown caps set to
# what TCG provides (the pseries-7.2 defaults ask for workarounds TCG does not
# have and print warnings), no HTM, XICS as the only interrupt controller
# (what our hypervisor gives), no default devices but the vty on stdio.
MACHINE = ("pseries,cap-htm=off,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,"
           "cap-ccf-assist=off,ic-mode=xics")


def ensure_images():
    """Prepares the images if missing (fast no-op when cached)."""
    kernel = os.path.join(GUESTS, "vmlinux")
    initrd = os.path.join(GUESTS, "initramfs.cpio.gz")
    subprocess.run([os.path.join(TOP, "tools", "guest_images.sh")], check=True,
                   stdout=subprocess.DEVNULL if os.path.exists(kernel) else None)
    return kernel, initrd


def qemu_command(kernel, initrd, hvtest="info", smp=2, mem="1G", append="", qemu_args=()):
    cmdline = "console=hvc0 disable_radix"
    if hvtest:
        cmdline += " hvtest=" + hvtest
    if append:
        cmdline += " " + append
    return ["qemu-system-ppc64", "-M", MACHINE, "-cpu", "POWER9", "-smp", str(smp), "-m", str(mem),
            "-nographic", "-nodefaults", "-serial", "mon:stdio",
            "-kernel", kernel, "-initrd", initrd, "-append", cmdline] + list(qemu_args)


def run_pseries(hvtest="info", smp=2, mem="1G", append="", timeout=300, log=None, qemu_args=()):
    """Boots the test kernel on QEMU pseries and runs /tests/<hvtest>.sh.
    qemu_args: more QEMU options (devices, drives).

    Returns a dict: ok (the test printed GUEST DONE, or the crash test
    panicked), uptime_at_init (guest seconds, from `GUEST INIT: uptime`),
    wall_to_init and wall_total (seconds since QEMU was started), info (the
    `GUEST INFO:` lines without prefix), guest (every `GUEST ...` line),
    panicked, timed_out, command, console (everything QEMU printed).
    """
    kernel, initrd = ensure_images()
    cmd = qemu_command(kernel, initrd, hvtest, smp, mem, append, qemu_args)
    res = {"ok": False, "uptime_at_init": None, "wall_to_init": None, "wall_total": None,
           "info": [], "guest": [], "panicked": False, "timed_out": False,
           "command": cmd, "console": ""}
    t0 = time.monotonic()
    p = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8", codec_errors="replace", timeout=timeout)
    chunks = []
    p.logfile_read = _Tee(chunks, log)
    deadline = t0 + timeout
    try:
        p.expect(r"GUEST INIT: uptime ([0-9.]+)\r*\n", timeout=timeout)
        res["wall_to_init"] = time.monotonic() - t0
        res["uptime_at_init"] = float(p.match.group(1))
        done = "GUEST DONE " + (hvtest or "")
        pats = [re.escape(done), r"Kernel panic - not syncing", pexpect.EOF]
        while True:
            i = p.expect(pats, timeout=max(1, deadline - time.monotonic()))
            if i == 0:
                res["ok"] = True
                # poweroff -f: QEMU exits by itself.
                p.expect(pexpect.EOF, timeout=max(1, deadline - time.monotonic()))
                break
            if i == 1:
                res["panicked"] = True
                res["ok"] = hvtest == "crash"
                try:        # the rest of the report; pseries may or may not exit
                    p.expect(pexpect.EOF, timeout=5)
                except pexpect.TIMEOUT:
                    pass
                break
            break           # EOF before the end of the test
    except pexpect.TIMEOUT:
        res["timed_out"] = True
    finally:
        res["wall_total"] = time.monotonic() - t0
        if p.isalive():
            p.terminate(force=True)
        p.close()
    res["console"] = "".join(chunks)
    for line in res["console"].replace("\r", "").splitlines():
        m = re.search(r"(GUEST [A-Z]+:? .*)$", line)
        if m:
            res["guest"].append(m.group(1))
            if m.group(1).startswith("GUEST INFO: "):
                res["info"].append(m.group(1)[len("GUEST INFO: "):])
    return res


class _Tee:
    def __init__(self, chunks, path):
        self.chunks = chunks
        self.fp = open(path, "w") if path else None

    def write(self, s):
        self.chunks.append(s)
        if self.fp:
            self.fp.write(s)

    def flush(self):
        if self.fp:
            self.fp.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--test", default="info", help="initramfs test to run (hvtest=NAME)")
    ap.add_argument("--smp", type=int, default=2)
    ap.add_argument("--mem", default="1G")
    ap.add_argument("--append", default="", help="extra kernel arguments")
    ap.add_argument("--log", help="write the console to this file")
    ap.add_argument("--timeout", type=int, default=300)
    a = ap.parse_args()
    r = run_pseries(a.test, a.smp, a.mem, a.append, a.timeout, a.log)
    print("pseries reference: %s" % " ".join(r["command"]))
    fmt = lambda v, f: (f % v) if v is not None else "n/a"
    print("pseries reference: uptime at init %s s, wall time to init %s s, total %s s" %
          (fmt(r["uptime_at_init"], "%.2f"), fmt(r["wall_to_init"], "%.1f"), fmt(r["wall_total"], "%.1f")))
    for line in r["guest"]:
        if not line.startswith("GUEST INIT:"):
            print("pseries reference: " + line)
    status = "ok" if r["ok"] else ("timed out" if r["timed_out"] else "FAILED")
    print("pseries reference: %s %s" % (a.test, status))
    if not r["ok"] and not a.log:
        sys.stdout.write(r["console"][-3000:] + "\n")
    return 0 if r["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
