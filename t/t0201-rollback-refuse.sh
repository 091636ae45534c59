#!/bin/sh

test_description='git rollback: every refusal changes nothing'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh

test_expect_success 'setup' '
	setup_shop &&
	git rollback check >out
'

test_expect_success 'no reason and no terminal: usage error (129)' '
	save_state &&
	test_expect_code 129 git rollback --branch </dev/null 2>err &&
	grep "a reason is required" err &&
	test_state_unchanged
'

test_expect_success 'an empty reason is a usage error (129)' '
	save_state &&
	test_expect_code 129 git rollback -m "" 2>err &&
	grep "the reason is empty" err &&
	test_state_unchanged
'

test_expect_success 'outside a repository: fatal (128)' '
	mkdir -p ../nothing &&
	(
		cd ../nothing &&
		GIT_CEILING_DIRECTORIES=$(cd .. && pwd) &&
		export GIT_CEILING_DIRECTORIES &&
		test_expect_code 128 git rollback -m why 2>err &&
		grep "^fatal: not a git repository" err &&
		test_expect_code 128 git rollback check 2>err &&
		grep "^fatal: not a git repository" err
	)
'

test_expect_success 'an unknown target is fatal (128)' '
	save_state &&
	test_expect_code 128 git rollback v9.9.9 -m why 2>err &&
	grep "^fatal: .*v9.9.9.* not found" err &&
	test_state_unchanged
'

test_expect_success 'a target newer than the running version is refused (1)' '
	git branch -f production v1.2.3 &&
	test_when_finished "git branch -f production v1.2.4" &&
	save_state &&
	test_expect_code 1 git rollback v1.2.4 -m why 2>err &&
	grep "^error: .v1.2.4. is newer than the running version .v1.2.3." err &&
	test_state_unchanged
'

test_expect_success 'the running version itself is refused (1)' '
	save_state &&
	test_expect_code 1 git rollback v1.2.4 -m why --reset 2>err &&
	grep "^error: .v1.2.4. is the running version of .production." err &&
	test_state_unchanged
'

test_expect_success 'a bad environment name is fatal (128)' '
	save_state &&
	test_expect_code 128 git rollback -m why --env "no..pe" 2>err &&
	grep "^fatal: " err &&
	test_state_unchanged
'

test_expect_success 'a dirty tree refuses --reset (1)' '
	echo dirty >>app.txt &&
	test_when_finished "git checkout app.txt" &&
	save_state &&
	test_expect_code 1 git rollback -m why --reset 2>err &&
	grep "^error: cannot roll back: you have unstaged changes" err &&
	test_state_unchanged
'

test_expect_success 'a staged change refuses --revert (1)' '
	echo staged >>app.txt &&
	git add app.txt &&
	test_when_finished "git reset -q --hard" &&
	save_state &&
	test_expect_code 1 git rollback -m why --revert 2>err &&
	grep "^error: cannot roll back: your index contains uncommitted changes" err &&
	test_state_unchanged
'

test_expect_success 'an operation in progress refuses every strategy (1)' '
	git rev-parse HEAD >.git/REVERT_HEAD &&
	test_when_finished "rm -f .git/REVERT_HEAD" &&
	save_state &&
	for s in --branch --reset --revert --deploy-only
	do
		test_expect_code 1 git rollback -m why $s 2>err &&
		grep "^error: cannot roll back: a revert is in progress" err ||
		return 1
	done &&
	test_state_unchanged
'

test_expect_success 'a merge in progress is named with its way out (1)' '
	git rev-parse HEAD >.git/MERGE_HEAD &&
	test_when_finished "rm -f .git/MERGE_HEAD" &&
	save_state &&
	test_expect_code 1 git rollback -m why 2>err &&
	grep "^error: cannot roll back: a merge is in progress" err &&
	grep "^hint: .*git merge --abort" err &&
	test_state_unchanged
'

test_expect_success 'migrations between refuse the rollback (1)' '
	save_state &&
	test_expect_code 1 git rollback v1.2.1 -m why 2>err &&
	grep "^error: 2 migrations between .v1.2.1. and .v1.2.4. would stay applied" err &&
	grep "^hint:   20240115120000_add_user_preferences_table" err &&
	grep "^hint:   20240101000000_create_users" err &&
	grep "^hint: .*--migrate.*--ignore-migrations" err &&
	test_state_unchanged
