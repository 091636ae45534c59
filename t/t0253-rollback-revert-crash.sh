#!/bin/sh

test_description='git rollback revert: kill -9 in the write phase, then --abort or --continue

GIT_ROLLBACK_TEST_KILL=<step> makes the engine SIGKILL itself right after
that step of its write phase: state, checkout, ref, conflict, stopped.'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY/lib-revert.sh"

test_expect_success 'setup: a range with a conflict in the middle' '
	git init -q repo &&
	(cd repo &&
	ignore_scratch &&
	printf "1\n2\n3\n4\n5\n" >f &&
	echo g >g && mkdir d && echo x >d/x &&
	git add . && test_tick && git commit -q -m base &&
	git tag base &&
	sed -e "s/^3\$/three/" f >t && mv t f &&
	test_tick && git commit -q -a -m "X: line 3" && git tag X &&
	echo y >d/y && git add d && test_tick && git commit -q -m "W: add d/y" &&
	git tag W &&
	sed -e "s/^three\$/THREE/" f >t && mv t f &&
	test_tick && git commit -q -a -m "Y: line 3 again" &&
	echo g2 >g && git rm -q d/x && test_tick && git commit -q -a -m "Z: g, no d/x" &&
	git tag Z &&
	git checkout -q -B expect-clean Z &&
	git revert --no-edit Z W >/dev/null &&
	git rev-parse HEAD^{tree} >../clean.tree &&
	git checkout -q main)
'

# clean range Z W: state, checkout, ref; conflicting Z X W: all five
for step in state checkout ref
do
	test_expect_success "killed after '$step' (clean range), then --abort" '
		(cd repo &&
		git checkout -q -B k-$step Z &&
		worktree_state >../before.state &&
		test_expect_code 137 env GIT_ROLLBACK_TEST_KILL='$step' \
			git rollback revert Z W &&
		test_path_is_file .git/release-state/revert &&
		git rollback --abort &&
		worktree_state >../after.state &&
		test_cmp ../before.state ../after.state &&
		test_cmp_rev HEAD Z &&
		test_path_is_missing .git/release-state &&
		test_lock_free)
	'

	test_expect_success "killed after '$step' (clean range), then --continue" '
		(cd repo &&
		git checkout -q -B kc-$step Z &&
		test_expect_code 137 env GIT_ROLLBACK_TEST_KILL='$step' \
			git rollback revert Z W &&
		git rollback --continue &&
		git rev-parse HEAD^{tree} >actual.tree &&
		test_cmp ../clean.tree actual.tree &&
		test $(git rev-list --count Z..HEAD) = 2 &&
		test_must_be_empty "$(git status --porcelain)" &&
		test_path_is_missing .git/release-state)
	'
done

for step in state checkout ref conflict stopped
do
	test_expect_success "killed after '$step' (conflict), then --abort" '
		(cd repo &&
		git checkout -q -B kx-$step Z &&
		worktree_state >../before.state &&
		test_expect_code 137 env GIT_ROLLBACK_TEST_KILL='$step' \
			git rollback revert Z X W &&
		git rollback --abort &&
		worktree_state >../after.state &&
		test_cmp ../before.state ../after.state &&
		test_cmp_rev HEAD Z &&
		test_path_is_missing .git/REVERT_HEAD &&
		test_path_is_missing .git/MERGE_MSG &&
		test_path_is_missing .git/release-state)
	'

	test_expect_success "killed after '$step' (conflict), then --continue" '
		(cd repo &&
		git checkout -q -B kxc-$step Z &&
		test_expect_code 137 env GIT_ROLLBACK_TEST_KILL='$step' \
			git rollback revert Z X W &&
		test_might_fail git rollback --continue &&
		test_path_is_file .git/REVERT_HEAD &&
		grep "^<<<<<<< HEAD" f &&
		test_cmp_rev HEAD^ Z &&
		printf "1\n2\n3\n4\n5\n" >f && git add f &&
		git rollback --continue &&
		test $(git rev-list --count Z..HEAD) = 3 &&
		test "$(git rev-parse HEAD:f)" = "$(git rev-parse base:f)" &&
		test_path_is_missing d/y &&
		test_must_be_empty "$(git status --porcelain)" &&
		test_path_is_missing .git/release-state)
	'
done

test_expect_success 'killed inside --continue, then --continue again' '
	(cd repo &&
	git checkout -q -B kk Z &&
	test_expect_code 1 git rollback revert Z X W &&
	printf "1\n2\n3\n4\n5\n" >f && git add f &&
	test_expect_code 137 env GIT_ROLLBACK_TEST_KILL=ref \
		git rollback --continue &&
	git rollback --continue &&
	test $(git rev-list --count Z..HEAD) = 3 &&
	test_path_is_missing .git/REVERT_HEAD &&
	test_path_is_missing .git/release-state &&
	test_must_be_empty "$(git status --porcelain)")
'

test_expect_success 'killed inside --continue, then --abort restores the start' '
	(cd repo &&
	git checkout -q -B ka Z &&
	worktree_state >../before.state &&
	test_expect_code 1 git rollback revert Z X W &&
	printf "1\n2\n3\n4\n5\n" >f && git add f &&
	test_expect_code 137 env GIT_ROLLBACK_TEST_KILL=checkout \
		git rollback --continue &&
	git rollback --abort &&
	worktree_state >../after.state &&
	test_cmp ../before.state ../after.state &&
	test_path_is_missing .git/release-state)
'

test_expect_success 'killed inside --skip, then --continue finishes the rest' '
	(cd repo &&
	git checkout -q -B ks Z &&
	test_expect_code 1 git rollback revert Z X W &&
	test_expect_code 137 env GIT_ROLLBACK_TEST_KILL=checkout \
		git rollback --skip &&
	git rollback --continue &&
	git log --format=%s Z..HEAD >actual &&
	cat >expect <<-EOF &&
	Revert "W: add d/y"
	Revert "Z: g, no d/x"
	EOF
	test_cmp expect actual &&
	test_path_is_missing .git/release-state &&
	test_must_be_empty "$(git status --porcelain)")
'

test_expect_success 'killed inside --skip, then --abort restores the start' '
	(cd repo &&
	git checkout -q -B ksa Z &&
	worktree_state >../before.state &&
	test_expect_code 1 git rollback revert Z X W &&
	test_expect_code 137 env GIT_ROLLBACK_TEST_KILL=ref \
		git rollback --skip &&
	git rollback --abort &&
	worktree_state >../after.state &&
	test_cmp ../before.state ../after.state)
'

test_expect_success 'git fsck is clean after all of it' '
	(cd repo && git fsck 2>err >/dev/null && test_must_be_empty err)
'

test_done
