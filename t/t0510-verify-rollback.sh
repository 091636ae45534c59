#!/bin/sh

test_description='automatic rollback of a deploy that did not verify, and
git rollback verifying its target'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-verify.sh

test_expect_success 'setup' '
	setup_verify &&
	git config deploy.production.rollbackOnFailure true &&
	git release deploy v1.2.3 --no-verify -m first >out 2>err &&
	reset_logs
'

test_expect_success 'a failed deploy is rolled back: two entries, the mark, exit 1' '
	first=$(git rev-parse refs/deploy/log/production) &&
	touch "$TRASH_DIRECTORY/unhealthy-v1.2.4" &&
	test_expect_code 1 git release deploy v1.2.4 -m "login fix" >out 2>err &&
	grep "^deploy of v1.2.4 to production failed verification" out &&
	grep "^rolled production back to v1.2.3 automatically, verified (log entry [0-9a-f]*)\$" out &&
	printf "%s\n" "deploy v1.2.4 " "rollback v1.2.3 v1.2.4" >expect &&
	test_cmp expect "$TRASH_DIRECTORY/hook.log" &&
	test "$(deploy_field 1 Kind)" = deploy &&
	test "$(deploy_field 1 Status)" = failed &&
	test "$(deploy_field 1 Version)" = v1.2.4 &&
	test "$(deploy_field 0 Kind)" = rollback &&
	test -z "$(deploy_field 0 Status)" &&
	test "$(deploy_field 0 From)" = v1.2.4 &&
	test "$(deploy_field 0 To)" = v1.2.3 &&
	test "$(deploy_field 0 Strategy)" = deploy-only &&
	test "$(deploy_field 0 Verify)" = passed &&
	test "$(deploy_field 0 Trigger)" = "$(git rev-parse refs/deploy/log/production~2)" &&
	test "$(deploy_field 0 Reason)" = "verification failed: health check: 503 Service Unavailable for v1.2.4" &&
	test "$(git rev-parse refs/deploy/log/production~3)" = "$first" &&
	test "$(entry_field 0 Kind)" = hold &&
	test "$(entry_field 0 Version)" = v1.2.3 &&
	test "$(entry_field 0 Reason)" = "rolled back from v1.2.4" &&
	test "$(git rev-parse refs/deploy/log/production~1)" = "$(deploy_id 0)" &&
	grep "^held production at v1.2.3 (log entry [0-9a-f]*)\$" out &&
	test "$(held_at)" = v1.2.3 &&
	test "$(mark_of v1.2.4 | tail -n 1)" = "verification failed: health check: 503 Service Unavailable for v1.2.4" &&
	git cat-file -p refs/deploy/marks:v1.2.4 >mark &&
	printf "%s\n" "Environment: production" \
		"Reason: verification failed: health check: 503 Service Unavailable for v1.2.4" >expect &&
	test_cmp expect mark &&
	git release list >list &&
	grep "^v1.2.4 .*bad.*(production)" list &&
	test "$(git release current --no-fetch)" = v1.2.3
'

test_expect_success 'history shows the failed deploy and the automatic rollback' '
	git release history --no-fetch -n 2 >out &&
	sed -n 1p out | grep "rollback  v1.2.3 .* from v1.2.4 (deploy-only)" &&
	sed -n 2p out | grep "deploy    v1.2.4 .*\[failed\]  verify failed: health check"
'

test_expect_success '--json: failed-rolled-back, parsed' '
	reset_logs &&
	git release yank --undo v1.2.4 >out &&
	touch "$TRASH_DIRECTORY/unhealthy-v1.2.4" &&
	test_expect_code 1 git release deploy v1.2.4 --lift-hold --json >out.json 2>err &&
	jq -e ".outcome == \"failed-rolled-back\" and .rollback_to == \"v1.2.3\" and .version == \"v1.2.4\"" out.json &&
	test "$(jq -r .hold_entry out.json)" = "$(git rev-parse refs/deploy/log/production)" &&
	test "$(jq -r .rollback_entry out.json)" = "$(git rev-parse refs/deploy/log/production~1)" &&
	test "$(jq -r .entry out.json)" = "$(git rev-parse refs/deploy/log/production~2)" &&
	test "$(entry_field 3 Kind)" = unhold &&
	test "$(entry_field 3 Reason)" = "--lift-hold: deploy v1.2.4" &&
	grep "^lifted the hold on production at v1.2.3\$" err &&
	test "$(held_at)" = v1.2.3 &&
	test "$(hook_runs)" = 2
'

test_expect_success '--no-rollback-on-failure: failed, not rolled back, the hook ran once' '
	reset_logs &&
	git release yank --undo v1.2.4 >out &&
	touch "$TRASH_DIRECTORY/unhealthy-v1.2.4" &&
	test_expect_code 1 git release deploy v1.2.4 --lift-hold --no-rollback-on-failure --json >out.json 2>err &&
	jq -e ".outcome == \"failed-not-rolled-back\" and .rollback_to == null" out.json &&
	test "$(hook_runs)" = 1 &&
	test "$(deploy_field 0 Status)" = failed &&
	test_must_fail git cat-file -e refs/deploy/marks:v1.2.4
'

test_expect_success 'a verified deploy with rollback on: verified, exit 0' '
	reset_logs &&
	git release deploy v1.2.4 --lift-hold --json >out.json 2>err &&
	jq -e ".outcome == \"verified\"" out.json &&
	test "$(hook_runs)" = 1 &&
	test "$(git release current --no-fetch)" = v1.2.4
