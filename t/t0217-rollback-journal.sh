#!/bin/sh

test_description='git rollback keeps its stopped state in the one journal

A rollback under way and a revert sequence stopped on a conflict are the
journal in <git dir>/release-state (op rollback, revert, restore), the
revert sequence'"'"'s todo list a file beside it.  A rollback-state/ of
an older version is refused by name by every mutating command and by
--continue and --abort, and never removed.'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh

# everything a refusal must leave as it was, here and on the remote
# (but the caches of the remote a deploy fetches before it refuses)
all_state () {
	git for-each-ref --format="%(refname) %(objectname)" |
		grep -v -e "^refs/remotes/" -e "^refs/deploy-remotes/" &&
	git -C ../remote.git for-each-ref --format="%(refname) %(objectname)" &&
	git symbolic-ref HEAD && git rev-parse HEAD &&
	git ls-files -s && git status --porcelain --untracked-files=all &&
	find .git/rollback-state .git/release-state -type f 2>/dev/null | sort &&
	cat .git/rollback-state/* 2>/dev/null
}

test_expect_success 'setup: the shop deployed at v1.2.4, pushed' '
	setup_shop &&
	git release deploy v1.2.4 -q -m "release day" --push &&
	git config deploy.production.command "echo \"\$RELEASE_TAG \$DEPLOY_KIND\" >>\"\$TRASH_DIRECTORY/hook.log\""
'

for f in rollback state
do
	test_expect_success "a rollback-state/$f of an older version: refused by name everywhere, never removed" '
		mkdir .git/rollback-state &&
		printf "target v1.2.3\nfrom v1.2.4\n" >.git/rollback-state/'$f' &&
		all_state >../before.state &&
		for mode in --continue --abort --skip
		do
			test_expect_code 1 git rollback $mode 2>err &&
			grep "^error: .*rollback-state. is the state of a rollback or revert stopped by an older version" err &&
			grep "^hint: finish or abort it with \"git rollback --continue\" or \"git rollback --abort\" of the version that started it, or remove that directory" err ||
			return 1
		done &&
		test_expect_code 1 git rollback v1.2.3 -m probe --ignore-migrations 2>err &&
		grep "^error: cannot roll back: a rollback.* of an older version (rollback-state in the git dir) is in progress" err &&
		grep "^hint: finish it with \"git rollback --continue\" or \"git rollback --abort\" of the version that started it, or remove \"rollback-state\" first" err &&
		test_expect_code 1 git rollback revert HEAD 2>err &&
		grep "^error: cannot revert: .*older version" err &&
		test_expect_code 1 git release deploy v1.2.3 -m probe 2>err &&
		grep "^error: cannot deploy: .*older version" err &&
		test_expect_code 1 git release yank v1.2.0 -m probe 2>err &&
		grep "older version" err &&
		test_expect_code 1 git hotfix start probe v1.2.4 2>err &&
		grep "older version" err &&
		all_state >../after.state &&
		test_cmp ../before.state ../after.state &&
		test_path_is_missing ../hook.log &&
		rm -r .git/rollback-state
	'
done

test_expect_success 'the rollback-state/ removed: the rollback runs, no state left' '
	git rollback v1.2.3 -m "login broken" --ignore-migrations >out 2>err &&
	grep "^rolled back production from v1.2.4 to v1.2.3 (branch)" out &&
	echo "v1.2.3 rollback" >expect && test_cmp expect ../hook.log &&
	test_path_is_missing .git/release-state &&
	test_path_is_missing .git/rollback-state
'

test_done
