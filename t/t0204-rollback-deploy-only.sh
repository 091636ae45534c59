#!/bin/sh

test_description='git rollback --deploy-only and the deploy hook'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh

test_expect_success 'setup' '
	setup_shop &&
	git config deploy.production.command \
		"env | grep -E \"^(RELEASE_|DEPLOY_|ROLLBACK_)\" | sort >\"\$TRASH_DIRECTORY/hook.env\"; pwd >\"\$TRASH_DIRECTORY/hook.pwd\"; echo hook says hello"
'

test_expect_success '--deploy-only changes no branch and runs the hook with every variable' '
	git for-each-ref refs/heads refs/tags >refs.before &&
	git rollback -m "checkout 500s" --deploy-only >out 2>err &&
	git for-each-ref refs/heads refs/tags | grep -v "refs/tags/deployed-" >refs.after &&
	test_cmp refs.before refs.after &&
	cat >expect <<-EOF &&
	DEPLOY_ENV=production
	DEPLOY_KIND=rollback
	DEPLOY_REASON=checkout 500s
	RELEASE_COMMIT=$(full v1.2.3)
	RELEASE_TAG=v1.2.3
	RELEASE_VERSION=1.2.3
	ROLLBACK_FROM=v1.2.4
	EOF
	test_cmp expect "$TRASH_DIRECTORY/hook.env" &&
	pwd >expect &&
	test_cmp expect "$TRASH_DIRECTORY/hook.pwd" &&
	grep "^hook says hello\$" err &&
	test_must_fail grep "hook says hello" out
'

test_expect_success 'the record says deploy-only; the undo redeploys' '
	log_entry >actual &&
	grep "^Strategy: deploy-only\$" actual &&
	grep "^Reason: checkout 500s\$" actual &&
	cat >expect <<-EOF &&
	rolled back production from v1.2.4 to v1.2.3 (deploy-only)
	held production at v1.2.3 (log entry $(git rev-parse --short=7 refs/deploy/log/production))
	undo: git release deploy v1.2.4 --env production --force --lift-hold
	EOF
	test_cmp expect out &&
	git log -1 --format=%B refs/deploy/log/production >hold &&
	grep "^Kind: hold\$" hold &&
	grep "^Version: v1.2.3\$" hold &&
	grep "^Reason: rolled back from v1.2.4\$" hold &&
	test "$(git rev-parse refs/deploy/log/production~1)" = \
		"$(git log -1 --format=%H --grep="^Kind: rollback\$" refs/deploy/log/production)"
'

test_expect_success 'the first deployment of a version to production tags it' '
	git cat-file tag deployed-v1.2.3 >actual &&
	grep "^Deployed to production at " actual
'

test_expect_success 'another environment has its own hook and its own log' '
	git release deploy v1.2.4 --env staging --new-env --force --lift-hold --no-hook \
		>/dev/null 2>&1 &&
	git config deploy.staging.command "echo \"\$DEPLOY_ENV \$RELEASE_TAG \$ROLLBACK_FROM\" >\"\$TRASH_DIRECTORY/staging.hook\"" &&
	git rollback -m "staging test" --env staging --deploy-only >out 2>err &&
	echo "staging v1.2.3 v1.2.4" >expect &&
	test_cmp expect "$TRASH_DIRECTORY/staging.hook" &&
	log_entry staging >actual &&
	grep "^Environment: staging\$" actual
'

test_expect_success '--no-hook skips the hook and still records' '
	rm -f "$TRASH_DIRECTORY/staging.hook" &&
	git release deploy v1.2.4 --env staging --force --lift-hold >out 2>&1 &&
	rm -f "$TRASH_DIRECTORY/staging.hook" &&
	git rollback -m "no hook" --env staging --deploy-only --no-hook >out 2>err &&
	test_path_is_missing "$TRASH_DIRECTORY/staging.hook" &&
	log_entry staging >actual &&
	grep "^Reason: no hook\$" actual
'

test_expect_success 'a failing hook: exit 1, no record, the retry and undo commands' '
	git config deploy.qa.command "echo deploying; exit 3" &&
	git release deploy v1.2.4 --env qa --force --lift-hold --no-hook >/dev/null 2>&1 &&
	git rollback check --env qa >out &&
	git rev-parse refs/deploy/log/qa >log.before &&
	git rev-parse refs/deploy/marks >marks.before &&
	test_expect_code 1 git rollback -m "qa broken" --env qa >out 2>err &&
	grep "^error: deploy hook for .qa. failed (exit 3)" err &&
	grep "^hint: retry the rollback: git branch -D rollback/qa/v1.2.4 && git rollback v1.2.3 -m '\''qa broken'\'' --branch --env qa\$" err &&
	! grep "git release deploy" err &&
	grep "^hint: or undo the git change: git branch -D rollback/qa/v1.2.4\$" err &&
	git rev-parse refs/deploy/log/qa >log.after &&
	test_cmp log.before log.after &&
	git rev-parse refs/deploy/marks >marks.after &&
	test_cmp marks.before marks.after &&
	test_must_be_empty out
'

test_expect_success 'the git change of a failed hook stays, as the message says' '
	test_cmp_rev v1.2.3^{commit} rollback/qa/v1.2.4
'

test_expect_success 'the reason reaches the hook as data, never as shell' '
	rm -f "$TRASH_DIRECTORY/hook.env" &&
	git rollback -m "\$(touch pwned); \`touch pwned2\`" --deploy-only --ignore-migrations >out 2>err &&
	grep "^DEPLOY_REASON=\$(touch pwned); \`touch pwned2\`\$" "$TRASH_DIRECTORY/hook.env" &&
	test_path_is_missing pwned &&
	test_path_is_missing pwned2
'

test_expect_success '-q says nothing but warnings and errors' '
	git release deploy v1.2.4 --force --lift-hold >out 2>&1 &&
	git rollback -q -m "quiet" --deploy-only --no-hook --force v1.2.3 >out 2>err &&
	test_must_be_empty out &&
	grep "^warning: .v1.2.3. is marked bad" err &&
	test_must_fail grep -v "^warning: " err &&
	log_entry >actual &&
	grep "^Reason: quiet\$" actual
'

test_done
