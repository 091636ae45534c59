#!/bin/sh

test_description='kill -9 anywhere in git release deploy, yank and cut, then --continue or --abort

As t0710 for the release commands: each is killed at system calls
spread over its run (strace fault injection); then the suite still
answers, --continue ends as the run that was not killed, and --abort
puts refs here and on the remote, HEAD, index, worktree and the record
back exactly.  An untracked file survives all of it.  KILL_POINTS
bounds the points per command.  A git push the killed run started lives
on: --abort and --continue wait for it to end before they read the
remote.'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-kill.sh

if ! test_have_prereq STRACE
then
	skip_all='strace with fault injection is missing (apt-get install strace)'
	test_done
fi

# the shop (lib-rollback.sh) deployed at v1.2.3 and pushed, with a
# deploy hook that records the tag and kind it saw, and an untracked note
shop () {
	cd "$TRASH_DIRECTORY" &&
	mkdir -p "tmpl/$1" &&
	cd "tmpl/$1" &&
	setup_shop >/dev/null &&
	git release deploy v1.2.3 -q -m "release day" --push &&
	git config deploy.production.command "echo \"\$RELEASE_TAG \$DEPLOY_ENV\" >>../hook.log" &&
	git config deploy.staging.command "echo \"\$RELEASE_TAG \$DEPLOY_ENV\" >>../hook.log" &&
	printf "%s\n" run kill.out kill.err kill.err0 kill.err1 kill.err2 >>.git/info/exclude &&
	echo "my notes, not committed" >notes.txt
}

test_expect_success 'setup: one shop per command' '
	shop deploy &&
	shop new-env &&
	shop yank &&
	shop cut &&
	test_commit "fix: after the release" app.txt "app 4" >/dev/null &&
	git push -q origin main
'

KILL_CONTINUE="git release --continue"
KILL_ABORT="git release --abort"

test_expect_success 'git release deploy --push, with a hook' '
	kill_matrix deploy git-release deploy v1.2.4 -m "next one" --push &&
	grep "^v1.2.4 production\$" "$TRASH_DIRECTORY/run/hook.log"
'

test_expect_success 'git release deploy --env staging --new-env --push, a first deploy' '
	kill_matrix new-env git-release deploy v1.2.4 --env staging --new-env -m "first" --push
'

test_expect_success 'git release yank --push' '
	kill_matrix yank git-release yank v1.2.4 -m "broken login" --push
'

test_expect_success 'git release cut --push' '
	kill_matrix cut git-release cut --patch --push
'

test_expect_success 'killed while its push is in flight: --abort waits for the push, then takes back what it made' '
	kill_fresh deploy &&
	kill_snapshot >"$TRASH_DIRECTORY/inflight.before" &&
	inflight_resume "git release --abort" "$TRASH_DIRECTORY/inflight.before" \
		git-release deploy v1.2.4 -m "next one" --push
'

test_expect_success 'the same with --continue: it waits, finds the push landed, ends as the run not killed' '
	kill_fresh deploy &&
	inflight_resume "git release --continue" "$TRASH_DIRECTORY/deploy.after" \
		git-release deploy v1.2.4 -m "next one" --push
'

test_expect_success 'cut --push killed while its push is in flight: --abort deletes the tag here and there' '
	kill_fresh cut &&
	kill_snapshot >"$TRASH_DIRECTORY/inflight.before" &&
	inflight_resume "git release --abort" "$TRASH_DIRECTORY/inflight.before" \
		git-release cut --patch --push
'

test_expect_success 'a record of a push that has ended (or a torn one) is not waited for, and removed' '
	kill_fresh deploy &&
	gone=$(sh -c "echo \$\$") &&
	echo "$gone 12345" >.git/release-suite.push &&
	git release deploy v1.2.4 -m "next one" --push >out 2>err &&
	! grep "waiting for git push" err &&
	test_path_is_missing .git/release-suite.push &&
	test "$(git -C ../remote.git rev-parse refs/deploy/log/production)" = \
		"$(git rev-parse refs/deploy/log/production)" &&
	printf "12" >.git/release-suite.push &&
	git release yank v1.2.4 -m "broken" --push >out 2>err &&
	! grep "waiting for git push" err &&
	test_path_is_missing .git/release-suite.push
'

test_expect_success 'a dry run reads a stale record and leaves it' '
	kill_fresh cut &&
	gone=$(sh -c "echo \$\$") &&
	echo "$gone 12345" >.git/release-suite.push &&
	git release cut --patch --push --dry-run >out 2>err &&
	test_path_is_file .git/release-suite.push
'

test_expect_success 'the counts' '
	cat "$TRASH_DIRECTORY/summary"
'

test_done
