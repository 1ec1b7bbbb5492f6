"""Partitions' disks as virtio-blk: Linux (the pinned kernel's virtio_blk)
on byte ranges of a QEMU NVMe drive the hypervisor drives itself."""
import hashlib
import os
import random
import re
import signal

import pexpect
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
    m = hv(smp=4, initrd=BUNDLE, extra=drive_args(img))
    m.expect(r"alpha: disk data as virtio-blk in PCI slot \d+, 2 queues, write-back")
    m.expect(r"beta: disk data as virtio-blk in PCI slot \d+, 1 queue, write-through")
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
    # beta's filesystem, made and written before the reboot, read after it
    r = re.search(r"beta: GUEST DISK: vdb file after reboot md5 ([0-9a-f]{32})\r?\n", text)
    assert r, "no vdb line after beta's reboot"
    fs_after = r.group(1)
    assert "alpha: GUEST DISK: vda 65536 sectors, serial alpha-data" in text
    assert "beta: GUEST DISK: vda 65536 sectors, serial beta-data" in text
    assert "alpha: GUEST DISK: vdb write refused" in text
    assert "alpha: GUEST DISK: vdb reads SEED-FROM-HOST!!" in text
    assert "beta: GUEST DISK: vdb file md5 %s" % fs_after in text
    # beta's filesystem disk goes through the partition's TCEs (ACCESS_PLATFORM)
    assert re.search(r"beta: disk fs as virtio-blk in PCI slot \d+, 2 queues, write-back, DMA through the TCE table",
                     text)
    assert "beta: GUEST DISK: vdb access-platform 1" in text
    # a queue per vCPU unless the bundle says otherwise; the bundle's cache mode
    assert "alpha: GUEST DISK: vda 2 queues, write back" in text
    assert "beta: GUEST DISK: vda 1 queues, write through" in text
    # discard and write-zeroes reach the device (Linux's BLKDISCARD, BLKZEROOUT)
    assert "alpha: GUEST DISK: discard ok; write-zeroes ok, reads zeros" in text
    assert "beta: GUEST DISK: discard ok; write-zeroes ok, reads zeros" in text
    # the driver's choice of cache mode reaches the device, and back
    assert "alpha: GUEST DISK: cache now write through" in text
    assert "alpha: disk data: the guest set its write cache to write-through" in text
    assert "alpha: disk data: the guest set its write cache to write-back" in text
    assert sums["alpha"] != sums["beta"]
    # Each partition's data sits in its own range of the drive file.
    assert md5_of(img, 0, 16 * MiB) == sums["alpha"]
    assert md5_of(img, 32 * MiB, 16 * MiB) == sums["beta"]
    zeros = hashlib.md5(bytes(MiB)).hexdigest()
    for base in (0, 32 * MiB):
        assert md5_of(img, base + 25 * MiB, MiB) == zeros  # written, then zeroed
        assert md5_of(img, base + 27 * MiB, MiB) == md5_of(img, base, MiB)  # written through
    assert "ERROR" not in text


def drive_args(img):
    return ["-drive", "file=%s,if=none,id=d0,format=raw" % img,
            "-device", "nvme,drive=d0,serial=disk0,bus=pcie.0"]


RECORDS = os.path.join(TOP, "build", "bundles", "linux-records.bundle")
RECORD = 512


def records_on_file(img, run):
    """How many consecutive records of this run, from 0, the drive file holds."""
    n = 0
    with open(img, "rb") as f:
        while True:
            got = f.read(RECORD)
            want = ("powerhv record %d %d" % (run, n)).encode()
            if len(got) < RECORD or got != want + bytes(RECORD - len(want)):
                return n
            n += 1


