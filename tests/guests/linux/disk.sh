#!/bin/sh
# The partition's disks (virtio-blk, tests/integration/test_virtio_blk.py).
# First boot: 16 MiB of random data onto /dev/vda (written with fsync),
# its checksum, discard and write-zeroes on 2 MiB further on, a marker,
# and a reboot of the partition. Second boot (the marker is there): the
# same 16 MiB read back and checksummed. /dev/vdb, when there is one: if
# read-only, a write must fail; if not, it gets an ext2 filesystem and a
# file before the reboot, and the file is read back after it.
i=0
while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
[ -b /dev/vda ] || { echo "GUEST DISK: no /dev/vda"; exit 1; }
echo "GUEST DISK: vda $(cat /sys/block/vda/size) sectors, serial $(cat /sys/block/vda/serial 2>/dev/null)"
echo "GUEST DISK: vda $(ls /sys/block/vda/mq | wc -l) queues, $(cat /sys/block/vda/queue/write_cache)"
mib=1048576
zero_md5=$(dd if=/dev/zero bs=1M count=1 2>/dev/null | md5sum | cut -d' ' -f1)
vdb_rw=
[ -b /dev/vdb ] && [ "$(cat /sys/block/vdb/ro)" = 0 ] && vdb_rw=1
marker=$(dd if=/dev/vda bs=512 skip=40000 count=1 2>/dev/null | head -c 20)
if [ "$marker" = "POWERHV-DISK-WRITTEN" ]; then
	sum=$(dd if=/dev/vda bs=1M count=16 iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1)
	echo "GUEST DISK: after reboot md5 $sum"
	if [ -n "$vdb_rw" ]; then
		mkdir -p /mnt/vdb
		if mount -t ext2 /dev/vdb /mnt/vdb; then
			echo "GUEST DISK: vdb file after reboot md5 $(md5sum < /mnt/vdb/data | cut -d' ' -f1)"
			umount /mnt/vdb
		else
			echo "GUEST DISK: vdb mount failed"
		fi
	fi
else
	dd if=/dev/urandom of=/tmp/data bs=1M count=16 2>/dev/null
	sum=$(md5sum < /tmp/data | cut -d' ' -f1)
	dd if=/tmp/data of=/dev/vda bs=1M conv=fsync 2>/dev/null || echo "GUEST DISK: write failed"
	echo 3 > /proc/sys/vm/drop_caches
	back=$(dd if=/dev/vda bs=1M count=16 2>/dev/null | md5sum | cut -d' ' -f1)
	direct=$(dd if=/dev/vda bs=4096 count=4096 iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1)
	echo "GUEST DISK: wrote md5 $sum, read back $back, direct $direct"
	# 24..26 MiB: data, then discard the first MiB and zero the second
	dd if=/tmp/data of=/dev/vda bs=1M count=2 seek=24 conv=fsync 2>/dev/null
	if /tests/blkops discard /dev/vda $((24 * mib)) $mib; then d=ok; else d=failed; fi
	if /tests/blkops zero /dev/vda $((25 * mib)) $mib; then z=ok; else z=failed; fi
	zsum=$(dd if=/dev/vda bs=1M skip=25 count=1 iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1)
	[ "$zsum" = "$zero_md5" ] && z="$z, reads zeros"
	echo "GUEST DISK: discard $d; write-zeroes $z"
	# the driver's choice of cache mode reaches the device
	echo "write through" > /sys/block/vda/cache_type
	echo "GUEST DISK: cache now $(cat /sys/block/vda/queue/write_cache)"
	dd if=/tmp/data of=/dev/vda bs=1M count=1 seek=27 conv=fsync 2>/dev/null
	echo "write back" > /sys/block/vda/cache_type
	if [ -b /dev/vdb ] && [ -z "$vdb_rw" ]; then
		if dd if=/dev/zero of=/dev/vdb bs=4096 count=1 oflag=direct 2>/dev/null; then
			echo "GUEST DISK: vdb write succeeded"
		else
			echo "GUEST DISK: vdb write refused"
		fi
		echo "GUEST DISK: vdb reads $(dd if=/dev/vdb bs=512 count=1 2>/dev/null | head -c 16)"
	fi
	if [ -n "$vdb_rw" ]; then
		# the features the driver took, one character per bit: 33 is ACCESS_PLATFORM
		echo "GUEST DISK: vdb access-platform $(cut -c34 /sys/block/vdb/device/features)"
		mkdir -p /mnt/vdb
		if mke2fs -q /dev/vdb && mount -t ext2 /dev/vdb /mnt/vdb; then
			# 4 MiB: the file must fit with the filesystem's own blocks
			if head -c 4194304 /tmp/data > /mnt/vdb/data && sync; then
				fsum=$(head -c 4194304 /tmp/data | md5sum | cut -d' ' -f1)
				echo "GUEST DISK: vdb file md5 $fsum"
			else
				echo "GUEST DISK: vdb file write failed"
			fi
			umount /mnt/vdb
		else
			echo "GUEST DISK: vdb mkfs or mount failed"
		fi
	fi
	printf 'POWERHV-DISK-WRITTEN' | dd of=/dev/vda bs=512 seek=40000 conv=fsync 2>/dev/null
	echo "GUEST DISK: rebooting"
	reboot -f
fi
echo "GUEST DONE disk"
