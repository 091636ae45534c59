#!/bin/sh
# git rollback check between two releases 200 commits apart, on the
# 20,000-tag repository of gen-tags.sh, against git describe --tags
# --abbrev=0 (the question "which release is this?" answered by git).
. bench/lib.sh
REPO=$(sh bench/gen-tags.sh | tail -n 1) || exit 1
cd "$REPO" || exit 1
# the newest stable release 200 commits below the tip is the target
target=$(git tag --points-at HEAD~200 | grep -E '^v[0-9]+\.[0-9]+\.[0-9]+$' |
	sort -t. -k1,1V -k2,2n -k3,3n | tail -n 1)
test -n "$target" || { echo "no release on HEAD~200"; exit 1; }
# no production branch and no deployment log: the running version is
# the newest release on the release branch (main)
git rollback check "$target" --no-fetch >"$BENCH_WORK/check.out" || {
	cat "$BENCH_WORK/check.out"; exit 1; }
echo "$(sed -n 's/^running: \([^ ]*\).*/\1/p' "$BENCH_WORK/check.out") -> $target:" \
	"$(sed -n 's/^commits: //p' "$BENCH_WORK/check.out") commits between"

measure "rollback check" git rollback check "$target" --no-fetch -- \
	git describe --tags --abbrev=0
measure "rollback check --json" git rollback check "$target" --no-fetch --json -- \
	git describe --tags --abbrev=0
