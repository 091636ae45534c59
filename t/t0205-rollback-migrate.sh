#!/bin/sh

test_description='git rollback --migrate: the migration gate and the down commands'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh

test_expect_success 'setup' '
	setup_shop &&
	git config deploy.production.command "echo \"hook \$RELEASE_TAG\" >>\"\$TRASH_DIRECTORY/steps\"" &&
	git config rollback.migrateDownCommand "echo \"down \$MIGRATION_ID \$MIGRATION_VERSION\" >>\"\$TRASH_DIRECTORY/steps\"; pwd >\"\$TRASH_DIRECTORY/down.pwd\""
'

test_expect_success 'a failing down command stops at once: exit 1, no record (1)' '
	fails="echo \"down \$MIGRATION_ID\" >>\"\$TRASH_DIRECTORY/steps\"; test \"\$MIGRATION_VERSION\" != 20240101000000" &&
	test_expect_code 1 git -c rollback.migrateDownCommand="$fails" rollback v1.2.1 -m "schema broken" --migrate --reset >out 2>err &&
	cat >expect <<-EOF &&
	down 20240115120000_add_user_preferences_table
	down 20240101000000_create_users
	EOF
	test_cmp expect "$TRASH_DIRECTORY/steps" &&
	grep "^error: migration down command failed for .20240101000000_create_users. (exit 1)" err &&
	grep "^hint: migrations undone: 20240115120000_add_user_preferences_table\$" err &&
	grep "^hint: migrations not undone: 20240101000000_create_users\$" err &&
	grep "^hint: the migrations stopped: nothing was recorded as deployed" err &&
	grep "^hint: undo the migrations left by hand" err &&
	grep "^hint:   MIGRATION_ID=20240101000000_create_users MIGRATION_VERSION=20240101000000 sh -c " err &&
	! grep "^hint:   MIGRATION_ID=20240115120000" err &&
	grep "^hint: then finish the rollback: git rollback v1.2.1 -m '\''schema broken'\'' --reset --env production --ignore-migrations\$" err &&
	! grep "git release deploy" err &&
	grep "^hint: or undo the git change: git branch -f production $(full v1.2.4)" err &&
	test_must_fail git rev-parse -q --verify refs/deploy/log/production &&
	test_must_fail git rev-parse -q --verify refs/deploy/marks &&
	test_must_be_empty out
'

test_expect_success 'the git change made before the migrations stays' '
	test_cmp_rev v1.2.1^{commit} production &&
	git branch -f production v1.2.4 &&
	rm "$TRASH_DIRECTORY/steps"
'

test_expect_success '--migrate runs each down command once, newest first, then the hook' '
	git rollback v1.2.1 -m "schema broken" --migrate >out 2>err &&
	cat >expect <<-EOF &&
	down 20240115120000_add_user_preferences_table 20240115120000
	down 20240101000000_create_users 20240101000000
	hook v1.2.1
	EOF
	test_cmp expect "$TRASH_DIRECTORY/steps" &&
	pwd >expect &&
	test_cmp expect "$TRASH_DIRECTORY/down.pwd" &&
	grep "^migrating down 20240115120000_add_user_preferences_table (1/2)" err &&
	grep "^migrating down 20240101000000_create_users (2/2)" err &&
	log_entry >actual &&
	grep "^Version: v1.2.1\$" actual
'

test_expect_success 'down commands run from the top of the worktree' '
	rm "$TRASH_DIRECTORY/steps" &&
	git release deploy v1.2.4 --force --lift-hold >out 2>&1 &&
	rm "$TRASH_DIRECTORY/steps" &&
	mkdir -p sub &&
	(cd sub && git rollback v1.2.2 -m "again" --migrate --force --no-hook >../out 2>../err) &&
	pwd >expect &&
	test_cmp expect "$TRASH_DIRECTORY/down.pwd" &&
	echo "down 20240115120000_add_user_preferences_table 20240115120000" >expect &&
	test_cmp expect "$TRASH_DIRECTORY/steps"
'

test_expect_success '--ignore-migrations runs none and records the rollback' '
	rm "$TRASH_DIRECTORY/steps" &&
	git rollback v1.2.1 -m "keep the schema" --ignore-migrations --deploy-only --force >out 2>err &&
	echo "hook v1.2.1" >expect &&
	test_cmp expect "$TRASH_DIRECTORY/steps" &&
	log_entry >actual &&
	grep "^Reason: keep the schema\$" actual
'

test_expect_success 'a migration named only by a trailer is undone by its id' '
	git init -q ../trailer &&
	(
		cd ../trailer &&
		test_commit one && git tag -a -m "Release v1.0.0" v1.0.0 &&
		test_commit two &&
		git tag -a -m "Release v1.1.0

Migration: drop_legacy (timestamp: 20231201000000)
Migration: 20240301000000_add_index" v1.1.0 &&
		git branch production &&
		git config rollback.migrateDownCommand "echo \"\$MIGRATION_ID \$MIGRATION_VERSION\" >>../trailer.steps" &&
		git rollback -m "why" --migrate --deploy-only >out 2>err
	) &&
	cat >expect <<-EOF &&
	20240301000000_add_index 20240301000000
	drop_legacy 20231201000000
	EOF
	test_cmp expect ../trailer.steps
'

test_done
