#!/bin/sh

test_description='git rollback revert: conflicts stop, --continue, --skip, --abort'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY/lib-revert.sh"

test_expect_success 'setup' '
	git init -q repo &&
	(cd repo &&
	ignore_scratch &&
	printf "1\n2\n3\n4\n5\n" >f &&
	echo g >g && echo two >f2 && echo a >a &&
	git add . && test_tick && git commit -q -m base &&
	git tag base &&
	sed -e "s/^3\$/three/" f >t && mv t f &&
	test_tick && git commit -q -a -m "X: line 3" &&
	git tag X &&
	echo w >w && git add w && test_tick && git commit -q -m "W: add w" &&
	git tag W &&
	sed -e "s/^three\$/THREE/" f >t && mv t f &&
	test_tick && git commit -q -a -m "Y: line 3 again" &&
	echo g2 >g && test_tick && git commit -q -a -m "Z: g" &&
	git tag Z)
'

test_expect_success 'a content conflict stops with everything before committed' '
	(cd repo &&
	git checkout -q -B c1 Z &&
	worktree_state >../before.state &&
	test_expect_code 1 git rollback revert Z X W 2>err &&
	git log -1 --format=%s HEAD >subject &&
	echo "Revert \"Z: g\"" >expect &&
	test_cmp expect subject &&
	test_cmp_rev HEAD^ Z &&
	cat >expect <<-EOF &&
	1
	2
	<<<<<<< HEAD
	THREE
	=======
	3
	>>>>>>> parent of $(git rev-parse --short=7 X) (X: line 3)
	4
	5
	EOF
	test_cmp expect f &&
	git ls-files -u f >unmerged &&
	test $(wc -l <unmerged) = 3 &&
	git rev-parse X >expect &&
	test_cmp expect .git/REVERT_HEAD &&
	cat >expect <<-EOF &&
	Revert "X: line 3"

	This reverts commit $(git rev-parse X).

	# Conflicts:
	#	f
	EOF
	test_cmp expect .git/MERGE_MSG &&
	test_path_is_file .git/release-state/revert &&
	grep "^error: could not revert $(git rev-parse --short=7 X) (X: line 3)" err &&
	grep "^hint: .git rollback --continue" err &&
	grep "^hint: .*git rollback --skip" err &&
	grep "^hint: run .git rollback --abort" err &&
	git status >status &&
	grep "You are currently reverting commit" status)
'

test_expect_success 'a new revert is refused while one is stopped' '
	(cd repo &&
	save_state &&
	test_must_fail git rollback revert W 2>err &&
	test_state_unchanged &&
	grep "^error: cannot revert: git rollback revert Z X W is in progress (stopped)" err)
'

test_expect_success '--continue refuses unresolved conflicts, changes nothing' '
	(cd repo &&
	save_state &&
	test_expect_code 1 git rollback --continue 2>err &&
	test_state_unchanged &&
	grep "^error: cannot continue: you have unmerged paths" err)
'

test_expect_success '--continue refuses resolutions not added' '
	(cd repo &&
	printf "1\n2\nthree-ish\n4\n5\n" >f &&
	git add f &&
	echo more >>g &&
	save_state &&
	test_expect_code 1 git rollback --continue 2>err &&
	test_state_unchanged &&
	grep "changes not added to the index" err &&
	git checkout -q -- g)
'

test_expect_success '--continue commits the resolution and goes on' '
	(cd repo &&
	git rollback --continue >out &&
	git log --format=%s Z..HEAD >actual &&
	cat >expect <<-EOF &&
	Revert "W: add w"
	Revert "X: line 3"
	Revert "Z: g"
	EOF
	test_cmp expect actual &&
	git log -1 --format=%B HEAD^ >msg &&
	cat >expect <<-EOF &&
	Revert "X: line 3"

	This reverts commit $(git rev-parse X).

	EOF
	test_cmp expect msg &&
	git show HEAD^:f >actual &&
	printf "1\n2\nthree-ish\n4\n5\n" >expect &&
	test_cmp expect actual &&
	test_path_is_missing w &&
	test_path_is_missing .git/REVERT_HEAD &&
	test_path_is_missing .git/MERGE_MSG &&
	test_path_is_missing .git/release-state &&
	test_must_be_empty "$(git status --porcelain)" &&
	git reflog -1 --format=%gs c1 >reflog &&
	grep "^rollback revert" reflog &&
	git fsck 2>&1 >/dev/null | test_must_be_empty /dev/stdin)
