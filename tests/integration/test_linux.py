"""Unmodified Debian Linux (ppc64el 6.1) in partitions, booted from real bundles.

The kernel and initramfs come from tools/guest_images.sh (cache/guests; the
pinned package is in cache/guests/kernel.version). Each bundle's init runs
one script from tests/guests/linux/ and powers the partition off.
"""
import os
import re
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CACHE = os.environ.get("HV_CACHE", os.path.join(TOP, "cache"))


def bundle(name):
    path = os.path.join(TOP, "build", "bundles", name + ".bundle")
    assert os.path.exists(path), "missing %s: ./hvctl build prepares it once cache/guests exists" % path
    return path


def kernel_version():
    with open(os.path.join(CACHE, "guests", "kernel.version")) as f:
        return f.read().strip()


def figures(m, part):
    """Uptime at init, wall time to init, exits and hcalls of a partition's run."""
    up = float(re.search(r"%s: GUEST INIT: uptime ([0-9.]+)" % part, m.text).group(1))
    ran = re.search(r"%s: ran (\d+) exits, (\d+) hcalls, (\d+) interrupts" % part, m.text)
    return up, int(ran.group(1)), int(ran.group(2)), int(ran.group(3))


def wait_init(m, part, timeout=180):
    m.expect(r"%s: GUEST INIT: reached init" % part, timeout=timeout)
    return m.elapsed()


def test_linux_boots_and_sees_a_pseries_platform(hv):
    print("guest kernel: %s" % kernel_version())
    m = hv(smp=4, initrd=bundle("linux-info"))
    wall = wait_init(m, "alpha")
    m.expect(r"alpha: GUEST INFO: date (\d+)\r?\n", timeout=120)
    guest_date = int(m.p.match.group(1))
    m.expect(r"alpha: GUEST DONE info")
    m.expect(r"alpha: stopped: powered off by the guest", timeout=60)
    m.expect(r"all partitions have stopped")
    assert m.wait_exit() == 0
    t = m.text
    assert re.search(r"alpha: GUEST INFO: cpuinfo platform: pSeries", t)
    assert re.search(r"alpha: GUEST INFO: cpuinfo MMU: Hash", t)
    assert re.search(r"alpha: GUEST INFO: nproc 2\b", t)
    mem_kb = int(re.search(r"alpha: GUEST INFO: MemTotal:\s+(\d+) kB", t).group(1))
    assert 400 * 1024 < mem_kb <= 512 * 1024, mem_kb
    assert abs(guest_date - time.time()) < 60, (guest_date, time.time())
    assert "Oops" not in t and "Call Trace" not in t
    up, exits, hcalls, irqs = figures(m, "alpha")
    print("linux-info: guest uptime at init %.2f s, wall %.1f s, %d exits, %d hcalls, %d interrupts"
          % (up, wall, exits, hcalls, irqs))


def test_linux_mmu_workload(hv):
    m = hv(smp=4, initrd=bundle("linux-mmu"))
    wait_init(m, "alpha")
    r = m.expect(r"alpha: GUEST MMU: forks ok (\d+)\r*\n", timeout=400)
    assert int(r.group(1)) >= 200
    m.expect(r"alpha: GUEST MMU: 64MB verify ok", timeout=200)
    m.expect(r"alpha: GUEST MMU: dmesg problems 0", timeout=60)
    m.expect(r"alpha: GUEST DONE mmu")
    m.expect(r"alpha: stopped: powered off by the guest", timeout=60)
    assert m.wait_exit() == 0
    assert "Oops" not in m.text and "Call Trace" not in m.text


def test_two_linux_partitions_at_once(hv):
    m = hv(smp=4, initrd=bundle("linux-two"))
    done = set()
    while len(done) < 2:
        r = m.expect(r"(alpha|beta): stopped: ([^\r\n]+)\r?\n", timeout=600)
        part, why = r.group(1), r.group(2).strip()
        assert why == "powered off by the guest", (part, why)
        done.add(part)
    m.expect(r"all partitions have stopped")
    assert m.wait_exit() == 0
    for part in ("alpha", "beta"):
        assert re.search(r"%s: GUEST MMU: forks ok \d+" % part, m.text)
        assert re.search(r"%s: GUEST MMU: 64MB verify ok" % part, m.text)
        assert re.search(r"%s: GUEST MMU: dmesg problems 0" % part, m.text)
        assert re.search(r"%s: GUEST DONE mmu" % part, m.text)


def test_crash_in_one_partition_spares_the_other(hv):
    m = hv(smp=4, initrd=bundle("linux-crash"))
    stopped = {}
    while len(stopped) < 2:
        r = m.expect(r"(alpha|beta): stopped: ([^\r\n]+)\r?\n", timeout=600)
        stopped[r.group(1)] = r.group(2).strip()
    m.expect(r"all partitions have stopped")
    assert m.wait_exit() == 0
    assert stopped["alpha"].startswith("the guest OS terminated (ibm,os-term)"), stopped["alpha"]
    assert "sysrq triggered crash" in stopped["alpha"]
    assert stopped["beta"] == "powered off by the guest"
    assert re.search(r"beta: GUEST MMU: 64MB verify ok", m.text)
    assert re.search(r"beta: GUEST DONE mmu", m.text)


