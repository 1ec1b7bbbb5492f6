#!/usr/bin/env python3
"""The hypervisor's NVMe driver beside Linux's on the same drive file (QEMU TCG).

One 256 MiB raw file (cache/bench/nvme-bench.img, filled with data once so
reads are of real blocks) is attached as a QEMU NVMe controller to, one
after the other in the same run:
  - the hypervisor on powernv9 with "hvtest=disk-bench" (DMA through its
    TCE window), then with "hostdma=bypass" added (DMA to all memory);
  - Debian's kernel on QEMU pseries (2 vCPUs, 2 GiB) running
    /tests/diskbench on /dev/nvme0n1 (tests/guests/linux/diskbench.c), the
    same workloads through O_DIRECT and Linux native AIO. Linux gets a
    64-bit DMA window as large as its memory there (DDW, printed), which
    it maps once: the counterpart of the hypervisor's bypass.
Each workload runs 2 s: 4 KiB random reads and writes, 4 KiB-aligned over
the whole drive, at queue depth 1 and 32/16, and 1 MiB sequential reads
and writes from offset 0 on. Figures only, never pass/fail on timing; the
exit status is 1 when a run fails or reports I/O errors.
"""
import os
import re
import sys
import time

import pexpect

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, HERE)
from pseries_reference import _Tee, run_pseries  # noqa: E402

CACHE = os.environ.get("HV_CACHE", os.path.join(TOP, "cache"))
IMAGE = os.path.join(CACHE, "bench", "nvme-bench.img")
IMAGE_MIB = 256
TIMEOUT = 120  # per QEMU run; each takes about 30 s

WORKLOADS = ("randread-4k-qd1", "randread-4k-qd32", "randwrite-4k-qd1", "randwrite-4k-qd16",
             "seqread-1m", "seqwrite-1m")
BENCH_LINE = re.compile(r"bench: (\S+) (\S+) ([0-9.]+) (IOPS|MB/s) \((\d+) errors\)")


