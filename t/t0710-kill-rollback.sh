#!/bin/sh

test_description='kill -9 anywhere in git rollback, then --continue or --abort

Each mutating rollback command is killed at system calls spread over its
run (strace fault injection).  Then, in a new process: the suite still
answers (or says how to get out), --continue ends exactly as the run
that was not killed, --abort puts refs, HEAD, index, worktree and the
record back exactly, and a run killed after its last step is complete.
An untracked file and, where the command allows it, an edited tracked
file must survive all of it.  KILL_POINTS bounds the points per command.'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-kill.sh

if ! test_have_prereq STRACE
then
	skip_all='strace with fault injection is missing (apt-get install strace)'
	test_done
fi

# the conflict of the --revert range, resolved as a user would
kill_resolve () {
	if test -f .git/REVERT_HEAD
	then
		echo "app 2, kept the hot patch" >app.txt &&
		git add app.txt
	fi
}

# the shop (lib-rollback.sh) deployed at v1.2.4, pushed, with the
# user's own files: an untracked note and, in_tracked, an edited file
shop () {
	cd "$TRASH_DIRECTORY" &&
	mkdir -p "tmpl/$1" &&
	cd "tmpl/$1" &&
	setup_shop >/dev/null &&
	git release deploy v1.2.4 -q -m "release day" --push &&
	git config deploy.production.command "echo \"\$RELEASE_TAG\" >>\"\$TRASH_DIRECTORY/deployed.\$DEPLOY_KIND\"" &&
	printf "%s\n" run kill.out kill.err kill.err0 kill.err1 kill.err2 >>.git/info/exclude &&
	echo "my notes, not committed" >notes.txt
}

test_expect_success 'setup: one shop per command' '
	shop reset && git checkout -q production &&
	shop branch && echo "edited, not committed" >>config/app.yml &&
	shop revert &&
	git checkout -q production &&
	echo "app 3, hot patched" >app.txt &&
	git commit -q -a -m "hot patch on production" &&
	git push -q origin production &&
	shop revert-commit
'

test_expect_success 'git rollback --reset --push' '
	kill_matrix reset \
		git-rollback --reset v1.2.3 -m "login broken" --ignore-migrations --push
'

test_expect_success 'git rollback --branch --push' '
	kill_matrix branch \
		git-rollback --branch v1.2.3 -m "login broken" --ignore-migrations --push
'

test_expect_success 'git rollback --revert --push, a range stopped by a conflict' '
	kill_matrix revert \
		git-rollback --revert v1.2.2 -m "login broken" --ignore-migrations --push
'

test_expect_success 'git rollback revert <commit>' '
	kill_matrix revert-commit \
		git-rollback revert HEAD~2
'

test_expect_success 'the counts' '
	cat "$TRASH_DIRECTORY/summary"
'

test_done
