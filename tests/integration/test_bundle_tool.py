"""./hvctl bundle: builds a bundle from a .dts with dtc and checks it with the
hypervisor's own parser (build/host/tools/bundle-check). No QEMU needed.

Images are small fake files made in tmp_path; real ELF kernels of both byte
orders are cross-compiled when powerpc64-linux-gnu-gcc is there.
"""
import os
import re
import shutil
import subprocess

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHECK = os.path.join(TOP, "build", "host", "tools", "bundle-check")
CROSS = "powerpc64-linux-gnu-gcc"


def hvctl_has_bundle():
    with open(os.path.join(TOP, "hvctl"), encoding="utf-8") as f:
        return re.search(r"^\s*bundle\)", f.read(), re.M) is not None


@pytest.fixture(scope="module")
def checker():
    """Builds the checker once; the runs below then skip the build (HV_NO_BUILD)."""
    subprocess.run(["scons", "-Q", "build/host/tools/bundle-check"], cwd=TOP, check=True,
                   stdout=subprocess.DEVNULL)
    return CHECK


def bundle(checker, dts, out, cwd=None):
    """Runs ./hvctl bundle (or tools/bundle.sh until hvctl has the command)."""
    cmd = [os.path.join(TOP, "hvctl"), "bundle"] if hvctl_has_bundle() else [os.path.join(TOP, "tools", "bundle.sh")]
    env = dict(os.environ, HV_NO_BUILD="1")
    return subprocess.run(cmd + [str(dts), "-o", str(out)], cwd=cwd or TOP, env=env,
                          capture_output=True, text=True, timeout=120)


GOOD = """/dts-v1/;
/ {
	compatible = "powerhv,bundle-v1";
	hypervisor {
		time-slice-us = <2000>;
		loglevel = "debug";
		on-last-partition-stop = "stay";
	};
	images {
		linux { data = /incbin/("vmlinux"); };
		rootfs { data = /incbin/("initramfs.cpio.gz"); };
	};
	partitions {
		web {
			memory = /bits/ 64 <0x20000000>;
			vcpus = <2>;
			cpus = <0 1>;
			kernel = "linux";
			initrd = "rootfs";
			bootargs = "console=hvc0";
			load-address = /bits/ 64 <0x400000>;
			hpt-shift = <24>;
		};
		db {
			memory = <0x4000000>;
			vcpus = <1>;
			kernel = "linux";
		};
	};
};
"""


@pytest.fixture
def project(tmp_path):
    """A directory with a good config and two fake images."""
    (tmp_path / "vmlinux").write_bytes(b"\x48\x00\x00\x00" + bytes(5000 - 4))
    (tmp_path / "initramfs.cpio.gz").write_bytes(b"\x1f\x8b" + bytes(3000 - 2))
    (tmp_path / "good.dts").write_text(GOOD)
    return tmp_path


def test_good_bundle_summary(checker, project):
    out = project / "good.bundle"
    r = bundle(checker, project / "good.dts", out)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert re.match(r"bundle ok: \d+ bytes, 2 partitions, time slice 2000 us, loglevel debug, "
                    r"on last partition stop: stay$", lines[0])
    assert lines[1] == ("partition web: memory 512 MiB, vcpus 2 on cpus 0,1, kernel 'linux' 5000 bytes raw, "
                        "entry 0x400000, initrd 'rootfs' 3000 bytes at 0x420000")
    assert lines[2] == ("partition db: memory 64 MiB, vcpus 1, kernel 'linux' 5000 bytes raw, "
                        "entry 0x400000, no initrd")
    assert lines[3] == "hvctl bundle: wrote %s" % out
    data = out.read_bytes()
    assert data[:4] == b"\xd0\x0d\xfe\xed"
    assert b"\x48\x00\x00\x00" + bytes(4996) in data   # the image is in there, whole
    # The tool alone agrees.
    r2 = subprocess.run([checker, str(out)], capture_output=True, text=True)
    assert r2.returncode == 0 and r2.stdout.splitlines() == lines[:3]


