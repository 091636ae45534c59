#!/bin/sh

test_description='git rollback: down commands to paste, the retry after a failure'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh

# hostile but legal: a command substitution, quotes, a space, unicode
HOSTILE='20240301000000_$(touch pwned)_it'\''s "x" é'

test_expect_success 'setup: a migration with a hostile name in v1.2.5' '
	setup_shop &&
	test_commit "feat: hostile" "db/migrate/$HOSTILE.rb" "hostile" &&
	release v1.2.5 &&
	git branch -f production v1.2.5 &&
	git push -q origin production "refs/tags/*:refs/tags/*" &&
	git config rollback.migrateDownCommand \
		"printf \"%s|%s|%s\\n\" \"\$MIGRATION_ID\" \"\$MIGRATION_VERSION\" \"it'\''s \$PWD\" >>\"\$TRASH_DIRECTORY/down.log\"" &&
	git config deploy.production.command \
		"echo \"\$RELEASE_TAG\" >>\"\$TRASH_DIRECTORY/hook.log\"; test ! -f \"\$TRASH_DIRECTORY/hook.fails\""
'

test_expect_success 'the down commands check prints, pasted into sh, do what the rollback runs' '
	test_expect_code 1 git rollback check v1.2.2 >out &&
	sed -n "/^down commands:/,/^blockers:/p" out | sed -n "s/^  MIGRATION_ID=/MIGRATION_ID=/p" >paste.sh &&
	test_line_count = 2 paste.sh &&
	sh paste.sh &&
	test_path_is_missing pwned &&
	mv "$TRASH_DIRECTORY/down.log" pasted.log &&
	cat >expect <<-EOF &&
	$HOSTILE|20240301000000|it'\''s $(pwd)
	20240115120000_add_user_preferences_table|20240115120000|it'\''s $(pwd)
	EOF
	test_cmp expect pasted.log &&
	git rollback v1.2.2 -m "paste check" --migrate --deploy-only >out 2>err &&
	test_path_is_missing pwned &&
	test_cmp pasted.log "$TRASH_DIRECTORY/down.log" &&
	git release deploy v1.2.5 --force --lift-hold >out 2>&1 &&
	rm "$TRASH_DIRECTORY/down.log" "$TRASH_DIRECTORY/hook.log"
'

test_expect_success 'the JSON down_command is the same line' '
	test_expect_code 1 git rollback check v1.2.2 --json >out &&
	jq -r ".migrations[].down_command" out >json.sh &&
	test_cmp paste.sh json.sh
'

test_expect_success 'a failed hook: the retry is the rollback, migrations left alone' '
	echo "edit" >>app.txt &&
	test_when_finished "git checkout app.txt" &&
	touch "$TRASH_DIRECTORY/hook.fails" &&
	git rev-parse refs/deploy/log/production >log.before &&
	test_expect_code 1 git rollback v1.2.2 -m "it'\''s \$(broken)" --migrate --deploy-only >out 2>err &&
	test_line_count = 2 "$TRASH_DIRECTORY/down.log" &&
	git rev-parse refs/deploy/log/production >log.after &&
	test_cmp log.before log.after &&
	! grep "git release deploy" err &&
	sed -n "s/^hint: retry the rollback: //p" err >retry.sh &&
	cat >expect <<-\EOF &&
	git rollback v1.2.2 -m '\''it'\''\'\'''\''s $(broken)'\'' --deploy-only --env production --ignore-migrations
	EOF
	test_cmp expect retry.sh &&
	rm "$TRASH_DIRECTORY/hook.fails" &&
	sh retry.sh >out 2>err &&
	test_path_is_missing pwned &&
	test_path_is_missing broken &&
	test_line_count = 2 "$TRASH_DIRECTORY/down.log" &&
	printf "v1.2.2\nv1.2.2\n" >expect &&
	test_cmp expect "$TRASH_DIRECTORY/hook.log" &&
	log_entry >actual &&
	grep "^Version: v1.2.2\$" actual &&
	grep "^Reason: it'\''s \$(broken)\$" actual &&
	grep "^edit\$" app.txt
'

test_expect_success 'a failed hook after --reset: the retry finds the branch moved and finishes' '
	git release deploy v1.2.5 --force --lift-hold >out 2>&1 &&
	rm -f "$TRASH_DIRECTORY/down.log" "$TRASH_DIRECTORY/hook.log" &&
	touch "$TRASH_DIRECTORY/hook.fails" &&
	test_expect_code 1 git rollback v1.2.3 -m "reset retry" --reset --migrate >out 2>err &&
	test_cmp_rev v1.2.3^{commit} production &&
	sed -n "s/^hint: retry the rollback: //p" err >retry.sh &&
	echo "git rollback v1.2.3 -m '\''reset retry'\'' --reset --env production --ignore-migrations" >expect &&
	test_cmp expect retry.sh &&
	rm "$TRASH_DIRECTORY/hook.fails" &&
	sh retry.sh >out 2>err &&
	test_line_count = 1 "$TRASH_DIRECTORY/down.log" &&
	test_cmp_rev v1.2.3^{commit} production &&
	log_entry >actual &&
	grep "^Strategy: reset\$" actual &&
	grep "^From: v1.2.5\$" actual
'

test_expect_success 'a failed hook after --revert: the retry finds the reverts made and finishes' '
	git branch -f production v1.2.5 &&
	git release deploy v1.2.5 --force --lift-hold >out 2>&1 &&
	rm -f "$TRASH_DIRECTORY/down.log" "$TRASH_DIRECTORY/hook.log" &&
	touch "$TRASH_DIRECTORY/hook.fails" &&
	test_expect_code 1 git rollback v1.2.3 -m "revert retry" --revert --migrate >out 2>err &&
	git rev-parse production >reverted.out &&
	git diff --quiet v1.2.3 production &&
	sed -n "s/^hint: retry the rollback: //p" err >retry.sh &&
	echo "git rollback v1.2.3 -m '\''revert retry'\'' --revert --env production --ignore-migrations" >expect &&
	test_cmp expect retry.sh &&
	rm "$TRASH_DIRECTORY/hook.fails" &&
	sh retry.sh >out 2>err &&
	test_line_count = 1 "$TRASH_DIRECTORY/down.log" &&
	test_cmp_rev production "$(cat reverted.out)" &&
	log_entry >actual &&
	grep "^Strategy: revert\$" actual &&
	grep "^From: v1.2.5\$" actual
'

test_expect_success 'the first down command fails: the retry runs them all' '
	git branch -f production v1.2.5 &&
	git release deploy v1.2.5 --force --lift-hold >out 2>&1 &&
	rm -f "$TRASH_DIRECTORY/down.log" &&
	test_expect_code 1 git -c rollback.migrateDownCommand="exit 4" \
		rollback v1.2.2 -m "first fails" --migrate --deploy-only >out 2>err &&
	grep "^hint: retry the rollback: git rollback v1.2.2 -m '\''first fails'\'' --deploy-only --env production --migrate\$" err &&
	! grep "undo the migrations left" err
'

test_done