def prepare_image():
    """The drive file: IMAGE_MIB MiB of a repeating non-zero pattern, written once."""
    ready = IMAGE + ".ready"
    if os.path.exists(ready) and os.path.getsize(IMAGE) == IMAGE_MIB << 20:
        return
    os.makedirs(os.path.dirname(IMAGE), exist_ok=True)
    pattern = b"powerhv nvme bench block "
    chunk = (pattern * ((1 << 20) // len(pattern) + 1))[:1 << 20]
    with open(IMAGE, "wb") as f:
        f.truncate(IMAGE_MIB << 20)  # sparse to start with, then every block written
        for _ in range(IMAGE_MIB):
            f.write(chunk)
    open(ready, "w").close()


def parse(text):
    """{workload: (value, unit, errors)} from the bench: lines."""
    out = {}
    for m in BENCH_LINE.finditer(text.replace("\r", "")):
        out[m.group(2)] = (float(m.group(3)), m.group(4), int(m.group(5)))
    return out


def run_powernv(args, patterns, timeout=TIMEOUT):
    """Boots build/hv.elf on powernv9 with more QEMU args; waits for each
    pattern in turn, then for the power-off. Returns (console, status)."""
    args = ["-M", "powernv9", "-nographic", "-m", "4G", "-smp", "2",
            "-kernel", os.path.join(TOP, "build", "hv.elf")] + args
    p = pexpect.spawn("qemu-system-ppc64", args, encoding="utf-8", codec_errors="replace", timeout=timeout)
    chunks = []
    p.logfile_read = _Tee(chunks, None)
    status = "ok"
    deadline = time.monotonic() + timeout
    try:
        for pattern in patterns:
            p.expect(pattern, timeout=max(1, deadline - time.monotonic()))
        p.expect(pexpect.EOF, timeout=max(1, deadline - time.monotonic()))  # the hypervisor powers off
    except pexpect.TIMEOUT:
        status = "timed out"
    except pexpect.EOF:
        status = "QEMU exited before the end"
    finally:
        if p.isalive():
            p.terminate(force=True)
        p.close()
    return "".join(chunks), status


def run_hypervisor(extra=""):
    """Boots build/hv.elf with the drive; returns (figures, DMA mode line or None, status)."""
    append = ("hvtest=disk-bench " + extra).strip()
    text, status = run_powernv(["-append", append, "-drive", "file=%s,if=none,id=n0,format=raw" % IMAGE,
                                "-device", "nvme,drive=n0,serial=bench0,bus=pcie.0"], [BENCH_LINE] * len(WORKLOADS))
    dma = re.search(r"nvme0: .*(DMA [^\r\n]*)", text)
    return parse(text), dma.group(1) if dma else None, status, text


def run_pseries_diskbench(dev, device, timeout=TIMEOUT):
    """/tests/diskbench on dev in Linux on QEMU pseries, the drive file
    attached as device (a QEMU -device on drive d0): (figures, status, console)."""
    r = run_pseries(hvtest="diskbench", smp=2, mem="2G", append="hvdisk=" + dev, timeout=timeout,
                    qemu_args=["-drive", "file=%s,if=none,id=d0,format=raw" % IMAGE, "-device", device])
    status = "ok" if r["ok"] else ("timed out" if r["timed_out"] else "failed")
    problems = [l for l in r["guest"] if l.startswith("GUEST DISKBENCH:") and "sectors" not in l]
    if problems:
        status = "; ".join(problems)
    return parse(r["console"]), status, r["console"]


def run_linux():
    figures, status, console = run_pseries_diskbench("/dev/nvme0n1", "nvme,drive=d0,serial=ref0")
    # ibm,create-pe-dma-window's arguments end with the page and window sizes (log2, hex); a
    # window as large as memory is a direct mapping: Linux maps nothing per I/O, pseries' bypass.
    ddw = re.search(r"nvme \S+: ibm,create-pe-dma-window\(\d+\) .* ([0-9a-f]+) ([0-9a-f]+) returned 0 ", console)
    if ddw:
        dma = "DMA through a dynamic DMA window (DDW) of %d MiB in %d KiB pages" % (
            (1 << int(ddw.group(2), 16)) >> 20, (1 << int(ddw.group(1), 16)) >> 10)
    else:
        dma = "DMA through TCEs (H_PUT_TCE)"
    return figures, dma, status, console


def fmt(fig):
    if fig is None:
        return "-"
    value, unit, _ = fig
    return ("%.0f IOPS" % value) if unit == "IOPS" else ("%.1f MB/s" % value)


def main():
    prepare_image()
    with open(os.path.join(CACHE, "guests", "kernel.version")) as f:
        kernel = f.read().strip()
    runs = [("hypervisor (TCE)",) + run_hypervisor(), ("hypervisor (bypass)",) + run_hypervisor("hostdma=bypass")]
    linux, linux_dma, linux_status, linux_text = run_linux()
    print("NVMe: the hypervisor's driver against Linux on QEMU pseries, same %d MiB drive file, 2 s a workload "
          "(QEMU TCG)" % IMAGE_MIB)
    cols = ("workload", "hypervisor (TCE)", "hypervisor (bypass)", "Linux on pseries", "hv(TCE)/pseries")
    print("%-19s %18s %20s %18s %16s" % cols)
    errors = 0
    for w in WORKLOADS:
        tce, byp, ref = runs[0][1].get(w), runs[1][1].get(w), linux.get(w)
        ratio = "%.2fx" % (tce[0] / ref[0]) if tce and ref and ref[0] else "-"
        print("%-19s %18s %20s %18s %16s" % (w, fmt(tce), fmt(byp), fmt(ref), ratio))
        errors += sum(f[2] for f in (tce, byp, ref) if f)
    print("I/O errors, all runs: %d" % errors)
    print("hypervisor: build/hv.elf on powernv9, -m 4G -smp 2, \"hvtest=disk-bench\" (hv/hvtest_disk.c); %s; %s" %
          ("; ".join("%s: %s" % (name, dma or "no DMA line") for name, _, dma, _, _ in runs),
           "; ".join("%s %s" % (name, status) for name, _, _, status, _ in runs)))
    print("Linux: %s on pseries, -m 2G -smp 2, /tests/diskbench /dev/nvme0n1 (O_DIRECT, native AIO; "
          "tests/guests/linux/diskbench.c); %s; %s" % (kernel, linux_dma, linux_status))
    print("drive: %s, raw, a QEMU nvme device on both machines" % os.path.relpath(IMAGE, TOP))
    failed = [name for name, figs, _, status, _ in runs if status != "ok" or len(figs) != len(WORKLOADS)]
    if linux_status != "ok" or any(w not in linux for w in WORKLOADS):
        failed.append("Linux on pseries")
    for name, _, _, _, text in runs:
        if name in failed:
            sys.stdout.write("--- %s console (end)\n%s\n" % (name, text[-2000:]))
    if "Linux on pseries" in failed:
        sys.stdout.write("--- Linux on pseries console (end)\n%s\n" % linux_text[-2000:])
    return 1 if failed or errors else 0


if __name__ == "__main__":
    sys.exit(main())
