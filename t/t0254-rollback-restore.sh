#!/bin/sh

test_description='git rollback restore: the revert of a revert'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY/lib-revert.sh"

test_expect_success 'setup: a feature, reverted' '
	git init -q repo &&
	(cd repo &&
	ignore_scratch &&
	test_commit base f "1" &&
	test_commit "feat: new checkout" checkout.c "new code" &&
	git tag feature &&
	test_commit later g "g" && git tag later &&
	git rollback revert -m "broke payments" feature &&
	git tag reverted)
'

test_expect_success 'restore re-applies it, says what it restores' '
	(cd repo &&
	git checkout -q -B r1 reverted &&
	git rollback restore -m "fixed upstream" reverted >out &&
	grep "^restoring $(git rev-parse --short=7 feature) feat: new checkout (reverted by $(git rev-parse --short=7 reverted))" out &&
	cat >expect <<-EOF &&
	Reapply "feat: new checkout"

	This reverts commit $(git rev-parse reverted).

	Reason: fixed upstream
	EOF
	git log -1 --format=%B >actual &&
	sed -e "\$d" actual >actual.trim &&
	test_cmp expect actual.trim &&
	test "$(git rev-parse HEAD^{tree})" = "$(git rev-parse later^{tree})" &&
	test_cmp_rev HEAD^ reverted)
'

test_expect_success 'restore of a revert made by git revert' '
	(cd repo &&
	git checkout -q -B r2 later &&
	git revert --no-edit feature >/dev/null &&
	git rollback restore HEAD &&
	git log -1 --format=%s >actual &&
	echo "Reapply \"feat: new checkout\"" >expect &&
	test_cmp expect actual &&
	test "$(git rev-parse HEAD^{tree})" = "$(git rev-parse later^{tree})")
'

test_expect_success 'a commit that is no revert is refused (128), nothing changes' '
	(cd repo &&
	git checkout -q -B r3 reverted &&
	save_state &&
	test_expect_code 128 git rollback restore later 2>err &&
	test_state_unchanged &&
	grep "^fatal: commit $(git rev-parse --short=7 later) is not a revert" err)
'

test_expect_success 'a revert whose change differs from the inverse is refused' '
	(cd repo &&
	git checkout -q -B r4 later &&
	git revert --no-commit feature &&
	echo extra >extra && git add extra &&
	test_tick && git commit -q -m "Revert \"feat: new checkout\"

This reverts commit $(git rev-parse feature)." &&
	save_state &&
	test_expect_code 1 git rollback restore HEAD 2>err &&
	test_state_unchanged &&
	grep "does not undo $(git rev-parse --short=7 feature) exactly" err)
'

test_expect_success 'restore --dry-run changes nothing' '
	(cd repo &&
	git checkout -q -B r5 reverted &&
	save_state &&
	git rollback restore --dry-run reverted >out &&
	test_state_unchanged &&
	grep "^would restore 1 commit on r5\$" out &&
	grep "^would update refs/heads/r5 $(git rev-parse reverted) -> (the reverts)\$" out)
'

test_expect_success 'restore with a conflict stops like any revert' '
	(cd repo &&
	git checkout -q -B r6 reverted &&
	echo "other code" >checkout.c && git add checkout.c &&
	test_tick && git commit -q -m "checkout.c again" &&
	test_expect_code 1 git rollback restore reverted &&
	grep "^Reapply \"feat: new checkout\"" .git/MERGE_MSG &&
	git rollback --abort &&
	test_must_be_empty "$(git status --porcelain)")
'

test_expect_success 'restore: unknown commit is fatal, usage is 129' '
	(cd repo &&
	test_expect_code 128 git rollback restore nosuch 2>err &&
	grep "not a valid commit" err &&
	test_expect_code 129 git rollback restore 2>err &&
	test_expect_code 129 git rollback restore a b 2>err)
'

test_done
