#!/bin/sh
# Durability through Linux (tests/integration/test_virtio_blk.py): what the
# last run left on /dev/vda, then numbered records, each fsync()ed before
# it is acknowledged on the console, until QEMU is killed.
i=0
while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
[ -b /dev/vda ] || { echo "GUEST RECORDS: no /dev/vda"; exit 1; }
# the features the driver took, one character per bit: bit 34 is RING_PACKED
echo "GUEST RECORDS: ring $(cut -c35 /sys/block/vda/device/features | sed 's/1/packed/; s/0/split/')"
/tests/blkops records /dev/vda 0 20000
echo "GUEST DONE records"
