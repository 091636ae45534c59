#!/bin/sh

test_description='kill -9 anywhere in git hotfix start and finish, then --continue or --abort

As t0710 for the hotfix commands: each is killed at system calls spread
over its run; then the suite still answers, --continue ends as the run
not killed, --abort puts refs, HEAD, index, worktree and branch config
back exactly, and an untracked file survives.'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-kill.sh

if ! test_have_prereq STRACE
then
	skip_all='strace with fault injection is missing (apt-get install strace)'
	test_done
fi

# the shop (lib-rollback.sh) deployed at v1.2.4 with an untracked note
shop () {
	cd "$TRASH_DIRECTORY" &&
	mkdir -p "tmpl/$1" &&
	cd "tmpl/$1" &&
	setup_shop >/dev/null &&
	git release deploy v1.2.4 -q -m "release day" --push &&
	printf "%s\n" run kill.out kill.err kill.err0 kill.err1 kill.err2 >>.git/info/exclude &&
	echo "my notes, not committed" >notes.txt
}

test_expect_success 'setup: one shop per command' '
	shop start &&
	shop finish &&
	git hotfix start -q urgent v1.2.3 >/dev/null &&
	echo "fixed" >fix.txt && git add fix.txt &&
	test_tick && git commit -q -m "fix: urgent" &&
	echo "my notes, not committed" >notes.txt
'

KILL_CONTINUE="git hotfix finish --continue"
KILL_ABORT="git hotfix finish --abort"

test_expect_success 'git hotfix start' '
	kill_matrix start git-hotfix start urgent v1.2.3
'

# finish is not journalled yet: killed after its tag and before its merge
# there is nothing to abort, mid-checkout the tree is left dirty, after
# the branch is deleted the push is lost (the counts say how often)
test_expect_failure 'git hotfix finish --push' '
	KILL_ABORT="git hotfix finish --abort --drop-tag" &&
	kill_matrix finish git-hotfix finish --push
'

test_expect_success 'the counts' '
	cat "$TRASH_DIRECTORY/summary"
'

test_done
