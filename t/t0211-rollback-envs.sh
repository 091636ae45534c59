#!/bin/sh

test_description='git rollback per environment: each moves its own branch, or none'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh

# every ref of the bare remote, "name id" a line
remote_refs () {
	git --git-dir=../remote.git for-each-ref --format="%(refname) %(objectname)"
}

test_expect_success 'setup: production, staging with a branch, qa without' '
	setup_shop &&
	git branch staging v1.2.4 &&
	git push -q origin staging &&
	git config deploy.staging.branch staging &&
	git config deploy.qa.command "echo \"\$DEPLOY_ENV \$RELEASE_TAG\" >>\"\$TRASH_DIRECTORY/qa.hook\"" &&
	for env in production staging qa
	do
		test_tick &&
		git release deploy v1.2.4 --env $env --no-hook --push \
			>/dev/null 2>&1 || return 1
	done &&
	git clone -q ../remote.git ../other &&
	printf "%s\n" out err expect actual >../other/.git/info/exclude
'

test_expect_success 'rollback --reset --push of an environment without a branch is refused; nothing changes, here or there' '
	before=$(remote_refs) &&
	fetched &&
	echo "scratch" >notes.txt &&
	save_state &&
	for s in --reset --revert
	do
		test_expect_code 1 git rollback --env qa $s --push -m x -y \
			>out 2>err &&
		test_must_be_empty out &&
		grep "^error: environment .qa. has no branch to ${s#--}\$" err &&
		grep "^hint: set deploy.qa.branch (rollback.branch for production), or use --branch or --deploy-only\$" err ||
		return 1
	done &&
	test_state_unchanged &&
	test "$(remote_refs)" = "$before" &&
	test_path_is_missing "$TRASH_DIRECTORY/qa.hook" &&
	rm notes.txt
'

test_expect_success 'the dry run of a staging reset names the environment and its branch' '
	save_state &&
	git rollback --env staging --reset --push --dry-run -m "staging broken" >out &&
	test_state_unchanged &&
	grep "^rollback staging: v1.2.4 -> v1.2.3 (reset)\$" out &&
	grep "^would move staging to v1.2.3\$" out &&
	grep "^would update refs/heads/staging $(full v1.2.4) -> $(full v1.2.3)\$" out &&
	grep "^would run: git push --porcelain --atomic .*refs/heads/staging:refs/heads/staging" out &&
	! grep "refs/heads/production" out
'

test_expect_success 'rollback --env staging --reset --push moves staging, never production' '
	prod=$(git rev-parse production) &&
	rprod=$(remote_rev refs/heads/production) &&
	test_tick &&
	git rollback --env staging --reset --push -m "staging broken" -y \
		>out 2>err &&
	test_cmp_rev staging v1.2.3^{commit} &&
	test "$(remote_rev refs/heads/staging)" = "$(full v1.2.3)" &&
	test "$(git rev-parse production)" = "$prod" &&
	test "$(remote_rev refs/heads/production)" = "$rprod" &&
	test "$(remote_rev refs/heads/production)" = "$(full v1.2.4)" &&
	git reflog show --format=%gs -1 staging >actual &&
	echo "rollback: v1.2.4 -> v1.2.3 on staging" >expect &&
	test_cmp expect actual &&
	log_entry staging >actual &&
	grep "^Kind: rollback\$" actual &&
	grep "^Strategy: reset\$" actual &&
	grep "^From: v1.2.4\$" actual &&
	test "$(remote_rev refs/deploy/log/staging)" = "$(git rev-parse refs/deploy/log/staging)" &&
	grep "^undo: git branch -f staging $(full v1.2.4) && git push --force-with-lease=refs/heads/staging:$(full v1.2.3) origin $(full v1.2.4):refs/heads/staging && git release deploy v1.2.4 --env staging --force --lift-hold\$" out &&
	git status --porcelain >actual &&
	test_must_be_empty actual
'

test_expect_success 'the colleague sees it after the fetch: staging runs v1.2.3, production v1.2.4' '
	(cd ../other &&
	 git release current --env staging >../out &&
	 git release current >>../out) &&
	printf "v1.2.3\nv1.2.4\n" >expect &&
	test_cmp expect ../out
'

test_expect_success '--branch for another environment: rollback/<env>/<tag>' '
	test_tick &&
	git rollback --env qa --branch --push -m "qa broken" >out 2>err &&
	test_cmp_rev rollback/qa/v1.2.4 v1.2.3^{commit} &&
	test "$(remote_rev refs/heads/rollback/qa/v1.2.4)" = "$(full v1.2.3)" &&
	test_must_fail git rev-parse -q --verify refs/heads/rollback/v1.2.4 &&
	echo "qa v1.2.3" >expect &&
	test_cmp expect "$TRASH_DIRECTORY/qa.hook" &&
	grep "^undo: git branch -D rollback/qa/v1.2.4 && git push origin --delete refs/heads/rollback/qa/v1.2.4 && git release deploy v1.2.4 --env qa --force --lift-hold\$" out &&
	git reflog show --format=%gs -1 rollback/qa/v1.2.4 >actual &&
	echo "rollback: v1.2.4 -> v1.2.3 on qa" >expect &&
	test_cmp expect actual
'

test_expect_success '--branch for production: rollback/<tag>, from the colleague' '
	(cd ../other && test_tick &&
	 git rollback --branch --push -m "prod broken" >../out 2>../err) &&
	git -C ../other rev-parse rollback/v1.2.4 >actual &&
	full v1.2.3 >expect &&
	test_cmp expect actual &&
	test "$(remote_rev refs/heads/rollback/v1.2.4)" = "$(full v1.2.3)" &&
	test "$(remote_rev refs/heads/production)" = "$(full v1.2.4)"
'

test_expect_success 'the plan of a production reset names production and its branch' '
	git fetch -q origin &&
	git rollback check >/dev/null 2>&1;
	git rollback --reset --dry-run -m x --force v1.2.2 --ignore-migrations >out &&
	grep "^rollback production: v1.2.3 -> v1.2.2 (reset)\$" out &&
	grep "^would update refs/heads/production $(full v1.2.4) -> $(full v1.2.2)" out
'

test_expect_success 'deploy.production.branch wins over rollback.branch' '
	git branch live v1.2.4 &&
	git -c deploy.production.branch=live -c rollback.branch=production \
		rollback --reset --dry-run -m x --force v1.2.2 --ignore-migrations >out &&
	grep "^would update refs/heads/live " out &&
	grep "^drops 1 commit not in v1.2.3 (--force)\$" out
'

test_done
