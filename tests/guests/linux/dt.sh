#!/bin/sh
# The device tree as the kernel sees it: every node and property, with the
# value (hex bytes) of properties up to 64 bytes.
cd /proc/device-tree || exit 1
find . | sort | while read -r f; do
	if [ -d "$f" ]; then
		echo "GUEST DT: ${f#.}/"
	else
		size=$(wc -c < "$f")
		if [ "$size" -le 64 ]; then
			echo "GUEST DT: ${f#.} [$size] $(od -An -tx1 -v "$f" | tr -s ' \n' ' ')"
		else
			echo "GUEST DT: ${f#.} [$size]"
		fi
	fi
done
echo "GUEST DONE dt"
