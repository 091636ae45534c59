#!/bin/sh
# git hotfix start + finish against git-flow's hotfix start + finish on a
# 20,000-file repository: the same base, the same one-line fix, a fresh
# copy of the repository for every run, only the two commands timed.
. bench/lib.sh

if ! git flow version >/dev/null 2>&1
then
	echo "bench-hotfix: skipped: git flow is not installed (Debian package git-flow)"
	exit 0
fi

# an identity and nothing of the user's own configuration
HOME=$BENCH_WORK/hotfix-home
GIT_CONFIG_NOSYSTEM=1
GIT_AUTHOR_NAME='Bench Mark' GIT_AUTHOR_EMAIL='bench@example.com'
GIT_COMMITTER_NAME='Bench Mark' GIT_COMMITTER_EMAIL='bench@example.com'
GIT_MERGE_AUTOEDIT=no GIT_EDITOR=true GIT_TERMINAL_PROMPT=0
export HOME GIT_CONFIG_NOSYSTEM GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL \
	GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_MERGE_AUTOEDIT GIT_EDITOR \
	GIT_TERMINAL_PROMPT
mkdir -p "$HOME"

TEMPLATE=$BENCH_WORK/hotfix-repo
RUN=$BENCH_WORK/hotfix-run
FILES=${FILES:-20000}

# The template: the shared generated repository (bench/gen-files.sh: 20,000
# files, 200 commits) or, without it, $FILES files of our own; releases
# v1.0.0 and v1.0.1, main at v1.0.1 (git-flow can only start a hotfix
# from its master branch), develop one commit ahead, git-flow set up.
generate () {
	rm -rf "$TEMPLATE" &&
	if test -f bench/gen-files.sh
	then
		src=$(FILES=$FILES sh bench/gen-files.sh | tail -n 1) &&
		cp -a "$src" "$TEMPLATE" &&
		rm -f "$TEMPLATE/.git/bench-ready" &&
		git -C "$TEMPLATE" config gc.auto 0 &&
		git -C "$TEMPLATE" tag -a -m "Release v1.0.0" v1.0.0 main~100
	else
		git init -q -b main "$TEMPLATE" &&
		git -C "$TEMPLATE" config gc.auto 0 &&
		(
			cd "$TEMPLATE" &&
			awk -v n="$FILES" 'BEGIN {
				for (d = 0; d < 100; d++)
					system("mkdir -p src/d" d);
				for (i = 0; i < n; i++) {
					f = sprintf("src/d%d/f%d.txt", i % 100, i);
					printf "line one of file %d\nline two\n", i >f;
					close(f);
				}
			}' &&
			git add -A && git commit -q -m "initial: $FILES files" &&
			git tag -a -m "Release v1.0.0" v1.0.0 &&
			echo "release two" >>src/d1/f1.txt &&
			git commit -q -a -m "feat: two"
		)
	fi &&
	(
		cd "$TEMPLATE" &&
		git tag -a -m "Release v1.0.1" v1.0.1 &&
		git branch develop &&
		git switch -q develop &&
		echo "next" >>"$(git ls-files | sed -n 2p)" &&
		git commit -q -a -m "feat: next" &&
		git switch -q main &&
		git config gitflow.branch.master main &&
		git config gitflow.branch.develop develop &&
		for p in feature bugfix release hotfix support
		do
			git config gitflow.prefix.$p $p/ || exit
		done &&
		git config gitflow.prefix.versiontag v &&
		git config gitflow.path.hooks "$TEMPLATE/.git/hooks" &&
		git gc -q
	)
}

test -f "$TEMPLATE/.git/bench-ok" || {
	echo "generating $FILES files into $TEMPLATE"
	generate && touch "$TEMPLATE/.git/bench-ok"
} || exit 1

# A copy gives every file a new inode and ctime, which makes the index's
# stat data stale: something a user's repository never looks like.  Both
# sides get the index refreshed, untimed, as after any git command.
fresh () {
	rm -rf "$RUN" && cp -a "$TEMPLATE" "$RUN" && cd "$RUN" &&
	git update-index -q --refresh
}

fix () {
	echo "the fix" >>"$(git ls-files | sed -n 3p)" &&
	git commit -q -a -m "fix: the bug"
}

# time_of <command...>: "wall cpu" seconds of one run, output discarded,
# to a tenth of a millisecond (cpu: user + system, children included)
time_of () {
	set -- $("$BENCH_WORK/runstat" 1 "$@") && echo "$1 $3"
}

ours= flow= ours_cpu= flow_cpu=
i=0
while test $i -lt "$RUNS"
do
	fresh || exit 1
	set -- $(time_of git hotfix start bench v1.0.1 --no-fetch) &&
	fix &&
	set -- "$@" $(time_of git hotfix finish -m "the fix") &&
	test "$(git rev-parse v1.0.2^{commit})" = "$(git rev-parse main^2)" || {
		echo "bench-hotfix: git hotfix did not finish" >&2; exit 1; }
	ours="$ours $1+$3" ours_cpu="$ours_cpu $2+$4"

	fresh || exit 1
	set -- $(time_of git flow hotfix start 1.0.2) &&
	fix &&
	set -- "$@" $(time_of git flow hotfix finish -m "the fix" 1.0.2) &&
	git rev-parse -q --verify v1.0.2 >/dev/null || {
		echo "bench-hotfix: git flow did not finish" >&2; exit 1; }
	flow="$flow $1+$3" flow_cpu="$flow_cpu $2+$4"
	cd "$BENCH_TOP" || exit 1
	i=$(($i + 1))
done
rm -rf "$RUN"

# the median of "start+finish" sums, and of each part
median () {
	echo "$@" | tr ' ' '\n' | sed '/^$/d' |
		awk -F+ '{ print $1 + $2, $1, $2 }' | sort -n |
		awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }'
}

# the worst run: git-flow's time over ours, run by run
worst=$(echo "$ours|$flow" | awk -F'|' '{
	n = split($1, o, " "); split($2, f, " ")
	w = 0
	for (i = 1; i <= n; i++) {
		split(o[i], a, "+"); split(f[i], b, "+")
		r = (b[1] + b[2]) / (a[1] + a[2])
		if (w == 0 || r < w)
			w = r
	}
	printf "%.1f", w
}')
set -- $(median $ours) $(median $flow) $(median $ours_cpu) $(median $flow_cpu)
row "hotfix start + finish: times faster than git-flow, median of $RUNS" \
	"$(awk -v o="$1" -v f="$4" 'BEGIN { printf "%.1f", f / o }')" ge 6
row "hotfix start + finish: times faster than git-flow, worst of $RUNS" \
	"$worst" ge 6
awk -v ot="$1" -v os="$2" -v of="$3" -v ft="$4" -v fs="$5" -v ff="$6" \
    -v oc="$7" -v fc="${10}" -v n="$FILES" -v r="$RUNS" -v w="$worst" 'BEGIN {
	printf "hotfix start + finish, %d files, median of %d runs (wall):\n", n, r
	printf "  git hotfix: %.3f s (start %.3f + finish %.3f), cpu %.3f s\n", ot, os, of, oc
	printf "  git flow:   %.3f s (start %.3f + finish %.3f), cpu %.3f s\n", ft, fs, ff, fc
	printf "  git hotfix is %.1fx faster in wall time", ft / ot
	if (oc > 0)
		printf ", %.1fx in cpu time", fc / oc
	printf " (target: 6x; the worst run %sx)\n", w
	exit ft / ot >= 6 ? 0 : 1
}'
