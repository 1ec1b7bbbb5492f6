"""Checks of the source tree itself: the layer order, the formatter, and
that every test program is built. Each checker is also run on a small
tree with the fault it exists to catch, so that it cannot pass by
checking nothing."""
import os
import re
import shutil
import subprocess
import sys

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "tools"))
import check_layers  # noqa: E402


def c_sources():
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.c", "*.h"],
                         cwd=TOP, capture_output=True, text=True, check=True).stdout.split()
    return [f for f in out if os.path.exists(os.path.join(TOP, f))]


def test_layers_hold():
    files, problems = check_layers.check(TOP)
    assert len(files) > 100
    assert problems == []


def write_tree(root, files):
    for path, text in files.items():
        os.makedirs(os.path.join(root, os.path.dirname(path)), exist_ok=True)
        with open(os.path.join(root, path), "w") as f:
            f.write(text)


@pytest.mark.parametrize("files, expected", [
    ({"hv/mm/a.c": '#include "hv/partition.h"\n', "hv/partition.h": ""}, "a higher layer"),
    ({"hv/a.c": '#include "hv/b.h"\n', "hv/a.h": "", "hv/b.c": '#include "hv/a.h"\n', "hv/b.h": ""},
     "include cycle: hv/a -> hv/b"),
    ({"hv/a.c": 'void f(void) { __asm__ volatile("sync"); }\n'}, "inline assembly outside include/arch/"),
    ({"newfolder/a.c": ""}, "in no layer"),
])
def test_layer_checker_catches(tmp_path, files, expected):
    write_tree(str(tmp_path), files)
    _, problems = check_layers.check(str(tmp_path))
    assert any(expected in p for p in problems), problems


def test_layer_checker_allows_downward(tmp_path):
    write_tree(str(tmp_path), {"hcall/a.c": '#include "hv/partition.h"\n#include "arch/spr.h"\n',
                               "hv/partition.h": '#include "hv/mm/hpt.h"\n', "hv/mm/hpt.h": "",
                               "include/arch/spr.h": 'static inline void f(void) { __asm__("sync"); }\n'})
    _, problems = check_layers.check(str(tmp_path))
    assert problems == []


def clang_format():
    exe = shutil.which("clang-format")
    if not exe:
        pytest.fail("clang-format is not installed (tools/setup.sh installs it)")
    return exe


def test_format_holds():
    files = c_sources()
    p = subprocess.run([clang_format(), "--dry-run", "--Werror"] + files, cwd=TOP, capture_output=True, text=True)
    bad = sorted(set(re.findall(r"^(\S+?):\d+:\d+: error", p.stderr, re.M)))
    assert p.returncode == 0 and not bad, "not formatted (run clang-format -i on them): %s" % " ".join(bad)


def test_format_check_catches(tmp_path):
    shutil.copy(os.path.join(TOP, ".clang-format"), str(tmp_path))
    write_tree(str(tmp_path), {"a.c": "int  f( void ){return 1;}\n"})
    p = subprocess.run([clang_format(), "--dry-run", "--Werror", "a.c"], cwd=str(tmp_path), capture_output=True)
    assert p.returncode != 0


def test_every_test_program_is_registered():
    """Each unit test, fuzzer and benchmark source is named in some SConscript."""
    registered = ""
    for d, _, files in os.walk(TOP):
        if "SConscript" in files and not d.startswith(os.path.join(TOP, "build")):
            registered += open(os.path.join(d, "SConscript")).read()
    missing = []
    for kind in ("unit", "fuzz", "bench"):
        for d, _, files in os.walk(os.path.join(TOP, "tests", kind)):
            for f in files:
                name = os.path.splitext(f)[0]
                if f.endswith(".c") and re.match(r"(test|fuzz|bench)_", f):
                    rel = os.path.relpath(os.path.join(d, f), TOP)
                    if rel not in registered and ("'%s'" % name) not in registered:
                        missing.append(rel)
    assert missing == []
