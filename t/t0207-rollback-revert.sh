#!/bin/sh

test_description='git rollback --revert: keep history, revert commits on production'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh

test_expect_success 'setup' '
	setup_shop
'

test_expect_success '--revert adds revert commits on production; its tree is the target' '
	git rollback -m "login broken" --revert >out &&
	test_cmp_rev v1.2.4^{commit} production^ &&
	git rev-parse v1.2.3^{tree} >expect &&
	git rev-parse production^{tree} >actual &&
	test_cmp expect actual &&
	test_cmp_rev v1.2.4^{commit} main &&
	git log -1 --format=%B production >actual &&
	grep "^Revert \"fix: crash on login\"\$" actual &&
	grep "^This reverts commit $(full v1.2.4)\.\$" actual &&
	grep "^Rollback: v1.2.4 -> v1.2.3\$" actual &&
	grep "^Reason: login broken\$" actual
'

test_expect_success 'the reflog names the rollback; the record says revert' '
	git reflog show -1 --format=%gs production >actual &&
	echo "rollback: v1.2.4 -> v1.2.3 on production" >expect &&
	test_cmp expect actual &&
	log_entry >actual &&
	grep "^Strategy: revert\$" actual &&
	grep "^undo: git switch production && git revert --no-edit $(full v1.2.4)\.\.$(git rev-parse production) && " out
'

test_expect_success '--push refuses while the remote does not hold our production (1)' '
	fetched &&
	save_state &&
	test_expect_code 1 git rollback v1.2.2 -m "prefs broken" --revert --ignore-migrations --push 2>err &&
	grep "^error: remote .origin. holds $(full v1.2.4) at .production., not $(git rev-parse production) as here: nothing changed" err &&
	test_state_unchanged
'

test_expect_success '--revert --squash --push: one commit, pushed with the lease' '
	git push -q origin production &&
	git rollback v1.2.2 -m "prefs broken" --revert --squash --ignore-migrations --push >out &&
	git rev-parse v1.2.2^{tree} >expect &&
	git rev-parse production^{tree} >actual &&
	test_cmp expect actual &&
	git log -1 --format=%s production >actual &&
	echo "Rollback v1.2.3 to v1.2.2" >expect &&
	test_cmp expect actual &&
	test "$(remote_rev refs/heads/production)" = "$(git rev-parse production)" &&
	test "$(remote_rev refs/deploy/log/production)" = "$(git rev-parse refs/deploy/log/production)"
'

test_expect_success '--revert with production checked out updates the worktree' '
	git release deploy v1.2.4 --force --lift-hold >out 2>&1 &&
	git checkout -q production &&
	test_when_finished "git checkout -q main" &&
	git rollback v1.2.1 -m "all of it" --revert --ignore-migrations --force >out &&
	git rev-parse v1.2.1^{tree} >expect &&
	git rev-parse HEAD^{tree} >actual &&
	test_cmp expect actual &&
	git status --porcelain >actual &&
	test_must_be_empty actual &&
	test_path_is_missing config/app.yml
'

test_expect_success 'a conflict stops the rollback before anything is recorded (1)' '
	git branch -f production v1.2.4 &&
	git release deploy v1.2.4 --force --lift-hold >out 2>&1 &&
	git checkout -q production &&
	test_commit "fix: hot patch on production" app.txt "app 3 patched" &&
	git rev-parse refs/deploy/log/production refs/deploy/marks >log.before &&
	test_expect_code 1 git rollback v1.2.3 --force -m "login broken" --revert >out 2>err &&
	grep "^hint: .git rollback --continue. then finishes the rollback: hook and record\$" err &&
	git rev-parse refs/deploy/log/production refs/deploy/marks >log.after &&
	test_cmp log.before log.after &&
	git ls-files -u >actual &&
	grep "	app.txt\$" actual
'

test_expect_success 'git rollback --abort puts production back' '
	git rollback --abort >out 2>&1 &&
	git log -1 --format=%s >actual &&
	echo "fix: hot patch on production" >expect &&
	test_cmp expect actual &&
	git status --porcelain >actual &&
	test_must_be_empty actual &&
	git checkout -q main
'

test_done