'

test_expect_success '--skip drops the stopped commit and goes on' '
	(cd repo &&
	git checkout -q -B c2 Z &&
	test_expect_code 1 git rollback revert Z X W &&
	git rollback --skip >out &&
	git log --format=%s Z..HEAD >actual &&
	cat >expect <<-EOF &&
	Revert "W: add w"
	Revert "Z: g"
	EOF
	test_cmp expect actual &&
	git show Z:f >expect && test_cmp expect f &&
	test_must_be_empty "$(git status --porcelain)" &&
	test_path_is_missing .git/REVERT_HEAD &&
	test_path_is_missing .git/release-state)
'

test_expect_success '--abort restores branch, index and worktree exactly' '
	(cd repo &&
	git checkout -q -B c3 Z &&
	worktree_state >../before.state &&
	test_expect_code 1 git rollback revert Z X W &&
	git rollback --abort &&
	worktree_state >../after.state &&
	test_cmp ../before.state ../after.state &&
	test_cmp_rev c3 Z &&
	test_path_is_missing .git/REVERT_HEAD &&
	test_path_is_missing .git/MERGE_MSG &&
	test_path_is_missing .git/release-state &&
	git reflog -1 --format=%gs c3 >reflog &&
	grep "^rollback --abort" reflog)
'

test_expect_success '--abort is refused when the branch moved since the stop' '
	(cd repo &&
	git checkout -q -B c4 Z &&
	test_expect_code 1 git rollback revert Z X &&
	git checkout -q -- . 2>/dev/null; git reset -q --hard HEAD &&
	test_commit "unrelated work" u.txt &&
	save_state &&
	test_expect_code 1 git rollback --abort 2>err &&
	test_state_unchanged &&
	grep "has moved since the revert stopped" err &&
	grep "git reset --keep $(git rev-parse Z)" err &&
	git reset -q --keep Z &&
	git rollback --abort &&
	test_cmp_rev HEAD Z &&
	test_path_is_missing .git/release-state)
'

test_expect_success 'a plain git commit during the stop is adopted by --continue' '
	(cd repo &&
	git checkout -q -B c5 Z &&
	test_expect_code 1 git rollback revert Z X W &&
	printf "1\n2\n3\n4\n5\n" >f && git add f &&
	git commit -q --no-edit &&
	test_path_is_missing .git/REVERT_HEAD &&
	git rollback --continue &&
	git log --format=%s Z..HEAD >actual &&
	cat >expect <<-EOF &&
	Revert "W: add w"
	Revert "X: line 3"
	Revert "Z: g"
	EOF
	test_cmp expect actual &&
	test_path_is_missing .git/release-state)
'

test_expect_success '--continue when the revert was given up outside' '
	(cd repo &&
	git checkout -q -B c6 Z &&
	test_expect_code 1 git rollback revert X &&
	git checkout -q -f HEAD -- . && rm -f .git/REVERT_HEAD .git/MERGE_MSG &&
	save_state &&
	test_expect_code 1 git rollback --continue 2>err &&
	test_state_unchanged &&
	grep "REVERT_HEAD is gone" err &&
	git rollback --skip &&
	test_cmp_rev HEAD Z &&
	test_path_is_missing .git/release-state)
'

test_expect_success 'modify/delete stops; --abort; resolved by deleting' '
	(cd repo &&
	git checkout -q -B md base &&
	echo "two changed" >f2 && test_tick && git commit -q -a -m "M: f2" &&
	git rm -q f2 && test_tick && git commit -q -m "D: f2" &&
	worktree_state >../before.state &&
	test_expect_code 1 git rollback revert HEAD~1 &&
	git ls-files -u f2 >unmerged &&
	test $(wc -l <unmerged) = 2 &&
	git rollback --abort &&
	worktree_state >../after.state &&
	test_cmp ../before.state ../after.state &&
	test_expect_code 1 git rollback revert HEAD~1 &&
	git rm -q f2 &&
	git rollback --continue 2>err &&
	grep "changes nothing" err &&
	test_cmp_rev HEAD md &&
	test_path_is_missing .git/release-state)
'

test_expect_success 'add/add stops; --abort removes the file it wrote' '
	(cd repo &&
	git checkout -q -B aa base &&
	git rm -q a && test_tick && git commit -q -m "R: remove a" &&
	echo "new a" >a && git add a && test_tick && git commit -q -m "A: new a" &&
	worktree_state >../before.state &&
	test_expect_code 1 git rollback revert HEAD~1 &&
	grep "^<<<<<<< HEAD" a &&
	git ls-files -u a >unmerged &&
	test $(wc -l <unmerged) = 2 &&
	git rollback --abort &&
	worktree_state >../after.state &&
	test_cmp ../before.state ../after.state)
