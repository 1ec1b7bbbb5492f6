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
    assert "PANIC" not in m.text