@pytest.mark.skipif(not os.path.exists(RECORDS), reason="Linux guest images not built")
def test_virtio_blk_fsynced_records_survive_sigkill_ten_times(hv, tmp_path):
    """Linux writes numbered records, fsync() before each acknowledgement;
    QEMU is killed at a random moment, ten times. Every acknowledged record
    is in the drive file after the kill, and the next boot finds it too.
    The disk offers packed virtqueues: Linux drives it through them."""
    rng = random.Random()
    img = tmp_path / "drive.img"
    with open(img, "wb") as f:
        f.truncate(64 * MiB)
    last_acked = -1
    for cycle in range(10):
        m = hv(smp=2, initrd=RECORDS, extra=drive_args(img))
        if cycle == 0:  # the disk offers packed rings, and Linux takes them
            m.expect(r"rec: disk data as virtio-blk in PCI slot \d+, 2 queues, write-back, packed rings offered")
            m.expect(r"rec: GUEST RECORDS: ring packed", timeout=240)
        r = m.expect(r"rec: records: found (\d+) of run (\d+)\r?\n", timeout=240)
        found, run = int(r.group(1)), int(r.group(2))
        assert run == cycle, (cycle, run)
        assert found >= last_acked + 1, (cycle, found, last_acked)
        # kill it somewhere between a few and a few hundred acknowledgements
        target = rng.randint(3, 300)
        r = m.expect(r"rec: records: acked (%d)\r?\n" % target, timeout=240)
        m.p.kill(signal.SIGKILL)
        acked = int(r.group(1))
        # acknowledgements that arrived after the one waited for count too
        m.p.expect(pexpect.EOF, timeout=30)
        for later in re.findall(r"records: acked (\d+)\r?\n", m.p.before):
            acked = max(acked, int(later))
        on_file = records_on_file(img, run + 1)
        assert on_file >= acked + 1, (cycle, on_file, acked)
        last_acked = acked


VBLK_BUNDLE = os.path.join(TOP, "build", "bundles", "vblk.bundle")


def test_virtio_blk_hostile_driver(hv, tmp_path):
    """A bare-metal driver (tests/guests/vblk.c) sends what Linux never does:
    requests past the end, of zero or partial length, oversized, of unknown
    type, without a status byte, notifications for queues that do not exist,
    descriptor loops, buffers outside its memory, indirect tables it did not
    negotiate, heads past the queue, a queue size that is not a power of two.
    Each gets its status or NEEDS_RESET, the device works after a reset, the
    counters show it all, and the partition beside it on the same drive is
    untouched."""
    img = tmp_path / "drive.img"
    with open(img, "wb") as f:
        f.truncate(64 * MiB)
        f.seek(1 * MiB)
        f.write(b"QUIET-PARTITION!")
    m = hv(smp=2, initrd=VBLK_BUNDLE, extra=drive_args(img))
    m.expect(r"quiet: GUEST RESULT: \d+ passed, 0 failed")
    for what in ("a descriptor chain longer than the queue \\(a loop\\)", "a buffer outside the guest's memory",
                 "a bad indirect descriptor table", "a descriptor index past the queue"):
        m.expect(r"hostile: disk data: %s; the device needs a reset" % what)
    m.expect(r"hostile: GUEST RESULT: (\d+) passed, 0 failed")
    m.expect(r"hostile: stopped: powered off by the guest")
    m.p.send("\x1d")
    m.expect(r"monitor: \(help for commands")
    m.p.send("stats hostile\r")
    r = m.expect(r"monitor: hostile: virtio-blk data: (\d+) requests in (\d+) notifications \(\d+ with several\), "
                 r"(\d+) failed, (\d+) malformed, (\d+) bad notifications")
    requests, _, failed, malformed, bad_notifies = (int(x) for x in r.groups())
    # 8 bad requests answered with an error (2 of them malformed: read-only
    # data for a read, no status byte), 2 stray notifications; 14 chains taken
    assert (requests, failed, malformed, bad_notifies) == (14, 8, 2, 2), r.group(0)
    m.p.send("\r")
    m.p.kill(9)
    text = m.text
    assert "ERROR" not in text and "panic" not in text.lower()
    with open(img, "rb") as f:
        f.seek(8 * 512)  # what the hostile driver wrote at sector 8, as it wrote it
        assert f.read(4096) == bytes((i * 7 + 1) & 0xff for i in range(4096))
        f.seek(1 * MiB)  # the quiet partition's range: as the host left it
        assert f.read(16) == b"QUIET-PARTITION!"
