# Shared by the bench/bench-*.sh scripts.  Sourced from the top of the
# checkout; the generated repositories live in bench/work/ (ignored).
BENCH_TOP=$(pwd)
BENCH_WORK=$BENCH_TOP/bench/work
RUNS=${RUNS:-5}
# the rows of issue "What to reach" this run measured, for run.sh
BENCH_ROWS=$BENCH_WORK/rows
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
	set -- $(awk -v l="$_label" -v o="$_om_t" -v t="$_tm_t" -v om="$_om" -v tm="$_tm" \
		'BEGIN { printf "%.4f %.4f %d %d %.2f %.2f\n", o, t, om, tm, (t > 0 ? o / t : 0), (tm > 0 ? om / tm : 0) }')
	# for row(): the last measure's ratios
	ratio=$5 mratio=$6 ours_s=$1 other_s=$2
	printf "%s: ours %s s (%s KiB), other %s s (%s KiB), time ratio %s, memory ratio %s\n" \
		"$_label" "$1" "$3" "$2" "$4" "$5" "$6"
}

# row <what> <value> <op> <target>: one row of the goals, value against
# target (op le: at most, ge: at least), kept for run.sh to print
row () {
	awk -v w="$1" -v v="$2" -v op="$3" -v t="$4" 'BEGIN {
		ok = (op == "le") ? (v + 0 <= t + 0) : (v + 0 >= t + 0)
		printf "%s\t%s\t%s %s\t%s\n", w, v, (op == "le" ? "<=" : ">="), t,
		    ok ? "yes" : "NO"
	}' >>"$BENCH_ROWS"
}
