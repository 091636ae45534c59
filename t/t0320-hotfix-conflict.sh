#!/bin/sh

test_description='git hotfix finish: a conflicting merge stops, continues, aborts'

. ./test-lib.sh

release () {
	test_commit "release $1" "rel.t" "$1" &&
	git tag -a -m "Release v$1" "v$1"
}

# the repository's state without what a stopped finish legitimately
# leaves behind after --abort: the kept tag, new objects, HEAD's reflog
state_but_tag () {
	repo_state | grep -v -e "^refs/tags/$1 " -e "^objects " -e "^logs/HEAD "
}

# a hotfix of v1.0.0 that edits app.t, and main editing the same line
conflicting () {
	git switch -q main &&
	git hotfix start "$1" v1.0.0 &&
	echo "hotfix $1" >app.t && git add app.t && test_tick &&
	git commit -q -m "fix: $1" &&
	git switch -q main &&
	echo "main $1" >app.t && git add app.t && test_tick &&
	git commit -q -m "main: $1" &&
	git switch -q "hotfix/$1"
}

test_expect_success 'setup' '
	git init -q repo &&
	cd repo &&
	printf "%s\n" err out expect actual "*.rev" "*.state" >.git/info/exclude &&
	echo base >app.t && git add app.t && test_commit "initial" &&
	release 1.0.0 &&
	release 1.1.0
'

test_expect_success 'a conflict stops with markers, exit 1' '
	conflicting one &&
	git rev-parse HEAD >tip.rev && git rev-parse main >main.rev &&
	test_expect_code 1 git hotfix finish >out 2>err &&
	cat >expect <<-EOF &&
	<<<<<<< HEAD
	main one
	=======
	hotfix one
	>>>>>>> hotfix/one
	EOF
	test_cmp expect app.t
'

test_expect_success 'the tag is made on the tip, kept and reported' '
	test_cmp_rev v1.0.1^{commit} $(cat tip.rev) &&
	grep "^tagged v1.0.1 on " out &&
	grep "^hint: tag v1.0.1 is made and kept" err &&
	grep "^error: merging hotfix/one into main stopped: 1 conflict" err &&
	grep "^	app.t\$" err
'

test_expect_success 'git sees a merge in progress: MERGE_HEAD, MERGE_MSG, status' '
	test "$(git symbolic-ref HEAD)" = refs/heads/main &&
	test_cmp_rev main $(cat main.rev) &&
	test "$(cat .git/MERGE_HEAD)" = "$(cat tip.rev)" &&
	head -n 1 .git/MERGE_MSG >actual &&
	echo "Merge branch '\''hotfix/one'\''" >expect &&
	test_cmp expect actual &&
	git status >actual &&
	grep "You have unmerged paths" actual &&
	git ls-files -u app.t >actual &&
	test $(wc -l <actual) = 3 &&
	test_path_is_file .git/release-state/journal
'

test_expect_success 'another hotfix command is refused meanwhile (1)' '
	save_state &&
	test_expect_code 1 git hotfix start two v1.1.0 2>err &&
	test_state_unchanged &&
	grep "git hotfix finish is in progress (stopped)" err &&
	grep "git hotfix finish --continue" err
'

test_expect_success '--continue with unresolved paths is refused (1)' '
	save_state &&
	test_expect_code 1 git hotfix finish --continue 2>err &&
	test_state_unchanged &&
	grep "^error: you still have unmerged paths" err
'

test_expect_success '--continue after resolving commits the merge and finishes' '
	echo resolved >app.t && git add app.t &&
	git hotfix finish --continue >out &&
	printf "%s\n" $(cat main.rev) $(cat tip.rev) >expect &&
	git rev-list --parents -n 1 main | tr " " "\n" | sed 1d >actual &&
	test_cmp expect actual &&
	echo "Merge branch '\''hotfix/one'\''" >expect &&
	git cat-file commit main | sed "1,/^\$/d" >actual &&
	test_cmp expect actual &&
	test "$(git show main:app.t)" = resolved &&
	test_must_fail git rev-parse -q --verify hotfix/one &&
	test_path_is_missing .git/MERGE_HEAD &&
	test_path_is_missing .git/MERGE_MSG &&
	test_path_is_missing .git/MERGE_MODE &&
	test_path_is_missing .git/release-state/journal &&
	grep "^next: git release deploy v1.0.1\$" out &&
	git reflog show -1 --format=%gs main >actual &&
	echo "hotfix finish --continue: merge hotfix/one (v1.0.1) into main" >expect &&
	test_cmp expect actual
