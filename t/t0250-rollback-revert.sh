#!/bin/sh

test_description='git rollback revert: linear ranges against git revert'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY/lib-revert.sh"

test_expect_success 'setup: a linear history' '
	git init -q repo &&
	(cd repo &&
	ignore_scratch &&
	test_commit base a.txt "1
2
3
4
5" &&
	test_commit "second file" b.txt "b" &&
	printf "1\n2\nthree\n4\n5\n" >a.txt &&
	git add a.txt && test_tick && git commit -q -m "edit a: line 3

A body that git ignores in the subject." &&
	test_commit "third file" c.txt "c" &&
	printf "1\n2\nthree\n4\nfive\n" >a.txt &&
	git add a.txt && test_tick && git commit -q -m "edit a: line 5" &&
	git rm -q b.txt && test_tick && git commit -q -m "remove b" &&
	git tag start)
'

test_expect_success 'one commit: same tree and message as git revert' '
	(cd repo && compare_with_git HEAD~2)
'

test_expect_success 'a range: every step as git revert' '
	(cd repo && compare_with_git HEAD~5..HEAD)
'

test_expect_success 'several arguments: reverted in the order given' '
	(cd repo && compare_with_git HEAD~1 HEAD~3)
'

test_expect_success 'the message is git'"'"'s, then the Reason trailer' '
	(cd repo &&
	git checkout -q -B msg start &&
	git rollback revert -m "broke checkout" start~3 &&
	cat >expect <<-EOF &&
	Revert "edit a: line 3"

	This reverts commit $(git rev-parse start~3).

	Reason: broke checkout
	EOF
	git log -1 --format=%B >actual &&
	sed -e "\$d" actual >actual.trim &&
	test_cmp expect actual.trim &&
	test_cmp_rev HEAD^ start)
'

test_expect_success 'the reflog names the command, the undo line works' '
	(cd repo &&
	git checkout -q -B undo start &&
	git rollback revert start~2..start >out &&
	git reflog -1 --format=%gs refs/heads/undo >reflog &&
	echo "rollback revert: 2 revert commits" >expect &&
	test_cmp expect reflog &&
	grep "^undo with: git reset --keep $(git rev-parse start)$" out &&
	git reset -q --keep start &&
	test_cmp_rev HEAD start &&
	test_must_be_empty "$(git status --porcelain)")
'

test_expect_success '--dry-run prints the plan and changes nothing' '
	(cd repo &&
	git checkout -q -B dry start &&
	save_state &&
	git rollback revert --dry-run start~2..start >out &&
	test_state_unchanged &&
	grep "^would revert 2 commits on dry\$" out &&
	grep "^would update refs/heads/dry $(git rev-parse start) -> (the reverts)\$" out &&
	grep "^revert $(git rev-parse --short=7 start) remove b$" out &&
	grep "^revert $(git rev-parse --short=7 start~1) edit a: line 5$" out &&
	grep "^undo: git reset --keep $(git rev-parse start)\$" out)
'

test_expect_success 'a revert that changes nothing is skipped and reported' '
	(cd repo &&
	git checkout -q -B noop start &&
	test_commit "add d" d.txt d &&
	git rm -q d.txt && test_tick && git commit -q -m "drop d by hand" &&
	before=$(git rev-parse HEAD) &&
	git rollback revert HEAD~1 >out &&
	grep "^skipped $(git rev-parse --short=7 HEAD~1) add d: reverting it changes nothing" out &&
	test_cmp_rev HEAD $before)
'

test_expect_success 'skipped commits among others: the others are reverted' '
	(cd repo &&
	git checkout -q -B noop2 noop &&
	test_commit "edit c" c.txt "c2" &&
	git rollback revert HEAD noop~1 >out &&
	grep "^skipped $(git rev-parse --short=7 noop~1) add d" out &&
	grep "(1 revert commit, 1 skipped)" out &&
	test $(git rev-list --count noop2@{1}..HEAD) = 1 &&
	git log -1 --format=%s >subject &&
	echo "Revert \"edit c\"" >expect &&
	test_cmp expect subject)
'

