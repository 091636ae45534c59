#!/bin/sh

test_description='a long deployment record: the answers of a short one

Logs of 10,000 entries, written straight in the documented storage
format (bench/gen-log.sh, with git fast-import): the previous entry of
the undo line, "ever deployed" with and without deployed-<tag> tags and
through the cache beside the log, and marks.'

. ./test-lib.sh

GEN_LOG="$SHARNESS_BUILD_DIRECTORY/bench/gen-log.sh"

# version <n>: the Version field of the nth newest entry of a log
version () {
	git log -1 --skip="$2" --format=%B "refs/deploy/log/$1" |
		sed -n "s/^Version: //p"
}

test_expect_success 'setup: ten releases, 10,000 entries in production and staging' '
	git init -q repo &&
	cd repo &&
	printf "%s\n" err out expect actual >.git/info/exclude &&
	for i in 0 1 2 3 4 5 6 7 8 9
	do
		test_commit "change $i" &&
		git tag -a -m "Release v1.0.$i" v1.0.$i || return 1
	done &&
	LOG_FIRST=v1.0.1 LOG_LAST=v1.0.8 \
		sh "$GEN_LOG" 10000 production v1.0.4 v1.0.5 v1.0.6 &&
	LOG_FIRST=v1.0.2 LOG_LAST=v1.0.7 \
		sh "$GEN_LOG" 10000 staging v1.0.5 v1.0.6 &&
	test "$(git rev-list --count refs/deploy/log/production)" = 10000 &&
	test "$(git rev-list --count refs/deploy/log/staging)" = 10000 &&
	git tag -l "deployed-*" >actual &&
	printf "deployed-v1.0.%s\n" 1 4 5 6 8 >expect &&
	test_cmp expect actual
'

test_expect_success 'the generated entries are entries: current and history read them' '
	echo v1.0.8 >expect &&
	git release current --no-fetch >actual &&
	test_cmp expect actual &&
	git release history --env staging -n 2 --no-fetch --json >out &&
	test_line_count = 2 out &&
	grep "\"tag\":\"v1.0.7\",\"version\":\"1.0.7\"" out
'

test_expect_success 'deploy --dry-run: the undo line names the newest other version' '
	prev=$(version production 1) &&
	test -n "$prev" && test "$prev" != v1.0.8 &&
	save_state &&
	git release deploy v1.0.8 --no-hook --dry-run >out &&
	grep "^undo: git release deploy $prev --env production --allow-downgrade -m .undo the deploy of [^ ]*.\$" out &&
	test_state_unchanged
'

test_expect_success 'deploy: the undo line skips entries of the same version' '
	git release deploy v1.0.9 --no-hook >out &&
	grep "^undo: git release deploy v1.0.8 --env production --allow-downgrade -m .undo the deploy of [^ ]*.\$" out &&
	git release deploy v1.0.9 --no-hook >out &&
	grep "^undo: git release deploy v1.0.8 --env production --allow-downgrade -m .undo the deploy of [^ ]*.\$" out &&
	test "$(version production 0)" = v1.0.9 &&
	test "$(git rev-list --count refs/deploy/log/production)" = 10002
'

test_expect_success 'ever deployed to production: by the tag, and by the log without it' '
	git rollback check v1.0.1 --no-fetch --json >out &&
	grep "\"deployed\":true" out &&
	git tag -d deployed-v1.0.1 >/dev/null &&
	git rollback check v1.0.1 --no-fetch --json >out &&
	grep "\"deployed\":true" out &&
	git rollback check v1.0.3 --no-fetch --json >out &&
	grep "\"deployed\":false" out
'

test_expect_success 'ever deployed to staging: the oldest entry counts; a cache is made' '
	rm -rf .git/deploy-cache &&
	git rollback check v1.0.2 --env staging --no-fetch --json >out &&
	grep "\"deployed\":true" out &&
	cat >expect <<-EOF &&
	deploy-cache 2
	log $(git rev-parse refs/deploy/log/staging)
	v1.0.2
	v1.0.5
	v1.0.6
	v1.0.7
	EOF
	test_cmp expect .git/deploy-cache/staging &&
	git rollback check v1.0.3 --env staging --no-fetch --json >out &&
	grep "\"deployed\":false" out &&
	git rollback check v1.0.2 --env staging --no-fetch --json >out &&
	grep "\"deployed\":true" out
'

