#!/bin/sh

test_description='make demo: the whole workflow runs and leaves the record it claims'

. ./test-lib.sh

test_expect_success 'the demo runs to the end, in a few seconds' '
	start=$(date +%s) &&
	sh "$SHARNESS_BUILD_DIRECTORY/contrib/demo.sh" "$PWD/demo" >out 2>&1 &&
	end=$(date +%s) &&
	grep "^The scratch repository is in $PWD/demo" out &&
	test $(($end - $start)) -lt 60
'

test_expect_success 'off a terminal it prints no escape sequence' '
	! grep "$(printf "\033")" out
'

test_expect_success 'two environments: each release ran in staging before production' '
	for v in v0.2.0 v0.3.0 v0.2.1 v0.4.0
	do
		s=$(grep -n "\[hook\] helm upgrade shop-staging .*=$v (\(deploy\|rollback\))" out | cut -d: -f1) &&
		p=$(grep -n "\[hook\] kubectl set image .*:$v (deploy)" out | cut -d: -f1) &&
		test -n "$s" && test -n "$p" && test "$s" -lt "$p" || return 1
	done &&
	git -C demo/shop release history --no-fetch --env staging >history &&
	test_line_count = 4 history &&
	grep -c "  rollback  " history >n &&
	echo 1 >expect && test_cmp expect n &&
	grep "  rollback  v0.2.1  .*from v0.3.0 (deploy-only)  hotfix for the checkout incident\$" history &&
	git -C demo/shop release current --env staging --no-fetch >actual &&
	echo v0.4.0 >expect &&
	test_cmp expect actual &&
	grep "^production  v0.2.0  .*  hook: echo .*kubectl.*  branch: production\$" out &&
	grep "^staging     v0.2.0  .*  hook: echo .*helm upgrade.*  branch: none\$" out
'

test_expect_success 'production runs the hotfix: a recorded rollback, then a failed deploy rolled back' '
	git -C demo/shop release current --no-fetch >actual &&
	echo v0.2.1 >expect &&
	test_cmp expect actual &&
	git -C demo/shop release history --no-fetch --env production >history &&
	test_line_count = 6 history &&
	sed -n 4p history >rollback &&
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

test_expect_success 'the failed deploy: shown, recorded as failed, marked bad, rolled back by the tool' '
	sed -n "/^\\$ git release deploy v0.4.0 -m \"payments rollout\"\$/,/^\\$ /p" out >attempt &&
	test $(grep -c "\[hook\] kubectl set image .*:v0.4.0 (deploy)" attempt) = 1 &&
	grep "^verify attempt 1 failed: \[verify\] GET /health: 502, payments provider unreachable\$" attempt &&
	grep "^error: v0.4.0 did not verify on .production." attempt &&
	grep "^marked v0.4.0 bad on .production.: verification failed: " attempt &&
	grep "\[migrate\] rails db:migrate:down VERSION=20240115120000" attempt &&
	test $(grep -c "\[hook\] kubectl set image .*:v0.2.1 (rollback)" attempt) = 1 &&
	grep "\[verify\] GET /health: 200" attempt &&
	sed -n 2p history >failed &&
	grep "deploy    v0.4.0 .* \[failed\]  verify failed: \[verify\] GET /health: 502" failed &&
	sed -n 1p history >auto &&
	grep "rollback  v0.2.1 .* from v0.4.0 (deploy-only)  verification failed: " auto &&
	log=refs/deploy/log/production &&
	git -C demo/shop log -1 --format=%B $log >entry &&
	grep "^Kind: hold\$" entry &&
	grep "^Version: v0.2.1\$" entry &&
	git -C demo/shop log -1 --format=%B $log^ >entry &&
	grep "^Kind: rollback\$" entry &&
	grep "^Trigger: $(git -C demo/shop rev-parse $log^^)\$" entry &&
	grep "^Verify: passed\$" entry &&
	git -C demo/shop log -1 --format=%B $log^^ >entry &&
	grep "^Status: failed\$" entry &&
	grep "^v0.4.0  deployed: staging  bad: verification failed: \[verify\] GET /health: 502, payments provider unreachable (production)\$" list &&
	sed -n "/^\\$ git release list -n 2\$/,/^\\$ git release envs/p" out >after &&
	grep "^v0.2.1\$" after &&
	grep "^production  v0.2.1  .*  rolled back from v0.4.0\$" after
'

test_expect_success 'the demo ends with the metrics of what it did' '
	grep "^production, .* by week\$" out &&
	grep "^deploys  " out &&
	git -C demo/shop release metrics --since 1.week.ago --json >metrics &&
	jq -c "select(.period == \"total\") | [.deployments, .rollbacks,
		.failed_deployments, .hotfix_deployments, .change_fail_rate,
		.lead_time_commits, .failed_attempts, .rework_rate]" metrics >actual &&
	echo "[3,2,1,1,0.333333,3,1,0.6]" >expect &&
	test_cmp expect actual &&
	grep "\"type\":\"dev.cdevents.service.rolledback.0.1.1\"" out &&
	grep "\"artifactId\":\"pkg:generic/origin@v0.2.1\"" out
'

test_expect_success 'the log reached the remote' '
	git -C demo/origin.git for-each-ref --format="%(refname)" refs/deploy/ >refs &&
	grep "^refs/deploy/log/production$" refs &&
	grep "^refs/deploy/log/staging$" refs &&
	grep "^refs/deploy/marks$" refs
'

test_expect_success TTY 'on a terminal the headings are bold' '
	on_terminal "" "sh \"$SHARNESS_BUILD_DIRECTORY/contrib/demo.sh\" \"$PWD/demo2\"" >tty.out 2>&1 &&
	grep "$(printf "\033")\[1m== " tty.out &&
	NO_COLOR=1 on_terminal "" "sh \"$SHARNESS_BUILD_DIRECTORY/contrib/demo.sh\" \"$PWD/demo3\"" >tty.out 2>&1 &&
	! grep "$(printf "\033")\[1m== " tty.out
'

test_done