'

test_expect_success '--continue or --abort with nothing in progress (1)' '
	save_state &&
	test_expect_code 1 git hotfix finish --continue 2>err &&
	grep "^error: no hotfix finish is in progress" err &&
	test_expect_code 1 git hotfix finish --abort 2>err &&
	grep "^error: no hotfix finish is in progress" err &&
	test_state_unchanged
'

test_expect_success '--abort puts the release branch, index and worktree back' '
	conflicting two &&
	state_but_tag v1.0.2 >before.state &&
	main=$(git rev-parse main) &&
	test_expect_code 1 git hotfix finish 2>err &&
	git hotfix finish --abort >out &&
	state_but_tag v1.0.2 >after.state &&
	test_cmp before.state after.state &&
	test_cmp_rev main "$main" &&
	test "$(git symbolic-ref HEAD)" = refs/heads/hotfix/two &&
	test_path_is_missing .git/MERGE_HEAD &&
	test_path_is_missing .git/MERGE_MSG &&
	test_path_is_missing .git/release-state/journal
'

test_expect_success '--abort keeps the tag and says so' '
	git rev-parse -q --verify v1.0.2 &&
	grep "^kept tag v1.0.2 (delete it with: git tag -d v1.0.2)" out
'

test_expect_success 'finishing again reuses that tag' '
	test_expect_code 1 git hotfix finish >out 2>err &&
	grep "^reusing tag v1.0.2" out &&
	test_must_fail git rev-parse -q --verify v1.0.3
'

test_expect_success '--abort --drop-tag deletes the tag too' '
	git hotfix finish --abort --drop-tag >out &&
	test_must_fail git rev-parse -q --verify v1.0.2 &&
	grep "^deleted tag v1.0.2" out &&
	git status --porcelain >actual &&
	test_must_be_empty actual
'

test_expect_success 'the plain "git commit" path: --continue adopts the merge' '
	test_expect_code 1 git hotfix finish 2>err &&
	tip=$(git rev-parse hotfix/two) &&
	echo by-hand >app.t && git add app.t &&
	git commit -q --no-edit &&
	merge=$(git rev-parse main) &&
	git hotfix finish --continue >out 2>err &&
	test_cmp_rev main "$merge" &&
	test_cmp_rev main^2 "$tip" &&
	test_cmp_rev v1.0.2^{commit} "$tip" &&
	test_must_fail git rev-parse -q --verify hotfix/two &&
	test_path_is_missing .git/release-state/journal &&
	grep "merged by \"git commit\"" err &&
	grep "^next: git release deploy v1.0.2\$" out
'

test_expect_success '--abort after the user committed the merge is refused (1)' '
	conflicting three &&
	test_expect_code 1 git hotfix finish 2>err &&
	echo by-hand >app.t && git add app.t && git commit -q --no-edit &&
	save_state &&
	test_expect_code 1 git hotfix finish --abort 2>err &&
	test_state_unchanged &&
	grep "is already committed" err &&
	git hotfix finish --continue >out &&
	test_path_is_missing .git/release-state/journal
'

test_expect_success 'a merge given up with "git merge --abort": --continue refuses, --abort cleans' '
	conflicting four &&
	test_expect_code 1 git hotfix finish 2>err &&
	git merge --abort &&
	save_state &&
	test_expect_code 1 git hotfix finish --continue 2>err &&
	test_state_unchanged &&
	grep "no longer in progress" err &&
	git hotfix finish --abort --drop-tag &&
	test_path_is_missing .git/release-state/journal &&
	test "$(git symbolic-ref HEAD)" = refs/heads/hotfix/four
'

test_expect_success 'the release branch moved meanwhile: --continue and --abort refuse (1)' '
	conflicting six &&
	test_expect_code 1 git hotfix finish 2>err &&
	orig=$(git rev-parse main) &&
	git update-ref refs/heads/main main~1 &&
	save_state &&
	test_expect_code 1 git hotfix finish --abort 2>err &&
	test_state_unchanged &&
	grep "^error: .main. moved since the merge stopped" err &&
	echo resolved >app.t && git add app.t &&
	save_state moved &&
	test_expect_code 1 git hotfix finish --continue 2>err &&
	test_state_unchanged moved &&
	grep "moved or is no longer checked out" err &&
	git update-ref refs/heads/main "$orig" &&
	git hotfix finish --abort --drop-tag &&
	test_cmp_rev main "$orig" &&
	test_path_is_missing .git/release-state/journal &&
	git status --porcelain >actual && test_must_be_empty actual
