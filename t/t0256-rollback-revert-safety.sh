#!/bin/sh

test_description='git rollback revert: untracked files, worktrees, foreign state, terminals'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY/lib-revert.sh"

test_expect_success 'setup' '
	git init -q repo &&
	(cd repo &&
	ignore_scratch &&
	printf "1\n2\n3\n" >f && mkdir sub && echo s >sub/s &&
	git add . && test_tick && git commit -q -m root &&
	git tag root &&
	git rm -q sub/s && test_tick && git commit -q -m "drop sub/s" &&
	git tag drop &&
	sed -e "s/^2\$/two/" f >t && mv t f && test_tick &&
	git commit -q -a -m "X: two" && git tag X &&
	sed -e "s/^two\$/TWO/" f >t && mv t f && test_tick &&
	git commit -q -a -m "Y: TWO" && git tag Y)
'

test_expect_success 'an untracked file in the way is refused, nothing changes' '
	(cd repo &&
	git checkout -q -B u Y &&
	mkdir -p sub && echo mine >sub/s &&
	save_state &&
	test_must_fail git rollback revert drop 2>err &&
	test_state_unchanged &&
	grep "cannot update the worktree" err &&
	echo mine >expect && test_cmp expect sub/s &&
	rm -rf sub)
'

test_expect_success 'the root commit can be reverted, as with git' '
	(cd repo &&
	git checkout -q -B r root &&
	echo other >g && git add g && test_tick && git commit -q -m other &&
	compare_with_git root)
'

test_expect_success 'runs from a subdirectory' '
	(cd repo &&
	git checkout -q -B subdir Y &&
	mkdir -p deep/er && cd deep/er &&
	git rollback revert -q HEAD &&
	cd ../.. && rmdir -p deep/er 2>/dev/null;
	git log -1 --format=%s >subject &&
	echo "Revert \"Y: TWO\"" >expect &&
	test_cmp expect subject)
'

test_expect_success '--dry-run says where a conflict would stop; changes nothing' '
	(cd repo &&
	git checkout -q -B dry Y &&
	save_state &&
	git rollback revert --dry-run drop X >out &&
	test_state_unchanged &&
	grep "^would stop at $(git rev-parse --short=7 X): its revert conflicts" out &&
	grep "^would update refs/heads/dry $(git rev-parse --short=7 Y) -> a new tip (1 revert commit)" out)
'

test_expect_success '--abort leaves state that is not ours alone' '
	(cd repo &&
	git checkout -q -B foreign Y &&
	test_expect_code 1 git rollback revert X &&
	echo "git bisect start" >.git/BISECT_LOG &&
	mkdir -p .git/sequencer && echo keep >.git/sequencer/todo &&
	git rollback --abort &&
	test_path_is_file .git/BISECT_LOG &&
	test_path_is_file .git/sequencer/todo &&
	test_path_is_missing .git/REVERT_HEAD &&
	rm -rf .git/BISECT_LOG .git/sequencer)
'

test_expect_success 'the state is per worktree' '
	(cd repo &&
	git checkout -q main &&
	git worktree add -q ../wt -b wtb Y &&
	cd ../wt &&
	test_expect_code 1 git rollback revert X &&
	gd=$(git rev-parse --git-dir) &&
	test_path_is_file "$gd/release-state/revert" &&
	test_path_is_file "$gd/REVERT_HEAD" &&
	cd ../repo &&
	test_path_is_missing .git/release-state &&
	test_expect_code 1 git rollback --continue 2>err &&
	grep "no rollback revert in progress" err &&
	cd ../wt &&
	git rollback --abort &&
	test_cmp_rev HEAD Y &&
	test_must_be_empty "$(git status --porcelain)")
'

test_expect_success 'progress as git shows it: on a terminal, after the delay' '
	(cd repo &&
	git checkout -q -B tty Y &&
	GIT_PROGRESS_DELAY=0 &&
	export GIT_PROGRESS_DELAY &&
	script -qec "git rollback revert drop..Y" /dev/null >out 2>&1 || true &&
	tr "\r" "\n" <out >lines &&
	grep -x "Reverting commits:   0% (0/2)" lines &&
	grep -x "Reverting commits:  50% (1/2)" lines &&
	grep "^Reverting commits: 100% (2/2), done\.$(printf "\r")*\$" lines &&
	test $(git rev-list --count Y..tty) = 2)
'

test_expect_success 'no progress with -q, off a terminal, or before the delay' '
	(cd repo &&
	git checkout -q -B tty2 Y &&
	GIT_PROGRESS_DELAY=0 script -qec "git rollback revert -q drop..Y" \
		/dev/null >out 2>&1 || true &&
	! grep "Reverting" out &&
	test $(git rev-list --count Y..tty2) = 2 &&
	git checkout -q -B tty3 Y &&
	GIT_PROGRESS_DELAY=0 git rollback revert drop..Y >out 2>err &&
	! grep "Reverting" err &&
	git checkout -q -B tty4 Y &&
	GIT_PROGRESS_DELAY=3600 script -qec "git rollback revert drop..Y" \
		/dev/null >out 2>&1 || true &&
	! grep "Reverting commits" out &&
	test $(git rev-list --count Y..tty4) = 2)
