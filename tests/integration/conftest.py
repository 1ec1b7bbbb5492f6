"""Boots the hypervisor image under QEMU powernv9 and reads its console.

A test gets `hv`, a factory: hv(smp=4, mem="4G", initrd=None, append=None)
returns a Machine whose .expect() waits for console text. The whole console
goes to tests/integration/logs/<test>.log, kept for failed tests.
"""
import os
import re
import time

import pexpect
import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
IMAGE = os.path.join(TOP, "build", "hv.elf")
LOGS = os.path.join(TOP, "tests", "integration", "logs")
TAIL_LINES = 60


class Machine:
    def __init__(self, name, smp, mem, initrd, append, extra):
        os.makedirs(LOGS, exist_ok=True)
        self.log_path = os.path.join(LOGS, name + ".log")
        self.log = open(self.log_path, "w", encoding="utf-8", errors="replace")
        args = ["-M", "powernv9", "-nographic", "-m", mem, "-smp", str(smp), "-kernel", IMAGE]
        if initrd:
            args += ["-initrd", initrd]
        if append:
            args += ["-append", append]
        self.started = time.monotonic()
        self.p = pexpect.spawn("qemu-system-ppc64", args + list(extra), encoding="utf-8",
                               codec_errors="replace", timeout=60, logfile=self.log)
        self.text = ""

    def expect(self, pattern, timeout=60):
        """Waits for a regex; returns the match.

        pexpect matches against what has arrived so far, so a pattern that
        ends in a repeated capture ("forks ok (\\d+)") can match half a line
        ("forks ok 20" of "forks ok 200"). Such patterns must say where the
        capture ends (a literal or \\r*\\n); they are refused here.
        """
        if isinstance(pattern, str) and re.search(r"[+*]\)$", pattern):
            raise ValueError("pattern ends in an open-ended capture: %r" % pattern)
        self.p.expect(pattern, timeout=timeout)
        self.text += self.p.before + self.p.after
        return self.p.match

    def wait_exit(self, timeout=60):
        """Waits for QEMU to exit (power-off); returns its exit status."""
        self.p.expect(pexpect.EOF, timeout=timeout)
        self.text += self.p.before
        self.p.close()
        return self.p.exitstatus

    def elapsed(self):
        return time.monotonic() - self.started

    def close(self):
        if self.p.isalive():
            self.p.terminate(force=True)
        self.log.close()


@pytest.fixture
def hv(request):
    machines = []

    def boot(smp=4, mem="4G", initrd=None, append=None, extra=()):
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", request.node.name)
        if machines:
            name += "-%d" % len(machines)
        m = Machine(name, smp, mem, initrd, append, extra)
        machines.append(m)
        return m

    yield boot
    failed = getattr(request.node, "rep_call", None) and request.node.rep_call.failed
    for m in machines:
        m.close()
        if failed:
            # The log stays on the machine that ran the test; its tail goes
            # into the report so a CI failure explains itself.
            with open(m.log_path, encoding="utf-8", errors="replace") as f:
                tail = f.read().splitlines()[-TAIL_LINES:]
            print("\nconsole log kept: %s; its last %d lines:" % (m.log_path, len(tail)))
            print("\n".join(tail))
        else:
            os.remove(m.log_path)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)
