#!/usr/bin/env python3
"""Runs every benchmark and prints its table. Benchmarks print figures;
they never pass or fail on timing."""
import os
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    status = 0
    d = os.path.join(TOP, "build", "host", "bench")
    progs = sorted(os.listdir(d)) if os.path.isdir(d) else []
    for name in progs:
        print("== %s (host)" % name, flush=True)
        status |= subprocess.run([os.path.join(d, name)], cwd=TOP).returncode
    qemu_benches = os.path.join(TOP, "tests", "bench", "qemu")
    if os.path.isdir(qemu_benches):
        for name in sorted(f for f in os.listdir(qemu_benches) if f.endswith("_bench.py")):
            print("== %s (QEMU)" % name, flush=True)
            status |= subprocess.run([sys.executable, os.path.join(qemu_benches, name)], cwd=TOP).returncode
    if not progs:
        print("no benchmarks built")
    sys.exit(1 if status else 0)


if __name__ == "__main__":
    main()
