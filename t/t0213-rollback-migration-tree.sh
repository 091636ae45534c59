#!/bin/sh

test_description='git rollback --migrate: the down commands run against the running release'"'"'s files'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh

# a down command that needs its migration file, and says where it ran
down='test -f "db/migrate/$MIGRATION_ID.rb" &&
	{ echo "$MIGRATION_ID $(cat "db/migrate/$MIGRATION_ID.rb")"; } >>"$TRASH_DIRECTORY/down.log" &&
	test "$(pwd)" = "$MIGRATION_TREE" &&
	echo "$MIGRATION_TREE" >>"$TRASH_DIRECTORY/tree.log" &&
	git rev-parse HEAD >>"$TRASH_DIRECTORY/head.log"'

test_expect_success 'setup' '
	setup_shop &&
	git config rollback.migrateDownCommand "$down" &&
	git config deploy.production.command "ls db/migrate >\"\$TRASH_DIRECTORY/hook.ls\" 2>/dev/null; true" &&
	cat >expect.down <<-\EOF
	20240115120000_add_user_preferences_table add preferences
	20240101000000_create_users create users
	EOF
'

test_expect_success 'production checked out, --reset: the down commands run in a temporary worktree of the running release' '
	git checkout -q production &&
	echo "untracked, unrelated" >notes.txt &&
	git rollback v1.2.1 -m "schema broken" --reset --migrate >out 2>err &&
	test_cmp expect.down "$TRASH_DIRECTORY/down.log" &&
	test_cmp_rev HEAD v1.2.1^{commit} &&
	test_path_is_missing db/migrate/20240101000000_create_users.rb &&
	full v1.2.4 >expect &&
	full v1.2.4 >>expect &&
	test_cmp expect "$TRASH_DIRECTORY/head.log" &&
	tree=$(head -n 1 "$TRASH_DIRECTORY/tree.log") &&
	test "$tree" != "$(pwd)" &&
	test_path_is_missing "$tree" &&
	test_path_is_missing "$(dirname "$tree")" &&
	git worktree list --porcelain >worktrees.out &&
	test $(grep -c "^worktree " worktrees.out) = 1 &&
	grep "^down commands run in a temporary worktree of $(short v1.2.4): $tree\$" err &&
	grep "^untracked, unrelated\$" notes.txt &&
	log_entry >actual &&
	grep "^Strategy: reset\$" actual
'

test_expect_success 'production checked out, --revert: the same' '
	rm -f "$TRASH_DIRECTORY"/*.log &&
	git reset -q --hard v1.2.4 &&
	git release deploy v1.2.4 --force --lift-hold >out 2>&1 &&
	git rollback v1.2.1 -m "schema broken" --revert --migrate >out 2>err &&
	test_cmp expect.down "$TRASH_DIRECTORY/down.log" &&
	git diff --quiet v1.2.1 HEAD &&
	tree=$(head -n 1 "$TRASH_DIRECTORY/tree.log") &&
	test "$tree" != "$(pwd)" &&
	test_path_is_missing "$tree" &&
	test $(git worktree list | wc -l) = 1
'

test_expect_success 'the worktree at the running release: they run in it' '
	rm -f "$TRASH_DIRECTORY"/*.log &&
	git checkout -q main &&
	git release deploy v1.2.4 --force --lift-hold >out 2>&1 &&
	git rollback v1.2.1 -m "schema broken" --branch --migrate >out 2>err &&
	test_cmp expect.down "$TRASH_DIRECTORY/down.log" &&
	pwd >expect &&
	pwd >>expect &&
	test_cmp expect "$TRASH_DIRECTORY/tree.log" &&
	! grep "temporary worktree" err
'

test_expect_success 'HEAD elsewhere (an older release checked out): a temporary worktree' '
	rm -f "$TRASH_DIRECTORY"/*.log &&
	git release deploy v1.2.4 --force --lift-hold >out 2>&1 &&
	git checkout -q --detach v1.2.1 &&
	test_when_finished "git checkout -q main" &&
	git rollback v1.2.2 -m "one back" --deploy-only --migrate >out 2>err &&
	echo "20240115120000_add_user_preferences_table add preferences" >expect &&
	test_cmp expect "$TRASH_DIRECTORY/down.log" &&
	full v1.2.4 >expect &&
	test_cmp expect "$TRASH_DIRECTORY/head.log" &&
	test_path_is_missing "$(cat "$TRASH_DIRECTORY/tree.log")"
'

test_expect_success 'a failing down command: the temporary worktree is removed too, nothing recorded' '
	rm -f "$TRASH_DIRECTORY"/*.log &&
	git checkout -q production &&
	git reset -q --hard v1.2.4 &&
	git release deploy v1.2.4 --force --lift-hold >out 2>&1 &&
	git rev-parse refs/deploy/log/production >log-before.out &&
	test_expect_code 1 git -c rollback.migrateDownCommand="echo \"\$MIGRATION_TREE\" >>\"\$TRASH_DIRECTORY/tree.log\"; exit 3" \
		rollback v1.2.1 -m "fails" --reset --migrate >out 2>err &&
	test_path_is_missing "$(cat "$TRASH_DIRECTORY/tree.log")" &&
	test $(git worktree list | wc -l) = 1 &&
	git rev-parse refs/deploy/log/production >log-after.out &&
	test_cmp log-before.out log-after.out &&
	git checkout -q main
'

test_done
