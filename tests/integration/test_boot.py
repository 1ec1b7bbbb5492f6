"""The image boots under skiboot, runs its self-test and powers off."""
import os
import re


def test_selftest_passes_on_4_cpus(hv):
    m = hv(smp=4)
    m.expect(r"powerhv \S+: hypervisor for POWER")
    m.expect(r"platform: .*, 4 CPUs, timebase \d+ Hz")
    m.expect(r"memory:\s+\[0x0+, 0x0*100000000\)\s+4096 MiB")
    m.expect(r"reserved: .* hypervisor image")
    m.expect(r"smp: 4 of 4 CPUs online")
    for name in ["allocator", "fdt", "timer", "smp", "spinlock", "exception"]:
        m.expect(r"selftest: %s\s+ok" % name)
    m.expect(r"SELFTEST: 6 passed, 0 failed")
    m.expect(r"powering off")
    assert m.wait_exit() == 0
    assert m.elapsed() < 60
    assert "ERROR" not in m.text and "PANIC" not in m.text


def test_single_cpu(hv):
    m = hv(smp=1, mem="2G")
    m.expect(r"memory:\s+\[0x0+, 0x0*80000000\)\s+2048 MiB")
    m.expect(r"smp: 1 of 1 CPUs online")
    m.expect(r"selftest: exception\s+ok\s+deliberate trap caught and survived on 1 of 1 CPUs")
    m.expect(r"SELFTEST: 6 passed, 0 failed")
    assert m.wait_exit() == 0


def test_every_cpu_reports_in(hv):
    m = hv(smp=2)
    m.expect(r"cpu 1: online \(server 0x[0-9a-f]+\)")
    m.expect(r"smp: 2 of 2 CPUs online")
    m.expect(r"SELFTEST: 6 passed, 0 failed")
    assert m.wait_exit() == 0


def test_unexpected_trap_reports_and_powers_off(hv):
    m = hv(smp=2, append="hvtest=fault")
    m.expect(r"FAULT: program interrupt \(0x700\) on CPU \d+ \(server 0x[0-9a-f]+\) in the hypervisor")
    m.expect(r"SRR0\s+0x[0-9a-f]{16}\s+SRR1")
    m.expect(r"HDAR\s+0x[0-9a-f]{16}")
    m.expect(r"NIP\s+0x[0-9a-f]{16}\s+fault_test_trigger\+0x")
    m.expect(r"LR\s+0x[0-9a-f]{16}\s+fault_test\+0x")
    m.expect(r"r28-r31\s+[0-9a-f]{16}")
    m.expect(r"backtrace \(\d+ frames\):")
    m.expect(r"from\s+0x[0-9a-f]{16}\s+boot_main\+0x")
    m.expect(r"\nPANIC: unexpected program interrupt at 0x[0-9a-f]+ on CPU \d+")
    m.expect(r"powering off")
    assert m.wait_exit() == 0
    assert "SELFTEST" not in m.text


def test_initrd_that_is_not_a_bundle(hv, tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(os.urandom(4096))
    m = hv(smp=1, initrd=str(junk))
    m.expect(r"reserved: .* bundle \(initrd\)")
    m.expect(r"ERROR: bundle: not a bundle \(magic 0x[0-9a-f]{8}, expected 0xd00dfeed\)")
    m.expect(r"ERROR: boot: the initrd at 0x[0-9a-f]+ \(4096 bytes\) is not a usable bundle")
    m.expect(r"powering off")
    assert m.wait_exit() == 0
    assert "SELFTEST" not in m.text


def test_truncated_bundle(hv, tmp_path):
    """An FDT header claiming more bytes than the initrd holds is refused."""
    import struct
    hdr = struct.pack(">10I", 0xd00dfeed, 1 << 20, 56, 64, 40, 17, 16, 0, 4, 8)
    f = tmp_path / "short.bin"
    f.write_bytes(hdr + b"\0" * 200)
    m = hv(smp=1, initrd=str(f))
    m.expect(r"ERROR: bundle: (corrupt header|header says \d+ bytes but only \d+ were loaded)")
    m.expect(r"powering off")
    assert m.wait_exit() == 0


def test_loglevel_error_hides_info(hv):
    m = hv(smp=2, append="loglevel=error")
    m.expect(r"SELFTEST: 6 passed, 0 failed")
    assert m.wait_exit() == 0
    assert not re.search(r"cpu 1: online", m.text)


def test_unknown_loglevel_is_reported(hv):
    m = hv(smp=1, append="loglevel=chatty")
    m.expect(r"WARNING: boot: unknown loglevel in \"loglevel=chatty\"")
    m.expect(r"SELFTEST: 6 passed, 0 failed")
    assert m.wait_exit() == 0


def test_missing_fdt_property_stops_cleanly(hv):
    m = hv(smp=2, append="hvtest=fdt-no-timebase")
    m.expect(r"ERROR: fdt: /cpus/\S+: missing property timebase-frequency")
    m.expect(r"ERROR: boot: cannot continue without a valid device tree")
    m.expect(r"powering off")
    assert m.wait_exit() == 0
    assert "SELFTEST" not in m.text and "PANIC" not in m.text


def test_overlapping_memory_stops_cleanly(hv):
    m = hv(smp=1, append="hvtest=fdt-overlap")
    m.expect(r"ERROR: fdt: memory ranges overlap: \[0x10000000, 0x30000000\) and \[0x0, 0x100000000\)")
    m.expect(r"powering off")
    assert m.wait_exit() == 0


def test_console_input(hv):
    m = hv(smp=1, append="hvtest=echo")
    m.expect(r"hvtest: type a line")
    m.p.send("hello powerhv\r")
    m.expect(r'hvtest: read "hello powerhv" \(13 bytes\)')
    m.expect(r"SELFTEST: 6 passed, 0 failed")
    assert m.wait_exit() == 0