test_expect_success '-q prints nothing, progress only on a terminal' '
	(cd repo &&
	git checkout -q -B quiet start &&
	git rollback revert -q start~2..start >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	git checkout -q -B quiet2 start &&
	git rollback revert start~2..start >out 2>err &&
	! grep Reverting err)
'

test_expect_success '--squash: one commit listing every reverted commit' '
	(cd repo &&
	git checkout -q -B squash start &&
	git rollback revert --squash -m "bad release" start~3..start &&
	test_cmp_rev HEAD^ start &&
	test "$(git rev-parse HEAD^{tree})" = "$(git rev-parse start~3^{tree})" &&
	cat >expect <<-EOF &&
	Revert 3 commits

	This reverts the following commits:

	$(git rev-parse start) remove b
	$(git rev-parse start~1) edit a: line 5
	$(git rev-parse start~2) third file

	Reason: bad release
	EOF
	git log -1 --format=%B >actual &&
	sed -e "\$d" actual >actual.trim &&
	test_cmp expect actual.trim)
'

test_expect_success 'a revert of a revert says Reapply (git >= 2.43)' '
	(cd repo &&
	git checkout -q -B reapply start &&
	git rollback revert HEAD &&
	git rollback revert HEAD &&
	git log -1 --format=%s >actual &&
	echo "Reapply \"remove b\"" >expect &&
	test_cmp expect actual &&
	test "$(git rev-parse HEAD^{tree})" = "$(git rev-parse start^{tree})")
'

test_expect_success 'a dirty worktree is refused, nothing changes' '
	(cd repo &&
	git checkout -q -B dirty start &&
	echo local >>a.txt &&
	save_state &&
	test_must_fail git rollback revert HEAD 2>err &&
	test_state_unchanged &&
	grep "^error: cannot revert: you have unstaged changes" err &&
	git checkout -q -- a.txt &&
	echo staged >>c.txt && git add c.txt &&
	save_state &&
	test_must_fail git rollback revert HEAD 2>err &&
	test_state_unchanged &&
	grep "^error: cannot revert: your index contains uncommitted changes" err &&
	git reset -q --hard)
'

test_expect_success 'an operation in progress is refused, nothing changes' '
	(cd repo &&
	git checkout -q -B busy start &&
	git rev-parse HEAD >.git/REVERT_HEAD &&
	save_state &&
	test_must_fail git rollback revert HEAD 2>err &&
	test_state_unchanged &&
	grep "^error: cannot revert: a revert is in progress" err &&
	rm .git/REVERT_HEAD &&
	mkdir .git/rebase-merge &&
	save_state &&
	test_must_fail git rollback revert HEAD 2>err &&
	test_state_unchanged &&
	grep "a rebase is in progress" err &&
	rmdir .git/rebase-merge)
'

test_expect_success '--continue, --skip, --abort with nothing in progress' '
	(cd repo &&
	save_state &&
	test_expect_code 1 git rollback --continue 2>err &&
	grep "^error: no rollback revert in progress" err &&
	test_expect_code 1 git rollback --skip 2>err &&
	grep "^error: no rollback revert in progress" err &&
	test_expect_code 1 git rollback --abort 2>err &&
	grep "^error: no rollback revert in progress" err &&
	test_state_unchanged)
'

test_expect_success 'bad input: 128; usage errors: 129; nothing changes' '
	(cd repo &&
	save_state &&
	test_expect_code 128 git rollback revert nosuchcommit 2>err &&
	grep "^fatal: .nosuchcommit. is not a valid commit" err &&
	test_expect_code 128 git rollback revert start...start~2 2>err &&
	grep "symmetric" err &&
	test_expect_code 129 git rollback revert 2>err &&
	grep "^usage: " err &&
	test_expect_code 129 git rollback revert --bogus HEAD 2>err &&
	test_expect_code 129 git rollback --continue extra 2>err &&
	test_expect_code 128 git rollback revert --mainline 1 HEAD 2>err &&
	grep "is not a merge" err &&
	test_state_unchanged)
'

test_expect_success 'a detached HEAD is refused' '
	(cd repo &&
	git checkout -q --detach start &&
	save_state &&
	test_must_fail git rollback revert HEAD 2>err &&
	test_state_unchanged &&
	grep "HEAD is detached" err &&
	git checkout -q main)
'

test_done