'

test_expect_success 'add/add resolved and continued' '
	(cd repo &&
	git checkout -q -B aa2 aa &&
	test_expect_code 1 git rollback revert HEAD~1 &&
	echo "merged a" >a && git add a &&
	git rollback --continue &&
	git log -1 --format=%s >subject &&
	echo "Revert \"R: remove a\"" >expect &&
	test_cmp expect subject &&
	echo "merged a" >expect && git show HEAD:a >actual && test_cmp expect actual)
'

test_expect_success 'merge.conflictStyle=diff3 (also by git -c) is honoured' '
	(cd repo &&
	git checkout -q -B d3 Z &&
	test_expect_code 1 git -c merge.conflictStyle=diff3 rollback revert X &&
	grep "^||||||| $(git rev-parse --short=7 X) (X: line 3)" f &&
	git rollback --abort &&
	git config merge.conflictStyle diff3 &&
	test_expect_code 1 git rollback revert X &&
	grep "^|||||||" f &&
	git config --unset merge.conflictStyle &&
	git rollback --abort)
'

test_expect_success '--squash with a conflict: resolve, continue, one commit' '
	(cd repo &&
	git checkout -q -B sq Z &&
	test_expect_code 1 git rollback revert --squash Z X W &&
	test_cmp_rev HEAD Z &&
	printf "1\n2\n3\n4\n5\n" >f && git add f &&
	git rollback --continue &&
	test_cmp_rev HEAD^ Z &&
	test "$(git rev-parse HEAD^{tree})" = "$(git rev-parse base^{tree})" ||
	{ git diff --stat base HEAD; false; } &&
	git log -1 --format=%s >subject &&
	echo "Revert 3 commits" >expect &&
	test_cmp expect subject)
'

test_expect_success '--abort keeps edits the user made to unrelated files while stopped' '
	(cd repo &&
	git checkout -q -B c9 Z &&
	test_expect_code 1 git rollback revert Z X W 2>err &&
	echo "mine, staged" >f2 && git add f2 &&
	echo "mine, unstaged" >a &&
	echo scratch >untracked-note &&
	git rollback --abort &&
	test_cmp_rev c9 Z &&
	echo "mine, unstaged" >expect && test_cmp expect a &&
	echo "mine, staged" >expect && test_cmp expect f2 &&
	git diff --cached --name-only >actual &&
	echo f2 >expect && test_cmp expect actual &&
	test_path_is_file untracked-note &&
	git show Z:f >expect && test_cmp expect f &&
	git show Z:g >expect && test_cmp expect g &&
	test_path_is_missing .git/release-state &&
	git checkout -q -- a && git reset -q f2 && git checkout -q -- f2 &&
	rm untracked-note)
'

test_expect_success '--skip keeps edits to unrelated files too' '
	(cd repo &&
	git checkout -q -B c10 Z &&
	test_expect_code 1 git rollback revert Z X W 2>err &&
	echo "mine" >a &&
	git rollback --skip >out &&
	echo mine >expect && test_cmp expect a &&
	git log --format=%s Z..HEAD >actual &&
	cat >expect <<-EOF &&
	Revert "W: add w"
	Revert "Z: g"
	EOF
	test_cmp expect actual &&
	git checkout -q -- a)
'

test_expect_success '--abort and --skip refuse when a path they would put back has local changes' '
	(cd repo &&
	git checkout -q -B c11 Z &&
	test_expect_code 1 git rollback revert Z X W 2>err &&
	echo "edited after the stop" >g &&
	worktree_state >../before.state &&
	cp .git/release-state/revert ../state.before &&
	test_expect_code 1 git rollback --abort 2>err &&
	grep "^error: cannot abort the revert: .g. has local changes the operation did not make" err &&
	grep "^hint: commit or stash them" err &&
	test_expect_code 1 git rollback --skip 2>err &&
	grep "^error: cannot skip the commit: .g. has local changes" err &&
	worktree_state >../after.state &&
	test_cmp ../before.state ../after.state &&
	test_cmp ../state.before .git/release-state/revert &&
	git checkout -q -- g &&
	git rollback --abort &&
	test_cmp_rev c11 Z &&
	test_must_be_empty "$(git status --porcelain)")
'

test_done
