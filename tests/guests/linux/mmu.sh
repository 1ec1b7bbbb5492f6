#!/bin/sh
# MMU workout: fork/exec cycles, then 64 MB written, copied through a 64 MB
# anonymous buffer (dd bs=64M) and verified.
n=0
while [ $n -lt 200 ]; do
	/bin/true
	rc=$?
	if [ $rc -ne 0 ]; then
		# Say how it failed: exit status, then what the kernel logged.
		echo "GUEST MMU: fork/exec $((n + 1)) failed with status $rc"
		dmesg | tail -n 20 | sed 's/^/GUEST MMU: dmesg: /'
		break
	fi
	n=$((n + 1))
done
echo "GUEST MMU: forks ok $n"

dd if=/dev/urandom of=/tmp/chunk bs=1M count=1 2>/dev/null
i=0
while [ $i -lt 64 ]; do
	cat /tmp/chunk
	i=$((i + 1))
done > /tmp/a
sum_a=$(md5sum < /tmp/a)
dd if=/tmp/a of=/tmp/b bs=64M count=1 iflag=fullblock 2>/dev/null
sum_b=$(md5sum < /tmp/b)
size=$(wc -c < /tmp/b)
if [ "$size" -eq 67108864 ] && [ "$sum_a" = "$sum_b" ] && cmp -s /tmp/a /tmp/b; then
	echo "GUEST MMU: 64MB verify ok"
else
	echo "GUEST MMU: 64MB verify FAILED (size $size, $sum_a vs $sum_b)"
fi
rm -f /tmp/a /tmp/b /tmp/chunk

problems=$(dmesg | grep -ciE 'oops|warning|bug')
echo "GUEST MMU: dmesg problems $problems"
[ "$problems" -eq 0 ] || dmesg | grep -iE 'oops|warning|bug' | sed 's/^/GUEST MMU: dmesg: /'
echo "GUEST DONE mmu"
