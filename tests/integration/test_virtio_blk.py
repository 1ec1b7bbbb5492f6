"""Partitions' disks as virtio-blk: Linux (the pinned kernel's virtio_blk)
on byte ranges of a QEMU NVMe drive the hypervisor drives itself."""
import hashlib
import os
import re

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUNDLE = os.path.join(TOP, "build", "bundles", "linux-disks.bundle")
MiB = 1 << 20


def md5_of(path, start, size):
    with open(path, "rb") as f:
        f.seek(start)
        return hashlib.md5(f.read(size)).hexdigest()


@pytest.mark.skipif(not os.path.exists(BUNDLE), reason="Linux guest images not built")
def test_virtio_blk_linux_disks_keep_their_data_and_stay_apart(hv, tmp_path):
    img = tmp_path / "drive.img"
    with open(img, "wb") as f:
        f.truncate(128 * MiB)
        f.seek(64 * MiB)  # alpha's read-only disk: what the host put there
        f.write(b"SEED-FROM-HOST!!")
    m = hv(smp=4, initrd=BUNDLE, extra=["-drive", "file=%s,if=none,id=d0,format=raw" % img,
                                         "-device", "nvme,drive=d0,serial=disk0,bus=pcie.0"])
    m.expect(r"alpha: disk data as virtio-blk in PCI slot \d+")
    sums = {}
    for _ in range(2):  # alpha and beta, in either order
        r = m.expect(r"(alpha|beta): GUEST DISK: wrote md5 ([0-9a-f]{32}), read back ([0-9a-f]{32}), "
                     r"direct ([0-9a-f]{32})\r?\n", timeout=240)
        part, wrote, back, direct = r.groups()
        assert wrote == back == direct, r.group(0)
        sums[part] = wrote
    for _ in range(2):
        r = m.expect(r"(alpha|beta): GUEST DISK: after reboot md5 ([0-9a-f]{32})\r?\n", timeout=240)
        assert r.group(2) == sums[r.group(1)], (r.group(1), r.group(2), sums)
    m.expect(r"all partitions have stopped", timeout=120)
    assert m.wait_exit() == 0
    text = m.text
    assert "alpha: GUEST DISK: vda 65536 sectors, serial alpha-data" in text
    assert "beta: GUEST DISK: vda 65536 sectors, serial beta-data" in text
    assert "alpha: GUEST DISK: vdb write refused" in text
    assert "alpha: GUEST DISK: vdb reads SEED-FROM-HOST!!" in text
    assert sums["alpha"] != sums["beta"]
    # Each partition's data sits in its own range of the drive file.
    assert md5_of(img, 0, 16 * MiB) == sums["alpha"]
    assert md5_of(img, 32 * MiB, 16 * MiB) == sums["beta"]
    assert "ERROR" not in text