def test_demo_shells_and_the_monitor(hv, tmp_path):
    """./hvctl run's default bundle: two Linux shells; the monitor lists,
    moves the console focus, shows counters, restarts, resets and stops."""
    disk = tmp_path / "disk0.img"
    with open(disk, "wb") as f:
        f.truncate(1 << 30)  # as ./hvctl run attaches it
    m = hv(smp=4, initrd=bundle("demo"), extra=["-drive", "file=%s,if=none,id=hvdisk0,format=raw" % disk,
                                                 "-device", "nvme,drive=hvdisk0,serial=hvdisk0,bus=pcie.0"])
    m.expect(r"alpha: disk data on host disk 'drive0' \(nvme0n1\): 512 MiB from byte 0x0, read-write")
    m.expect(r"beta: disk data on host disk 'drive0' \(nvme0n1\): 512 MiB from byte 0x20000000, read-write")
    m.expect(r"console: input goes to alpha; Ctrl-\] opens the monitor")
    seen = set()
    while len(seen) < 2:
        r = m.expect(r"(alpha|beta): Enter 'help' for a list of built-in commands", timeout=180)
        seen.add(r.group(1))
    m.p.send("echo typed-into-$((40+2))\r")
    m.expect(r"alpha: typed-into-42")
    # Its disk, as virtio-blk; a line longer than the partition's input
    # buffer (64 bytes) arrives whole: the console holds back what does not fit.
    m.p.send("echo disk $(cat /sys/block/vda/size) $(cat /sys/block/vda/serial) " + "x" * 40 + "\r")
    m.expect(r"alpha: disk 1048576 alpha-data x{40}\r?\n")
    # The README's filesystem on it (the file is read back after the restart below)
    m.p.send("mke2fs -q /dev/vda && mkdir -p /mnt/disk && mount -t ext2 /dev/vda /mnt/disk && "
             "echo hello-from-the-$((1+1))nd-boot > /mnt/disk/note && sync && umount /mnt/disk && echo fs-ok\r")
    m.expect(r"alpha: fs-ok\r?\n", timeout=120)
    m.p.send("\x1d")
    m.expect(r"monitor: \(help for commands")
    m.p.send("list\r")
    m.expect(r"monitor: alpha\s+running\s+2\s+512 MiB\s+\d+\s+\d+\s+\d+\s+\(focus\)")
    m.expect(r"monitor: beta\s+running\s+2\s+512 MiB")
    m.p.send("focus beta\r")
    m.expect(r"monitor: console input now goes to beta")
    m.p.send("stats beta\r")
    m.expect(r"monitor:   0x00e0 H_CEDE\s+\d+")              # H_CEDE from its idle loop
    m.expect(r"monitor: beta: vCPU 1 on thread \d+: \d+ exits")
    m.p.send("frobnicate\r")
    m.expect(r"monitor: unknown command 'frobnicate'")
    m.p.send("\r")
    m.expect(r"monitor: back to beta")
    m.p.send("echo hello-beta\r")
    m.expect(r"beta: hello-beta")
    m.p.send("\x1d")
    m.p.send("restart alpha\r")
    m.expect(r"alpha: stopped: restarting from the monitor")
    m.expect(r"alpha: restarted \(boot 2\)", timeout=60)
    m.expect(r"alpha: GUEST INIT: reached init", timeout=180)
    m.p.send("focus alpha\r")
    m.expect(r"monitor: console input now goes to alpha")
    m.p.send("\r")
    m.expect(r"alpha: Enter 'help' for a list of built-in commands", timeout=180)
    m.p.send("mkdir -p /mnt/disk && mount -t ext2 /dev/vda /mnt/disk && cat /mnt/disk/note\r")
    m.expect(r"alpha: hello-from-the-2nd-boot\r?\n", timeout=60)
    m.p.send("\x1d")
    m.expect(r"monitor: \(help for commands")
    # A system reset, as virsh inject-nmi: Linux takes it at its FWNMI
    # vector, prints its state and panics (the debug kernel's default).
    m.p.send("nmi beta\r")
    m.expect(r"monitor: beta: system reset sent to its vCPUs")
    m.expect(r"beta: .*Kernel panic - not syncing: System Reset", timeout=60)
    m.expect(r"beta: stopped: the guest OS terminated \(ibm,os-term\): OS panic: System Reset")
    m.p.send("stop alpha\r")
    m.expect(r"alpha: stopped: stopped from the monitor")
    m.expect(r"all partitions have stopped")
    assert m.wait_exit() == 0