def test_paths_are_relative_to_the_dts(checker, project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("cwd")
    r = bundle(checker, project / "good.dts", elsewhere / "b.bundle", cwd=elsewhere)
    assert r.returncode == 0, r.stderr
    assert (elsewhere / "b.bundle").exists()


@pytest.mark.parametrize("change, error", [
    (("<0x20000000>", "<0x6400000>"),
     "bundle: partition 'web': property memory: 100 MiB is not a multiple of 16 MiB"),
    (("vcpus = <2>;", "vcpus = <2>; memroy = <1>;"),
     "bundle: partition 'web': unknown property 'memroy'"),
    (("cpus = <0 1>;", "cpus = <0 64>;"),
     "bundle: partition 'web': property cpus: hardware thread 64 is out of range 0..63"),
    (('initrd = "rootfs";', 'initrd = "rootfs2";'),
     "bundle: partition 'web': property initrd: no image 'rootfs2' in /images"),
    (('loglevel = "debug";', 'loglevel = "loud";'),
     "bundle: /hypervisor: property loglevel: \"loud\" is not one of error, warn, info, debug"),
    (("\t\tdb {", "\t\tDB {"),
     "bundle: partition 'DB': the name must be 1..15 characters of a-z, 0-9, _ and -"),
    (("load-address = /bits/ 64 <0x400000>;", "load-address = /bits/ 64 <0x1ffff000>;"),
     "bundle: partition 'web': property load-address: 0x1ffff000 is not 64 KiB aligned"),
    (('compatible = "powerhv,bundle-v1";', 'compatible = "ibm,powernv";'),
     "bundle: root node is not compatible with \"powerhv,bundle-v1\""),
])
def test_bad_config_is_refused_and_not_written(checker, project, change, error):
    dts = project / "bad.dts"
    dts.write_text(GOOD.replace(*change))
    assert GOOD.replace(*change) != GOOD
    out = project / "bad.bundle"
    r = bundle(checker, dts, out)
    assert r.returncode == 1
    assert error in r.stderr.splitlines(), r.stderr
    assert "is not a valid bundle" in r.stderr
    assert not out.exists()
    assert not [f for f in os.listdir(project) if f.startswith(".bundle.")]   # no temporary left


def test_initrd_that_does_not_fit(checker, project):
    (project / "initramfs.cpio.gz").write_bytes(bytes(64 << 20))
    dts = project / "big.dts"
    dts.write_text(GOOD.replace("<0x20000000>", "<0x4000000>"))
    r = bundle(checker, dts, project / "big.bundle")
    assert r.returncode == 1
    assert ("bundle: partition 'web': property initrd: image 'rootfs' (67108864 bytes) does not fit in 64 MiB "
            "after the kernel (which ends at 0x401388)") in r.stderr


def test_dtc_errors_are_reported(checker, project):
    os.unlink(project / "vmlinux")
    r = bundle(checker, project / "good.dts", project / "x.bundle")
    assert r.returncode == 1
    assert "vmlinux" in r.stderr
    assert "dtc could not compile" in r.stderr
    assert not (project / "x.bundle").exists()


def test_usage_errors(checker, project):
    cmd = [os.path.join(TOP, "tools", "bundle.sh")]
    r = subprocess.run(cmd + [str(project / "good.dts")], capture_output=True, text=True)
    assert r.returncode == 2 and "usage:" in r.stderr
    r = subprocess.run(cmd + [str(project / "missing.dts"), "-o", "x"], capture_output=True, text=True)
    assert r.returncode == 1 and "missing.dts: no such file" in r.stderr


def test_checker_rejects_damaged_bundles(checker, project):
    out = project / "good.bundle"
    assert bundle(checker, project / "good.dts", out).returncode == 0
    data = out.read_bytes()
    cut = project / "cut.bundle"
    cut.write_bytes(data[:-1])
    r = subprocess.run([checker, str(cut)], capture_output=True, text=True)
    assert r.returncode == 1
    assert r.stderr.strip() == "bundle: header says %d bytes but only %d were loaded" % (len(data), len(data) - 1)
    junk = project / "junk"
    junk.write_bytes(b"\x00" * 100)
    r = subprocess.run([checker, str(junk)], capture_output=True, text=True)
    assert r.returncode == 1 and "not a bundle" in r.stderr


KERNEL_S = ".globl _start\n_start: b .\n.data\n.quad 1\n.bss\n.space 0x10000\n"
# Like a vmlinux: linked at 0xc000000000000000, physical addresses from 0.
KERNEL_LDS = """ENTRY(_start)
SECTIONS {
	. = 0xc000000000000000;
	.text : AT(0) { *(.text) }
	. = ALIGN(0x10000);
	.data : AT(ADDR(.data) - 0xc000000000000000) { *(.data) }
	.bss : { *(.bss) }
	/DISCARD/ : { *(.note*) }
}
"""


@pytest.mark.skipif(shutil.which(CROSS) is None, reason="needs " + CROSS)
@pytest.mark.parametrize("endian", ["big", "little"])
def test_elf_kernels_of_both_byte_orders(checker, project, endian):
    (project / "k.S").write_text(KERNEL_S)
    (project / "k.lds").write_text(KERNEL_LDS)
    subprocess.run([CROSS, "-m%s-endian" % endian, "-nostdlib", "-static", "-Wl,--build-id=none",
                    "-Wl,--no-warn-rwx-segments", "-T", "k.lds", "-o", "vmlinux", "k.S"],
                   cwd=project, check=True)
    size = os.path.getsize(project / "vmlinux")
    r = bundle(checker, project / "good.dts", project / "elf.bundle")
    assert r.returncode == 0, r.stderr
    # Segments at 0x400000 and 0x410000 (0x10008 in memory): the initrd goes to
    # (0x420008 + 0x1ffff) & ~0xffff.
    assert ("partition web: memory 512 MiB, vcpus 2 on cpus 0,1, kernel 'linux' %d bytes ELF %s-endian, "
            "entry 0x400000, initrd 'rootfs' 3000 bytes at 0x440000" % (size, endian)) in r.stdout.splitlines()
    # The same kernel as a 32-bit ELF is refused by name.
    subprocess.run([CROSS, "-m32", "-m%s-endian" % endian, "-nostdlib", "-static", "-Wl,--build-id=none",
                    "-Wl,--no-warn-rwx-segments", "-Wl,-Ttext=0x0", "-o", "vmlinux", "k.S"],
                   cwd=project, check=False, capture_output=True)
    if endian == "big" and (project / "vmlinux").read_bytes()[4] == 1:
        r = bundle(checker, project / "good.dts", project / "elf32.bundle")
        assert r.returncode == 1
        assert ("bundle: partition 'web': property kernel: image 'linux': ELF: 32-bit ELF is not supported; "
                "use a 64-bit kernel") in r.stderr


def test_documented_example_builds(checker, tmp_path):
    """The complete example in docs/bundle.md is a valid bundle."""
    with open(os.path.join(TOP, "docs", "bundle.md"), encoding="utf-8") as f:
        doc = f.read()
    example = re.search(r"```dts\n(.*?)```", doc, re.S).group(1)
    for name in re.findall(r'/incbin/\("([^"]+)"\)', example):
        (tmp_path / name).write_bytes(b"\x48\x00\x00\x00" + bytes(100000))
    (tmp_path / "example.dts").write_text(example)
    r = bundle(checker, tmp_path / "example.dts", tmp_path / "example.bundle")
    assert r.returncode == 0, r.stderr
    assert re.search(r"^partition web: memory 512 MiB, vcpus 2 on cpus 2,3,", r.stdout, re.M)
    assert re.search(r"^partition db: memory 1024 MiB, vcpus 1, .* entry 0x1000000,", r.stdout, re.M)
