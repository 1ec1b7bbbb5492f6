#!/usr/bin/env python3
"""virtio-blk: a Linux partition of the hypervisor beside Linux on QEMU pseries (QEMU TCG).

The same 256 MiB raw file as the NVMe bench (cache/bench/nvme-bench.img) is,
one after the other in the same run:
  - a QEMU NVMe drive of the hypervisor on powernv9, given whole to one
    Linux partition (2 vCPUs, 2 GiB; tests/guests/bundles/linux-vblk-bench.dts)
    as /dev/vda through the hypervisor's virtio-blk;
  - a virtio-blk-pci disk of Debian's kernel on QEMU pseries (2 vCPUs,
    2 GiB), QEMU's own virtio-blk backend.
Both guests run the same kernel and the same program, /tests/diskbench on
/dev/vda (tests/guests/linux/diskbench.c: O_DIRECT, Linux native AIO, 2 s a
workload). Figures only, never pass/fail on timing; the exit status is 1
when a run fails or reports I/O errors.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, HERE)
from nvme_bench import IMAGE, IMAGE_MIB, fmt, parse, prepare_image, run_powernv, run_pseries_diskbench  # noqa: E402

BUNDLE = os.path.join(TOP, "build", "bundles", "linux-vblk-bench.bundle")
CACHE = os.environ.get("HV_CACHE", os.path.join(TOP, "cache"))
TIMEOUT = 300
WORKLOADS = ("randread-4k-qd1", "randread-4k-qd16", "randwrite-4k-qd1", "randwrite-4k-qd16",
             "seqread-1m", "seqwrite-1m")


def run_hypervisor():
    text, status = run_powernv(["-initrd", BUNDLE, "-drive", "file=%s,if=none,id=n0,format=raw" % IMAGE,
                                "-device", "nvme,drive=n0,serial=bench0,bus=pcie.0"],
                               [r"GUEST DONE diskbench"], timeout=TIMEOUT)
    return parse(text), status, text


def run_linux():
    return run_pseries_diskbench("/dev/vda", "virtio-blk-pci,drive=d0", timeout=TIMEOUT)


def main():
    prepare_image()
    with open(os.path.join(CACHE, "guests", "kernel.version")) as f:
        kernel = f.read().strip()
    hv, hv_status, hv_text = run_hypervisor()
    ref, ref_status, ref_text = run_linux()
    print("virtio-blk: a Linux partition of the hypervisor against Linux on QEMU pseries, same %d MiB file, "
          "same program, 2 s a workload (QEMU TCG)" % IMAGE_MIB)
    print("%-19s %18s %20s %10s" % ("workload", "hypervisor", "QEMU pseries", "ratio"))
    errors = 0
    for w in WORKLOADS:
        a, b = hv.get(w), ref.get(w)
        ratio = "%.2fx" % (a[0] / b[0]) if a and b and b[0] else "-"
        print("%-19s %18s %20s %10s" % (w, fmt(a), fmt(b), ratio))
        errors += sum(f[2] for f in (a, b) if f)
    print("I/O errors, both runs: %d" % errors)
    print("hypervisor: build/hv.elf on powernv9, -m 4G -smp 2, the file as a QEMU nvme drive, the partition's "
          "/dev/vda (hypervisor virtio-blk, %s); %s" % (os.path.relpath(BUNDLE, TOP), hv_status))
    print("QEMU pseries: %s, -m 2G -smp 2, the file as virtio-blk-pci (QEMU's backend); %s" % (kernel, ref_status))
    failed = []
    if hv_status != "ok" or any(w not in hv for w in WORKLOADS):
        failed.append(("hypervisor", hv_text))
    if ref_status != "ok" or any(w not in ref for w in WORKLOADS):
        failed.append(("QEMU pseries", ref_text))
    for name, text in failed:
        sys.stdout.write("--- %s console (end)\n%s\n" % (name, text[-2000:]))
    return 1 if failed or errors else 0


if __name__ == "__main__":
    sys.exit(main())
