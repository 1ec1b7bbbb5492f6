"""The virtual PCI host bridge and ivshmem, from bare-metal guests
(tests/guests/pci.c) and from Linux (test_linux.py has the Linux side)."""
import re

from test_partitions import bundle


def test_pci_ivshmem_bare_metal_every_form_and_refusal(hv):
    """Config space, every MMIO load/store form, refused forms, unassigned
    addresses, shared-memory protections, INTx and MSI-X doorbells, TCEs;
    a read-only peer whose stores all fault rings the main guest."""
    m = hv(smp=2, initrd=bundle("pci"))
    results = {}
    for _ in range(2):
        r = m.expect(r"(pci|peer): GUEST RESULT: (\d+) passed, (\d+) failed\r*\n", timeout=180)
        results[r.group(1)] = (int(r.group(2)), int(r.group(3)))
    passed, failed = results["pci"]
    peer_passed, peer_failed = results["peer"]
    fails = re.findall(r"(?:pci|peer): FAIL: (.*)", m.text)
    assert failed == 0 and peer_failed == 0 and not fails, fails
    assert passed >= 150 and peer_passed >= 20, (passed, peer_passed)
    assert re.search(r"pci: vCPU 0: device access at 0x[0-9a-f]+ by instruction [0-9a-f]{8} at 0x[0-9a-f]+: "
                     r"not a load or store the emulation supports; it gets a machine check", m.text)
    from test_hostile import monitor
    r = monitor(m, "stats pci", r"monitor: pci: devices: (\d+) emulated accesses, (\d+) refused, (\d+) unassigned")
    assert int(r.group(1)) >= 90 and int(r.group(2)) == 5 and int(r.group(3)) >= 3, r.groups()
    # The peer restarts: its bridge comes back as at power-on and decodes
    # its BARs again where it puts them (BAR2 at the start of the 64-bit
    # window, where a stale range once stopped it decoding); all its checks
    # pass again.
    r = monitor(m, "restart peer", r"peer: GUEST RESULT: (\d+) passed, (\d+) failed\r*\n", timeout=120)
    assert int(r.group(1)) == peer_passed and r.group(2) == "0", (r.groups(), re.findall(r"peer: FAIL: (.*)", m.text))
    assert "PANIC" not in m.text


def test_pci_ivshmem_linux_two_partitions(hv):
    """Two Linux partitions on two cores: the ivshmem functions in sysfs,
    uio_pci_generic bound, a 64 MiB buffer through BAR2 with checksums,
    10,000 doorbell round trips by INTx without a lost or spurious
    interrupt, and output sections (on a second host bridge): a read-only
    peer's stores fault in its process (SIGBUS), the owner's land, the
    state table is read-only; doorbells to a stopped peer are dropped and
    counted."""
    from test_linux import bundle as linux_bundle
    m = hv(smp=4, initrd=linux_bundle("linux-ivshmem"))
    done = set()
    while len(done) < 2:
        r = m.expect(r"(alpha|beta): GUEST DONE ivshmem", timeout=1500)
        done.add(r.group(1))
    # alpha waits for beta to stop (its last doorbells), so it stops last.
    m.expect(r"alpha: stopped: powered off by the guest", timeout=120)
    assert "beta: stopped: powered off by the guest" in m.text
    # Doorbells to a stopped peer and to a peer that does not exist: dropped
    # and counted; the 10,000 round trips and the data's were all taken.
    from test_hostile import monitor
    r = monitor(m, "stats alpha", r"monitor: alpha: ivshmem 'sections' as peer 0: (\d+) doorbells rung, (\d+) dropped")
    assert r.groups() == ("2", "2"), r.groups()
    r = monitor(m, "stats beta", r"monitor: beta: ivshmem 'data' as peer 1: (\d+) doorbells rung, (\d+) dropped, "
                r"(\d+) received")
    assert int(r.group(1)) == 10001 and r.group(2) == "0" and int(r.group(3)) == 10001, r.groups()
    t = m.text
    for part in ("alpha", "beta"):
        fns = re.findall(r"%s: GUEST IVSHMEM: pci (\S+) class 0x050000 0x1af4:0x1110 irq (\d+) driver none" % part, t)
        assert len(fns) == 2, (part, fns)
        # One on each host bridge: PCI domains 0000 and 0001.
        assert sorted(name.split(":")[0] for name, _ in fns) == ["0000", "0001"], fns
        assert all(int(irq) > 0 for _, irq in fns), fns
        bound = re.findall(r"%s: GUEST IVSHMEM: after binding \S+ driver uio_pci_generic" % part, t)
        assert len(bound) == 2, (part, bound)
        r = re.search(r"%s: GUEST IVSHMEM: pingpong (\d+) rounds, lost (\d+), spurious (\d+), ([0-9.]+) us" % part, t)
        assert r and r.groups()[:3] == ("10000", "0", "0"), (part, r and r.groups())
        if part == "alpha":
            print("ivshmem doorbell round trip between partitions on two cores: %s us" % r.group(4))
        assert re.search(r"%s: GUEST IVSHMEM: dmesg problems 0\r*\n" % part, t), part
        assert not re.search(r"%s: GUEST IVSHMEM: error" % part, t), part
    sent = re.search(r"alpha: GUEST IVSHMEM: sent 64 MiB checksum ([0-9a-f]{16})", t)
    got = re.search(r"beta: GUEST IVSHMEM: received 64 MiB checksum ([0-9a-f]{16}) \(sender ([0-9a-f]{16})\), "
                    r"0 bad words: ok", t)
    assert sent and got and sent.group(1) == got.group(1) == got.group(2), (sent, got)
    assert re.search(r"alpha: GUEST IVSHMEM: peer says ok", t)
    # Output sections: alpha (peer 0) writes the common area and its own
    # section; the other section and the state table are read-only for it;
    # beta, a read-only peer, writes nothing.
    # The state table: alpha runs (its u32); beta may have powered off already.
    assert re.search(r"alpha: GUEST IVSHMEM: word at 0x0: 0x0000000[01]00000001", t)
    assert re.search(r"alpha: GUEST IVSHMEM: store at 0x20000 done, reads 0x706f6b6564212121", t)
    assert re.search(r"alpha: GUEST IVSHMEM: store at 0xe0000 done", t)
    for off in ("0xf0000", "0x0"):
        assert re.search(r"alpha: GUEST IVSHMEM: store at %s faulted \(SIGBUS\)" % off, t), off
    for off in ("0x20000", "0xe0000", "0xf0000", "0x0"):
        assert re.search(r"beta: GUEST IVSHMEM: store at %s faulted \(SIGBUS\)" % off, t), off
    assert "PANIC" not in t and "Oops" not in t
