#!/bin/sh
# git rollback revert A..B against git revert --no-edit A..B: 200 commits
# that each changed one file, on a 20,000-file tree (bench/gen-files.sh).
# Every run of either side gets its own fresh copy of the repository,
# prepared (and its index refreshed) before the timing starts, so only
# the revert is timed.  Afterwards the copies must all hold the same
# tree, with the same number of commits.
cd "$(dirname "$0")/.." || exit 1
. bench/lib.sh
# a git revert of 200 commits takes tens of seconds and varies little
RUNS=${REVERT_RUNS:-1}
repo=$(sh bench/gen-files.sh) || exit 1
# revert_case <label> <repository> <base> <tip>: base..tip reverted on
# the repository's main, by both, in fresh copies
revert_case () {
label=$1 repo=$2 base=$3 tip=$4
head=$(git -C "$repo" rev-parse main) || return 1
rm -rf "$BENCH_WORK"/revert-*
for side in ours git
do
	i=1
	while test $i -le "$RUNS"
	do
		cp -a "$repo" "$BENCH_WORK/revert-$side-$i" &&
		git -C "$BENCH_WORK/revert-$side-$i" update-index -q --refresh ||
			return 1
		i=$(($i + 1))
	done
	echo 0 >"$BENCH_WORK/revert-$side.count"
	# the next unused copy; a fixed identity and date, so that both
	# sides make byte-identical commits
	cat >"$BENCH_WORK/revert-$side.sh" <<SCRIPT
n=\$((\$(cat "$BENCH_WORK/revert-$side.count") + 1))
echo \$n >"$BENCH_WORK/revert-$side.count"
cd "$BENCH_WORK/revert-$side-\$n" || exit 1
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
export GIT_AUTHOR_DATE='1800000000 +0000' GIT_COMMITTER_DATE='1800000000 +0000'
exec "\$@"
SCRIPT
done
sleep 1	# no racily clean index entries on either side
measure "$label" \
	sh "$BENCH_WORK/revert-ours.sh" git rollback revert -q $base..$tip -- \
	sh "$BENCH_WORK/revert-git.sh" git revert --no-edit $base..$tip
row "$label: times faster than git revert" \
	"$(awk -v o="$ours_s" -v t="$other_s" 'BEGIN { printf "%.1f", (o > 0 ? t / o : 0) }')" ge 20
row "$label: memory vs git revert" $mratio le 1.0
for d in "$BENCH_WORK"/revert-ours-* "$BENCH_WORK"/revert-git-*
do
	echo "$(git -C "$d" rev-parse HEAD^{tree})" \
		"$(git -C "$d" rev-list --count $head..HEAD)" \
		"$(git -C "$d" status --porcelain | wc -l)"
done | sort -u >"$BENCH_WORK/revert.result"
if test $(wc -l <"$BENCH_WORK/revert.result") = 1 &&
	test "$(cut -d' ' -f2- "$BENCH_WORK/revert.result")" = "200 0"
then
	echo "identical final tree $(cut -d' ' -f1 "$BENCH_WORK/revert.result")," \
		"200 commits each, clean worktrees"
	rm -rf "$BENCH_WORK"/revert-*
else
	echo "MISMATCH (tree, commits, dirty files):"
	cat "$BENCH_WORK/revert.result"
	return 1
fi
}

revert_case "revert 200 commits at the tip, 20000 files" "$repo" \
	"$(git -C "$repo" rev-parse main~200)" "$(git -C "$repo" rev-parse main)" ||
	exit 1

# the same 200 commits below 1,000 newer ones (new files, no conflict)
below=$BENCH_WORK/files-below
if ! test -f "$below/.git/bench-ready"
then
	rm -rf "$below" && cp -a "$repo" "$below" && rm -f "$below/.git/bench-ready" &&
	awk 'BEGIN {
		t = 1750000000
		for (c = 1; c <= 1000; c++) {
			print "commit refs/heads/main"
			print "committer Bench <bench@example.com> " (t + c) " +0000"
			msg = "newer " c "\n"
			printf "data %d\n%s", length(msg), msg
			if (c == 1)
				print "from refs/heads/main^0"
			text = "newer file " c "\n"
			printf "M 100644 inline newer/n%04d.txt\ndata %d\n%s\n", c, length(text), text
		}
	}' | git -C "$below" fast-import --quiet &&
	git -C "$below" reset -q --hard main &&
	touch "$below/.git/bench-ready" || exit 1
fi
revert_case "revert 200 commits below 1,000 newer, 20000 files" "$below" \
	"$(git -C "$below" rev-parse main~1200)" "$(git -C "$below" rev-parse main~1000)"
