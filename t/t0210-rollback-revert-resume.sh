#!/bin/sh

test_description='git rollback --revert stopped by a conflict: --continue and
--skip finish the whole rollback (push, migrations, hook, record); --abort
leaves nothing recorded'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh

# hot_patch: production has a commit of its own that conflicts with
# reverting v1.2.4's "fix: crash on login"
hot_patch () {
	git checkout -q production &&
	git reset -q --hard v1.2.4 &&
	test_commit "fix: hot patch on production" app.txt "app 3 patched" &&
	git push -q -f origin production
}

test_expect_success 'setup' '
	setup_shop &&
	git config deploy.production.command \
		"echo \"\$DEPLOY_KIND \$RELEASE_TAG from \$ROLLBACK_FROM: \$DEPLOY_REASON\" >>../hook.log" &&
	git config rollback.migrateDownCommand \
		"echo \"down \$MIGRATION_ID\" >>\"\$TRASH_DIRECTORY/migrate.log\"" &&
	git release deploy v1.2.4 --no-hook --lift-hold >/dev/null &&
	hot_patch
'

test_expect_success 'the rollback stops on the conflict and records nothing' '
	git rev-parse refs/deploy/log/production >log.before &&
	test_expect_code 1 git rollback v1.2.2 -m "login broken" --revert \
		--migrate --push >out 2>err &&
	grep "^hint: .git rollback --continue. then finishes the rollback: push, migrations, hook and record\$" err &&
	git ls-files -u >unmerged &&
	grep "	app.txt\$" unmerged &&
	git rev-parse refs/deploy/log/production >log.after &&
	test_cmp log.before log.after &&
	test_must_fail git cat-file -e refs/deploy/marks:v1.2.4 &&
	test_path_is_missing ../hook.log &&
	test_path_is_missing ../migrate.log &&
	git rev-parse production >expect &&
	remote_rev refs/heads/production >actual &&
	test_cmp expect actual
'

test_expect_success 'another rollback is refused while it is stopped' '
	save_state &&
	test_expect_code 1 git rollback v1.2.2 -m again --deploy-only 2>err &&
	grep "^error: cannot roll back: git rollback .* is in progress (stopped)" err &&
	grep "^hint: finish it with \"git rollback --continue\" or undo it with \"git rollback --abort\"" err &&
	test_state_unchanged
'

test_expect_success '--continue after resolving finishes the rollback' '
	patched=$(git rev-parse HEAD) &&
	echo "app 2 resolved" >app.txt &&
	git add app.txt &&
	git rollback --continue >out 2>err &&
	test_path_is_missing .git/release-state &&
	git log -1 --format=%B production >msg &&
	grep "^Rollback: v1.2.4 -> v1.2.2\$" msg &&
	grep "^Reason: login broken\$" msg &&
	git merge-base --is-ancestor "$patched" production &&
	echo "down 20240115120000_add_user_preferences_table" >expect &&
	test_cmp expect ../migrate.log &&
	echo "rollback v1.2.2 from v1.2.4: login broken" >expect &&
	test_cmp expect ../hook.log &&
	log_entry >entry &&
	grep "^Kind: rollback\$" entry &&
	grep "^Strategy: revert\$" entry &&
	grep "^From: v1.2.4\$" entry &&
	grep "^Version: v1.2.2\$" entry &&
	echo "login broken" >expect &&
	mark_of v1.2.4 >actual &&
	test_cmp expect actual &&
	git rev-parse production >expect &&
	remote_rev refs/heads/production >actual &&
	test_cmp expect actual &&
	grep "^rolled back production from v1.2.4 to v1.2.2 (revert)" out &&
	git rev-parse v1.2.2^{tree} >expect &&
	git diff --quiet v1.2.2 production -- db config
'

test_expect_success '--abort of a stopped rollback records nothing, ever' '
	rm -f ../hook.log ../migrate.log &&
	git release yank --undo v1.2.4 >/dev/null &&
	git release deploy v1.2.4 --no-hook --lift-hold >/dev/null &&
	hot_patch &&
	before=$(git rev-parse production) &&
	test_expect_code 1 git rollback v1.2.3 -m "login broken" --revert \
		--ignore-migrations 2>err &&
	git rollback --abort &&
	test_path_is_missing .git/release-state &&
	test "$(git rev-parse production)" = "$before" &&
	git status --porcelain --untracked-files=no >actual &&
	test_must_be_empty actual &&
	log_entry >entry &&
	grep "^Kind: deploy\$" entry &&
	test_path_is_missing ../hook.log &&
	test_must_fail git cat-file -e refs/deploy/marks:v1.2.4
'

test_expect_success '--skip of the last conflicted commit also finishes the rollback' '
	test_expect_code 1 git rollback v1.2.3 -m "skip it" --revert \
		--ignore-migrations 2>err &&
	git rollback -q --skip &&
	test_path_is_missing .git/release-state &&
	echo "rollback v1.2.3 from v1.2.4: skip it" >expect &&
	test_cmp expect ../hook.log &&
	log_entry >entry &&
	grep "^Strategy: revert\$" entry &&
	grep "^Reason: skip it\$" entry
'

test_expect_success '--continue takes its options anywhere; -q among them' '
	save_state &&
	test_expect_code 1 git rollback -q --continue 2>err &&
	grep "no .*in progress\|nothing to continue\|not in progress" err &&
	test_state_unchanged
'

test_expect_success '--continue with an argument is a usage error' '
	save_state &&
	test_expect_code 129 git rollback --continue v1.2.3 2>err &&
	grep "take no arguments" err &&
	test_state_unchanged
'

test_done
