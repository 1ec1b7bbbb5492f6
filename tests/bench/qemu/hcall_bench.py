#!/usr/bin/env python3
"""hcall cost in hypervisor instructions, counted exactly.

QEMU 7.2's -icount aborts under skiboot on powernv9 ("Raised interrupt while
not in I/O function"), so instructions are counted from QEMU's execution
trace instead: -singlestep makes every instruction its own translation block,
`-d exec,nochain` logs each one executed, and -dfilter keeps only the
hypervisor's own code (its text minus memset). Logging is switched on through
the QEMU monitor when the bench guest starts its calls. Each entry at
vector 0xC00 starts one hcall; the handler it ran (from the image's symbol
table) says which hcall it was; the guest's own instructions are not in the
trace, so nothing needs subtracting.
"""
import bisect
import os
import statistics
import subprocess
import sys
import tempfile

import pexpect

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
IMAGE = os.path.join(TOP, "build", "hv.elf")
BUNDLE = os.path.join(TOP, "build", "bundles", "bench.bundle")
VECTORS = {0x100, 0x200, 0x300, 0x380, 0x400, 0x480, 0x500, 0x600, 0x700, 0x800, 0x900, 0x980,
           0xa00, 0xb00, 0xc00, 0xd00, 0xe00, 0xe20, 0xe40, 0xe60, 0xe80, 0xea0, 0xf00, 0xf20,
           0xf40, 0xf60, 0xf80, 0x1500, 0x1600, 0x1700}
# The hcall table calls each handler through its HCALL() wrapper (hcall/hcall.h).
HANDLERS = {"hcall_run_" + fn: name for fn, name in [
    ("h_set_sprg0", "H_SET_SPRG0"), ("h_enter", "H_ENTER"), ("h_remove", "H_REMOVE"), ("h_read", "H_READ"),
    ("h_bulk_remove", "H_BULK_REMOVE"), ("h_put_term_char", "H_PUT_TERM_CHAR"),
    ("h_get_term_char", "H_GET_TERM_CHAR"), ("h_rtas", "H_RTAS"), ("h_cede", "H_CEDE")]}


def symbols():
    out = subprocess.run(["powerpc64-linux-gnu-nm", "-n", "--defined-only", IMAGE],
                         capture_output=True, text=True, check=True).stdout
    syms = [(int(a, 16), n) for a, k, n in (l.split() for l in out.splitlines() if len(l.split()) == 3)
            if k in "tT"]
    addr = {n: a for a, n in syms}
    etext = [int(l.split()[0], 16) for l in out.splitlines() if l.endswith(" _etext")][0]
    return syms, addr, etext


def trace(dfilter, log, bundle=BUNDLE, part="bench"):
    """Boots bundle, traces from the guest's "BENCH ready" to its result
    line; returns the number of failed checks it reported."""
    qemu = ["-M", "powernv9", "-nographic", "-m", "4G", "-smp", "1", "-singlestep",
            "-dfilter", dfilter, "-D", log, "-kernel", IMAGE, "-initrd", bundle]
    p = pexpect.spawn("qemu-system-ppc64", qemu, encoding="utf-8", codec_errors="replace", timeout=300)

    def monitor(cmd):
        p.send("\x01c")
        p.expect(r"\(qemu\)")
        p.send(cmd + "\r")
        p.expect(r"\(qemu\)")
        p.send("\x01c")

    p.expect("BENCH ready")
    monitor("log exec,nochain")
    p.send("g")
    p.expect(r"%s: GUEST RESULT: (\d+) passed, (\d+) failed" % part)
    failed = int(p.match.group(2))
    p.expect(pexpect.EOF)
    return failed


def episodes(log, syms):
    """Yields (start vector, [pc, ...]) for each entry into the hypervisor."""
    starts = [a for a, _ in syms]
    cur, prev = None, None
    with open(log, errors="replace") as f:
        for line in f:
            if not line.startswith("Trace"):
                continue
            pc = int(line.split("[", 1)[1].split("/", 2)[1], 16)
            if pc in VECTORS and prev != pc - 4:
                if cur:
                    yield cur
                cur = (pc, [])
            if cur:
                cur[1].append(pc)
            prev = pc
    if cur:
        yield cur


def main():
    syms, addr, etext = symbols()
    names = [n for _, n in syms]
    starts = [a for a, _ in syms]
    memset_end = starts[names.index("memset") + 1]
    dfilter = "0x0..0x%x,0x%x..0x%x" % (addr["memset"] - 1, memset_end, etext - 1)
    ranges = {n: (addr[n], starts[names.index(n) + 1]) for n in HANDLERS}
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "exec.log")
        failed = trace(dfilter, log)
        counts = {}
        for vec, pcs in episodes(log, syms):
            if vec != 0xc00:
                continue
            kind = "unknown hcall"
            for n, (lo, hi) in ranges.items():
                if any(lo <= pc < hi for pc in pcs):
                    kind = HANDLERS[n]
                    break
            counts.setdefault(kind, []).append(len(pcs))
    med = {k: statistics.median(v) for k, v in counts.items()}
    rows = [("unknown hcall (round trip)", "unknown hcall", 100),
            ("H_SET_SPRG0", "H_SET_SPRG0", None),
            ("H_ENTER + H_REMOVE, 4 KB page", ("H_ENTER", "H_REMOVE"), None),
            ("  of which H_ENTER", "H_ENTER", 300),
            ("H_READ", "H_READ", None),
            ("H_BULK_REMOVE of 4 entries", "H_BULK_REMOVE", None),
            ("H_PUT_TERM_CHAR of 16 bytes", "H_PUT_TERM_CHAR", None)]
    print("hypervisor instructions per hcall (QEMU exec trace, median; guest side not counted)")
    print("%-32s %8s %8s %8s %7s  %s" % ("hcall", "median", "min", "max", "calls", "target"))
    for label, key, target in rows:
        keys = key if isinstance(key, tuple) else (key,)
        if not all(k in counts for k in keys):
            print("%-32s %8s" % (label, "missing"))
            continue
        m = sum(med[k] for k in keys)
        lo = sum(min(counts[k]) for k in keys)
        hi = sum(max(counts[k]) for k in keys)
        verdict = "" if target is None else ("< %d: %s" % (target, "met" if m < target else "NOT met"))
        print("%-32s %8d %8d %8d %7d  %s" % (label, m, lo, hi, len(counts[keys[0]]), verdict))
    if failed:
        print("the bench guest reported %d failed checks" % failed)
        sys.exit(1)


if __name__ == "__main__":
    main()