'

test_expect_success 'what ran before is marked bad: the last good release, over a migration: blocked' '
	reset_logs &&
	git release yank v1.2.4 -m "bad too" >out &&
	git release yank v1.2.3 -m "bad" >out &&
	git release yank --undo v1.2.4 >out &&
	touch "$TRASH_DIRECTORY/unhealthy-v1.2.4" &&
	tip=$(git rev-parse refs/deploy/log/production) &&
	test_expect_code 1 git release deploy v1.2.4 --lift-hold --json >out.json 2>err &&
	jq -e ".outcome == \"failed-migrations-block\" and .rollback_to == null" out.json &&
	grep "^error: 1 migration between v1.2.2 and v1.2.4: no automatic rollback" err &&
	grep "^hint: roll back by hand: git rollback v1.2.2 --env production --deploy-only -m .verification of v1.2.4 failed. --migrate\$" err &&
	test "$(hook_runs)" = 1 &&
	test "$(git rev-parse refs/deploy/log/production~1)" = "$tip" &&
	test "$(deploy_field 0 Status)" = failed &&
	test "$(mark_of v1.2.4)" = "verification failed: health check: 503 Service Unavailable for v1.2.4"
'

test_expect_success 'rollbackOnFailureMigrate: the migration is undone, then the rollback' '
	reset_logs &&
	git release yank --undo v1.2.4 >out &&
	touch "$TRASH_DIRECTORY/unhealthy-v1.2.4" &&
	test_config deploy.production.rollbackOnFailureMigrate true &&
	test_config rollback.migrateDownCommand "echo \"\$MIGRATION_ID\" >>\"\$TRASH_DIRECTORY/down.log\"" &&
	test_expect_code 1 git release deploy v1.2.4 --lift-hold --json >out.json 2>err &&
	jq -e ".outcome == \"failed-rolled-back\" and .rollback_to == \"v1.2.2\"" out.json &&
	echo 20240115120000_add_user_preferences_table >expect &&
	test_cmp expect "$TRASH_DIRECTORY/down.log" &&
	test "$(deploy_field 0 To)" = v1.2.2 &&
	test "$(git release current --no-fetch)" = v1.2.2
'

test_expect_success 'a failing automatic rollback: exit 1, the state told, no third hook run' '
	reset_logs &&
	git release yank --undo v1.2.3 >out &&
	git release deploy v1.2.3 --lift-hold >out 2>err &&
	git release yank --undo v1.2.4 >out &&
	reset_logs &&
	touch "$TRASH_DIRECTORY/unhealthy-v1.2.4" "$TRASH_DIRECTORY/unhealthy-v1.2.3" &&
	test_expect_code 1 git release deploy v1.2.4 --lift-hold --json >out.json 2>err &&
	jq -e ".outcome == \"failed-rollback-failed\" and .rollback_to == \"v1.2.3\"" out.json &&
	test "$(hook_runs)" = 2 &&
	grep "^error: the automatic rollback failed: .production. runs v1.2.3, which did not verify either; v1.2.4 is marked bad; nothing more is done automatically\$" err &&
	test "$(deploy_field 0 Kind)" = rollback &&
	test "$(deploy_field 0 Status)" = failed &&
	test "$(deploy_field 1 Status)" = failed &&
	test "$(git release current --no-fetch)" = v1.2.3
'

test_expect_success 'rollbackTimeout is the rollback budget; malformed is fatal' '
	save_state &&
	test_expect_code 128 git -c deploy.production.rollbackTimeout=fast \
		release deploy v1.2.4 --force 2>err &&
	grep "^fatal: bad duration .fast. for deploy.production.rollbackTimeout" err &&
	test_state_unchanged
'

test_expect_success 'git rollback verifies its target: a pass is recorded' '
	reset_logs &&
	git release deploy v1.2.4 --lift-hold --force >out 2>err &&
	reset_logs &&
	git rollback v1.2.3 --deploy-only -m "manual" >out 2>err &&
	test "$(deploy_field 0 Kind)" = rollback &&
	test "$(deploy_field 0 Verify)" = passed &&
	test -z "$(deploy_field 0 Trigger)" &&
	test "$(cut -d" " -f1 "$TRASH_DIRECTORY/verify.log")" = v1.2.3
'

test_expect_success 'git rollback whose target does not verify: exit 1, a failed rollback entry' '
	git release yank --undo v1.2.4 >out &&
	git release deploy v1.2.4 --lift-hold >out 2>err &&
	reset_logs &&
	touch "$TRASH_DIRECTORY/unhealthy-v1.2.3" &&
	test_expect_code 1 git rollback v1.2.3 --deploy-only -m "manual" >out 2>err &&
	grep "^error: the rollback of production to v1.2.3 did not verify: health check" err &&
	test "$(deploy_field 0 Status)" = failed &&
	test "$(hook_runs)" = 1 &&
	test "$(git release current --no-fetch)" = v1.2.4
'

test_expect_success 'git rollback --no-verify: skipped, recorded' '
	reset_logs &&
	touch "$TRASH_DIRECTORY/unhealthy-v1.2.3" &&
	git rollback v1.2.3 --deploy-only --no-verify -m "manual" >out 2>err &&
	test "$(deploy_field 0 Verify)" = skipped &&
	test_path_is_missing "$TRASH_DIRECTORY/verify.log" &&
	test "$(git release current --no-fetch)" = v1.2.3
'

test_done
