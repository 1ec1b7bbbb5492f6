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
    assert passed >= 69


def test_other_hcalls_results_side_effects_and_errors(hv):
    m, passed = run_guest(hv, "hcalls")
    assert passed >= 60
    assert "hcalls: vty 16 bytes  ok" in m.text


def test_secondary_vcpus_cede_and_prod(hv):
    m, passed = run_guest(hv, "smp")
    assert passed >= 10
    assert "smp: smp: 2 vCPUs" in m.text


def test_more_vcpus_than_threads_are_time_sliced(hv):
    m, passed = run_guest(hv, "smp_sliced", part="sliced")
    assert passed >= 14
    assert "4 vCPUs" in m.text
