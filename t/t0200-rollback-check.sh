#!/bin/sh

test_description='git rollback check: the pre-rollback checklist'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh

test_expect_success 'setup' '
	setup_shop
'

test_expect_success 'check: the last good release, one commit, nothing blocks' '
	git rollback check >actual &&
	cat >expect <<-EOF &&
	environment: production
	running: v1.2.4 (newest release on production, nothing deployed)
	target: v1.2.3 (never deployed to production)
	commits: 1
	  $(short v1.2.4) fix: crash on login
	migrations: none
	config: no change
	down commands: none
	blockers: none
	strategies:
	  deploy-only: not possible: no deploy hook (deploy.production.command) to deploy v1.2.3 with
	  branch: possible: creates rollback/v1.2.4 at v1.2.3; no branch moves
	  reset: possible: moves production to v1.2.3; nothing else is lost
	  revert: possible: reverts 1 commit on production cleanly and ends exactly on the tree of v1.2.3
	    reverts $(short v1.2.4) fix: crash on login
	recommended: git rollback v1.2.3 --revert
	  why: the revert applies cleanly on production and keeps its history
	EOF
	test_cmp expect actual
'

test_expect_success 'check across two releases: migrations merged, newest first' '
	test_config rollback.migrateDownCommand "bin/rails db:migrate:down" &&
	test_expect_code 1 git rollback check v1.2.1 >actual &&
	cat >expect <<-EOF &&
	environment: production
	running: v1.2.4 (newest release on production, nothing deployed)
	target: v1.2.1 (never deployed to production)
	commits: 5
	  $(short v1.2.4) fix: crash on login
	  $(short v1.2.3) fix: port
	  $(short v1.2.3~1) feat: user preferences
	  $(short v1.2.2) feat: config
	  $(short v1.2.2~1) feat: users
	migrations: 2 to undo, newest first
	  20240115120000_add_user_preferences_table version 20240115120000 file db/migrate/20240115120000_add_user_preferences_table.rb release v1.2.3
	  20240101000000_create_users version 20240101000000 file db/migrate/20240101000000_create_users.rb release v1.2.2
	config: 1 file changed
	   A config/app.yml | 1 +
	  note: v1.2.3 config/app.yml
	  note: v1.2.2 config/app.yml
	down commands:
	  MIGRATION_ID=20240115120000_add_user_preferences_table MIGRATION_VERSION=20240115120000 sh -c '\''bin/rails db:migrate:down'\''
	  MIGRATION_ID=20240101000000_create_users MIGRATION_VERSION=20240101000000 sh -c '\''bin/rails db:migrate:down'\''
	blockers: 1
	  2 migrations to undo: use --migrate or --ignore-migrations
	strategies:
	  deploy-only: not possible: no deploy hook (deploy.production.command) to deploy v1.2.1 with
	  branch: possible: creates rollback/v1.2.4 at v1.2.1; no branch moves
	  reset: possible: moves production to v1.2.1; nothing else is lost
	  revert: possible: reverts 5 commits on production cleanly and ends exactly on the tree of v1.2.1
	    reverts $(short v1.2.4) fix: crash on login
	    reverts $(short v1.2.3) fix: port
	    reverts $(short v1.2.3~1) feat: user preferences
	    reverts $(short v1.2.2) feat: config
	    reverts $(short v1.2.2~1) feat: users
	recommended: git rollback v1.2.1 --revert --migrate
	  why: the revert applies cleanly on production and keeps its history
	EOF
	test_cmp expect actual
'

test_expect_success 'check without a down command says none is configured' '
	test_expect_code 1 git rollback check v1.2.2 >actual &&
	cat >expect <<-EOF &&
	environment: production
	running: v1.2.4 (newest release on production, nothing deployed)
	target: v1.2.2 (never deployed to production)
	commits: 3
	  $(short v1.2.4) fix: crash on login
	  $(short v1.2.3) fix: port
	  $(short v1.2.3~1) feat: user preferences
	migrations: 1 to undo, newest first
	  20240115120000_add_user_preferences_table version 20240115120000 file db/migrate/20240115120000_add_user_preferences_table.rb release v1.2.3
	config: 1 file changed
	   M config/app.yml | 2 +-
	  note: v1.2.3 config/app.yml
	down commands: none configured (rollback.migrateDownCommand)
	blockers: 1
	  1 migration to undo: use --migrate or --ignore-migrations
	strategies:
	  deploy-only: not possible: no deploy hook (deploy.production.command) to deploy v1.2.2 with
	  branch: possible: creates rollback/v1.2.4 at v1.2.2; no branch moves
	  reset: possible: moves production to v1.2.2; nothing else is lost
	  revert: possible: reverts 3 commits on production cleanly and ends exactly on the tree of v1.2.2
	    reverts $(short v1.2.4) fix: crash on login
	    reverts $(short v1.2.3) fix: port
	    reverts $(short v1.2.3~1) feat: user preferences
	recommended: git rollback v1.2.2 --revert --migrate
	  why: the revert applies cleanly on production and keeps its history
	EOF
	test_cmp expect actual
