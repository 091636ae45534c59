#!/bin/sh

test_description='deploy hooks: deploy.<env>.command, its environment, failures'

. ./test-lib.sh

# a hook that writes what it was given, one variable a line
dump_hook='{ pwd; env | grep -E "^(RELEASE_|DEPLOY_|ROLLBACK_)" | sort; } >"$TRASH_DIRECTORY/hook.out"'

test_expect_success 'setup' '
	git init -q repo &&
	cd repo &&
	printf "%s\n" err out expect actual "*.rev" >.git/info/exclude &&
	mkdir sub &&
	test_commit one sub/one.t &&
	git tag -a -m "Release v1.0.0" v1.0.0 &&
	test_commit two &&
	git tag -a -m "Release v1.1.0" v1.1.0 &&
	git config deploy.production.command "$dump_hook"
'

test_expect_success 'the hook runs in the top directory with every variable' '
	(cd sub && git release deploy v1.1.0 -m "ship it") &&
	cat >expect <<-EOF &&
	$TRASH_DIRECTORY/repo
	DEPLOY_ENV=production
	DEPLOY_KIND=deploy
	DEPLOY_REASON=ship it
	RELEASE_COMMIT=$(git rev-parse v1.1.0^{commit})
	RELEASE_TAG=v1.1.0
	RELEASE_VERSION=1.1.0
	EOF
	test_cmp expect "$TRASH_DIRECTORY/hook.out"
'

test_expect_success 'RELEASE_VERSION is the version without a multi-part prefix' '
	test_when_finished "git config --unset release.tagPrefix" &&
	git config release.tagPrefix api/v &&
	git tag -a -m "Release api/v2.0.0-rc.1" api/v2.0.0-rc.1 &&
	git release deploy api/v2.0.0-rc.1 &&
	grep "^RELEASE_TAG=api/v2.0.0-rc.1\$" "$TRASH_DIRECTORY/hook.out" &&
	grep "^RELEASE_VERSION=2.0.0-rc.1\$" "$TRASH_DIRECTORY/hook.out"
'

test_expect_success 'DEPLOY_REASON is empty without -m; no ROLLBACK_FROM on a deploy' '
	git release deploy v1.1.0 &&
	grep "^DEPLOY_REASON=\$" "$TRASH_DIRECTORY/hook.out" &&
	! grep "^ROLLBACK_FROM" "$TRASH_DIRECTORY/hook.out"
'

test_expect_success 'inputs are never read as shell syntax' '
	rm -f pwned* &&
	git release deploy v1.1.0 -m "\$(touch pwned1); \`touch pwned2\`; '\''x" &&
	test_path_is_missing pwned1 &&
	test_path_is_missing pwned2 &&
	grep "^DEPLOY_REASON=\$(touch pwned1); \`touch pwned2\`; '\''x\$" \
		"$TRASH_DIRECTORY/hook.out"
'

test_expect_success 'the hook runs before the entry is recorded' '
	git config deploy.production.command \
		"git for-each-ref --format=\"%(subject)\" refs/deploy/log/production >\"\$TRASH_DIRECTORY/seen\"" &&
	git release deploy v1.1.0 -m "order check" &&
	echo "deploy v1.1.0 to production" >expect &&
	test_cmp expect "$TRASH_DIRECTORY/seen"
'

test_expect_success 'hook output goes to stderr; stdout stays the report' '
	git config deploy.production.command "echo hook-out; echo hook-err >&2" &&
	git release deploy v1.1.0 >out 2>err &&
	! grep hook- out &&
	grep "^hook-out\$" err &&
	grep "^hook-err\$" err &&
	grep "^deployed v1.1.0 to production" out
'

test_expect_success '-q keeps the hook output and the report, drops our notes' '
	git config deploy.production.command "echo hook-err >&2" &&
	git release deploy v1.1.0 -q >out 2>err &&
	echo hook-err >expect &&
	test_cmp expect err &&
	grep "^deployed v1.1.0 to production" out
'

test_expect_success 'a failing hook fails the deploy (1) and records nothing' '
	git config deploy.production.command "echo trying; exit 3" &&
	save_state &&
	test_expect_code 1 git release deploy v1.1.0 -m "will fail" 2>err &&
	test_state_unchanged &&
	grep "^trying\$" err &&
	grep "^error: deploy hook for .production. failed (exit 3)\$" err &&
	grep "^hint: nothing was recorded" err
'

test_expect_success 'a failing hook on a first deployment makes no deployed-* tag' '
	git init -q ../fresh &&
	(cd ../fresh && test_commit a && git tag -a -m r v0.1.0 &&
	 git config deploy.production.command false &&
	 save_state &&
	 test_expect_code 1 git release deploy v0.1.0 2>../err &&
	 test_state_unchanged &&
	 test_must_fail git rev-parse -q --verify deployed-v0.1.0 &&
	 test_must_fail git rev-parse -q --verify refs/deploy/log/production)
'

test_expect_success 'a hook killed by a signal fails the deploy' '
	git config deploy.production.command "kill -TERM \$\$" &&
	save_state &&
	test_expect_code 1 git release deploy v1.1.0 2>err &&
	test_state_unchanged &&
	grep "^error: deploy hook for .production. failed (exit 143)\$" err
'

test_expect_success '--no-hook records without running the hook' '
	git config deploy.production.command "exit 3" &&
	git release deploy v1.1.0 --no-hook -m "hook is down" &&
	git log -1 --format=%B refs/deploy/log/production >actual &&
	grep "^Reason: hook is down\$" actual
'

test_expect_success '--dry-run names the hook and does not run it' '
	git config deploy.production.command "touch ran" &&
	save_state &&
	git release deploy v1.1.0 --dry-run >out &&
	test_state_unchanged &&
	test_path_is_missing ran &&
	grep "^would run the deploy hook for .production.: touch ran\$" out
'

test_expect_success '--dry-run --no-hook says it would skip it' '
	git release deploy v1.1.0 --dry-run --no-hook >out &&
	grep "^would skip the deploy hook (--no-hook)\$" out
'

test_expect_success 'each environment has its own hook' '
	git config deploy.staging.command "echo staging >\"\$TRASH_DIRECTORY/which\"" &&
	git config deploy.production.command "echo production >\"\$TRASH_DIRECTORY/which\"" &&
	git release deploy v1.1.0 --env staging &&
	echo staging >expect &&
	test_cmp expect "$TRASH_DIRECTORY/which" &&
	rm "$TRASH_DIRECTORY/which" &&
	git release deploy v1.1.0 --env qa --new-env 2>err &&
	test_path_is_missing "$TRASH_DIRECTORY/which" &&
	echo "warning: no deploy hook for '"'qa'"' (deploy.qa.command): recorded only, nothing deployed" >expect &&
	test_cmp expect err
'

test_expect_success '--no-hook: no warning, the entry is made' '
	old=$(git rev-parse refs/deploy/log/qa) &&
	test_tick &&
	git release deploy v1.1.0 --env qa --no-hook >out 2>err &&
	test_must_be_empty err &&
	test_cmp_rev refs/deploy/log/qa^ $old
'

test_expect_success 'git -c deploy.<env>.command is honoured' '
	git -c deploy.qa.command="echo via-c >\"\$TRASH_DIRECTORY/which\"" \
		release deploy v1.1.0 --env qa &&
	echo via-c >expect &&
	test_cmp expect "$TRASH_DIRECTORY/which"
'

test_expect_success 'an empty command is no hook' '
	git -c deploy.production.command= release deploy v1.1.0 --dry-run >out &&
	grep "^no deploy hook for .production." out
'

# contrib/hooks/ against the tools: t0171

test_done
