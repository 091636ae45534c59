#!/bin/sh
# Start-up on real repositories: release list, current and history -n
# 20 against git tag -l and git log -1 on each repository that
# BENCH_REAL_REPOS names (space-separated paths of local clones, for
# instance of git/git and helm; nothing is downloaded here).  Without
# it the benchmark says so and measures nothing.
#
#	BENCH_REAL_REPOS="$HOME/src/git $HOME/src/helm" make bench
. bench/lib.sh

if test -z "$BENCH_REAL_REPOS"
then
	echo "skipped: set BENCH_REAL_REPOS to local clones (BENCH_REAL_REPOS=\"dir1 dir2\") to time start-up on real repositories"
	exit 0
fi
status=0
for repo in $BENCH_REAL_REPOS
do
	if ! git -C "$repo" rev-parse --git-dir >/dev/null 2>&1
	then
		echo "error: '$repo' is not a git repository" >&2
		status=1
		continue
	fi
	name=$(basename "$(cd "$repo" && pwd)")
	echo "$name: $(git -C "$repo" tag -l | wc -l) tags," \
		"$(git -C "$repo" release list | wc -l) releases," \
		"$(git -C "$repo" rev-list --count HEAD) commits"
	measure "$name: release list against git tag -l" \
		git -C "$repo" release list -- git -C "$repo" tag -l
	row "start-up ($name): release list vs git tag -l" $ratio le 3
	measure "$name: current against git log -1" \
		git -C "$repo" release current --no-fetch -- \
		git -C "$repo" log -1
	row "start-up ($name): current vs git log -1" $ratio le 3
	measure "$name: history -n 20 against git log -1" \
		git -C "$repo" release history -n 20 --no-fetch -- \
		git -C "$repo" log -1
	row "start-up ($name): history -n 20 vs git log -1" $ratio le 3
done
exit $status
