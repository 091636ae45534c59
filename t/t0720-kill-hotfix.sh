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

test_expect_success 'git hotfix finish --push' '
	KILL_ABORT="git hotfix finish --abort --drop-tag" &&
	kill_matrix finish git-hotfix finish --push
'

# the journal's own kill points: right after it is written (0) and as
# each of the five steps (check, tag, merge, branch, push) is
# marked begun; then --continue ends as the run not killed and --abort
# puts everything back, the remote included
test_expect_success 'git hotfix finish --push: killed as the journal marks each step' '
	tried=0 passed=0 &&
	for k in 0 1 2 3 4 5
	do
		tried=$(($tried + 1)) &&
		kill_fresh finish &&
		test_expect_code 137 env GIT_RELEASE_TEST_KILL_AFTER=hotfix-finish:$k \
			git-hotfix finish --push >/dev/null 2>&1 &&
		test_path_is_file .git/release-state/journal &&
		kill_not_stuck &&
		kill_finish &&
		kill_snapshot >"$TRASH_DIRECTORY/actual" &&
		test_cmp "$TRASH_DIRECTORY/finish.after" "$TRASH_DIRECTORY/actual" &&
		kill_fresh finish &&
		test_expect_code 137 env GIT_RELEASE_TEST_KILL_AFTER=hotfix-finish:$k \
			git-hotfix finish --push >/dev/null 2>&1 &&
		as_user git hotfix finish --abort --drop-tag &&
		kill_snapshot >"$TRASH_DIRECTORY/actual" &&
		test_cmp "$TRASH_DIRECTORY/finish.before" "$TRASH_DIRECTORY/actual" &&
		git fsck --no-progress 2>"$TRASH_DIRECTORY/fsck" &&
		test_must_be_empty "$TRASH_DIRECTORY/fsck" &&
		passed=$(($passed + 1)) || return 1
	done &&
	echo "finish (journal steps): $passed of $tried kill points passed" |
		tee -a "$TRASH_DIRECTORY/summary"
'

# a hotfix of v1.2.3 whose app.txt conflicts with main's, and a file of
# its own that merges cleanly: killed anywhere up to its stop, and
# (continued) the user resolves the conflict as a user would
test_expect_success 'setup: a finish that stops on a conflict' '
	shop conflict &&
	git hotfix start clash v1.2.3 >/dev/null 2>&1 &&
	echo "app 2, fixed" >app.txt && echo "new" >fix.txt && git add app.txt fix.txt &&
	test_tick && git commit -q -m "fix: clash" &&
	echo "my notes, not committed" >notes.txt
'

test_expect_success 'git hotfix finish --push stopped on a conflict' '
	KILL_ABORT="git hotfix finish --abort --drop-tag" &&
	kill_resolve () {
		if test -f .git/MERGE_HEAD
		then
			echo "app 3, fixed" >app.txt && git add app.txt
		fi
	} &&
	kill_matrix conflict git-hotfix finish --push
'

# its push held by the remote: the abort waits for the orphaned git
# push before it reads the remote, then takes back the tag and the merge
# there too
test_expect_success 'git hotfix finish --push killed while its push is in flight: --abort waits, then undoes' '
	kill_fresh finish &&
	inflight_resume "git hotfix finish --abort --drop-tag" \
		"$TRASH_DIRECTORY/finish.before" git-hotfix finish --push
'

test_expect_success 'the counts' '
	cat "$TRASH_DIRECTORY/summary"
'

test_done
