#!/bin/sh

test_description='git hotfix finish --push on a terminal asks first'

. ./test-lib.sh

if ! test_have_prereq TTY
then
	skip_all='script(1) is needed to give the command a terminal'
	test_done
fi

remote_refs () {
	git -C ../remote.git for-each-ref --format="%(refname) %(objectname)"
}

test_expect_success 'setup' '
	git init -q --bare remote.git &&
	git init -q repo &&
	cd repo &&
	printf "%s\n" err out expect actual "*.refs" >.git/info/exclude &&
	git remote add origin ../remote.git &&
	test_commit "release 1.0.0" rel.t 1.0.0 &&
	git tag -a -m "Release v1.0.0" v1.0.0 &&
	git push -q origin main v1.0.0 &&
	git hotfix start t v1.0.0 &&
	test_commit "fix: t" t.t
'

test_expect_success 'answering no changes nothing, here or there (1)' '
	remote_refs >before.refs &&
	save_state &&
	test_expect_code 1 on_terminal "n
" "git hotfix finish --push" >out &&
	test_state_unchanged &&
	remote_refs >after.refs &&
	test_cmp before.refs after.refs &&
	grep "will run: git push" out &&
	grep "Finish hotfix/t as v1.0.1 and push to origin?" out &&
	grep "not confirmed: nothing done" out
'

test_expect_success 'answering yes finishes and pushes' '
	on_terminal "y
" "git hotfix finish --push" >out &&
	remote_refs >actual &&
	grep "^refs/tags/v1.0.1 $(git rev-parse v1.0.1)\$" actual &&
	grep "^refs/heads/main $(git rev-parse main)\$" actual
'

test_expect_success '-y does not ask' '
	git hotfix start u v1.0.0 &&
	test_commit "fix: u" u.t &&
	on_terminal "" "git hotfix finish --push -y" >out &&
	! grep "push to origin?" out &&
	git -C ../remote.git rev-parse -q --verify v1.0.2
'

test_expect_success 'without --push nothing is asked' '
	git hotfix start w v1.0.0 &&
	test_commit "fix: w" w.t &&
	on_terminal "" "git hotfix finish" >out &&
	! grep "?" out &&
	git rev-parse -q --verify v1.0.3
'

test_done
