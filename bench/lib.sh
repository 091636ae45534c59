# Shared by the bench/bench-*.sh scripts.  Sourced from the top of the
# checkout; the generated repositories live in bench/work/ (ignored).
BENCH_TOP=$(pwd)
BENCH_WORK=$BENCH_TOP/bench/work
RUNS=${RUNS:-7}
PATH=$BENCH_TOP:$PATH
export PATH
mkdir -p "$BENCH_WORK"

test -x "$BENCH_WORK/runstat" -a "$BENCH_WORK/runstat" -nt bench/runstat.c ||
	cc -O2 -o "$BENCH_WORK/runstat" bench/runstat.c || exit 1

# measure <label> <ours...> -- <theirs...>
# Runs both RUNS times each, alternating (ours, theirs, ours...) in
# rounds of one so that caches and load treat them alike, and prints
# "label: ours 0.0123 s (4567 KiB), git 0.0456 s (7890 KiB), ratio 0.27"
# where ratio = ours / theirs: below 1 is faster.
measure () {
	_label=$1; shift
	_ours=; _theirs=; _side=ours
	for _a
	do
		if test "$_a" = "--"; then _side=theirs; continue; fi
		if test $_side = ours
		then _ours="$_ours '$_a'"
		else _theirs="$_theirs '$_a'"
		fi
	done
	_ot=; _tt=; _om=0; _tm=0
	_i=0
	while test $_i -lt "$RUNS"
	do
		set -- $(eval "\"$BENCH_WORK/runstat\" 1 $_ours") || return 1
		_ot="$_ot $1"; test "$2" -gt $_om && _om=$2
		set -- $(eval "\"$BENCH_WORK/runstat\" 1 $_theirs") || return 1
		_tt="$_tt $1"; test "$2" -gt $_tm && _tm=$2
		_i=$(($_i + 1))
	done
	_om_t=$(echo $_ot | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	_tm_t=$(echo $_tt | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	awk -v l="$_label" -v o="$_om_t" -v t="$_tm_t" -v om="$_om" -v tm="$_tm" \
		'BEGIN { printf "%s: ours %.4f s (%d KiB), other %.4f s (%d KiB), time ratio %.2f, memory ratio %.2f\n", l, o, om, t, tm, (t > 0 ? o / t : 0), (tm > 0 ? om / tm : 0) }'
}
