"""Host NVMe drives under QEMU powernv9: the hypervisor's own PCI set-up and
NVMe driver, checked from the host side of QEMU's drive files."""
import os
import random
import re
import signal
import time

import pytest

BLOCK = 512
IO_TEST_LBA = 2048      # hv/hvtest_disk.c
RECORDS_LBA = 4096


def drive(tmp_path, name, size_mib, marker=None):
    path = tmp_path / name
    with open(path, "wb") as f:
        f.truncate(size_mib << 20)
        if marker:
            f.write(marker)
    return path


def nvme_args(paths, buses=None):
    args = []
    for i, p in enumerate(paths):
        bus = buses[i] if buses else i
        args += ["-drive", "file=%s,if=none,id=nvm%d,format=raw" % (p, i),
                 "-device", "nvme,drive=nvm%d,serial=disk%d,bus=pcie.%d" % (i, i, bus)]
    return args


def block(path, lba):
    with open(path, "rb") as f:
        f.seek(lba * BLOCK)
        return f.read(BLOCK)


def kill(m):
    m.p.kill(signal.SIGKILL)
    m.p.wait()


def test_nvme_two_drives_on_two_phbs_data_at_the_right_offsets(hv, tmp_path):
    d0 = drive(tmp_path, "d0.img", 64, b"HOST-WROTE-DRIVE0")
    d1 = drive(tmp_path, "d1.img", 32, b"HOST-WROTE-DRIVE1")
    m = hv(smp=2, append="hvtest=disk-io", extra=nvme_args([d0, d1], buses=[0, 3]))
    # lspci-style lines for each function, the BAR placed and a PE of its own
    m.expect(r"pci: 0000:01:00\.0 Non-Volatile memory controller \[0108\]: 1b36:0010 \(rev 02\) \[pcie\.0\], "
             r"BAR0 16K at 0x600c000000000, PE 1")
    m.expect(r"nvme0: QEMU NVMe Ctrl, serial disk0, .* DMA through its TCE window")
    m.expect(r"nvme0n1: 131072 blocks of 512 bytes \(64 MiB\)")
    m.expect(r"pci: 0003:01:00\.0 Non-Volatile memory controller .* \[pcie\.3\], BAR0 16K at 0x[0-9a-f]+, PE 1")
    m.expect(r"nvme1n1: 65536 blocks of 512 bytes \(32 MiB\)")
    # data the host put there is read, data the hypervisor wrote lands at its byte offset
    m.expect(r'hvtest: nvme0n1: LBA 0 reads "HOST-WROTE-DRIVE" \(ok\)')
    m.expect(r"hvtest: nvme0n1: wrote 8 blocks at LBA 2048, flushed, read back equal \(ok\)")
    # the SMART / Health log (Get Log Page), what virtio-blk's GET_LIFETIME answers from
    m.expect(r"hvtest: nvme0n1: wear: \d+% of its endurance used, \d+% spare \(threshold \d+%\)")
    m.expect(r'hvtest: nvme1n1: LBA 0 reads "HOST-WROTE-DRIVE" \(ok\)')
    m.expect(r"hvtest: nvme1n1: wrote 8 blocks at LBA 2048, flushed, read back equal \(ok\)")
    m.expect(r"hvtest: 2 drives at once: 32 writes in flight together, 0 failed, 32 read back equal")
    m.expect(r"SELFTEST: 6 passed, 0 failed")
    m.expect(r"nvme0: shut down cleanly")
    m.expect(r"nvme1: shut down cleanly")
    assert m.wait_exit() == 0
    assert "ERROR" not in m.text and "WARNING" not in m.text
    for path, name in [(d0, "nvme0n1"), (d1, "nvme1n1")]:
        for b in range(8):
            want = ("powerhv %s block %d" % (name, IO_TEST_LBA + b)).encode()
            got = block(path, IO_TEST_LBA + b)
            assert got.startswith(want + b"\0"), (path, b, got[:40])
        assert block(path, IO_TEST_LBA + 8) == bytes(BLOCK)  # nothing past what was written
        assert block(path, IO_TEST_LBA - 1) == bytes(BLOCK)
        for w in range(16):
            want = ("together %s write %d" % (name, w)).encode()
            assert block(path, 3072 + 8 * w).startswith(want + b"\0"), (path, w)


