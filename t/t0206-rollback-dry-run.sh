#!/bin/sh

test_description='git rollback --dry-run: the full plan and no change at all'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh

test_expect_success 'setup' '
	setup_shop &&
	git config deploy.production.command "deploy-it" &&
	git config rollback.migrateDownCommand "bin/rails db:migrate:down" &&
	fetched
'

test_expect_success '--dry-run --branch: the branch to create, the hook, the record' '
	save_state &&
	git rollback -m "login broken" --dry-run >actual &&
	test_state_unchanged &&
	entry=$(sed -n "s/^would update refs.deploy.log.production (none) -> \([0-9a-f]*\)\$/\1/p" actual) &&
	test -n "$entry" &&
	cat >expect <<-EOF &&
	rollback production: v1.2.4 -> v1.2.3 (branch)
	reason: login broken
	checked the rollback of production from v1.2.4 to v1.2.3
	would create rollback/v1.2.4 at v1.2.3
	would update refs/heads/rollback/v1.2.4 (none) -> $(full v1.2.3)
	would run the deploy hook for '\''production'\'': deploy-it
	would update refs/deploy/log/production (none) -> $entry
	would create tag deployed-v1.2.3
	would update refs/deploy/marks
	would hold production at v1.2.3
	would update refs/deploy/log/production $entry -> (a new entry)
	undo: git branch -D rollback/v1.2.4 && git release deploy v1.2.4 --env production --force --lift-hold
	EOF
	test_cmp expect actual
'

test_expect_success '--dry-run --reset --push --migrate: refs, push line, commands' '
	save_state &&
	git rollback v1.2.2 -m "schema" --reset --push --migrate --dry-run >actual &&
	test_state_unchanged &&
	cat >expect <<-EOF &&
	rollback production: v1.2.4 -> v1.2.2 (reset)
	reason: schema
	checked the rollback of production from v1.2.4 to v1.2.2
	would move production to v1.2.2
	would update refs/heads/production $(full v1.2.4) -> $(full v1.2.2)
	would run: git push --porcelain --atomic --force-with-lease=refs/heads/production:$(full v1.2.4) --end-of-options origin refs/heads/production:refs/heads/production
	would run the down migration 20240115120000_add_user_preferences_table
	  MIGRATION_ID=20240115120000_add_user_preferences_table MIGRATION_VERSION=20240115120000 sh -c '\''bin/rails db:migrate:down'\''
	would run the deploy hook for '\''production'\'': deploy-it
	would update refs/deploy/log/production (none) -> $(sed -n "s/^would update refs.deploy.log.production (none) -> \([0-9a-f]*\)\$/\1/p" actual)
	would create tag deployed-v1.2.2
	would update refs/deploy/marks
	would hold production at v1.2.2
	would update refs/deploy/log/production $(sed -n "s/^would update refs.deploy.log.production (none) -> \([0-9a-f]*\)\$/\1/p" actual) -> (a new entry)
	would run: git push --porcelain --atomic --end-of-options origin refs/deploy/log/production:refs/deploy/log/production refs/deploy/marks:refs/deploy/marks
	undo: git branch -f production $(full v1.2.4) && git push --force-with-lease=refs/heads/production:$(full v1.2.2) origin $(full v1.2.4):refs/heads/production && git release deploy v1.2.4 --env production --force --lift-hold
	EOF
	test_cmp expect actual
'

test_expect_success '--dry-run --branch --push: a new branch must not exist there' '
	save_state &&
	git rollback -m "x" --push --no-hook --dry-run >actual &&
	test_state_unchanged &&
	grep "^would run: git push --porcelain --atomic --force-with-lease=refs/heads/rollback/v1.2.4: --end-of-options origin refs/heads/rollback/v1.2.4:refs/heads/rollback/v1.2.4\$" actual &&
	grep "^would skip the deploy hook (--no-hook)\$" actual
'

test_expect_success '--dry-run --ignore-migrations says what stays applied' '
	save_state &&
	git rollback v1.2.1 -m "x" --ignore-migrations --deploy-only --dry-run >actual &&
	test_state_unchanged &&
	! grep "refs/heads/" actual &&
	! grep "down migration" actual &&
	grep "^would run the deploy hook" actual
'

test_expect_success '--dry-run on a checked-out production branch changes nothing' '
	git checkout -q production &&
	test_when_finished "git checkout -q main" &&
	save_state &&
	git rollback -m "x" --reset -y --dry-run >actual &&
	test_state_unchanged &&
	grep "^would update refs/heads/production $(full v1.2.4) -> $(full v1.2.3)\$" actual &&
	grep "^undo: git reset --keep $(full v1.2.4) && " actual
'

test_expect_success '--dry-run --revert prints the commits it would revert' '
	save_state &&
	git rollback -m "x" --revert --dry-run >actual &&
	test_state_unchanged &&
	grep "^would revert v1.2.3..v1.2.4 on production\$" actual &&
	grep "^would update refs/heads/production $(full v1.2.4) -> (the reverts)\$" actual &&
	grep "$(git rev-parse --short v1.2.4^{commit}).*fix: crash on login" actual
'

test_expect_success '--dry-run still refuses what the rollback would refuse' '
	save_state &&
	test_expect_code 1 git rollback v1.2.1 -m "x" --dry-run 2>err &&
	grep "would stay applied" err &&
	test_expect_code 129 git rollback --dry-run 2>err &&
	grep "a reason is required" err &&
	test_state_unchanged
'

test_expect_success '--dry-run never fetches' '
	git clone -q --bare ../remote.git ../elsewhere.git &&
	git -C ../elsewhere.git update-ref refs/deploy/log/production $(git rev-parse HEAD) &&
	git remote set-url origin ../elsewhere.git &&
	test_when_finished "git remote set-url origin ../remote.git" &&
	save_state &&
	git rollback -m "x" --dry-run >actual &&
	test_state_unchanged
'

test_expect_success 'the log entry the plan names is the one the rollback makes' '
	git rollback -m "login broken" --dry-run --no-hook >plan.out &&
	git rollback -m "login broken" --no-hook >out &&
	sed -n "s/^would update refs.deploy.log.production (none) -> \([0-9a-f]*\)\$/\1/p" plan.out >expect &&
	git rev-parse refs/deploy/log/production~1 >actual &&
	test_cmp expect actual &&
	grep "^would hold production at v1.2.3\$" plan.out &&
	test "$(held_at)" = v1.2.3
'

test_done
