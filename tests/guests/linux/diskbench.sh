#!/bin/sh
# ./hvctl bench's Linux reference for the NVMe figures
# (tests/bench/qemu/nvme_bench.py): the hypervisor's disk benchmark
# ("hvtest=disk-bench") run by /tests/diskbench on the block device named by
# hvdisk=DEVICE on the kernel command line (default /dev/nvme0n1). The NVMe
# driver and what it needs are loaded here, not by /init, as no other test
# uses them (/lib/modules/nvme-order).
dev=/dev/nvme0n1
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	hvdisk=*) dev=${arg#hvdisk=} ;;
	esac
done
while read -r m; do
	insmod "/lib/modules/$m.ko" || echo "GUEST DISKBENCH: insmod $m failed"
done < /lib/modules/nvme-order
# The controller is reset and its namespaces scanned after insmod returns.
i=0
while [ ! -b "$dev" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ -b "$dev" ]; then
	echo "GUEST DISKBENCH: $dev $(cat "/sys/class/block/${dev##*/}/size") sectors of 512 bytes"
	/tests/diskbench "$dev" || echo "GUEST DISKBENCH: diskbench failed"
else
	echo "GUEST DISKBENCH: no $dev"
	ls /dev
fi
echo "GUEST DONE diskbench"
