#!/bin/sh

test_description='git rollback revert: merges, --mainline, --first-parent'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY/lib-revert.sh"

test_expect_success 'setup: releases with merged feature branches' '
	git init -q repo &&
	(cd repo &&
	ignore_scratch &&
	test_commit base app.txt "v1" && git tag v1.0.0 &&
	git checkout -q -b feat1 &&
	test_commit "feat: one" one.txt && test_commit "feat: one more" one.txt "1b" &&
	git checkout -q main &&
	test_commit "fix: app" app.txt "v1 fixed" &&
	test_tick && git merge -q --no-ff -m "Merge branch feat1" feat1 &&
	git checkout -q -b feat2 main~1 &&
	test_commit "feat: two" two.txt &&
	git checkout -q main &&
	test_tick && git merge -q --no-ff -m "Merge branch feat2" feat2 &&
	test_commit "docs" README "readme" &&
	git tag v1.1.0)
'

test_expect_success 'a merge without --mainline is refused like git (128)' '
	(cd repo &&
	save_state &&
	test_expect_code 128 git rollback revert v1.0.0..v1.1.0 2>err &&
	test_state_unchanged &&
	grep "^fatal: commit $(git rev-parse v1.1.0~1) is a merge but no --mainline option was given" err)
'

test_expect_success '--mainline 1 on one merge: as git revert -m 1' '
	(cd repo && compare_with_git --mainline 1 v1.1.0~1 &&
	 compare_with_git --mainline 1 v1.1.0~2)
'

test_expect_success '--first-parent over a release range: the target tree' '
	(cd repo &&
	git checkout -q -B fp v1.1.0 &&
	git rollback revert --first-parent -m "bad release" v1.0.0..v1.1.0 &&
	test "$(git rev-parse HEAD^{tree})" = "$(git rev-parse v1.0.0^{tree})" &&
	test $(git rev-list --count v1.1.0..HEAD) = \
		$(git rev-list --first-parent --count v1.0.0..v1.1.0) &&
	git log --format=%B -1 HEAD~1 >msg &&
	cat >expect <<-EOF &&
	Revert "Merge branch feat1"

	This reverts commit $(git rev-parse v1.1.0~2), reversing
	changes made to $(git rev-parse v1.1.0~3).

	Reason: bad release
	EOF
	sed -e "\$d" msg >msg.trim &&
	test_cmp expect msg.trim &&
	test_must_be_empty "$(git status --porcelain)")
'

test_expect_success '--first-parent --squash: one commit, the target tree' '
	(cd repo &&
	git checkout -q -B fps v1.1.0 &&
	git rollback revert --first-parent --squash v1.0.0..v1.1.0 &&
	test_cmp_rev HEAD^ v1.1.0 &&
	test "$(git rev-parse HEAD^{tree})" = "$(git rev-parse v1.0.0^{tree})" &&
	git log -1 --format=%B >msg &&
	grep "^Revert 4 commits$" msg &&
	grep "^$(git rev-parse v1.1.0~1) Merge branch feat2$" msg)
'

test_expect_success '--first-parent with a range that is not an ancestor path' '
	(cd repo &&
	git checkout -q -B fp2 v1.1.0 &&
	git rollback revert --first-parent v1.1.0~2..v1.1.0 &&
	test "$(git rev-parse HEAD^{tree})" = "$(git rev-parse v1.1.0~2^{tree})")
'

test_expect_success '--mainline 2 reverts against the second parent' '
	(cd repo && compare_with_git --mainline 2 v1.1.0~1)
'

test_expect_success 'a parent that does not exist is refused' '
	(cd repo &&
	save_state &&
	test_expect_code 128 git rollback revert --mainline 3 v1.1.0~1 2>err &&
	test_state_unchanged &&
	grep "does not have parent 3" err)
'

test_done
