#!/bin/sh
# git rollback revert --first-parent against git revert -m 1 of the same
# first-parent commits, on real release ranges: BENCH_REAL_REVERTS names
# them as <clone>:<from>..<to>, space-separated (nothing is downloaded
# here), for instance
#
#	BENCH_REAL_REVERTS="$HOME/src/git:v2.54.0..v2.55.0 $HOME/src/helm:v4.0.0..v4.1.0"
#
# Both start at <to> in a fresh copy of the clone; git stops at every
# revert that comes out empty (a merge whose branch an earlier one
# brought), and is told --skip, as a user would; ours drops those
# itself.  Both must end at <from>'s tree with the same commit count.
. bench/lib.sh

if test -z "$BENCH_REAL_REVERTS"
then
	echo "skipped: set BENCH_REAL_REVERTS to <clone>:<from>..<to> ranges to time reverts of real releases"
	exit 0
fi
GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
GIT_AUTHOR_DATE='1800000000 +0000' GIT_COMMITTER_DATE='1800000000 +0000'
export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME \
	GIT_COMMITTER_EMAIL GIT_AUTHOR_DATE GIT_COMMITTER_DATE
status=0
for spec in $BENCH_REAL_REVERTS
do
	repo=${spec%:*} range=${spec##*:}
	from=${range%..*} to=${range#*..}
	name="$(basename "$repo") $range"
	if ! git -C "$repo" rev-parse -q --verify "$from^{commit}" >/dev/null ||
		! git -C "$repo" rev-parse -q --verify "$to^{commit}" >/dev/null
	then
		echo "error: '$spec' is not <clone>:<from>..<to>" >&2
		status=1
		continue
	fi
	for side in ours git
	do
		rm -rf "$BENCH_WORK/rr-$side" &&
		cp -a "$repo" "$BENCH_WORK/rr-$side" &&
		git -C "$BENCH_WORK/rr-$side" checkout -q -B bench-revert "$to" &&
		git -C "$BENCH_WORK/rr-$side" update-index -q --refresh || exit 1
	done
	sleep 1	# no racily clean index entries on either side
	set -- $(cd "$BENCH_WORK/rr-ours" &&
		"$BENCH_WORK/runstat" 1 git rollback revert -q --first-parent "$range") &&
	ours_s=$1 ours_m=$2 &&
	set -- $(cd "$BENCH_WORK/rr-git" && "$BENCH_WORK/runstat" 1 sh -c '
		git revert --no-edit -m 1 $(git rev-list --first-parent "$1") ||
		while test -d "$(git rev-parse --git-path sequencer)"
		do
			git revert --skip || :
		done' - "$range") &&
	git_s=$1 git_m=$2 || exit 1
	want=$(git -C "$repo" rev-parse "$from^{tree}")
	for side in ours git
	do
		echo "$(git -C "$BENCH_WORK/rr-$side" rev-parse HEAD^{tree})" \
			"$(git -C "$BENCH_WORK/rr-$side" rev-list --count "$to..HEAD")" \
			"$(git -C "$BENCH_WORK/rr-$side" status --porcelain | wc -l)"
	done | sort -u >"$BENCH_WORK/rr.result"
	if test $(wc -l <"$BENCH_WORK/rr.result") != 1 ||
		test "$(cut -d' ' -f1,3 "$BENCH_WORK/rr.result")" != "$want 0"
	then
		echo "MISMATCH (tree, commits, dirty files; want $want):"
		cat "$BENCH_WORK/rr.result"
		status=1
		continue
	fi
	# the goal on real ranges is memory; the speed is said, not judged
	echo "revert $name: ours $ours_s s ($ours_m KiB), git $git_s s ($git_m KiB)," \
		"$(awk -v o="$ours_s" -v t="$git_s" 'BEGIN { printf "%.1f", t / o }')x faster," \
		"$(cut -d' ' -f2 "$BENCH_WORK/rr.result") commits each, $from's tree"
	row "revert ($name): memory vs git revert" \
		"$(awk -v o="$ours_m" -v t="$git_m" 'BEGIN { printf "%.2f", o / t }')" le 1.0
	rm -rf "$BENCH_WORK/rr-ours" "$BENCH_WORK/rr-git"
done
exit $status
