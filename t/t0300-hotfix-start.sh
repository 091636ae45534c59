#!/bin/sh

test_description='git hotfix start: base, branch, config, refusals'

. ./test-lib.sh

# release <version>: a commit tagged as the suite would tag it
release () {
	test_commit "release $1" "rel.t" "$1" &&
	git tag -a -m "Release v$1" "v$1"
}

test_expect_success 'setup: releases on main, a bare remote' '
	git init -q --bare remote.git &&
	git init -q repo &&
	cd repo &&
	printf "%s\n" err out expect actual "*.rev" >.git/info/exclude &&
	git remote add origin ../remote.git &&
	release 1.0.0 &&
	release 1.1.0 &&
	release 1.2.0 &&
	release 1.2.1 &&
	test_commit "feat: between" &&
	release 1.3.0 &&
	release 1.4.0-rc.1 &&
	test_commit "work in progress" &&
	git push -q origin main "refs/tags/*"
'

test_expect_success 'start from a tag several releases back' '
	git hotfix start old v1.1.0 >out &&
	test_cmp_rev hotfix/old v1.1.0^{commit} &&
	test "$(git symbolic-ref HEAD)" = refs/heads/hotfix/old &&
	test "$(git config branch.hotfix/old.hotfixBase)" = v1.1.0 &&
	test "$(cat rel.t)" = 1.1.0 &&
	grep "^switched to a new branch .hotfix/old. at v1.1.0 " out
'

test_expect_success 'the branch reflog names the command' '
	git reflog show --format=%gs hotfix/old >actual &&
	echo "hotfix start: hotfix/old at v1.1.0" >expect &&
	test_cmp expect actual
'

test_expect_success 'the printed undo line puts everything back' '
	grep "^undo: git switch main && git branch -D hotfix/old\$" out &&
	git switch -q main &&
	git branch -D hotfix/old >/dev/null &&
	test_must_fail git config branch.hotfix/old.hotfixBase &&
	test_must_fail git rev-parse -q --verify hotfix/old
'

test_expect_success 'no log, no production branch: the latest stable release' '
	git hotfix start dflt >out 2>err &&
	test_cmp_rev hotfix/dflt v1.3.0^{commit} &&
	test "$(git config branch.hotfix/dflt.hotfixBase)" = v1.3.0 &&
	grep "base: v1.3.0 (the newest release on the production branch)" err &&
	git switch -q main
'

test_expect_success 'no log: the newest release on the production branch' '
	git branch production v1.2.1 &&
	git hotfix start onprod >out 2>err &&
	test_cmp_rev hotfix/onprod v1.2.1^{commit} &&
	grep "base: v1.2.1 (the newest release on the production branch)" err &&
	git switch -q main
'

test_expect_success 'the default base is the version running in production' '
	git release deploy v1.2.0 --no-hook --push >out 2>err &&
	git hotfix start prod >out 2>err &&
	test_cmp_rev hotfix/prod v1.2.0^{commit} &&
	test "$(git config branch.hotfix/prod.hotfixBase)" = v1.2.0 &&
	grep "base: v1.2.0 (running in production)" err &&
	git switch -q main
'

test_expect_success 'the running version is fetched from the remote first' '
	git clone -q ../remote.git ../colleague &&
	(cd ../colleague && git release deploy v1.2.1 --no-hook --push) >out 2>err &&
	git hotfix start fetched >out 2>err &&
	test_cmp_rev hotfix/fetched v1.2.1^{commit} &&
	grep "base: v1.2.1 (running in production)" err &&
	git switch -q main
'

test_expect_success '--no-fetch uses the local log only' '
	(cd ../colleague && git release deploy v1.3.0 --no-hook --push) >out 2>err &&
	git hotfix start nofetch --no-fetch >out 2>err &&
	test_cmp_rev hotfix/nofetch v1.2.1^{commit} &&
	git switch -q main
'

test_expect_success 'start from a commit records the commit id' '
	c=$(git rev-parse ":/feat: between") &&
	git hotfix start at-commit "$c" &&
	test_cmp_rev hotfix/at-commit "$c" &&
	test "$(git config branch.hotfix/at-commit.hotfixBase)" = "$c" &&
	git switch -q main
'

test_expect_success 'a base named by its version without the prefix' '
	git hotfix start noprefix 1.2.0 &&
	test "$(git config branch.hotfix/noprefix.hotfixBase)" = v1.2.0 &&
	git switch -q main
'

test_expect_success 'a name given with the prefix is not doubled' '
	git hotfix start hotfix/twice v1.2.1 &&
	test_cmp_rev hotfix/twice v1.2.1^{commit} &&
	test_must_fail git rev-parse -q --verify hotfix/hotfix/twice &&
	git switch -q main
'

test_expect_success 'hotfix.branchPrefix is honoured, also through git -c' '
	git -c hotfix.branchPrefix=fix/ hotfix start pfx v1.2.1 &&
	test_cmp_rev fix/pfx v1.2.1^{commit} &&
	test "$(git config branch.fix/pfx.hotfixBase)" = v1.2.1 &&
	git switch -q main
