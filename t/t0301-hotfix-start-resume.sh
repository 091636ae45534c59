#!/bin/sh

test_description='git hotfix start killed: the journal, --continue, --abort

The start is a journalled plan (the branch with its base, then the
checkout); GIT_RELEASE_TEST_KILL_AFTER=<n> kills it right after the
journal says step n is done.  git hotfix finish --continue finishes
it, --abort undoes it exactly; other commands refuse meanwhile.'

. ./test-lib.sh

release () {
	test_commit "release $1" "rel.t" "$1" &&
	git tag -a -m "Release v$1" "v$1"
}

# what --abort must restore: refs, HEAD, index, worktree, branch config
state () {
	git for-each-ref --format="%(refname) %(objectname)" refs/heads refs/tags &&
	git symbolic-ref HEAD && git ls-files -s &&
	git status --porcelain --untracked-files=all &&
	cat rel.t notes.txt &&
	{ git config --get-regexp "^branch\\." || true; }
}

test_expect_success 'setup' '
	git init -q repo &&
	cd repo &&
	printf "%s\n" err out expect actual "*.state" "*.rev" >.git/info/exclude &&
	release 1.0.0 &&
	test_commit "feat: more" more.t &&
	release 1.1.0 &&
	echo "my notes" >notes.txt &&
	state >../before.state
'

test_expect_success 'killed after the branch is made: the journal stays' '
	test_expect_code 137 env GIT_RELEASE_TEST_KILL_AFTER=1 \
		git hotfix start urgent v1.0.0 >out 2>err &&
	test_path_is_file .git/release-state/journal &&
	grep "^op hotfix-start" .git/release-state/journal &&
	test_cmp_rev hotfix/urgent v1.0.0^{commit} &&
	test "$(git symbolic-ref HEAD)" = refs/heads/main
'

test_expect_success 'every other command refuses and says how to get out' '
	test_must_fail git hotfix start other v1.0.0 2>err &&
	grep "hint: finish it with \"git hotfix finish --continue\" or undo it with \"git hotfix finish --abort\"" err &&
	test_must_fail git release cut --patch 2>err &&
	grep "git hotfix finish --abort" err &&
	git release list >/dev/null
'

test_expect_success '--abort puts everything back' '
	git hotfix finish --abort >out &&
	grep "aborted the start of hotfix/urgent" out &&
	state >../after.state &&
	test_cmp ../before.state ../after.state &&
	test_path_is_missing .git/release-state/journal
'

test_expect_success 'killed after the checkout: --continue is left nothing' '
	test_expect_code 137 env GIT_RELEASE_TEST_KILL_AFTER=2 \
		git hotfix start urgent v1.0.0 >out 2>err &&
	test "$(git symbolic-ref HEAD)" = refs/heads/hotfix/urgent &&
	git hotfix finish --continue >out &&
	grep "switched to a new branch .hotfix/urgent. at v1.0.0" out &&
	test "$(git config branch.hotfix/urgent.hotfixBase)" = v1.0.0 &&
	test "$(cat rel.t)" = 1.0.0 &&
	test_path_is_missing more.t &&
	git status --porcelain --untracked-files=no >actual &&
	test_must_be_empty actual &&
	test_path_is_missing .git/release-state/journal
'

test_expect_success 'killed after the journal is written: --abort leaves nothing' '
	git switch -q main &&
	git branch -D -q hotfix/urgent &&
	test_expect_code 137 env GIT_RELEASE_TEST_KILL_AFTER=0 \
		git hotfix start urgent v1.0.0 >out 2>err &&
	git hotfix finish --abort &&
	state >../after.state &&
	test_cmp ../before.state ../after.state
'

test_expect_success 'killed after the branch: --continue checks it out' '
	test_expect_code 137 env GIT_RELEASE_TEST_KILL_AFTER=1 \
		git hotfix start urgent v1.0.0 >out 2>err &&
	git hotfix finish --continue &&
	test "$(git symbolic-ref HEAD)" = refs/heads/hotfix/urgent &&
	test "$(cat rel.t)" = 1.0.0 &&
	echo "my notes" >expect &&
	test_cmp expect notes.txt
'

test_done
