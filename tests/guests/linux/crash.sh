#!/bin/sh
# Deliberate kernel crash (sysrq c): the kernel panics, so the last line is
# only reached if the crash did not happen.
echo "GUEST CRASH: triggering sysrq c"
echo 1 > /proc/sys/kernel/sysrq
echo c > /proc/sysrq-trigger
sleep 2
echo "GUEST CRASH: still alive"
echo "GUEST DONE crash"
