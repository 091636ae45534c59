#!/bin/sh

test_description='release.branch unset: the remote HEAD branch, main, master, the current branch'

. ./test-lib.sh

remote_refs () {
	git -C "$TRASH_DIRECTORY/$1" for-each-ref \
		--format="%(refname) %(objectname)"
}

# hooks <clone>: production and staging, each run written to <clone>.hooks
hooks () {
	for env in production staging
	do
		git -C "$1" config deploy.$env.command \
			"echo \"\$DEPLOY_ENV \$RELEASE_TAG\" >>\"$TRASH_DIRECTORY/$1.hooks\"" ||
		return 1
	done &&
	printf "%s\n" err out expect actual notes.txt >"$1/.git/info/exclude"
}

test_expect_success 'setup: a remote whose branch is master, two clones' '
	git init -q --bare --initial-branch=master remote.git &&
	git clone -q remote.git a 2>/dev/null &&
	hooks a &&
	(cd a &&
	 test_commit "feat: login" login.t &&
	 git tag -a -m "Release v1.0.0" v1.0.0 &&
	 test_commit "feat: search" search.t &&
	 git tag -a -m "Release v1.1.0" v1.1.0 &&
	 git push -q origin master --tags &&
	 test_tick && git release deploy v1.0.0 --env staging --push >/dev/null 2>&1 &&
	 test_tick && git release deploy v1.1.0 --push >/dev/null 2>&1) &&
	git clone -q remote.git b &&
	hooks b &&
	test "$(git -C b symbolic-ref refs/remotes/origin/HEAD)" = refs/remotes/origin/master &&
	test_must_fail git -C a rev-parse -q --verify refs/remotes/origin/HEAD &&
	test_must_fail git -C a rev-parse -q --verify refs/heads/main
'

test_expect_success 'master: hotfix start, then the finish plan names master and why' '
	(cd a && echo draft >notes.txt &&
	 git hotfix start login >out 2>err &&
	 test "$(git rev-parse HEAD)" = "$(git rev-parse v1.1.0^{commit})" &&
	 test_commit "fix: login \$(touch pwned)" login.t v2 &&
	 save_state &&
	 git hotfix finish --push --dry-run >out 2>err &&
	 test_state_unchanged &&
	 head -n 1 out >actual &&
	 echo "release branch: master (release.branch unset: no origin/HEAD, no main; master exists)" >expect &&
	 test_cmp expect actual &&
	 grep "^would merge hotfix/login into master ($(git rev-parse master)) with a merge commit\$" out &&
	 grep "^would run: git push .* refs/tags/v1.1.1:refs/tags/v1.1.1 refs/heads/master:refs/heads/master\$" out)
'

test_expect_success 'master: hotfix finish --push merges into master; the colleague gets it' '
	old=$(git -C a rev-parse master) &&
	(cd a && git hotfix finish --push >out 2>err &&
	 grep "^tagged v1.1.1 " out &&
	 test "$(git symbolic-ref HEAD)" = refs/heads/master &&
	 test "$(git rev-parse master^1)" = "$old" &&
	 test "$(git rev-parse master^2)" = "$(git rev-parse v1.1.1^{commit})" &&
	 test_must_fail git rev-parse -q --verify refs/heads/hotfix/login &&
	 test_must_fail git rev-parse -q --verify refs/heads/main &&
	 echo draft >expect && test_cmp expect notes.txt &&
	 test_path_is_missing pwned) &&
	test "$(git -C remote.git rev-parse master)" = "$(git -C a rev-parse master)" &&
	test "$(git -C remote.git rev-parse v1.1.1)" = "$(git -C a rev-parse v1.1.1)" &&
	test_must_fail git -C remote.git rev-parse -q --verify refs/heads/main &&
	(cd b && git pull -q --ff-only origin master &&
	 git fetch -q --tags &&
	 test "$(git rev-parse master)" = "$(git -C ../a rev-parse master)" &&
	 git release list >out &&
	 grep "^v1.1.1" out &&
	 git release deploy v1.1.1 --env staging --push >out 2>&1 &&
	 echo "staging v1.1.1" >expect && test_cmp expect ../b.hooks) &&
	(cd a && git release current --env staging >actual &&
	 echo v1.1.1 >expect && test_cmp expect actual)
'

test_expect_success 'release.branch set wins: its plan, no explanation; a missing one is refused, nothing changed' '
	(cd b && git hotfix start other v1.1.1 >/dev/null 2>&1 &&
	 test_commit "fix: other" other.t &&
	 git hotfix finish --dry-run >out &&
	 grep "^release branch: master (release.branch unset: origin.s HEAD branch)\$" out &&
	 git branch elsewhere master &&
	 git -c release.branch=elsewhere hotfix finish --dry-run >out &&
	 ! grep "^release branch:" out &&
	 grep "^would merge hotfix/other into elsewhere " out &&
	 save_state && before=$(remote_refs remote.git) &&
	 test_expect_code 1 git -c release.branch=nosuch hotfix finish >out 2>err &&
	 grep "^error: release branch .nosuch. not found\$" err &&
	 test_state_unchanged &&
	 test "$(remote_refs remote.git)" = "$before" &&
	 git switch -q master && git branch -D -q hotfix/other elsewhere)
