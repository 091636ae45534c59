#!/bin/sh

test_description='marks keep every reason: per environment, added not replaced, lifted one by one or all'

. ./test-lib.sh

refs_of () {
	git -C "$1" for-each-ref --format="%(refname) %(objectname)" "$2"
}

# the marks file of a release, as stored
marks_file () {
	git -C "${2:-a}" cat-file -p "refs/deploy/marks:$1"
}

test_expect_success 'setup: a bare remote, two clones, production and staging' '
	git init -q --bare remote.git &&
	git clone -q remote.git a 2>/dev/null &&
	(cd a &&
	 printf "%s\n" err out expect actual "*.before" "*.after" >.git/info/exclude &&
	 test_commit one && git tag -a -m r v1.0.0 &&
	 test_commit two && git tag -a -m r v1.1.0 &&
	 test_commit three && git tag -a -m r v1.2.0 &&
	 git branch production && git branch staging &&
	 git push -q origin main production staging v1.0.0 v1.1.0 v1.2.0 &&
	 git config deploy.staging.branch staging &&
	 for env in production staging
	 do
		test_tick &&
		git release deploy v1.2.0 --env $env --no-hook --push \
			>/dev/null 2>&1 || return 1
	 done) &&
	git clone -q remote.git b &&
	printf "%s\n" err out expect actual >b/.git/info/exclude &&
	git -C b config deploy.staging.branch staging
'

test_expect_success 'a production rollback marks the release it leaves, naming production' '
	(cd a && test_tick &&
	 git rollback --deploy-only -m "login broken" --push >/dev/null 2>&1) &&
	marks_file v1.2.0 >actual &&
	cat >expect <<-\EOF &&
	Environment: production
	Reason: login broken
	EOF
	test_cmp expect actual
'

test_expect_success 'the colleague rolls staging back from the same release: both reasons stay' '
	(cd b && test_tick &&
	 git rollback --env staging --deploy-only -m "prefs lost" --push \
		>/dev/null 2>&1) &&
	marks_file v1.2.0 b >actual &&
	cat >expect <<-\EOF &&
	Environment: production
	Reason: login broken

	Environment: staging
	Reason: prefs lost
	EOF
	test_cmp expect actual &&
	git -C remote.git cat-file -p refs/deploy/marks:v1.2.0 >actual &&
	test_cmp expect actual
'

test_expect_success 'list shows every reason, --json each whole' '
	(cd b && git release list >../out &&
	 git release list --json >../actual) &&
	grep "^v1.2.0  bad: login broken (production); prefs lost (staging)\$" out &&
	jq -c "select(.tag == \"v1.2.0\") | [.bad, .marks]" actual >out &&
	echo "[true,[{\"schema\":1,\"env\":\"production\",\"reason\":\"login broken\"},{\"schema\":1,\"env\":\"staging\",\"reason\":\"prefs lost\"}]]" >expect &&
	test_cmp expect out
'

test_expect_success 'marking again with the same environment and reason changes nothing' '
	(cd b && save_state &&
	 git release yank v1.2.0 --env staging -m "prefs lost" >../out &&
	 test_state_unchanged) &&
	grep "^v1.2.0 is already marked bad from staging: prefs lost\$" out
'

test_expect_success 'yank --undo --env of an environment without a mark: 1, nothing changed' '
	(cd b && git release deploy v1.2.0 --env qa --new-env --no-hook --force \
		>/dev/null 2>&1 && save_state &&
	 test_expect_code 1 git release yank --undo v1.2.0 --env qa \
		>../out 2>../err &&
	 test_state_unchanged) &&
	test_must_be_empty out &&
	grep "^error: release .v1.2.0. has no bad mark from .qa.\$" err &&
	grep "^hint: its marks: login broken (production); prefs lost (staging)\$" err
'

test_expect_success 'yank --env names a known environment (128)' '
	(cd b && save_state &&
	 test_expect_code 128 git release yank v1.1.0 --env stagin -m x 2>../err &&
	 test_state_unchanged) &&
	grep "^fatal: unknown environment .stagin.\$" err &&
	grep "^hint: did you mean .staging.?\$" err
'

test_expect_success 'yank --undo --env lifts that environment only, and says how to put it back' '
	(cd b && test_tick &&
	 git release yank --undo v1.2.0 --env staging >../out) &&
	cat >expect <<-\EOF &&
	lifted the bad mark on v1.2.0 from staging: prefs lost
	undo: git release yank v1.2.0 --env staging -m '"'prefs lost'"'
	EOF
	test_cmp expect out &&
	marks_file v1.2.0 b >actual &&
	printf "Environment: production\nReason: login broken\n" >expect &&
	test_cmp expect actual &&
	git -C b log -1 --format=%B refs/deploy/marks >actual &&
	grep "^unmark v1.2.0\$" actual &&
	grep "^Environment: staging\$" actual
'

test_expect_success 'the undo line puts it back' '
	(cd b && test_tick &&
	 git release yank v1.2.0 --env staging -m "prefs lost" >/dev/null) &&
	marks_file v1.2.0 b >actual &&
	printf "Environment: production\nReason: login broken\n\nEnvironment: staging\nReason: prefs lost\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'yank --undo lifts them all; its undo puts each back' '
	(cd b && test_tick && git release yank --undo v1.2.0 >../out) &&
	test_must_fail git -C b cat-file -e refs/deploy/marks:v1.2.0 &&
	grep "^undo: git release yank v1.2.0 --env production -m .login broken. && git release yank v1.2.0 --env staging -m .prefs lost.\$" out &&
	(cd b && git release list >../out) &&
	grep "^v1.2.0  deployed: qa\$" out
'

test_expect_success 'a marks file of the older form reads as one reason, and keeps it when another comes' '
	(cd a &&
	 blob=$(printf "drops orders\nsee INC-7\n" | git hash-object -w --stdin) &&
	 tree=$(printf "100644 blob %s\tv1.1.0\n" $blob | git mktree) &&
	 c=$(echo "mark v1.1.0 bad" | git commit-tree -p refs/deploy/marks $tree) &&
	 git update-ref refs/deploy/marks $c &&
	 git release list >../out &&
	 test_tick &&
	 git release yank v1.1.0 --env staging -m "slow" >/dev/null) &&
	grep "^v1.1.0  deployed: production  bad: drops orders\$" out &&
	marks_file v1.1.0 >actual &&
	printf "Reason: drops orders\n see INC-7\n\nEnvironment: staging\nReason: slow\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'two colleagues mark one release at once: the replay keeps both' '
	(cd b && test_tick &&
	 git release yank v1.0.0 --env staging -m "from b" >/dev/null) &&
	(cd a && test_tick &&
	 git release yank v1.0.0 --env production -m "from a" --push \
		>/dev/null 2>&1) &&
	(cd b && git release history >/dev/null) &&
	marks_file v1.0.0 b >actual &&
	printf "Environment: production\nReason: from a\n\nEnvironment: staging\nReason: from b\n" >expect &&
	test_cmp expect actual &&
	(cd b && test_tick &&
	 git release deploy v1.2.0 --env qa --no-hook --push >/dev/null 2>&1) &&
	git -C remote.git cat-file -p refs/deploy/marks:v1.0.0 >actual &&
	test_cmp expect actual
'

test_done