test_expect_success 'the log grew: only the new entries are read into the cache' '
	git release deploy v1.0.9 --env staging --no-hook >/dev/null &&
	git rollback check v1.0.3 --env staging --no-fetch --json >out &&
	grep "\"deployed\":false" out &&
	cat >expect <<-EOF &&
	deploy-cache 2
	log $(git rev-parse refs/deploy/log/staging)
	v1.0.2
	v1.0.5
	v1.0.6
	v1.0.7
	v1.0.9
	EOF
	test_cmp expect .git/deploy-cache/staging
'

test_expect_success 'a cache for an entry not in the log is rebuilt from the log' '
	cat >.git/deploy-cache/staging <<-EOF &&
	deploy-cache 2
	log $(git rev-parse HEAD)
	v1.0.3
	EOF
	git rollback check v1.0.3 --env staging --no-fetch --json >out &&
	grep "\"deployed\":false" out &&
	grep -x "log $(git rev-parse refs/deploy/log/staging)" \
		.git/deploy-cache/staging &&
	! grep -x v1.0.3 .git/deploy-cache/staging
'

test_expect_success 'a damaged cache is no cache' '
	printf "deploy-cache 2\nlog 12" >.git/deploy-cache/staging &&
	git rollback check v1.0.2 --env staging --no-fetch --json >out &&
	grep "\"deployed\":true" out &&
	printf "something else\n" >.git/deploy-cache/staging &&
	git rollback check v1.0.3 --env staging --no-fetch --json >out &&
	grep "\"deployed\":false" out &&
	grep -x "deploy-cache 2" .git/deploy-cache/staging
'

test_expect_success 'a dry run writes no cache' '
	rm -rf .git/deploy-cache &&
	save_state &&
	git rollback v1.0.3 --env staging --deploy-only -m "slow" --dry-run >out &&
	grep "^rollback staging: v1.0.9 -> v1.0.3" out &&
	test_path_is_missing .git/deploy-cache &&
	test_state_unchanged
'

test_expect_success 'a hold older than the cached entry still holds: the cache names it' '
	git release hold --env staging -m "freeze" >/dev/null &&
	hold=$(git rev-parse refs/deploy/log/staging) &&
	rm -rf .git/deploy-cache &&
	git rollback check v1.0.3 --env staging --no-fetch >/dev/null &&
	grep -x ":hold $hold" .git/deploy-cache/staging &&
	LOG_TIME=1700000000 sh "$GEN_LOG" 1200 staging v1.0.5 v1.0.6 &&
	git rollback check v1.0.3 --env staging --no-fetch >/dev/null &&
	grep -x "log $(git rev-parse refs/deploy/log/staging)" .git/deploy-cache/staging &&
	grep -x ":hold $hold" .git/deploy-cache/staging &&
	save_state &&
	test_must_fail git release deploy v1.0.8 --env staging --no-hook --dry-run >out 2>err &&
	grep "^error: .staging. is held at v1.0.9: freeze: v1.0.8 is not deployed" err &&
	test_state_unchanged &&
	git release hold --lift --env staging -m "thawed" >/dev/null &&
	git release deploy v1.0.8 --env staging --no-hook --dry-run >out &&
	grep "^would deploy v1.0.8" out
'

test_expect_success 'no hold in a whole log: the walk that found none keeps that' '
	LOG_TIME=1600000050 sh "$GEN_LOG" 10000 qa v1.0.4 v1.0.5 &&
	git config deploy.qa.command true &&
	test_path_is_missing .git/deploy-cache/qa &&
	git release deploy v1.0.8 --env qa --no-hook >out &&
	grep "^deployed v1.0.8 to qa" out &&
	test_path_is_file .git/deploy-cache/qa &&
	! grep "^:hold " .git/deploy-cache/qa &&
	git release hold --env qa -m "stop" >/dev/null &&
	test_must_fail git release deploy v1.0.9 --env qa --no-hook --dry-run 2>err &&
	grep "is held at v1.0.8: stop: v1.0.9 is not deployed" err
'

test_expect_success 'a short log gets no cache' '
	git init -q short &&
	(
		cd short &&
		test_commit one && git tag -a -m "Release v1.0.0" v1.0.0 &&
		test_commit two && git tag -a -m "Release v1.1.0" v1.1.0 &&
		sh "$GEN_LOG" 10 staging v1.1.0 &&
		git rollback check v1.0.0 --env staging --no-fetch --json >out &&
		grep "\"deployed\":false" out &&
		test_path_is_missing .git/deploy-cache
	)
'

test_done
