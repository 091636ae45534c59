#!/bin/sh

test_description='git hotfix finish --push: one atomic push of exactly what changed'

. ./test-lib.sh

release () {
	test_commit "release $1" "rel.t" "$1" &&
	git tag -a -m "Release v$1" "v$1"
}

remote_refs () {
	git -C ../remote.git for-each-ref --format="%(refname) %(objectname)"
}

test_expect_success 'setup: a bare remote with the releases' '
	git init -q --bare remote.git &&
	git init -q repo &&
	cd repo &&
	printf "%s\n" err out expect actual >.git/info/exclude &&
	git remote add origin ../remote.git &&
	release 1.2.2 &&
	release 1.2.3 &&
	git push -q origin main v1.2.2 v1.2.3 &&
	git tag experiment v1.2.2 &&
	git tag -a -m local v1.2.99-local v1.2.2
'

test_expect_success 'finish --push pushes the tag and the release branch, nothing else' '
	git hotfix start p v1.2.2 &&
	test_commit "fix: p" p.t &&
	git hotfix finish --push >out &&
	remote_refs >actual &&
	cat >expect <<-EOF &&
	refs/heads/main $(git rev-parse main)
	refs/tags/v1.2.2 $(git rev-parse v1.2.2)
	refs/tags/v1.2.3 $(git rev-parse v1.2.3)
	refs/tags/v1.2.4 $(git rev-parse v1.2.4)
	EOF
	test_cmp expect actual &&
	grep "^next: git release deploy v1.2.4\$" out
'

test_expect_success 'the pushed main is the merge, the pushed tag the hotfix tip' '
	git -C ../remote.git rev-parse main^2 >expect &&
	git -C ../remote.git rev-parse v1.2.4^{commit} >actual &&
	test_cmp expect actual
'

test_expect_success 'finish --keep --push also pushes the hotfix branch' '
	git hotfix start k v1.2.2 &&
	test_commit "fix: k" k.t &&
	git hotfix finish --keep --push &&
	remote_refs >actual &&
	grep "^refs/heads/hotfix/k $(git rev-parse hotfix/k)\$" actual &&
	grep "^refs/tags/v1.2.5 $(git rev-parse v1.2.5)\$" actual &&
	grep "^refs/heads/main $(git rev-parse main)\$" actual
'

test_expect_success 'finish --no-merge --push: the tag and the branch, not main' '
	git hotfix start nm v1.2.2 &&
	test_commit "fix: nm" nm.t &&
	before=$(git -C ../remote.git rev-parse main) &&
	git hotfix finish --no-merge --push &&
	remote_refs >actual &&
	grep "^refs/tags/v1.2.6 " actual &&
	grep "^refs/heads/hotfix/nm " actual &&
	test "$(git -C ../remote.git rev-parse main)" = "$before" &&
	! grep -e experiment -e local actual
'

test_expect_success '--push --dry-run prints the push and changes nothing' '
	git switch -q main &&
	git hotfix start dry v1.2.2 &&
	test_commit "fix: dry" dry.t &&
	remote_refs >remote.before &&
	save_state &&
	git hotfix finish --push --dry-run >out &&
	test_state_unchanged &&
	remote_refs >remote.after &&
	test_cmp remote.before remote.after &&
	grep "^would run: git push --porcelain --atomic --force-with-lease=refs/tags/v1.2.7: --force-with-lease=refs/heads/main:$(git rev-parse main) --end-of-options origin refs/tags/v1.2.7:refs/tags/v1.2.7 refs/heads/main:refs/heads/main\$" out &&
	rm remote.before remote.after
'

test_expect_success '--push with no such remote is refused (1), nothing changes' '
	save_state &&
	test_expect_code 1 git -c release.remote=nowhere hotfix finish --push 2>err &&
	test_state_unchanged &&
	grep "^error: remote .nowhere. does not exist" err
'

# full state of the clone: refs, HEAD, index, worktree, the journal
clone_state () {
	git for-each-ref --format="%(refname) %(objectname)" refs/heads refs/tags &&
	git symbolic-ref HEAD && git ls-files -s && git status --porcelain &&
	{ ls .git/release-state 2>/dev/null || true; }
}

test_expect_success 'a colleague pushed to main first: refused before anything (1), nothing changed' '
	git clone -q ../remote.git ../other &&
	(cd ../other && test_commit "someone else" else.t && git push -q origin main) &&
	remote_refs >../remote.before &&
	clone_state >../state.before &&
	test_expect_code 1 git hotfix finish --push >out 2>err &&
	remote_refs >../remote.after &&
	test_cmp ../remote.before ../remote.after &&
	clone_state >../state.after &&
	test_cmp ../state.before ../state.after &&
	grep "^error: .main. on .origin. has commits .main. here does not" err &&
	grep "^hint: bring them in first (\"git pull --ff-only origin main\" on main)" err &&
	test_must_fail git rev-parse -q --verify v1.2.7
'

test_expect_success 'once main is brought in, finish --push merges on top and pushes' '
	git fetch -q origin &&
	git branch -f main origin/main &&
	theirs=$(git rev-parse origin/main) &&
	git hotfix finish --push >out 2>err &&
	test "$(git rev-parse main^1)" = "$theirs" &&
	test_cmp_rev main^2 v1.2.7^{commit} &&
	test "$(git -C ../remote.git rev-parse main)" = "$(git rev-parse main)" &&
	test "$(git -C ../remote.git rev-parse v1.2.7)" = "$(git rev-parse v1.2.7)" &&
	rm ../remote.before ../remote.after ../state.before ../state.after
'

test_expect_success 'a colleague pushes while finish runs: the lease rejects, --abort puts both sides back' '
	git hotfix start race v1.2.2 &&
	test_commit "fix: race" race.t &&
	echo "my notes" >notes.txt &&
	remote_refs >../remote.before &&
	clone_state >../state.before &&
	printf "%s\n" "#!/bin/sh" "unset GIT_DIR GIT_INDEX_FILE" \
		"cd ../other && git pull -q --ff-only origin main &&" \
		"git commit -q --allow-empty -m \"colleague: race\" && git push -q origin main" \
		>.git/hooks/pre-push &&
	chmod +x .git/hooks/pre-push &&
	test_expect_code 1 git hotfix finish --push >out 2>err &&
	rm .git/hooks/pre-push &&
	grep "^error: push to .origin. was rejected" err &&
	grep "^hint: the rest of the plan is kept" err &&
	test_path_is_file .git/release-state/journal &&
	test_cmp_rev main^2 v1.2.8^{commit} &&
	test_must_fail git -C ../remote.git rev-parse -q --verify refs/tags/v1.2.8 &&
	git hotfix finish --abort --drop-tag >out 2>err &&
	clone_state >../state.after &&
	test_cmp ../state.before ../state.after &&
	test "$(cat notes.txt)" = "my notes" &&
	remote_refs >../remote.after &&
	grep -v "^refs/heads/main " ../remote.before >expect &&
	grep -v "^refs/heads/main " ../remote.after >actual &&
	test_cmp expect actual &&
	test "$(git -C ../remote.git rev-parse main)" = "$(git -C ../other rev-parse main)"
'

test_done
