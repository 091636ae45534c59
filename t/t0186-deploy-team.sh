#!/bin/sh

test_description='a team on one remote: the release tag travels with the log, missing tags are fetched, a first deploy undoes cleanly'

. ./test-lib.sh

refs_of () {
	git -C "$1" for-each-ref --format="%(refname) %(objectname)" "$2"
}

test_expect_success 'setup: a bare remote, a clone with releases it has not pushed' '
	git init -q --bare remote.git &&
	git clone -q remote.git a 2>/dev/null &&
	(cd a &&
	 printf "%s\n" err out expect actual undo >.git/info/exclude &&
	 test_commit one && git tag -a -m r v1.0.0 &&
	 test_commit two && git tag -a -m r v1.1.0 &&
	 test_commit three && git tag -a -m r v1.2.0 &&
	 git push -q origin main) &&
	git clone -q remote.git b &&
	printf "%s\n" err out expect actual >b/.git/info/exclude &&
	test_must_fail git -C remote.git rev-parse -q --verify refs/tags/v1.0.0
'

test_expect_success 'deploy --push --dry-run plans the release tag in the same push, changes nothing' '
	before=$(refs_of remote.git refs/) &&
	(cd a && save_state &&
	 git release deploy v1.0.0 --push --dry-run >../out &&
	 test_state_unchanged) &&
	test "$(refs_of remote.git refs/)" = "$before" &&
	grep "^would run: git push --porcelain --atomic .* refs/tags/v1.0.0:refs/tags/v1.0.0\$" out &&
	grep "^undo: git push --atomic --force-with-lease=refs/deploy/log/production:[0-9a-f]* origin :refs/deploy/log/production :refs/tags/deployed-v1.0.0 && git tag -d deployed-v1.0.0 && git update-ref -d refs/deploy/log/production [0-9a-f]*\$" out
'

test_expect_success 'deploy --push pushes the release tag and deployed- tag with the log' '
	(cd a && test_tick && git release deploy v1.0.0 --push >../out 2>../err) &&
	for ref in refs/tags/v1.0.0 refs/tags/deployed-v1.0.0 refs/deploy/log/production
	do
		test "$(git -C a rev-parse $ref)" = "$(git -C remote.git rev-parse $ref)" ||
		return 1
	done &&
	test_must_fail git -C remote.git rev-parse -q --verify refs/tags/v1.1.0
'

test_expect_success 'a colleague reads it: the tag comes with the log' '
	(cd b && git tag -d v1.0.0 >/dev/null 2>&1; git release current >../out 2>../err) &&
	echo v1.0.0 >expect &&
	test_cmp expect out &&
	test_must_be_empty err &&
	test "$(git -C b rev-parse refs/tags/v1.0.0)" = "$(git -C a rev-parse refs/tags/v1.0.0)"
'

test_expect_success 'a tag the log names that b lacks is fetched with the log' '
	(cd a && test_tick && git release deploy v1.1.0 --env staging --new-env \
		--push >/dev/null 2>&1) &&
	test_must_fail git -C b rev-parse -q --verify refs/tags/v1.1.0 &&
	(cd b && git release current --env staging >../out 2>../err) &&
	echo v1.1.0 >expect &&
	test_cmp expect out &&
	test "$(git -C b rev-parse refs/tags/v1.1.0)" = "$(git -C a rev-parse refs/tags/v1.1.0)"
'

test_expect_success 'a tag nobody can fetch: 128, with the fetch to run' '
	(cd a && test_tick && git release deploy v1.2.0 --env staging \
		--push >/dev/null 2>&1) &&
	git -C remote.git tag -d v1.2.0 >/dev/null &&
	(cd b && test_expect_code 128 git release current --env staging \
		>../out 2>../err) &&
	test_must_be_empty out &&
	grep "^warning: the deployment log names .v1.2.0., which neither this repository nor .origin. has\$" err &&
	grep "^hint: git fetch origin tag v1.2.0\$" err &&
	grep "^fatal: .v1.2.0. is running on .staging. by the deployment log, but there is no such tag\$" err
'

test_expect_success 'rollback --push brings the target tag the remote lacks' '
	git -C remote.git tag -d v1.1.0 >/dev/null &&
	(cd a && test_tick &&
	 git rollback --env staging --deploy-only -m "slow" --push v1.1.0 \
		>../out 2>../err) &&
	test "$(git -C remote.git rev-parse refs/tags/v1.1.0)" = "$(git -C a rev-parse refs/tags/v1.1.0)" &&
	test "$(git -C remote.git rev-parse refs/deploy/log/staging)" = "$(git -C a rev-parse refs/deploy/log/staging)"
'

test_expect_success 'a first deploy never offers another release as its undo' '
	(cd b && git release deploy v1.1.0 --env qa --new-env --no-hook >../out) &&
	! grep "^undo: git release deploy" out &&
	grep "^the first deployment to qa: the undo removes its entry\$" out
'

test_expect_success 'a first pushed deploy: its undo removes the entry here and there, with a lease' '
	(cd a && test_tick &&
	 git release deploy v1.0.0 --env perf --new-env --no-hook --push \
		>../out 2>/dev/null) &&
	id=$(git -C a rev-parse refs/deploy/log/perf) &&
	grep "^undo: git push --atomic --force-with-lease=refs/deploy/log/perf:$id origin :refs/deploy/log/perf && git update-ref -d refs/deploy/log/perf $id\$" out &&
	sed -n "s/^undo: //p" out >a/undo &&
	(cd a && sh undo 2>/dev/null) &&
	test_must_fail git -C a rev-parse -q --verify refs/deploy/log/perf &&
	test_must_fail git -C remote.git rev-parse -q --verify refs/deploy/log/perf
'

test_done
