#!/bin/sh
# git release current against git describe --tags --abbrev=0 on the
# 20,000-tag repository: once with no deployment log (the answer comes
# from the release branch, as describe's does), once with one (the
# newest entry answers alone).
. bench/lib.sh
REPO=$(sh bench/gen-tags.sh | tail -n 1) || exit 1
cd "$REPO" || exit 1
echo "$(git tag -l | wc -l) tags, $(git rev-list --count HEAD) commits"

# both must name the same release before timing means anything
ours=$(git release current --no-fetch) || exit 1
theirs=$(git describe --tags --abbrev=0 --match 'v[0-9]*.[0-9]*.[0-9]*' --exclude '*-*')
# several releases share HEAD: we name the highest, describe any one
same=no
test "$(git rev-parse "$ours^{commit}")" = "$(git rev-parse "$theirs^{commit}")" && same=yes
echo "no log: ours $ours, describe $theirs, same commit: $same"
test $same = yes || exit 1
measure "current (no log)" git release current --no-fetch -- \
	git describe --tags --abbrev=0

# a deployment log of 100 entries, removed afterwards so that the
# repository stays as gen-tags.sh made it for the other benchmarks
cleanup () {
	git update-ref -d refs/deploy/log/production 2>/dev/null
	git update-ref -d refs/deploy/log/staging 2>/dev/null
	rm -rf .git/logs/refs/deploy
	git tag -l 'deployed-v0.0.*' | grep -v -x -f "$BENCH_WORK/deployed.before" |
		xargs -r git tag -d >/dev/null
}
git tag -l 'deployed-v0.0.*' >"$BENCH_WORK/deployed.before"
trap cleanup EXIT
i=0
while test $i -lt 100
do
	# the first one declares the environment
	git release deploy "v0.0.$(($i % 100))" --no-hook --env staging \
		$(test $i = 0 && echo --new-env) >/dev/null || exit 1
	i=$(($i + 1))
done
git release deploy v0.0.42 --no-hook >/dev/null || exit 1
echo "with a log: ours $(git release current --no-fetch)"
measure "current (log)" git release current --no-fetch -- \
	git describe --tags --abbrev=0