'

test_expect_success 'the stopped branch must be the one checked out' '
	(cd repo &&
	git checkout -q -B away Y &&
	test_expect_code 1 git rollback revert X &&
	git symbolic-ref HEAD refs/heads/tty &&
	save_state &&
	test_expect_code 1 git rollback --continue 2>err &&
	test_expect_code 1 git rollback --abort 2>>err &&
	test_state_unchanged &&
	grep "the stopped revert is on .away., which is not checked out" err &&
	git symbolic-ref HEAD refs/heads/away &&
	git rollback --abort &&
	test_cmp_rev HEAD Y)
'

test_expect_success 'a bare repository: the branch is updated in memory' '
	git clone -q --bare repo bare.git &&
	(cd bare.git &&
	old=$(git rev-parse Y) &&
	git update-ref refs/heads/main Y && git symbolic-ref HEAD refs/heads/main &&
	git rollback revert main~1..main >../out &&
	test "$(git rev-parse main^{tree})" = "$(git rev-parse X^{tree})" &&
	grep "^undo with: git update-ref refs/heads/main $old $(git rev-parse main)$" ../out &&
	git fsck 2>../err >/dev/null && test_must_be_empty ../err)
'

# no path the revert changes is new to the tree: nothing can be in the
# way; an untracked file beside one it deletes stays, its directory too
test_expect_success 'a revert that only changes and deletes tracked files keeps untracked files beside them' '
	(cd repo &&
	git checkout -q -B keep Y &&
	mkdir -p d && echo new >d/new && echo two >d/two &&
	git add d && test_tick && git commit -q -m "add d/new" && git tag addnew &&
	echo mine >d/mine && echo notes >notes.untracked &&
	git rollback revert -q addnew &&
	test_path_is_missing d/new &&
	test_path_is_missing d/two &&
	echo mine >expect && test_cmp expect d/mine &&
	echo notes >expect && test_cmp expect notes.untracked &&
	test "$(git rev-parse HEAD^{tree})" = "$(git rev-parse Y^{tree})" &&
	git status --porcelain -- d notes.untracked >actual &&
	printf "%s\n" "?? d/" "?? notes.untracked" >expect &&
	test_cmp expect actual &&
	rm -rf d notes.untracked)
'

# the merged tree is written in git's order, where a directory sorts as
# if its name ended with "/": "a" the directory after "a.txt", before
# "a0"; and a file that becomes a directory and back
test_expect_success 'the trees a revert writes are in git order, as git revert writes them' '
	(cd repo &&
	git checkout -q -B order Y &&
	mkdir -p a && echo in >a/in && echo dot >a.txt && echo zero >a0 &&
	echo file >x &&
	git add . && test_tick && git commit -q -m "a, a.txt, a0, x" &&
	echo more >a.b && echo in >a/b &&
	git add -A . && test_tick && git commit -q -m "a.b and a/b" &&
	rm x && mkdir x && echo now >x/dir &&
	git add -A . && test_tick && git commit -q -m "x a directory" &&
	compare_with_git HEAD~1 &&
	compare_with_git HEAD &&
	compare_with_git HEAD~3..HEAD)
'

# core.looseCompression=0 wins over core.compression=9: the new commit is
# packed (not loose) and stored, its size in the pack above its size
test_expect_success 'the pack of new objects: compressed as configured, a bad level refused before anything' '
	(cd repo &&
	git checkout -q -B z Y &&
	save_state &&
	packs=$(ls .git/objects/pack | wc -l) &&
	test_expect_code 128 git -c core.compression=12 rollback revert drop 2>err &&
	grep "^fatal: bad zlib compression level .12. in core.compression" err &&
	test_state_unchanged &&
	test "$(ls .git/objects/pack | wc -l)" = "$packs" &&
	test_expect_code 128 git -c core.looseCompression=fast rollback revert drop 2>err &&
	grep "^fatal: bad zlib compression level .fast. in core.looseCompression" err &&
	test_state_unchanged &&
	git -c core.compression=9 -c core.looseCompression=0 rollback revert -q drop &&
	echo s >expect && git show HEAD:sub/s >actual && test_cmp expect actual &&
	test_cmp expect sub/s &&
	h=$(git rev-parse HEAD) &&
	test_path_is_missing .git/objects/$(echo $h | cut -c1-2)/$(echo $h | cut -c3-) &&
	for f in .git/objects/pack/*.pack
	do
		git verify-pack -v "$f" || return 1
	done >verify &&
	awk -v h=$h "\$1 == h && \$2 == \"commit\" { print (\$4 > \$3) }" verify >actual &&
	echo 1 >expect && test_cmp expect actual &&
	git fsck 2>err >/dev/null && test_must_be_empty err)
'

test_done