def test_nvme_flushed_records_survive_sigkill(hv, tmp_path):
    rng = random.Random()
    for cycle in range(3):
        d0 = drive(tmp_path, "rec%d.img" % cycle, 16)
        m = hv(smp=2, append="hvtest=disk-records", extra=nvme_args([d0]))
        target = rng.randint(3, 60)
        m.expect(r"hvtest: acked %d\r?\n" % target, timeout=120)
        time.sleep(rng.uniform(0, 0.3))  # a moment inside the next write or flush
        kill(m)
        acked = [int(n) for n in re.findall(r"hvtest: acked (\d+)\r?\n", m.text + m.p.before)]
        last = max(acked)
        assert last >= target
        for i in range(last + 1):
            want = ("record %d of powerhv" % i).encode()
            assert block(d0, RECORDS_LBA + i).startswith(want + b"\0"), (cycle, i, last)


@pytest.mark.parametrize("fault,lines", [
    ("nvme-lost-doorbell", [r"WARNING: nvme0: \S+ \(command \d+ on queue \d\) timed out after 2000 ms; aborting it",
                            r"WARNING: nvme0: resetting the controller: a timed-out command did not answer its abort",
                            r"nvme0: the controller is back"]),
    ("nvme-fatal", [r"ERROR: nvme0: the controller reports a fatal status \(CSTS\.CFS\)",
                    r"WARNING: nvme0: resetting the controller: it reported a fatal status",
                    r"nvme0: the controller is back"]),
])
def test_nvme_fault_recovers_and_loses_no_acknowledged_record(hv, tmp_path, fault, lines):
    d0 = drive(tmp_path, "d0.img", 16)
    m = hv(smp=2, append="hvtest=%s hvtest=disk-records" % fault, extra=nvme_args([d0]))
    for line in lines:
        m.expect(line, timeout=60)
    failed = m.expect(r"hvtest: record (\d+) failed: canceled; retrying\r?\n", timeout=30)
    n = int(failed.group(1))
    m.expect(r"hvtest: acked %d\r?\n" % n, timeout=30)  # the same record, written again
    m.expect(r"hvtest: acked %d\r?\n" % (n + 20), timeout=60)  # and the drive goes on
    kill(m)
    for i in range(n + 21):
        assert block(d0, RECORDS_LBA + i).startswith(("record %d of powerhv" % i).encode() + b"\0"), i
    assert m.text.count("resetting the controller") == 1


def test_nvme_drive_that_never_becomes_ready_leaves_the_rest_running(hv, tmp_path):
    d0 = drive(tmp_path, "d0.img", 16)
    d1 = drive(tmp_path, "d1.img", 16)
    m = hv(smp=2, append="hvtest=nvme-never-ready hvtest=disk-io", extra=nvme_args([d0, d1]))
    m.expect(r"ERROR: nvme0: the controller did not become ready within 7500 ms \(CAP\.TO\)")
    m.expect(r"hvtest: nvme1n1: wrote 8 blocks at LBA 2048, flushed, read back equal \(ok\)")
    m.expect(r"SELFTEST: 6 passed, 0 failed")
    assert m.wait_exit() == 0
    assert m.text.count("ERROR") == 1
    assert "nvme0n1" not in m.text


def monitor(m, command, expect, timeout=30):
    m.p.send("\x1d")
    m.expect(r"monitor: \(help for commands")
    m.p.send(command + "\r\r")
    return m.expect(expect, timeout=timeout)


def test_nvme_partition_disks_too_small_or_missing_leave_the_partitions_running(hv, tmp_path):
    d0 = drive(tmp_path, "d0.img", 16)
    bundle = os.path.join(os.path.dirname(__file__), "..", "..", "build", "bundles", "disks.bundle")
    m = hv(smp=2, initrd=bundle, extra=nvme_args([d0]))
    m.expect(r"ERROR: disks: host disk 'missing' \(serial no-such-drive namespace 1\) is not on this machine")
    m.expect(r"alpha: disk data on host disk 'd0' \(nvme0n1\): 8 MiB from byte 0x0, read-write")
    m.expect(r"alpha: disk seed on host disk 'd0' \(nvme0n1\): 1 MiB from byte 0x800000, read-only")
    m.expect(r"ERROR: beta: disk data: bytes \[0x900000, 0x4900000\) do not fit in host disk 'd0' "
             r"\(nvme0n1, 16 MiB\); the disk fails every request")
    for _ in range(3):  # in any order
        m.expect(r"(alpha|beta|gamma): GUEST RESULT: 3 passed, 0 failed")
    for name in ["alpha", "beta", "gamma"]:
        assert "%s: GUEST RESULT: 3 passed, 0 failed" % name in m.text
    monitor(m, "stats alpha", r"monitor: alpha: disk seed: ok, 1 MiB of nvme0n1, read-only, 0 reads")
    monitor(m, "stats beta", r"monitor: beta: disk data: FAILED, 64 MiB of nvme0n1, read-write")
    monitor(m, "stats gamma", r"monitor: gamma: disk data: FAILED, 0 MiB of missing, read-write")
    assert m.text.count("ERROR") == 2


