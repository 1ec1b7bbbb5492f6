#!/bin/sh
# ivshmem between two Linux partitions (tests/guests/bundles/linux-ivshmem.dts):
# the PCI functions as sysfs shows them, then on region 0 a 64 MiB buffer
# sent by peer 0 and checked by peer 1, and HV_ROUNDS doorbell round trips
# (INTx through uio_pci_generic); on region 1 (output sections, beta a
# read-only peer) stores that must work and stores that must fault; then
# peer 0 rings doorbells that must be dropped.
rounds=10000
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	hvrounds=*) rounds=${arg#hvrounds=} ;;
	esac
done
for d in /sys/bus/pci/devices/*; do
	[ -e "$d" ] || continue
	drv=none
	[ -e "$d/driver" ] && drv=$(basename "$(readlink "$d/driver")")
	echo "GUEST IVSHMEM: pci $(basename "$d") class $(cat "$d/class") $(cat "$d/vendor"):$(cat "$d/device") irq $(cat "$d/irq") driver $drv"
done
/tests/ivshmem info
id=$(/tests/ivshmem info | sed -n 's/.* id \([0-9]*\)$/\1/p')
if [ "$id" = 0 ]; then
	/tests/ivshmem send 64 12345
else
	/tests/ivshmem receive 64 12345
fi
/tests/ivshmem pingpong "$rounds"
for d in /sys/bus/pci/devices/*; do
	echo "GUEST IVSHMEM: after binding $(basename "$d") driver $(basename "$(readlink "$d/driver")")"
done
# Region 1: 1 MiB, output sections of 64 KiB at 0xe0000 (peer 0) and
# 0xf0000 (peer 1), common area from 0x10000; beta is read-only.
/tests/ivshmem -d 1 info
/tests/ivshmem -d 1 peek 0
/tests/ivshmem -d 1 poke 0x20000
/tests/ivshmem -d 1 poke $((0xe0000 + 0x10000 * id))
/tests/ivshmem -d 1 poke $((0xe0000 + 0x10000 * (1 - id)))
/tests/ivshmem -d 1 poke 0
# Doorbells nobody takes: beta once it has stopped, and a peer that does
# not exist; the hypervisor drops and counts them (the monitor's stats).
if [ "$id" = 0 ]; then
	/tests/ivshmem -d 1 wait-stopped 1
	/tests/ivshmem -d 1 ring 1 0
	/tests/ivshmem -d 1 ring 5 0
fi
problems=$(dmesg | grep -ciE 'oops|warning|bug|call trace')
echo "GUEST IVSHMEM: dmesg problems $problems"
[ "$problems" -eq 0 ] || dmesg | grep -iE 'oops|warning|bug|call trace' | sed 's/^/GUEST IVSHMEM: dmesg: /'
echo "GUEST DONE ivshmem"
