#!/bin/sh

test_description='make demo: the whole workflow runs and leaves the record it claims'

. ./test-lib.sh

test_expect_success 'the demo runs to the end' '
	sh "$SHARNESS_BUILD_DIRECTORY/contrib/demo.sh" "$PWD/demo" >out 2>&1 &&
	grep "^The scratch repository is in $PWD/demo" out
'

test_expect_success 'off a terminal it prints no escape sequence' '
	! grep "$(printf "\033")" out
'

test_expect_success 'production runs the hotfix, after a recorded rollback' '
	git -C demo/shop release current --no-fetch >actual &&
	echo v0.2.1 >expect &&
	test_cmp expect actual &&
	git -C demo/shop release history --no-fetch >history &&
	test_line_count = 4 history &&
	sed -n 2p history >rollback &&
	grep "rollback  v0.2.0" rollback &&
	grep "from v0.3.0 (deploy-only)" rollback &&
	grep "checkout 500s for users with preferences" rollback
'

test_expect_success 'the migration ran down and the hooks ran, in order' '
	grep -n "\[migrate\] rails db:migrate:down VERSION=20240115120000" out &&
	grep "\[hook\].*v0.2.0 (rollback)" out &&
	grep "\[hook\].*v0.2.1 (deploy)" out
'

test_expect_success 'the check recommended --deploy-only with --migrate, and it was followed' '
	grep "^recommended: git rollback v0.2.0 --deploy-only --migrate\$" out &&
	grep "^following the recommendation: git rollback v0.2.0 --deploy-only --migrate\$" out &&
	grep "^\\$ git rollback v0.2.0 --deploy-only --migrate -m \"checkout 500s for users with preferences\" --push\$" out
'

test_expect_success 'the git side: no branch moved, bad mark, hotfix merged back' '
	test_must_fail git -C demo/shop rev-parse --verify -q rollback/v0.3.0 &&
	git -C demo/shop rev-parse production >prod &&
	git -C demo/shop rev-parse v0.3.0^{commit} >expect &&
	test_cmp expect prod &&
	git -C demo/shop release list >list &&
	grep "^v0.3.0  bad: checkout 500s" list &&
	git -C demo/shop merge-base --is-ancestor v0.2.1 main &&
	test_must_fail git -C demo/shop rev-parse --verify -q hotfix/prefs-null
'

test_expect_success 'the demo ends with the metrics of what it did' '
	grep "^production, .* by week\$" out &&
	grep "^deploys  " out &&
	git -C demo/shop release metrics --since 1.week.ago --json >metrics &&
	jq -c "select(.period == \"total\") | [.deployments, .rollbacks,
		.failed_deployments, .hotfix_deployments, .change_fail_rate,
		.lead_time_commits, .recovered, .rework_rate]" metrics >actual &&
	echo "[3,1,1,1,0.333333,3,1,0.5]" >expect &&
	test_cmp expect actual &&
	grep "\"type\":\"dev.cdevents.service.deployed.0.1.1\"" out &&
	grep "\"artifactId\":\"pkg:generic/origin@v0.2.1\"" out
'

test_expect_success 'the log reached the remote' '
	git -C demo/origin.git for-each-ref --format="%(refname)" refs/deploy/ >refs &&
	grep "^refs/deploy/log/production$" refs &&
	grep "^refs/deploy/marks$" refs
'

test_expect_success TTY 'on a terminal the headings are bold' '
	on_terminal "" "sh \"$SHARNESS_BUILD_DIRECTORY/contrib/demo.sh\" \"$PWD/demo2\"" >tty.out 2>&1 &&
	grep "$(printf "\033")\[1m== " tty.out &&
	NO_COLOR=1 on_terminal "" "sh \"$SHARNESS_BUILD_DIRECTORY/contrib/demo.sh\" \"$PWD/demo3\"" >tty.out 2>&1 &&
	! grep "$(printf "\033")\[1m== " tty.out
'

test_done