'

test_expect_success 'check --json carries all of it on one line' '
	test_config rollback.migrateDownCommand "bin/down" &&
	test_expect_code 1 git rollback check v1.2.2 --json >actual &&
	cat >expect <<-EOF &&
	{"schema":1,"env":"production","component":null,"running":{"schema":1,"tag":"v1.2.4","version":"1.2.4","commit":"$(full v1.2.4)","deployed_at":null},"target":{"schema":1,"tag":"v1.2.2","version":"1.2.2","commit":"$(full v1.2.2)","deployed":false,"bad":null},"commits":[{"schema":1,"commit":"$(full v1.2.4)","subject":"fix: crash on login"},{"schema":1,"commit":"$(full v1.2.3)","subject":"fix: port"},{"schema":1,"commit":"$(full v1.2.3~1)","subject":"feat: user preferences"}],"migrations":[{"schema":1,"id":"20240115120000_add_user_preferences_table","migration_version":"20240115120000","path":"db/migrate/20240115120000_add_user_preferences_table.rb","tag":"v1.2.3","down_command":"MIGRATION_ID=20240115120000_add_user_preferences_table MIGRATION_VERSION=20240115120000 sh -c bin/down"}],"migrations_modified":[],"config_changed":["config/app.yml"],"config_stat":[" M config/app.yml | 2 +-"],"config_notes":["v1.2.3 config/app.yml"],"blockers":[{"schema":1,"code":"migrations-between","message":"1 migration to undo: use --migrate or --ignore-migrations"}],"strategies":{"schema":1,"deploy-only":{"schema":1,"possible":false,"why":{"schema":1,"code":"no-hook","message":"no deploy hook (deploy.production.command) to deploy v1.2.2 with"},"hook":null},"branch":{"schema":1,"possible":true,"why":{"schema":1,"code":"new-branch","message":"creates rollback/v1.2.4 at v1.2.2; no branch moves"},"branch":"rollback/v1.2.4"},"reset":{"schema":1,"possible":true,"why":{"schema":1,"code":"moves-branch","message":"moves production to v1.2.2; nothing else is lost"},"branch":"production","contains_running":true,"drops":[]},"revert":{"schema":1,"possible":true,"why":{"schema":1,"code":"clean","message":"reverts 3 commits on production cleanly and ends exactly on the tree of v1.2.2"},"branch":"production","contains_running":true,"commits":[{"schema":1,"commit":"$(full v1.2.4)","subject":"fix: crash on login"},{"schema":1,"commit":"$(full v1.2.3)","subject":"fix: port"},{"schema":1,"commit":"$(full v1.2.3~1)","subject":"feat: user preferences"}],"conflicts":null,"exact_target_tree":true}},"recommended":{"schema":1,"strategy":"revert","command":"git rollback v1.2.2 --revert --migrate","why":{"schema":1,"code":"clean-revert","message":"the revert applies cleanly on production and keeps its history"},"fix_forward":null,"recent":false,"recent_window":1800}}
	EOF
	test_cmp expect actual
'

test_expect_success 'check --json with nothing between: empty lists, exit 0' '
	git rollback check --json >actual &&
	cat >expect <<-EOF &&
	{"schema":1,"env":"production","component":null,"running":{"schema":1,"tag":"v1.2.4","version":"1.2.4","commit":"$(full v1.2.4)","deployed_at":null},"target":{"schema":1,"tag":"v1.2.3","version":"1.2.3","commit":"$(full v1.2.3)","deployed":false,"bad":null},"commits":[{"schema":1,"commit":"$(full v1.2.4)","subject":"fix: crash on login"}],"migrations":[],"migrations_modified":[],"config_changed":[],"config_stat":[],"config_notes":[],"blockers":[],"strategies":{"schema":1,"deploy-only":{"schema":1,"possible":false,"why":{"schema":1,"code":"no-hook","message":"no deploy hook (deploy.production.command) to deploy v1.2.3 with"},"hook":null},"branch":{"schema":1,"possible":true,"why":{"schema":1,"code":"new-branch","message":"creates rollback/v1.2.4 at v1.2.3; no branch moves"},"branch":"rollback/v1.2.4"},"reset":{"schema":1,"possible":true,"why":{"schema":1,"code":"moves-branch","message":"moves production to v1.2.3; nothing else is lost"},"branch":"production","contains_running":true,"drops":[]},"revert":{"schema":1,"possible":true,"why":{"schema":1,"code":"clean","message":"reverts 1 commit on production cleanly and ends exactly on the tree of v1.2.3"},"branch":"production","contains_running":true,"commits":[{"schema":1,"commit":"$(full v1.2.4)","subject":"fix: crash on login"}],"conflicts":null,"exact_target_tree":true}},"recommended":{"schema":1,"strategy":"revert","command":"git rollback v1.2.3 --revert","why":{"schema":1,"code":"clean-revert","message":"the revert applies cleanly on production and keeps its history"},"fix_forward":null,"recent":false,"recent_window":1800}}
	EOF
	test_cmp expect actual
