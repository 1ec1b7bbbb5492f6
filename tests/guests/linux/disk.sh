#!/bin/sh
# The partition's disks (virtio-blk, tests/integration/test_virtio_blk.py).
# First boot: 16 MiB of random data onto /dev/vda (written with fsync),
# its checksum, a marker, and a reboot of the partition. Second boot (the
# marker is there): the same 16 MiB read back and checksummed. /dev/vdb,
# when there is one, is read-only: a write must fail.
i=0
while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
[ -b /dev/vda ] || { echo "GUEST DISK: no /dev/vda"; exit 1; }
echo "GUEST DISK: vda $(cat /sys/block/vda/size) sectors, serial $(cat /sys/block/vda/serial 2>/dev/null)"
marker=$(dd if=/dev/vda bs=512 skip=40000 count=1 2>/dev/null | head -c 20)
if [ "$marker" = "POWERHV-DISK-WRITTEN" ]; then
	sum=$(dd if=/dev/vda bs=1M count=16 iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1)
	echo "GUEST DISK: after reboot md5 $sum"
else
	dd if=/dev/urandom of=/tmp/data bs=1M count=16 2>/dev/null
	sum=$(md5sum < /tmp/data | cut -d' ' -f1)
	dd if=/tmp/data of=/dev/vda bs=1M conv=fsync 2>/dev/null || echo "GUEST DISK: write failed"
	echo 3 > /proc/sys/vm/drop_caches
	back=$(dd if=/dev/vda bs=1M count=16 2>/dev/null | md5sum | cut -d' ' -f1)
	direct=$(dd if=/dev/vda bs=4096 count=4096 iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1)
	echo "GUEST DISK: wrote md5 $sum, read back $back, direct $direct"
	if [ -b /dev/vdb ]; then
		if dd if=/dev/zero of=/dev/vdb bs=4096 count=1 oflag=direct 2>/dev/null; then
			echo "GUEST DISK: vdb write succeeded"
		else
			echo "GUEST DISK: vdb write refused"
		fi
		echo "GUEST DISK: vdb reads $(dd if=/dev/vdb bs=512 count=1 2>/dev/null | head -c 16)"
	fi
	printf 'POWERHV-DISK-WRITTEN' | dd of=/dev/vda bs=512 seek=40000 conv=fsync 2>/dev/null
	echo "GUEST DISK: rebooting"
	reboot -f
fi
echo "GUEST DONE disk"
