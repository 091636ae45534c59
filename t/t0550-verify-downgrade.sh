#!/bin/sh

test_description='the downgrade guard: deploying an older release is a
rollback, refused without --allow-downgrade, recorded as one with it'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-verify.sh

# remote_state: every ref of the bare remote
remote_state () {
	git --git-dir="$TRASH_DIRECTORY/remote.git" for-each-ref \
		--format="%(refname) %(objectname)"
}

test_expect_success 'setup: production runs v1.2.4, pushed; a second clone' '
	setup_verify &&
	git config --unset deploy.production.verifyCommand &&
	git release deploy v1.2.3 -m first --push >out 2>err &&
	git release deploy v1.2.4 -m second --push >out 2>err &&
	git -C .. clone -q remote.git other &&
	git -C ../other config deploy.production.command \
		"echo \"\$DEPLOY_KIND \$RELEASE_TAG\" >>\"\$TRASH_DIRECTORY/other-hook.log\"" &&
	echo "an unrelated edit" >>app.txt &&
	reset_logs && git config --unset deploy.production.verifyCommand
'

test_expect_success 'an older release: refused, nothing run, nothing recorded here or there' '
	fetched &&
	save_state &&
	remote_state >"$TRASH_DIRECTORY/remote.before" &&
	test_expect_code 1 git release deploy v1.2.3 --push -m "back" >out 2>err &&
	grep "^error: v1.2.3 is older than the running v1.2.4: that is a rollback; use git rollback\$" err &&
	grep "^hint: git rollback v1.2.3 --env production -m <reason>, or deploy it as one with --allow-downgrade -m <reason>\$" err &&
	test_must_be_empty out &&
	test "$(hook_runs)" = 0 &&
	test_state_unchanged &&
	remote_state >"$TRASH_DIRECTORY/remote.after" &&
	test_cmp "$TRASH_DIRECTORY/remote.before" "$TRASH_DIRECTORY/remote.after" &&
	grep "an unrelated edit" app.txt &&
	test_expect_code 1 git release deploy v1.2.2 --dry-run 2>err &&
	grep "older than the running v1.2.4" err &&
	test_state_unchanged
'

test_expect_success 'the other clone is refused the same, from the fetched log' '
	(cd ../other &&
	 test_expect_code 1 git release deploy v1.2.3 --push 2>err &&
	 grep "^error: v1.2.3 is older than the running v1.2.4" err) &&
	test_path_is_missing "$TRASH_DIRECTORY/other-hook.log" &&
	remote_state >"$TRASH_DIRECTORY/remote.after" &&
	test_cmp "$TRASH_DIRECTORY/remote.before" "$TRASH_DIRECTORY/remote.after"
'

test_expect_success 'usage: --allow-downgrade needs a reason, goes with a tag; the gate flags need it' '
	save_state &&
	test_expect_code 129 git release deploy v1.2.3 --allow-downgrade 2>err &&
	grep "a reason is required" err &&
	test_expect_code 129 git release deploy --latest --allow-downgrade -m x 2>err &&
	test_expect_code 129 git release deploy v1.2.3 --migrate 2>err &&
	grep "^error: --migrate goes with --allow-downgrade" err &&
	test_expect_code 129 git release deploy v1.2.3 --allow-downgrade \
		--migrate --ignore-migrations -m x 2>err &&
	test_state_unchanged &&
	test "$(hook_runs)" = 0
'

test_expect_success '--allow-downgrade of a release that is not older: refused' '
	save_state &&
	test_expect_code 1 git release deploy v1.2.4 --allow-downgrade -m x 2>err &&
	grep "^error: v1.2.4 is not older than v1.2.4: --allow-downgrade deploys older releases only" err &&
	test_state_unchanged
'

test_expect_success 'over a migration: the rollback gate refuses, nothing run' '
	save_state &&
	test_expect_code 1 git release deploy v1.2.2 --allow-downgrade -m "way back" 2>err &&
	grep "^error: 1 migration between .v1.2.2. and .v1.2.4. would stay applied" err &&
	grep "^hint: undo them with --migrate" err &&
	test "$(hook_runs)" = 0 &&
	test_state_unchanged
'

test_expect_success '--allow-downgrade -m: recorded as a rollback with the reason, marked, held, pushed' '
	git release deploy v1.2.3 --allow-downgrade -m "checkout \$(touch pwned) \"broken\"" \
		--push >out 2>err &&
	test_path_is_missing pwned &&
	grep "^v1.2.3 is older than the running v1.2.4: deploying it as a rollback\$" err &&
	grep "^rolled back production from v1.2.4 to v1.2.3 (deploy-only)\$" out &&
	echo "rollback v1.2.3 v1.2.4" >expect &&
	test_cmp expect "$TRASH_DIRECTORY/hook.log" &&
	test "$(deploy_field 0 Kind)" = rollback &&
	test "$(deploy_field 0 From)" = v1.2.4 &&
	test "$(deploy_field 0 To)" = v1.2.3 &&
	test "$(deploy_field 0 Strategy)" = deploy-only &&
	test "$(deploy_field 0 Reason)" = "checkout \$(touch pwned) \"broken\"" &&
	test "$(held_at)" = v1.2.3 &&
	test "$(mark_of v1.2.4)" = "checkout \$(touch pwned) \"broken\"" &&
	test "$(git release current --no-fetch)" = v1.2.3 &&
	test "$(git --git-dir=../remote.git rev-parse refs/deploy/log/production)" = \
		"$(git rev-parse refs/deploy/log/production)" &&
	(cd ../other && test "$(git release current)" = v1.2.3 &&
	 git release hold --list >holds &&
	 grep "^production  v1.2.3  " holds) &&
	grep "an unrelated edit" app.txt
'

test_expect_success 'the deploy undo line of a forward deploy goes back with --allow-downgrade' '
	reset_logs && git config --unset deploy.production.verifyCommand &&
	git release yank -q --undo v1.2.4 &&
	git release deploy v1.2.4 --lift-hold >out 2>err &&
	grep "^undo: git release deploy v1.2.3 --env production --allow-downgrade -m .undo the deploy of v1.2.4.\$" out &&
	undo=$(sed -n "s/^undo: //p" out) &&
	eval "$undo" >out 2>err &&
	test "$(deploy_field 0 Kind)" = rollback &&
	test "$(deploy_field 0 Reason)" = "undo the deploy of v1.2.4" &&
	test "$(git release current --no-fetch)" = v1.2.3
'

test_expect_success '--allow-downgrade --migrate: the down command, then the rollback' '
	reset_logs && git config --unset deploy.production.verifyCommand &&
	git release yank -q --undo v1.2.4 &&
	git release deploy v1.2.4 --lift-hold >out 2>err &&
	test_config rollback.migrateDownCommand \
		"echo \"\$MIGRATION_ID\" >>\"\$TRASH_DIRECTORY/down.log\"" &&
	git release deploy v1.2.2 --allow-downgrade --migrate -m "schema" >out 2>err &&
	echo 20240115120000_add_user_preferences_table >expect &&
	test_cmp expect "$TRASH_DIRECTORY/down.log" &&
	test "$(deploy_field 0 To)" = v1.2.2 &&
	test "$(held_at)" = v1.2.2 &&
	test "$(git release current --no-fetch)" = v1.2.2
'

test_done
