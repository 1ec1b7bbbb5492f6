#!/bin/sh
# What the guest sees: platform and MMU, CPUs, memory, time.
grep -iE '^(cpu|platform|model|machine|MMU)[[:space:]]*:' /proc/cpuinfo | sort -u | sed -e 's/[[:space:]]*:[[:space:]]*/: /' -e 's/^/GUEST INFO: cpuinfo /'
echo "GUEST INFO: nproc $(nproc)"
echo "GUEST INFO: $(grep '^MemTotal:' /proc/meminfo)"
echo "GUEST INFO: date $(date +%s)"
echo "GUEST INFO: uname $(uname -r -m)"
echo "GUEST INFO: cmdline $(cat /proc/cmdline)"
echo "GUEST DONE info"
