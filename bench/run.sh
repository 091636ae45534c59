#!/bin/sh
# make bench: every bench/bench-*.sh in turn, each printing its ratios,
# then the goals they measured, one row each: the value, the target and
# whether this run reached it.  BENCH=<names> runs only those
# (BENCH="log marks").
cd "$(dirname "$0")/.." || exit 1
mkdir -p bench/work && : >bench/work/rows
status=0
start=$(date +%s)
for b in bench/bench-*.sh
do
	test -f "$b" || continue
	if test -n "$BENCH"
	then
		n=${b#bench/bench-}
		case " $BENCH " in *" ${n%.sh} "*) ;; *) continue;; esac
	fi
	echo "== $b"
	sh "$b" || status=1
done
echo "== goals ($(($(date +%s) - start)) s; load: $(uptime | sed 's/.*load average: //'))"
awk -F'\t' '{ printf "%-72s %8s  %-8s %s\n", $1, $2, $3, $4 }' bench/work/rows
exit $status
