#!/bin/sh
# make bench: every bench/bench-*.sh in turn, each printing its ratios.
cd "$(dirname "$0")/.." || exit 1
status=0
for b in bench/bench-*.sh
do
	test -f "$b" || continue
	echo "== $b"
	sh "$b" || status=1
done
exit $status