'

test_expect_success 'start from a detached HEAD says how to go back' '
	git switch -q --detach v1.0.0 &&
	git hotfix start det v1.2.1 >out &&
	grep "^undo: git switch --detach $(git rev-parse v1.0.0^{commit}) && git branch -D hotfix/det\$" out &&
	git switch -q main
'

test_expect_success '--dry-run prints the plan and changes nothing' '
	save_state &&
	git hotfix start dry v1.2.0 --dry-run >out &&
	test_state_unchanged &&
	cat >expect <<-EOF &&
	would create branch hotfix/dry at $(git rev-parse v1.2.0^{commit}) (v1.2.0)
	would set branch.hotfix/dry.hotfixBase = v1.2.0
	would check out hotfix/dry
	EOF
	test_cmp expect out
'

test_expect_success 'refused: an existing branch (1), nothing changes' '
	save_state &&
	test_expect_code 1 git hotfix start dflt v1.2.0 2>err &&
	test_state_unchanged &&
	grep "^error: branch .hotfix/dflt. already exists" err
'

test_expect_success 'refused: a dirty worktree (1), nothing changes' '
	echo dirty >>rel.t &&
	save_state &&
	test_expect_code 1 git hotfix start dirty v1.2.0 2>err &&
	test_state_unchanged &&
	grep "^error: cannot start a hotfix: you have unstaged changes" err &&
	git checkout -q rel.t
'

test_expect_success 'refused: staged changes (1), nothing changes' '
	echo staged >>rel.t && git add rel.t &&
	save_state &&
	test_expect_code 1 git hotfix start staged v1.2.0 2>err &&
	test_state_unchanged &&
	grep "index contains uncommitted changes" err &&
	git reset -q --hard
'

test_expect_success 'refused: an invalid name (128), nothing changes' '
	save_state &&
	test_expect_code 128 git hotfix start "bad..name" v1.2.0 2>err &&
	grep "^fatal: .bad..name. is not a valid hotfix name" err &&
	test_expect_code 128 git hotfix start "sp ace" 2>err &&
	test_expect_code 128 git hotfix start "x.lock" 2>err &&
	test_expect_code 128 git hotfix start "hotfix/" 2>err &&
	test_state_unchanged
'

test_expect_success 'refused: an unknown base (128), nothing changes' '
	save_state &&
	test_expect_code 128 git hotfix start nob v9.9.9 2>err &&
	grep "^fatal: base .v9.9.9. is neither a release nor a commit" err &&
	test_expect_code 128 git hotfix start nob no-such-thing 2>err &&
	test_state_unchanged
'

test_expect_success 'arguments are checked before the tree: bad name on a dirty tree is 128' '
	echo dirty >>rel.t &&
	test_expect_code 128 git hotfix start "a..b" v1.2.0 2>err &&
	grep "not a valid hotfix name" err &&
	git checkout -q rel.t
'

test_expect_success 'refused while a merge is in progress (1)' '
	git switch -q -c side v1.2.0 && echo side >rel.t && git commit -qam side &&
	git switch -q main &&
	test_must_fail git merge -q side >/dev/null 2>&1 &&
	save_state &&
	test_expect_code 1 git hotfix start inmerge v1.2.0 2>err &&
	test_state_unchanged &&
	grep "a merge is in progress" err &&
	git merge --abort
'

test_expect_success 'refused: an untracked file in the way (1), nothing changes' '
	git switch -q -c extra v1.0.0 && test_commit "only here" only.t &&
	git tag v1.0.1-pre && git switch -q main &&
	echo mine >only.t &&
	save_state &&
	test_expect_code 1 git hotfix start inway v1.0.1-pre 2>err &&
	test_state_unchanged &&
	grep "cannot check out" err &&
	rm only.t
'

test_expect_success 'usage errors (129)' '
	test_expect_code 129 git hotfix start 2>err &&
	grep "the hotfix needs a name" err &&
	test_expect_code 129 git hotfix start a b c 2>err &&
	test_expect_code 129 git hotfix start --bogus x 2>err &&
	test_expect_code 129 git hotfix bogus 2>err
'

test_expect_success 'no release at all and no base: refused (1)' '
	git init -q ../empty && (
		cd ../empty &&
		test_commit one &&
		save_state &&
		test_expect_code 1 git hotfix start x 2>"$TRASH_DIRECTORY/err" &&
		test_state_unchanged &&
		grep "no release to start the hotfix from" "$TRASH_DIRECTORY/err"
	)
'

test_expect_success 'outside a repository: fatal (128)' '
	mkdir -p ../norepo && (
		cd ../norepo &&
		GIT_CEILING_DIRECTORIES=$(pwd)/.. &&
		export GIT_CEILING_DIRECTORIES &&
		test_expect_code 128 git hotfix start x v1.0.0 2>err &&
		grep "^fatal: not a git repository" err
	)
'

test_done
