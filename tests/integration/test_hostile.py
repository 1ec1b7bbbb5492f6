"""Hostile partitions beside a victim on the same hardware thread
(tests/guests/rogue.c and meter.c): what one partition does must not cost
another its share of the CPU, and restarts work every time."""
import os
import re
import shutil
import subprocess

from test_partitions import bundle


def rogue_bundle(tmp_path, mode, cpus):
    """The rogue bundle with the rogue's mode and vCPU placement set."""
    path = str(tmp_path / ("rogue-%s.bundle" % mode))
    shutil.copy(bundle("rogue"), path)
    subprocess.run(["fdtput", "-t", "s", path, "/partitions/rogue", "bootargs", mode], check=True)
    subprocess.run(["fdtput", "-t", "i", path, "/partitions/rogue", "cpus"] + [str(c) for c in cpus], check=True)
    return path


def monitor(m, command, expect, timeout=30):
    """One monitor command, leaving the monitor at once; waits for what it should print."""
    m.p.send("\x1d")
    m.expect(r"monitor: \(help for commands")
    m.p.send(command + "\r\r")
    return m.expect(expect, timeout=timeout)


def cpu_ms(m, part, vcpu):
    r = monitor(m, "stats " + part, r"monitor: %s: vCPU %d on thread \d+: .* cpu (\d+) ms\r*\n" % (part, vcpu))
    return int(r.group(1))


def meter_seconds(m, seconds):
    """Waits for that many of the meter's one-second reports; returns its longest stall in ms."""
    stall = 0
    for _ in range(seconds):
        r = m.expect(r"victim: meter: \d+ rounds, longest stall (\d+) ms\r*\n", timeout=60)
        stall = int(r.group(1))
    return stall


def test_prods_and_ipis_do_not_cut_the_victims_slices(hv, tmp_path):
    """The rogue's vCPU on the victim's thread is prodded and sent IPIs
    non-stop from another thread; the two still share the thread evenly."""
    m = hv(smp=2, initrd=rogue_bundle(tmp_path, "prod", [1, 0]))
    m.expect(r"rogue: rogue: prod")
    meter_seconds(m, 3)
    v0, r0 = cpu_ms(m, "victim", 0), cpu_ms(m, "rogue", 1)
    stall = meter_seconds(m, 6)
    v1, r1 = cpu_ms(m, "victim", 0), cpu_ms(m, "rogue", 1)
    share = (v1 - v0) / max(1, (v1 - v0) + (r1 - r0))
    print("victim's share of thread 0: %.0f%% (%d ms of %d), longest stall %d ms"
          % (100 * share, v1 - v0, (v1 - v0) + (r1 - r0), stall))
    assert share >= 0.35
    assert stall < 2000
    assert "PANIC" not in m.text


def test_a_reboot_loop_is_bounded_and_costs_only_its_own_time(hv, tmp_path):
    """The rogue reboots itself at every start, its vCPU 0 (which does the
    restarts) on the victim's thread: it is held after a burst, the victim
    keeps running meanwhile, and the monitor answers."""
    m = hv(smp=2, initrd=rogue_bundle(tmp_path, "reboot", [0, 1]))
    m.expect(r"rogue: restarted \(boot 2\)", timeout=60)
    m.expect(r"rogue: stopped: reboot loop: 8 reboots in 60 s; held until 'restart rogue' in the monitor",
             timeout=240)
    stall = meter_seconds(m, 2)
    assert len(re.findall(r"rogue: restarted \(boot \d+\)", m.text)) == 8
    assert stall < 2000
    monitor(m, "list", r"monitor: rogue\s+stopped")
    assert "PANIC" not in m.text


def test_winding_the_timebase_back_stalls_no_one(hv, tmp_path):
    """QEMU lets the rogue write its thread's timebase; the hypervisor puts
    it back, so the victim on that thread and the monitor go on."""
    m = hv(smp=2, initrd=rogue_bundle(tmp_path, "tbwind", [0, 1]))
    m.expect(r"rogue: winding the timebase back")
    m.expect(r"rogue: vCPU 0 moved the timebase back by \d+ us; it was put back", timeout=60)
    stall = meter_seconds(m, 5)
    monitor(m, "list", r"monitor: victim\s+running", timeout=20)
    assert stall < 2000
    assert "PANIC" not in m.text


def test_zeroing_16m_pages_does_not_hold_the_thread(hv, tmp_path):
    """The rogue, on the victim's thread, has 16 MiB pages zeroed by H_ENTER
    (milliseconds each): the zeroing stops when its slice is over and the
    hcall restarts where it left off, so the victim gets its turns in
    between; every page comes back all zero."""
    m = hv(smp=2, initrd=rogue_bundle(tmp_path, "zero16m", [0, 1]))
    m.expect(r"rogue: zero16m: 20 pages, 0 not all zero, 0 refused\r*\n", timeout=120)
    r = monitor(m, "stats rogue", r"monitor: rogue: vCPU 0 on thread 0: \d+ exits, (\d+) hcalls \((\d+) restarted\)")
    hcalls, restarted = int(r.group(1)), int(r.group(2))
    stall = meter_seconds(m, 2)
    print("rogue: %d hcalls, %d restarted; victim's longest stall since: %d ms" % (hcalls, restarted, stall))
    assert restarted > 0
    assert "PANIC" not in m.text


def test_operator_restarts_work_every_time(hv, tmp_path):
    """Twenty restarts from the monitor, each one a fresh boot of the guest."""
    path = str(tmp_path / "hello-stay.bundle")
    shutil.copy(bundle("hello"), path)
    subprocess.run(["fdtput", "-c", path, "/hypervisor"], check=True)
    subprocess.run(["fdtput", "-t", "s", path, "/hypervisor", "on-last-partition-stop", "stay"], check=True)
    m = hv(smp=2, initrd=path)
    m.expect(r"hello: GUEST RESULT: 3 passed, 0 failed")
    m.expect(r"hello: stopped: powered off by the guest")
    for boot in range(2, 22):
        monitor(m, "restart hello", r"hello: restarted \(boot %d\)\r*\n" % boot)
        m.expect(r"hello: GUEST RESULT: 3 passed, 0 failed", timeout=30)
        m.expect(r"hello: stopped: powered off by the guest", timeout=30)
    assert "PANIC" not in m.text


def test_a_doorbell_rung_by_one_partition_does_not_reach_another(hv, tmp_path):
    """QEMU 7.2 lets the rogue's msgsndp ring a real doorbell on the thread
    it shares with the victim (hardware would trap it); the victim, running
    with interrupts on, must not get it (QEMU would abort), and the rogue
    gets its own doorbell interrupt once it turns EE on."""
    m = hv(smp=2, initrd=rogue_bundle(tmp_path, "doorbell", [0, 1]))
    m.expect(r"rogue: rogue: doorbell")
    m.expect(r"rogue: doorbell: 1 interrupt\(s\) with EE on", timeout=60)
    meter_seconds(m, 2)
    m.p.send("q")
    m.expect(r"victim: GUEST RESULT: \d+ passed, 0 failed", timeout=60)
    assert "SDOOR" not in m.text and "PANIC" not in m.text