def test_nvme_dma_outside_the_mapped_pages_reaches_nothing(hv, tmp_path):
    d0 = drive(tmp_path, "d0.img", 16, b"DATA-THE-DRIVE-WOULD-WRITE")
    m = hv(smp=2, append="hvtest=nvme-stray-dma", extra=nvme_args([d0]))
    m.expect(r"nvme0: DMA check: a read aimed at a page unmapped after use \(device address 0x[0-9a-f]+\): "
             r"status 0x[0-9a-f]+, the page is untouched")
    m.expect(r"nvme0: DMA check: a read aimed at a page never mapped \(device address 0x[0-9a-f]+\): "
             r"status 0x[0-9a-f]+, the page is untouched")
    m.expect(r"SELFTEST: 6 passed, 0 failed")
    assert m.wait_exit() == 0
    assert "WRITTEN" not in m.text
    # The check can fail: with the all-memory bypass the same read lands.
    m = hv(smp=2, append="hvtest=nvme-stray-dma hostdma=bypass", extra=nvme_args([d0]))
    m.expect(r"nvme0: DMA check: a read aimed at a page unmapped after use \(device address 0x[0-9a-f]+\): "
             r"status 0x0, the page is WRITTEN")
    assert m.wait_exit() == 0


def test_a_bar_larger_than_the_32_bit_window_goes_to_m64(hv, tmp_path):
    """A 64-bit prefetchable BAR of 4 GiB (QEMU's ivshmem-plain over a
    sparse file) cannot fit the 2 GiB 32-bit window: it is placed in the
    PHB's 64-bit window behind an M64 BAR of its own. The hypervisor's
    pattern at both ends of the BAR must reach the file, while the NVMe
    drive on the same machine keeps working in the 32-bit window."""
    shm = tmp_path / "shm.img"
    with open(shm, "wb") as f:
        f.truncate(4 << 30)
    d0 = drive(tmp_path, "d0.img", 64, b"HOST-WROTE-DRIVE0")
    extra = nvme_args([d0]) + [
        "-object", "memory-backend-file,id=shm,size=4G,mem-path=%s,share=on" % shm,
        "-device", "ivshmem-plain,memdev=shm,bus=pcie.1"]
    m = hv(smp=2, append="hvtest=disk-io hvtest=host-bar-pattern", extra=extra)
    # its register BAR stays in the 32-bit window, the 4 GiB one goes above
    found = m.expect(r"pci: 0001:01:00\.0 RAM memory \[0500\]: 1af4:1110 \(rev 01\) \[pcie\.1\], "
             r"BAR0 256 at 0x600c08[0-9a-f]+, BAR2 4096M at 0x([0-9a-f]+), PE 1")
    base = int(found.group(1), 16)
    m.expect(r"pci: 0001:01:00\.0: BAR2 pattern at 0x%x and \+0xfffffff8: read back" % base)
    m.expect(r"hvtest: nvme0n1: wrote 8 blocks at LBA 2048, flushed, read back equal \(ok\)")
    m.expect(r"SELFTEST: \d+ passed, 0 failed")
    assert m.wait_exit() == 0
    assert "ERROR" not in m.text
    assert base >= 1 << 32  # not in the 32-bit window
    with open(shm, "rb") as f:
        head = f.read(8)
        f.seek((4 << 30) - 8)
        tail = f.read(8)
    want = 0x6876626172320000  # "hvbar" '2' 0 0, big-endian as the hypervisor stores it
    assert int.from_bytes(head, "big") == want, head
    assert int.from_bytes(tail, "big") == want ^ (2**64 - 1), tail