'

test_expect_success 'a resolution that adds and removes files, then --abort restores' '
	git switch -q main &&
	git hotfix start five v1.0.0 &&
	echo new >added.t && git rm -q rel.t && echo "hotfix five" >app.t &&
	git add -A && test_tick && git commit -q -m "fix: five" &&
	git switch -q main && echo "main five" >app.t &&
	git commit -qam "main: five" && git switch -q hotfix/five &&
	state_but_tag v1.0.4 >before.state &&
	test_expect_code 1 git hotfix finish 2>err &&
	test_path_is_file added.t &&
	git hotfix finish --abort --drop-tag &&
	state_but_tag v1.0.4 >after.state &&
	test_cmp before.state after.state
'

test_expect_success 'a modify/delete conflict: git status, then --continue in a new process' '
	test_expect_code 1 git hotfix finish 2>err &&
	git status >actual &&
	grep "You have unmerged paths" actual &&
	git checkout --theirs app.t && git add app.t && git rm -q rel.t &&
	git hotfix finish --continue &&
	test "$(git show main:app.t)" = "hotfix five" &&
	test_path_is_file added.t &&
	test_path_is_missing rel.t
'

test_expect_success 'finish by name from a detached HEAD; --abort goes back there' '
	conflicting seven &&
	git switch -q --detach hotfix/seven &&
	here=$(git rev-parse HEAD) &&
	test_expect_code 1 git hotfix finish seven 2>err &&
	test "$(git symbolic-ref HEAD)" = refs/heads/main &&
	git hotfix finish --abort --drop-tag &&
	test_must_fail git symbolic-ref -q HEAD &&
	test_cmp_rev HEAD "$here" &&
	git status --porcelain >actual && test_must_be_empty actual
'

test_expect_success 'fsck is clean' '
	git fsck --no-progress 2>&1 >/dev/null | tee err &&
	test_must_be_empty err
'

test_expect_success '--abort keeps edits to unrelated files made while stopped' '
	conflicting nine &&
	test_expect_code 1 git hotfix finish 2>err &&
	echo "mine" >initial.t &&
	echo "scratch" >note.t &&
	git hotfix finish --abort >out &&
	echo mine >expect && test_cmp expect initial.t &&
	test_path_is_file note.t &&
	test "$(git symbolic-ref HEAD)" = refs/heads/hotfix/nine &&
	git show hotfix/nine:app.t >expect && test_cmp expect app.t &&
	git diff --name-only >actual &&
	echo initial.t >expect && test_cmp expect actual &&
	test_path_is_missing .git/MERGE_HEAD &&
	test_path_is_missing .git/release-state/journal &&
	git checkout -q -- initial.t && rm note.t
'

test_expect_success '--abort refuses when a path the merge wrote has local changes' '
	git switch -q main &&
	git hotfix start ten v1.0.0 &&
	echo "hotfix ten" >app.t && echo extra >extra.t &&
	git add app.t extra.t && test_tick &&
	git commit -q -m "fix: ten" &&
	git switch -q main &&
	echo "main ten" >app.t && git add app.t && test_tick &&
	git commit -q -m "main: ten" &&
	git switch -q hotfix/ten &&
	test_expect_code 1 git hotfix finish 2>err &&
	echo "edited after the stop" >extra.t &&
	repo_state >before.state &&
	test_expect_code 1 git hotfix finish --abort 2>err &&
	grep "^error: cannot abort the merge: .extra.t. has local changes the operation did not make" err &&
	repo_state >after.state &&
	test_cmp before.state after.state &&
	echo extra >extra.t &&
	git hotfix finish --abort >out &&
	git status --porcelain --untracked-files=no >actual && test_must_be_empty actual &&
	test "$(git symbolic-ref HEAD)" = refs/heads/hotfix/ten
'

test_expect_success 'fsck is clean after the aborts' '
	git fsck --no-progress 2>&1 >/dev/null | tee err &&
	test_must_be_empty err
'

test_done
