#!/bin/sh

test_description='git rollback on a terminal: the reason in the editor, the question before --reset'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh

if ! test_have_prereq TTY
then
	skip_all='script(1) is needed to give the command a terminal'
	test_done
fi

test_expect_success 'setup' '
	setup_shop &&
	cat >../editor.sh <<-\EOF &&
	#!/bin/sh
	grep "^# Why is production rolled back from v1.2.4 to v1.2.3?" "$1" >../template.seen &&
	printf "%s\n" "# a comment" "" "login broken, from the editor" "" >"$1"
	EOF
	cat >../empty-editor.sh <<-\EOF &&
	#!/bin/sh
	printf "%s\n" "# nothing" >"$1"
	EOF
	chmod +x ../editor.sh ../empty-editor.sh &&
	fetched
'

test_expect_success 'no -m on a terminal: the reason comes from the editor' '
	on_terminal "" "GIT_EDITOR=../editor.sh git rollback --deploy-only" >out &&
	test_path_is_file ../template.seen &&
	log_entry >actual &&
	grep "^Reason: login broken, from the editor\$" actual &&
	test_path_is_missing .git/ROLLBACK_REASON
'

test_expect_success 'core.editor is used when GIT_EDITOR is not set' '
	git release deploy v1.2.4 --force --lift-hold >out 2>&1 &&
	rm -f ../template.seen &&
	on_terminal "" "unset GIT_EDITOR; git -c core.editor=../editor.sh rollback --deploy-only" >out &&
	test_path_is_file ../template.seen
'

test_expect_success 'an empty reason from the editor aborts (129), nothing changed' '
	git release deploy v1.2.4 --force --lift-hold >out 2>&1 &&
	fetched &&
	save_state &&
	test_expect_code 129 on_terminal "" "GIT_EDITOR=../empty-editor.sh git rollback --deploy-only" >out &&
	grep "empty reason" out &&
	test_state_unchanged
'

test_expect_success '--reset on a terminal shows the plan and asks; no is nothing (1)' '
	save_state &&
	test_expect_code 1 on_terminal "n
" "git rollback -m why --reset" >out &&
	grep "^move refs/heads/production from $(full v1.2.4) to $(full v1.2.3)" out &&
	grep "Roll back production, moving branch production? \[y/N\]" out &&
	grep "rollback not confirmed: nothing changed" out &&
	test_state_unchanged
'

test_expect_success 'yes goes ahead' '
	on_terminal "y
" "git rollback -m why --reset" >out &&
	test_cmp_rev v1.2.3^{commit} production
'

test_expect_success '-y answers for scripts: nothing is asked' '
	git branch -f production v1.2.4 &&
	git release deploy v1.2.4 --force --lift-hold >out 2>&1 &&
	on_terminal "" "git rollback -m why --reset -y" >out &&
	test_cmp_rev v1.2.3^{commit} production &&
	test_must_fail grep "Roll back" out
'

test_done
