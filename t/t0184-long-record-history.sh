#!/bin/sh

test_description='a long deployment record: history, hotfix start and yank

Logs of 10,000 entries in production and staging, written straight in the
documented storage format (bench/gen-log.sh): history prints all of it
in order and in bounded memory, hotfix start and yank answer as on a
short log.'

. ./test-lib.sh

GEN_LOG="$SHARNESS_BUILD_DIRECTORY/bench/gen-log.sh"

test_expect_success 'setup: ten releases, 10,000 entries in production and staging' '
	git init -q repo &&
	cd repo &&
	printf "%s\n" err out expect actual "*.list" >.git/info/exclude &&
	for i in 0 1 2 3 4 5 6 7 8 9
	do
		test_commit "change $i" &&
		git tag -a -m "Release v1.0.$i" v1.0.$i || return 1
	done &&
	git branch production v1.0.8 &&
	LOG_FIRST=v1.0.1 LOG_LAST=v1.0.8 \
		sh "$GEN_LOG" 10000 production v1.0.4 v1.0.5 v1.0.6 &&
	LOG_TIME=1600000030 LOG_FIRST=v1.0.2 LOG_LAST=v1.0.7 \
		sh "$GEN_LOG" 10000 staging v1.0.5 v1.0.6 &&
	test "$(git rev-list --count refs/deploy/log/production)" = 10000 &&
	test "$(git rev-list --count refs/deploy/log/staging)" = 10000
'

# the versions of a log as git reads them, newest first
git_versions () {
	git log --format=%B "refs/deploy/log/$1" | sed -n "s/^Version: //p"
}

test_expect_success 'history --env: every entry, newest first, as git log has them' '
	git release history --env production --no-fetch >out &&
	test_line_count = 10000 out &&
	awk "{ print \$6 }" out >actual &&
	git_versions production >expect &&
	test_cmp expect actual &&
	head -n 2 out >actual &&
	cat >expect <<-\EOF &&
	2020-09-20 11:06 UTC  production  deploy    v1.0.8  Bench Mark <bench@example.com>  entry 10000
	2020-09-20 11:05 UTC  production  deploy    v1.0.6  Bench Mark <bench@example.com>  entry 9999
	EOF
	test_cmp expect actual &&
	tail -n 1 out >actual &&
	echo "2020-09-13 12:27 UTC  production  deploy    v1.0.1  Bench Mark <bench@example.com>  entry 1" >expect &&
	test_cmp expect actual
'

test_expect_success 'history of both: merged by time, each log in its own order' '
	git release history --no-fetch >out &&
	test_line_count = 20000 out &&
	grep -c "  staging     deploy  " out >actual &&
	echo 10000 >expect &&
	test_cmp expect actual &&
	awk "\$4 == \"production\" { print \$6 }" out >actual &&
	git_versions production >expect &&
	test_cmp expect actual &&
	awk "\$4 == \"staging\" { print \$6 }" out >actual &&
	git_versions staging >expect &&
	test_cmp expect actual &&
	awk "{ print \$1 \" \" \$2 }" out >actual &&
	sort -r actual >expect &&
	test_cmp expect actual &&
	head -n 2 out >actual &&
	cat >expect <<-\EOF &&
	2020-09-20 11:07 UTC  staging     deploy    v1.0.7  Bench Mark <bench@example.com>  entry 10000
	2020-09-20 11:06 UTC  production  deploy    v1.0.8  Bench Mark <bench@example.com>  entry 10000
	EOF
	test_cmp expect actual
'

test_expect_success 'history -n 20 is the first 20 lines of history' '
	git release history --no-fetch >out &&
	head -n 20 out >expect &&
	git release history -n 20 --no-fetch >actual &&
	test_cmp expect actual
'

test_expect_success 'history --json: one object an entry, the entry ids of the log' '
	git release history --env staging --json --no-fetch >out &&
	test_line_count = 10000 out &&
	sed "s/.*\"entry\":\"\([0-9a-f]*\)\".*/\1/" out >actual &&
	git rev-list refs/deploy/log/staging >expect &&
	test_cmp expect actual
'

test_expect_success 'columns: as wide as the first 1,000 entries need' '
	git init -q wide &&
	(
		cd wide &&
		test_commit one && git tag -a -m r v1.0.0 &&
		test_commit two && git tag -a -m r v1.0.0-with-a-long-name &&
		LOG_TIME=1500000000 sh "$GEN_LOG" 1 production v1.0.0-with-a-long-name &&
		LOG_TIME=1600000000 sh "$GEN_LOG" 1000 production v1.0.0 &&
		git release history --no-fetch >out &&
		test_line_count = 1001 out &&
		sed -n "1p;\$p" out >actual &&
		cat >expect <<-\EOF &&
		2020-09-14 05:06 UTC  production  deploy    v1.0.0  Bench Mark <bench@example.com>  entry 1000
		2017-07-14 02:41 UTC  production  deploy    v1.0.0-with-a-long-name  Bench Mark <bench@example.com>  entry 1
		EOF
		test_cmp expect actual &&
		git release history -n 1000 --no-fetch >actual &&
		head -n 1000 out >expect &&
		test_cmp expect actual
	)
'

test_expect_success 'history of a long record keeps one entry, not all of them' '
	command -v /usr/bin/time >/dev/null || {
		echo "no /usr/bin/time: memory not measured"; return 0; }
	# AddressSanitizer keeps freed memory in quarantine: peaks mean nothing
	test -z "$ASAN_OPTIONS" || {
		echo "under AddressSanitizer: memory not measured"; return 0; }
	/usr/bin/time -f %M -o all.kib \
		git release history --no-fetch >/dev/null &&
	/usr/bin/time -f %M -o one.kib \
		git release history -n 1 --no-fetch >/dev/null &&
	pack=$(git count-objects -v | sed -n "s/^size-pack: //p") &&
	echo "peak: $(cat all.kib) KiB for 20,000 entries, $(cat one.kib) KiB for one, $pack KiB of pack read" &&
	test $(cat all.kib) -lt $(($(cat one.kib) + $pack + 4096))
'

test_expect_success 'hotfix start: the running version is the newest entry' '
	save_state &&
	git hotfix start fix --dry-run >out &&
	grep -x "would create branch hotfix/fix at $(git rev-parse v1.0.8^{commit}) (v1.0.8)" out &&
	test_state_unchanged &&
	git hotfix start fix >out 2>&1 &&
	test "$(git rev-parse hotfix/fix)" = "$(git rev-parse v1.0.8^{commit})" &&
	test "$(git config branch.hotfix/fix.hotfixBase)" = v1.0.8 &&
	test "$(git symbolic-ref HEAD)" = refs/heads/hotfix/fix &&
	git checkout -q main
'

test_expect_success 'yank: a release deep in the record is marked, the log untouched' '
	log=$(git rev-parse refs/deploy/log/production) &&
	git release yank v1.0.5 -m "corrupts exports" >out &&
	grep "^marked v1.0.5 bad: corrupts exports" out &&
	git cat-file -p refs/deploy/marks:v1.0.5 >actual &&
	echo "Reason: corrupts exports" >expect &&
	test_cmp expect actual &&
	test "$(git rev-parse refs/deploy/log/production)" = "$log" &&
	git release list >out &&
	grep -x "v1.0.5  bad: corrupts exports" out
'

test_done