'

test_expect_success 'a repository of its own on master: master, and the running version is read from it' '
	git init -q --initial-branch=master solo &&
	(cd solo &&
	 printf "%s\n" err out expect actual >.git/info/exclude &&
	 test_commit "feat: one" one.t &&
	 git tag -a -m "Release v0.1.0" v0.1.0 &&
	 git release current >actual 2>err &&
	 echo v0.1.0 >expect && test_cmp expect actual &&
	 git hotfix start one >/dev/null 2>&1 &&
	 test_commit "fix: one" one.t v2 &&
	 git hotfix finish --dry-run >out &&
	 head -n 1 out >actual &&
	 echo "release branch: master (release.branch unset: no origin/HEAD, no main; master exists)" >expect &&
	 test_cmp expect actual &&
	 git hotfix finish >out 2>err &&
	 test "$(git symbolic-ref HEAD)" = refs/heads/master &&
	 test "$(git rev-parse master^2)" = "$(git rev-parse v0.1.1^{commit})")
'

test_expect_success 'neither main nor master: the current branch' '
	git init -q --initial-branch=develop dev &&
	(cd dev &&
	 printf "%s\n" err out expect actual >.git/info/exclude &&
	 test_commit "feat: one" one.t &&
	 git tag -a -m "Release v0.1.0" v0.1.0 &&
	 git hotfix start one >/dev/null 2>&1 &&
	 test_commit "fix: one" one.t v2 &&
	 git hotfix finish --dry-run >out &&
	 head -n 1 out >actual &&
	 echo "release branch: develop (release.branch unset: no origin/HEAD, main or master; the only branch beside hotfix/one)" >expect &&
	 test_cmp expect actual &&
	 grep "^would merge hotfix/one into develop " out)
'

test_expect_success 'setup: a remote whose HEAD is trunk, with an old main beside it' '
	git init -q --bare --initial-branch=trunk trunk.git &&
	git clone -q trunk.git t1 2>/dev/null &&
	hooks t1 &&
	(cd t1 &&
	 test_commit "feat: one" one.t &&
	 git tag -a -m "Release v2.0.0" v2.0.0 &&
	 git branch main &&
	 test_commit "feat: two" two.t &&
	 git tag -a -m "Release v2.1.0" v2.1.0 &&
	 git push -q origin trunk main --tags &&
	 test_tick && git release deploy v2.1.0 --push >/dev/null 2>&1) &&
	git clone -q trunk.git t2 &&
	hooks t2 &&
	test "$(git -C t2 symbolic-ref refs/remotes/origin/HEAD)" = refs/remotes/origin/trunk &&
	git -C t2 branch -q main origin/main
'

test_expect_success 'origin HEAD is trunk: the hotfix merges into trunk, main untouched here and there' '
	main_before=$(git -C trunk.git rev-parse main) &&
	(cd t2 &&
	 git hotfix start two >/dev/null 2>&1 &&
	 test "$(git rev-parse HEAD)" = "$(git rev-parse v2.1.0^{commit})" &&
	 test_commit "fix: two" two.t v2 &&
	 git hotfix finish --dry-run --push >out &&
	 head -n 1 out >actual &&
	 grep "^release branch: trunk (release.branch unset: origin.s HEAD branch)\$" actual &&
	 git hotfix finish --push >out 2>err &&
	 test "$(git symbolic-ref HEAD)" = refs/heads/trunk &&
	 test "$(git rev-parse trunk^2)" = "$(git rev-parse v2.1.1^{commit})" &&
	 test "$(git rev-parse main)" = "$main_before") &&
	test "$(git -C trunk.git rev-parse trunk)" = "$(git -C t2 rev-parse trunk)" &&
	test "$(git -C trunk.git rev-parse main)" = "$main_before" &&
	(cd t1 && git pull -q --ff-only origin trunk &&
	 test "$(git rev-parse trunk)" = "$(git -C ../t2 rev-parse trunk)" &&
	 git fetch -q --tags &&
	 git release deploy v2.1.1 --env staging --new-env --push >/dev/null 2>&1 &&
	 echo "staging v2.1.1" >expect &&
	 tail -n 1 ../t1.hooks >actual && test_cmp expect actual) &&
	(cd t2 && git release current --env staging >actual &&
	 echo v2.1.1 >expect && test_cmp expect actual)
'

test_done
