#!/bin/sh
# Soak test (hvtest=stress): fork/exec loops on every vCPU at once while
# memory is copied and checked, ROUNDS times. Says how anything failed.
ROUNDS=${ROUNDS:-2000}
worker() {
	n=0
	while [ $n -lt $ROUNDS ]; do
		/bin/true
		rc=$?
		if [ $rc -ne 0 ]; then
			echo "GUEST STRESS: worker $1: fork/exec $((n + 1)) failed with status $rc"
			dmesg | tail -n 20 | sed 's/^/GUEST STRESS: dmesg: /'
			return 1
		fi
		n=$((n + 1))
	done
	echo "GUEST STRESS: worker $1: $n fork/exec ok"
}
copier() {
	dd if=/dev/urandom of=/tmp/c0 bs=1M count=8 2>/dev/null
	want=$(md5sum < /tmp/c0)
	i=0
	while [ $i -lt 20 ]; do
		cp /tmp/c0 /tmp/c1
		got=$(md5sum < /tmp/c1)
		if [ "$got" != "$want" ]; then
			echo "GUEST STRESS: copy $i differs"
			return 1
		fi
		i=$((i + 1))
	done
	echo "GUEST STRESS: copier: $i copies ok"
}
worker 1 & w1=$!
worker 2 & w2=$!
copier & c=$!
wait $w1; wait $w2; wait $c
problems=$(dmesg | grep -ciE 'oops|warning|bug|segfault|unhandled')
echo "GUEST STRESS: dmesg problems $problems"
[ "$problems" -eq 0 ] || dmesg | grep -iE 'oops|warning|bug|segfault|unhandled' | sed 's/^/GUEST STRESS: dmesg: /'
echo "GUEST DONE stress"
