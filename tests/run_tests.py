#!/usr/bin/env python3
"""Runs every test suite and ends with the line "N passed, N failed".

Suites: checks of the tree itself (layers, format), host unit tests
(cmocka, ASan+UBSan), fuzzers (bounded time), QEMU integration tests
(pytest + pexpect). Exit status 0 only when nothing failed.
"""
import argparse
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(TOP, "build")
UNIT_TIMEOUT = 300  # seconds for one unit-test program: a hang is a failure


def programs(kind):
    d = os.path.join(BUILD, "host", kind)
    if not os.path.isdir(d):
        return []
    return sorted(os.path.join(d, f) for f in os.listdir(d) if os.access(os.path.join(d, f), os.X_OK))


def run_unit(pattern):
    """cmocka programs print TAP; a crash or sanitizer report fails the program."""
    passed = failed = 0
    env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP")
    for prog in programs("unit"):
        name = os.path.basename(prog)
        if pattern and pattern not in name:
            continue
        try:
            p = subprocess.run([prog], cwd=TOP, env=env, capture_output=True, text=True, timeout=UNIT_TIMEOUT)
        except subprocess.TimeoutExpired as e:
            p = subprocess.CompletedProcess(prog, -1, (e.stdout or b"").decode(errors="replace"),
                                            "%s: no result after %d s (hung?)\n" % (name, UNIT_TIMEOUT))
        ok = sum(1 for l in p.stdout.splitlines() if l.startswith("ok "))
        bad = [l for l in p.stdout.splitlines() if l.startswith("not ok ")]
        if p.returncode != 0 and not bad:
            bad = ["%s exited with status %d" % (name, p.returncode)]
        passed += ok
        failed += len(bad)
        print("unit  %-28s %3d passed, %d failed" % (name, ok, len(bad)))
        if bad:
            for l in bad:
                print("      " + l)
            sys.stdout.write(p.stdout[-4000:] + p.stderr[-4000:])
    return passed, failed


def run_fuzz(seconds, pattern):
    passed = failed = 0
    for prog in programs("fuzz"):
        name = os.path.basename(prog)
        if pattern and pattern not in name:
            continue
        corpus = os.path.join(BUILD, "fuzz-corpus", name)
        os.makedirs(corpus, exist_ok=True)
        seeds = os.path.join(TOP, "tests", "fuzz", "corpus", name)
        dirs = [corpus] + ([seeds] if os.path.isdir(seeds) else [])
        artifacts = os.path.join(BUILD, "fuzz-artifacts", name) + "/"
        os.makedirs(artifacts, exist_ok=True)
        t0 = time.time()
        p = subprocess.run([prog, "-max_total_time=%d" % seconds, "-timeout=10", "-rss_limit_mb=2048",
                            "-artifact_prefix=" + artifacts, "-print_final_stats=1"] + dirs,
                           cwd=TOP, capture_output=True, text=True)
        runs = [l for l in p.stderr.splitlines() if l.startswith("stat::number_of_executed_units")]
        runs = runs[-1].split(":")[-1].strip() if runs else "?"
        ok = p.returncode == 0
        print("fuzz  %-28s %s after %ss, %s executions" % (name, "ok" if ok else "FAILED",
                                                        int(time.time() - t0), runs))
        if ok:
            passed += 1
        else:
            failed += 1
            sys.stdout.write(p.stderr[-6000:])
    return passed, failed


def run_pytest(suite, pattern):
    """The pytest suite in tests/<suite>; counts from its JUnit report."""
    results = os.path.join(BUILD, "test-results", suite + ".xml")
    os.makedirs(os.path.dirname(results), exist_ok=True)
    if os.path.exists(results):
        os.remove(results)
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml", results,
           os.path.join(TOP, "tests", suite)]
    if pattern:
        cmd += ["-k", pattern]
    p = subprocess.run(cmd, cwd=TOP)
    if not os.path.exists(results):
        print("%s: pytest produced no results (status %d)" % (suite, p.returncode))
        return 0, 1
    suite = ET.parse(results).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    total, errors = int(suite.get("tests")), int(suite.get("errors"))
    fails, skipped = int(suite.get("failures")), int(suite.get("skipped"))
    failed = fails + errors
    return total - failed - skipped, failed


def run_integration(pattern):
    version = os.path.join(os.environ.get("HV_CACHE", os.path.join(TOP, "cache")), "guests", "kernel.version")
    if os.path.exists(version):
        with open(version) as f:
            print("integration: Linux guests run %s (pinned in %s)" % (f.read().strip(), version))
    return run_pytest("integration", pattern)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fuzz 5 s per target")
    ap.add_argument("-k", dest="pattern", help="only tests whose name contains this")
    ap.add_argument("--only", choices=["tree", "unit", "fuzz", "integration"])
    args = ap.parse_args()
    seconds = 5 if args.quick else int(os.environ.get("FUZZ_SECONDS", "30"))

    totals = [0, 0]
    for suite, fn in [("tree", lambda: run_pytest("tree", args.pattern)),
                      ("unit", lambda: run_unit(args.pattern)),
                      ("fuzz", lambda: run_fuzz(seconds, args.pattern)),
                      ("integration", lambda: run_integration(args.pattern))]:
        if args.only and args.only != suite:
            continue
        print("== %s tests" % suite, flush=True)
        p, f = fn()
        sys.stdout.flush()
        totals[0] += p
        totals[1] += f
    print("%d passed, %d failed" % tuple(totals))
    sys.exit(1 if totals[1] else 0)


if __name__ == "__main__":
    main()
