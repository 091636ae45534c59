#!/bin/sh
# git release metrics over a production log of 10,000 entries (7,500
# releases, 15,000 commits), against the time git takes to print those
# entries: git log --format=%B refs/deploy/log/production.  The metrics
# also read the marks and the release tags and walk the commits each
# deploy brought.
. bench/lib.sh
REPO=$(sh bench/gen-metrics.sh | tail -n 1) || exit 1
cd "$REPO" || exit 1
NOW=@1790553600
echo "$(git rev-list --count refs/deploy/log/production) log entries," \
	"$(git tag -l | wc -l) tags, $(git rev-list --count main) commits"

# both must have read the same entries before timing means anything
theirs=$(git log --format=%B refs/deploy/log/production | grep -c '^Kind: ')
ours=$(GIT_RELEASE_NOW=$NOW git release metrics --json | tail -n 1 |
	sed 's/.*"deployments":\([0-9]*\),"rollbacks":\([0-9]*\),"failed_deployments":[0-9]*,"hotfix_deployments":[0-9]*,"failed_attempts":\([0-9]*\).*/\1 \2 \3/')
set -- $ours
echo "entries: git log $theirs, metrics $(($1 + $2 + $3))" \
	"($1 deployments, $2 rollbacks, $3 failed attempts)"
test "$theirs" = "$(($1 + $2 + $3))" || exit 1
measure "metrics (10,000 entries)" env GIT_RELEASE_NOW=$NOW \
	git release metrics --json -- \
	git log --format=%B refs/deploy/log/production
measure "metrics, table and charts" env GIT_RELEASE_NOW=$NOW \
	git release metrics -- \
	git log --format=%B refs/deploy/log/production