'

test_expect_success 'check takes the target with or without the prefix' '
	test_expect_code 1 git rollback check 1.2.2 >actual &&
	grep "^target: v1.2.2 " actual
'

test_expect_success 'check changes nothing' '
	save_state &&
	git rollback check >out &&
	test_expect_code 1 git rollback check v1.2.1 >out &&
	test_state_unchanged
'

test_expect_success 'check of an unknown target is fatal (128)' '
	save_state &&
	test_expect_code 128 git rollback check v9.9.9 >out 2>err &&
	grep "^fatal: .*v9.9.9.* not found" err &&
	test_must_be_empty out &&
	test_state_unchanged
'

test_expect_success 'check of something that is no version is fatal (128)' '
	test_expect_code 128 git rollback check banana 2>err &&
	grep "^fatal: .banana. is not a valid version" err
'

test_expect_success 'check of a target newer than the running version refuses (1)' '
	git checkout -q production &&
	git reset -q --hard v1.2.3 &&
	git checkout -q main &&
	test_when_finished "git branch -f production v1.2.4" &&
	test_expect_code 1 git rollback check v1.2.4 2>err &&
	grep "^error: .v1.2.4. is newer than the running version .v1.2.3. of .production." err &&
	grep "^hint: .*git release deploy v1.2.4" err
'

test_expect_success 'check of the running version itself refuses (1)' '
	test_expect_code 1 git rollback check v1.2.4 2>err &&
	grep "^error: .v1.2.4. is the running version of .production." err
'

test_expect_success 'check with a bad environment name is fatal (128)' '
	test_expect_code 128 git rollback check --env "bad..env" 2>err &&
	grep "^fatal: " err
'

test_expect_success 'check with two targets is a usage error (129)' '
	test_expect_code 129 git rollback check v1.2.2 v1.2.1 2>err &&
	grep "^usage: git rollback check" err
'

test_expect_success 'check reports a modified migration as a warning' '
	test_commit "fix: migration typo" \
		db/migrate/20240101000000_create_users.rb "create users!" &&
	release v1.2.5 &&
	git branch -f production v1.2.5 &&
	test_when_finished "git branch -f production v1.2.4" &&
	git rollback check v1.2.4 >actual &&
	grep "^  warning: modified, not undone: db/migrate/20240101000000_create_users.rb\$" actual &&
	grep "^migrations: none\$" actual
'

test_expect_success 'lightweight tags are releases too' '
	git init -q ../light &&
	(
		cd ../light &&
		test_commit one && git tag v0.1.0 &&
		test_commit two && git tag v0.2.0 &&
		git branch production &&
		git rollback check >actual &&
		grep "^running: v0.2.0 " actual &&
		grep "^target: v0.1.0 " actual
	)
'

test_expect_success 'pre-releases are never the default target' '
	git init -q ../pre &&
	(
		cd ../pre &&
		test_commit one && git tag v1.0.0 &&
		test_commit two && git tag v1.1.0-rc.1 &&
		test_commit three && git tag v1.1.0 &&
		git branch production &&
		git rollback check >actual &&
		grep "^target: v1.0.0 " actual &&
		grep "^commits: 2" actual
	)
'

test_expect_success 'with no release at all, nothing runs (1)' '
	git init -q ../empty &&
	(
		cd ../empty &&
		test_commit one &&
		git branch production &&
		test_expect_code 1 git rollback check 2>err &&
		grep "^error: nothing runs in .production." err
	)
'

test_expect_success 'with one release only, there is no good release to go to (1)' '
	git init -q ../one &&
	(
		cd ../one &&
		test_commit one && git tag v1.0.0 &&
		git branch production &&
		test_expect_code 1 git rollback check 2>err &&
		grep "^error: no good release older than .v1.0.0." err
	)
'

test_expect_success 'with a deployment log: when it was deployed, and whether the target ran' '
	git release deploy v1.2.3 >out 2>&1 &&
	test_tick &&
	git release deploy v1.2.4 >out 2>&1 &&
	git rollback check >actual &&
	grep "^running: v1.2.4 (deployed 2005-04-0[0-9] [0-9][0-9]:[0-9][0-9] UTC)\$" actual &&
	grep "^target: v1.2.3 (deployed to production)\$" actual &&
	git rollback check --json >actual &&
	jq -r ".running.deployed_at, .target.deployed" actual >out &&
	printf "%s\n" "$(date -u -d @$test_tick +%Y-%m-%dT%H:%M:%SZ)" true >expect &&
	test_cmp expect out
'

test_expect_success 'the log wins over the production branch' '
	git branch -f production v1.2.1 &&
	test_when_finished "git branch -f production v1.2.4" &&
	git rollback check >actual &&
	grep "^running: v1.2.4 (deployed " actual
'

test_expect_success 'check -h shows its usage (129)' '
	test_expect_code 129 git rollback check -h >out &&
	grep "^usage: git rollback check \[<target>\] \[--env <env>\] \[--component <name>\] \[--json\]" out
'

test_done