'

test_expect_success '--migrate without a down command is refused (1)' '
	save_state &&
	test_expect_code 1 git rollback v1.2.2 -m why --migrate 2>err &&
	grep "^error: --migrate needs rollback.migrateDownCommand" err &&
	test_state_unchanged
'

test_expect_success 'two strategies are a usage error (129)' '
	save_state &&
	test_expect_code 129 git rollback -m why --reset --branch 2>err &&
	grep "cannot be used with" err &&
	test_expect_code 129 git rollback -m why --migrate --ignore-migrations 2>err &&
	grep "cannot be used with" err &&
	test_state_unchanged
'

test_expect_success '--squash without --revert is a usage error (129)' '
	save_state &&
	test_expect_code 129 git rollback -m why --squash 2>err &&
	grep "squash goes with --revert" err &&
	test_state_unchanged
'

test_expect_success 'two targets are a usage error (129)' '
	save_state &&
	test_expect_code 129 git rollback v1.2.3 v1.2.2 -m why 2>err &&
	grep "too many arguments" err &&
	test_state_unchanged
'

test_expect_success 'an unknown option is a usage error (129)' '
	test_expect_code 129 git rollback -m why --bogus 2>err &&
	grep "^error: unknown option .bogus" err
'

test_expect_success '--reset without a production branch is refused (1)' '
	test_config rollback.branch live &&
	save_state &&
	test_expect_code 1 git rollback -m why --reset 2>err &&
	grep "^error: branch .live. does not exist" err &&
	test_state_unchanged
'

test_expect_success '--push without the remote is refused (1)' '
	test_config release.remote nowhere &&
	save_state &&
	test_expect_code 1 git rollback -m why --push --no-fetch 2>err &&
	grep "^error: cannot push: no remote .nowhere." err &&
	test_state_unchanged
'

test_expect_success '--reset of a production branch checked out elsewhere is refused (1)' '
	git worktree add -q ../prod-wt production &&
	test_when_finished "git worktree remove --force ../prod-wt" &&
	save_state &&
	test_expect_code 1 git rollback -m why --reset 2>err &&
	grep "^error: branch .production. is checked out in another worktree" err &&
	test_state_unchanged
'

test_expect_success 'rolling back marks the version rolled back from bad' '
	git rollback -m "login broken" --deploy-only >out &&
	git rollback -m "prefs broken" --deploy-only --ignore-migrations >out &&
	echo "login broken" >expect &&
	mark_of v1.2.4 >actual &&
	test_cmp expect actual &&
	echo "prefs broken" >expect &&
	mark_of v1.2.3 >actual &&
	test_cmp expect actual
'

test_expect_success 'a target marked bad is refused without --force (1)' '
	git release deploy v1.2.4 --env staging --new-env --force --lift-hold --no-hook &&
	save_state &&
	test_expect_code 1 git rollback v1.2.3 -m why --env staging 2>err &&
	grep "^error: .v1.2.3. is marked bad: prefs broken" err &&
	grep "^hint: use --force" err &&
	test_state_unchanged
'

test_expect_success 'the default target skips releases marked bad' '
	test_expect_code 1 git rollback check --env staging >actual &&
	grep "^running: v1.2.4 " actual &&
	grep "^target: v1.2.2 " actual
'

test_expect_success 'check names a bad target as a blocker' '
	test_expect_code 1 git rollback check v1.2.3 --env staging >actual &&
	grep "^  marked bad: prefs broken" actual &&
	grep "^  .v1.2.3. is marked bad: prefs broken" actual
'

test_expect_success '--force rolls back to a target marked bad, with a warning' '
	git rollback v1.2.3 -m why --env staging --force --deploy-only 2>err >out &&
	grep "^warning: .v1.2.3. is marked bad (prefs broken (production))" err &&
	log_entry staging >actual &&
	grep "^Version: v1.2.3" actual &&
	grep "^From: v1.2.4" actual
'

test_expect_success 'no good release left is refused (1)' '
	git rollback v1.2.1 -m "all bad" --deploy-only --ignore-migrations >out &&
	git rollback v1.2.0 -m "all bad" --deploy-only >out &&
	save_state &&
	test_expect_code 1 git rollback -m why 2>err &&
	grep "^error: no good release older than .v1.2.0." err &&
	test_state_unchanged
'

test_done
