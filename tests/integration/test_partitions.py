"""Partitions: bare-metal test guests booted through real bundles (tests/guests)."""
import os
import re

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def bundle(name):
    path = os.path.join(TOP, "build", "bundles", name + ".bundle")
    assert os.path.exists(path), "build the bundles first (./hvctl build)"
    return path


def run_guest(hv, name, smp=2, part=None, timeout=120):
    m = hv(smp=smp, initrd=bundle(name))
    part = part or name
    r = m.expect(r"%s: GUEST RESULT: (\d+) passed, (\d+) failed" % part, timeout=timeout)
    passed, failed = int(r.group(1)), int(r.group(2))
    m.expect(r"%s: stopped: powered off by the guest" % part)
    m.expect(r"all partitions have stopped")
    assert m.wait_exit() == 0
    fails = re.findall(r"%s: FAIL: (.*)" % part, m.text)
    assert failed == 0 and not fails, fails
    return m, passed


def test_hello_guest(hv):
    m, passed = run_guest(hv, "hello")
    assert passed == 3
    assert "hello: hello from a guest" in m.text
    assert re.search(r"hello: 256 MiB at 0x[0-9a-f]+, HPT 2048 KiB at 0x[0-9a-f]+, LPID 1, 1 vCPUs", m.text)


def test_page_table_hcalls_through_translation(hv):
    m, passed = run_guest(hv, "mmu")
    assert passed >= 75


def test_other_hcalls_results_side_effects_and_errors(hv):
    m, passed = run_guest(hv, "hcalls")
    assert passed >= 60
    assert "hcalls: vty 16 bytes  ok" in m.text


def test_secondary_vcpus_cede_and_prod(hv):
    m, passed = run_guest(hv, "smp")
    assert passed >= 10
    assert "smp: 2 vCPUs" in m.text


def test_more_vcpus_than_threads_are_time_sliced(hv):
    m, passed = run_guest(hv, "smp_sliced", part="sliced")
    assert passed >= 14
    assert "4 vCPUs" in m.text


def test_hostile_partition_cannot_touch_another(hv):
    """The attacker's targeted attacks and a storm of a million random hcalls
    change nothing for the victim; its reads and writes past its memory are
    machine checks for it alone."""
    m = hv(smp=2, initrd=bundle("isolation"))
    r = m.expect(r"attacker: targeted attacks done, (\d+) refused as expected, (\d+) not", timeout=300)
    assert int(r.group(1)) >= 2000 and int(r.group(2)) == 0
    r = m.expect(r"attacker: storm of (\d+) hcalls \(seed ([0-9a-f]+)\): (\d+) succeeded, (\d+) refused", timeout=600)
    assert int(r.group(1)) >= 1000000
    print("storm seed %s: %s succeeded, %s refused" % (r.group(2), r.group(3), r.group(4)))
    m.expect(r"attacker: machine checks for its reads and writes past its memory")
    m.expect(r"attacker: GUEST RESULT: \d+ passed, 0 failed")
    m.expect(r"attacker: stopped: powered off by the guest")
    m.expect(r"victim: alive, \d+ rounds, checksum unchanged", timeout=30)
    assert re.search(r"victim: memory filled, checksum [0-9a-f]{16}", m.text)
    m.p.send("q")
    m.expect(r"victim: \d+ rounds, 0 words differ", timeout=120)
    m.expect(r"victim: GUEST RESULT: 2 passed, 0 failed")
    m.expect(r"all partitions have stopped")
    assert m.wait_exit() == 0
    assert "CHANGED" not in m.text and "PANIC" not in m.text
    assert "attacker: FAIL" not in m.text and "victim: FAIL" not in m.text


def test_pseries_kernel_runs_as_on_qemu_pseries(hv):
    """The pseries test kernel (entry state, vty 0, VPA/DTL, large DEC, H_CEDE,
    CFAR, MSR[ME], GTSE), also under a little-endian ELF header: a pseries
    kernel is entered big-endian whatever its header says."""
    m = hv(smp=2, initrd=bundle("pseries"))
    m.expect(r"all partitions have stopped", timeout=180)
    assert m.wait_exit() == 0
    for part in ("be", "le"):
        r = re.search(r"%s: GUEST RESULT: (\d+) passed, (\d+) failed" % part, m.text)
        assert r, "%s printed no result" % part
        fails = re.findall(r"%s: FAIL: (.*)" % part, m.text)
        assert int(r.group(2)) == 0 and not fails, fails
        assert int(r.group(1)) >= 18
        assert "%s: vty 0 ok" % part in m.text
        # The operator sees the escape as text; no escape byte reaches the terminal.
        assert "%s: escape ^[[2J^[[31mred^[[0m done" % part in m.text
    assert "\x1b[2J" not in m.text and "\x1b[31m" not in m.text


def test_registers_do_not_leak_between_partitions_on_one_thread(hv):
    """Two partitions time-sliced on one thread each find every register
    they set (VSX, FPSCR, VSCR, SPRs, PPR) as they left it."""
    m = hv(smp=2, initrd=bundle("regs"))
    m.expect(r"all partitions have stopped", timeout=180)
    assert m.wait_exit() == 0
    for part in ("red", "blue"):
        r = re.search(r"%s: GUEST RESULT: (\d+) passed, (\d+) failed" % part, m.text)
        assert r, "%s printed no result" % part
        fails = re.findall(r"%s: FAIL: (.*)" % part, m.text)
        assert int(r.group(2)) == 0 and not fails, fails
        assert "%s: 40 rounds, 0 register values lost" % part in m.text
