#!/bin/sh

test_description='git hotfix finish: version, tag, merge, branch, refusals'

. ./test-lib.sh

release () {
	test_commit "release $1" "rel.t" "$1" &&
	git tag -a -m "Release v$1" "v$1"
}

# the annotation of a tag, without its header
tag_message () {
	git cat-file tag "$1" | sed "1,/^\$/d"
}

# the parents of a commit, one a line
parents () {
	git rev-list --parents -n 1 "$1" | tr " " "\n" | sed 1d
}

test_expect_success 'setup' '
	git init -q repo &&
	cd repo &&
	printf "%s\n" err out expect actual "*.rev" >.git/info/exclude &&
	release 1.2.0 &&
	release 1.2.1 &&
	release 1.2.2 &&
	test_commit "feat: more" &&
	release 1.2.3 &&
	release 1.3.0 &&
	test_commit "on main since"
'

test_expect_success 'finish: the next free patch (v1.2.3 taken -> v1.2.4)' '
	git hotfix start login v1.2.2 &&
	test_commit "fix: login loop" fix.t &&
	test_commit "fix: login again" fix2.t &&
	tip=$(git rev-parse HEAD) &&
	main=$(git rev-parse main) &&
	echo "$tip" >tip.rev && echo "$main" >main.rev &&
	git hotfix finish -m "Login loop on expired sessions" >out &&
	test_cmp_rev v1.2.4^{commit} "$tip" &&
	test "$(git cat-file -t v1.2.4)" = tag
'

test_expect_success 'the tag holds the message, the commits and the base of the hotfix' '
	cat >expect <<-EOF &&
	Release v1.2.4

	Login loop on expired sessions

	- fix: login again ($(git rev-parse --short $(cat tip.rev)))
	- fix: login loop ($(git rev-parse --short $(cat tip.rev)^))

	Hotfix: v1.2.2
	EOF
	tag_message v1.2.4 >actual &&
	test_cmp expect actual
'

test_expect_success 'the release branch gets a merge commit, checked out' '
	test "$(git symbolic-ref HEAD)" = refs/heads/main &&
	printf "%s\n" $(cat main.rev) $(cat tip.rev) >expect &&
	parents main >actual &&
	test_cmp expect actual &&
	echo "Merge branch '\''hotfix/login'\''" >expect &&
	git cat-file commit main | sed "1,/^\$/d" >actual &&
	test_cmp expect actual &&
	test_path_is_file fix.t && test_path_is_file fix2.t &&
	git status --porcelain >actual && test_must_be_empty actual
'

test_expect_success 'the tag is on the hotfix tip, never on the merge' '
	! test_cmp_rev v1.2.4^{commit} main 2>/dev/null
'

test_expect_success 'the branch and its config are gone; reflog names the command' '
	test_must_fail git rev-parse -q --verify hotfix/login &&
	test_must_fail git config branch.hotfix/login.hotfixBase &&
	git reflog show -1 --format=%gs main >actual &&
	echo "hotfix finish: merge hotfix/login (v1.2.4) into main" >expect &&
	test_cmp expect actual
'

test_expect_success 'the whole config section and the reflog go with the branch' '
	git hotfix start cfg v1.2.2 &&
	git config branch.hotfix/cfg.description "a note" &&
	git config branch.hotfix/cfg.remote origin &&
	git config branch.hotfix/cfgx.keep yes &&
	test_commit "fix: cfg" cfg.t &&
	git hotfix finish >cfg.out &&
	test_must_fail git config --get-regexp "^branch\.hotfix/cfg\." &&
	test "$(git config branch.hotfix/cfgx.keep)" = yes &&
	test_path_is_missing .git/logs/refs/heads/hotfix/cfg &&
	git tag -d $(sed -n "s/^tagged \(v[^ ]*\) .*/\1/p" cfg.out) >/dev/null &&
	git reset -q --keep HEAD^ && rm cfg.out
'

test_expect_success 'finish prints the deploy command and the undo line' '
	grep "^next: git release deploy v1.2.4\$" out &&
	grep "^undo: git update-ref refs/heads/hotfix/login $(cat tip.rev) && git config branch.hotfix/login.hotfixBase v1.2.2 && git reset --keep $(cat main.rev) && git switch hotfix/login && git tag -d v1.2.4\$" out
'

test_expect_success 'the undo line puts every ref back' '
	undo=$(sed -n "s/^undo: //p" out) &&
	eval "$undo" &&
	test_cmp_rev main $(cat main.rev) &&
	test_cmp_rev hotfix/login $(cat tip.rev) &&
	test_must_fail git rev-parse -q --verify v1.2.4 &&
	test "$(git config branch.hotfix/login.hotfixBase)" = v1.2.2 &&
	test "$(git symbolic-ref HEAD)" = refs/heads/hotfix/login &&
	git hotfix finish >out &&
	test_cmp_rev v1.2.4^{commit} $(cat tip.rev)
'

test_expect_success 'gaps are not filled: the hotfix is the newest of its line' '
	git tag -a -m x v1.2.7 v1.2.0 &&
	git hotfix start gap v1.2.2 &&
	test_commit "fix: gap" gap.t &&
	git hotfix finish >out &&
	test_cmp_rev v1.2.8^{commit} HEAD^2
'

test_expect_success 'pre-releases do not reserve a number, their release does' '
	git tag -a -m x v1.2.9-rc.1 v1.2.0 &&
	git hotfix start pre v1.2.2 &&
	test_commit "fix: pre" pre.t &&
	git hotfix finish >out &&
	test_cmp_rev v1.2.9^{commit} HEAD^2 &&
	git hotfix start pre2 v1.2.2 &&
	test_commit "fix: pre2" pre2.t &&
	git hotfix finish >out &&
	test_cmp_rev v1.2.10^{commit} HEAD^2
'

test_expect_success 'other lines do not count: a hotfix of v1.3.0 is v1.3.1' '
	git hotfix start line v1.3.0 &&
	test_commit "fix: line" line.t &&
	git hotfix finish &&
	test_cmp_rev v1.3.1^{commit} HEAD^2
'

test_expect_success '--version takes that version' '
	git hotfix start given v1.2.2 &&
	test_commit "fix: given" given.t &&
	tip=$(git rev-parse HEAD) &&
	git hotfix finish --version 1.2.20 &&
	test_cmp_rev v1.2.20^{commit} "$tip"
'

test_expect_success '--version refused: an existing version (1), nothing changes' '
	git hotfix start exists v1.2.2 &&
	test_commit "fix: exists" exists.t &&
	save_state &&
	test_expect_code 1 git hotfix finish --version v1.2.3 2>err &&
	test_state_unchanged &&
	grep "^error: release .v1.2.3. already exists" err
'

test_expect_success '--version refused: not above the base (1)' '
	save_state &&
	test_expect_code 1 git hotfix finish --version 1.1.9 2>err &&
	test_state_unchanged &&
	grep "not above the hotfix.s base v1.2.2" err
'

test_expect_success '--version refused: not a version (128)' '
	save_state &&
	test_expect_code 128 git hotfix finish --version banana 2>err &&
	test_state_unchanged &&
	grep "^fatal: .banana. is not a valid version" err
'

test_expect_success '--dry-run prints the plan and changes nothing' '
	save_state &&
	git hotfix finish --dry-run >out &&
	test_state_unchanged &&
	tip=$(git rev-parse HEAD) main=$(git rev-parse main) &&
	cat >expect <<-EOF &&
	release branch: main (release.branch unset: no origin/HEAD; main exists)
	checked the tree is clean, hotfix/exists has 1 commit since v1.2.2, v1.2.21 is new
	would tag $tip (hotfix/exists, 1 commit since v1.2.2) as v1.2.21, annotated:

	    Release v1.2.21

	    - fix: exists ($(git rev-parse --short=7 HEAD))

	    Hotfix: v1.2.2
	would merge hotfix/exists into main ($main) with a merge commit
	would update refs/heads/main $main -> (the merge)
	would delete branch hotfix/exists
	would update refs/heads/hotfix/exists $tip -> (deleted)
	undo: git update-ref refs/heads/hotfix/exists $tip && git config branch.hotfix/exists.hotfixBase v1.2.2 && git reset --keep $main && git switch hotfix/exists && git tag -d v1.2.21
	EOF
	test_cmp expect out &&
	git hotfix finish --dry-run --json >out &&
	test_state_unchanged &&
	jq -r "[.op, .status, .dry_run, (.steps | map(.kind + \"=\" + .status) | join(\",\"))] | @tsv" out >actual &&
	printf "hotfix-finish\tplanned\ttrue\tcheck=pending,tag=pending,merge=pending,ref=pending\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'refused: a dirty tree (1), nothing changes' '
	echo dirty >>exists.t &&
	save_state &&
	test_expect_code 1 git hotfix finish 2>err &&
	test_state_unchanged &&
	grep "you have unstaged changes" err &&
	git checkout -q exists.t
'

test_expect_success 'refused: an edit of the same size, just made (1)' '
	test "$(wc -c <exists.t)" -gt 2 &&
	tr "a-z" "b-za" <exists.t >tmp.t && cat tmp.t >exists.t && rm tmp.t &&
	save_state &&
	test_expect_code 1 git hotfix finish 2>err &&
	test_state_unchanged &&
	grep "you have unstaged changes" err &&
	git checkout -q exists.t
'

test_expect_success 'refused: a deleted file, a changed mode (1)' '
	rm exists.t &&
	test_expect_code 1 git hotfix finish 2>err &&
	grep "you have unstaged changes" err &&
	git checkout -q exists.t &&
	chmod +x exists.t &&
	test_expect_code 1 git hotfix finish 2>err &&
	grep "you have unstaged changes" err &&
	chmod -x exists.t &&
	git status --porcelain >actual && test_must_be_empty actual
'

test_expect_success 'refused: an empty hotfix (1), nothing changes' '
	git hotfix start empty v1.2.2 &&
	save_state &&
	test_expect_code 1 git hotfix finish 2>err &&
	test_state_unchanged &&
	grep "^error: hotfix .hotfix/empty. has no commits since its base v1.2.2" err
'

test_expect_success 'refused: not on a hotfix branch and no name (1)' '
	git switch -q main &&
	save_state &&
	test_expect_code 1 git hotfix finish 2>err &&
	test_state_unchanged &&
	grep "^error: not on a hotfix branch" err
'

test_expect_success 'refused: an unknown hotfix (128)' '
	save_state &&
	test_expect_code 128 git hotfix finish nosuch 2>err &&
	test_state_unchanged &&
	grep "^fatal: hotfix branch .hotfix/nosuch. not found" err
'

test_expect_success 'refused: a branch without a recorded base (1)' '
	git branch hotfix/nobase v1.2.2 &&
	save_state &&
	test_expect_code 1 git hotfix finish nobase 2>err &&
	test_state_unchanged &&
	grep "has no recorded base" err
'

test_expect_success 'finish by name from the release branch' '
	main=$(git rev-parse main) &&
	git hotfix finish exists &&
	test_cmp_rev v1.2.21^{commit} HEAD^2 &&
	test_cmp_rev HEAD^1 "$main"
'

test_expect_success '--keep keeps the branch and its base' '
	git hotfix start kept v1.2.2 &&
	test_commit "fix: kept" kept.t &&
	git hotfix finish --keep >out &&
	test_cmp_rev hotfix/kept HEAD^2 &&
	test "$(git config branch.hotfix/kept.hotfixBase)" = v1.2.2 &&
	! grep "^deleted branch" out
'

test_expect_success '--no-merge tags only: no merge, branch kept, HEAD stays' '
	git hotfix start nomerge v1.3.0 &&
	test_commit "fix: nomerge" nomerge.t &&
	main=$(git rev-parse main) &&
	git hotfix finish --no-merge >out &&
	test_cmp_rev v1.3.2^{commit} hotfix/nomerge &&
	test_cmp_rev main "$main" &&
	test "$(git symbolic-ref HEAD)" = refs/heads/hotfix/nomerge &&
	grep "^undo: git tag -d v1.3.2\$" out
'

test_expect_success 'finishing again reuses the tag already on the tip' '
	git hotfix finish -m "another text" >out 2>err &&
	grep "^reusing tag v1.3.2" out &&
	grep "^warning: tag v1.3.2 already exists: its message" err &&
	test_must_fail git rev-parse -q --verify v1.3.3 &&
	test_cmp_rev HEAD^2 v1.3.2^{commit}
'

test_expect_success 'Migration, Config and Hotfix trailers in one block' '
	git hotfix start db v1.3.0 &&
	mkdir -p db/migrate config &&
	echo up >db/migrate/20240115120000_add_index.sql &&
	echo x=1 >config/app.yml &&
	git add db config && test_tick && git commit -q -m "fix: index" &&
	git hotfix finish &&
	tag_message v1.3.3 >actual &&
	grep "^Migration: 20240115120000_add_index\$" actual &&
	grep "^Config: config/app.yml\$" actual &&
	printf "%s\n" "Migration: 20240115120000_add_index" \
		"Config: config/app.yml" "Hotfix: v1.3.0" >expect &&
	sed "1,/^Migration:/{/^Migration:/!d}" actual >out &&
	test_cmp expect out
'

test_expect_success 'the worktree follows: a file becomes a directory, a directory goes' '
	git switch -q main &&
	mkdir -p gone/deep && echo g >gone/deep/g.t && echo f >flip.t &&
	git add gone flip.t && test_tick && git commit -q -m "main: files" &&
	git tag -a -m x v1.4.0 &&
	git hotfix start shape v1.4.0 &&
	git rm -q -r gone flip.t && mkdir flip.t && echo inside >flip.t/in.t &&
	git add flip.t && test_tick && git commit -q -m "fix: shape" &&
	git switch -q main && git hotfix finish shape &&
	test_path_is_missing gone &&
	test "$(cat flip.t/in.t)" = inside &&
	git status --porcelain --untracked-files=all >actual &&
	test_must_be_empty actual &&
	git diff --quiet HEAD
'

test_expect_success 'an untracked file in the way of the merge: exit 1, the tag kept, --continue never overwrites it' '
	git switch -q main &&
	test_commit "main: blocker" blocker.t &&
	git hotfix start blocked v1.4.0 &&
	test_commit "fix: blocked" blocked.t &&
	echo mine >blocker.t &&
	test_expect_code 1 git hotfix finish 2>err &&
	grep "cannot check out" err &&
	grep "^hint: the rest of the plan is kept: .*git hotfix finish --continue" err &&
	test_cmp_rev v1.4.2^{commit} hotfix/blocked &&
	test "$(git symbolic-ref HEAD)" = refs/heads/hotfix/blocked &&
	test_cmp_rev main^{commit} ":/main: blocker" &&
	test "$(cat blocker.t)" = mine &&
	test_expect_code 1 git hotfix finish --continue 2>err &&
	grep "cannot check out" err &&
	test "$(cat blocker.t)" = mine &&
	test "$(git symbolic-ref HEAD)" = refs/heads/hotfix/blocked &&
	rm blocker.t &&
	git hotfix finish --continue >out &&
	test_cmp_rev main^2 v1.4.2^{commit} &&
	test_path_is_missing .git/release-state/journal
'

test_expect_success 'release.branch names the branch merged into' '
	git branch stable v1.3.0 &&
	git hotfix start rb v1.3.0 &&
	test_commit "fix: rb" rb.t &&
	git -c release.branch=stable hotfix finish &&
	test "$(git symbolic-ref HEAD)" = refs/heads/stable &&
	test_cmp_rev stable^2 v1.3.4^{commit} &&
	echo "Merge branch '\''hotfix/rb'\'' into stable" >expect &&
	git cat-file commit stable | sed "1,/^\$/d" >actual &&
	test_cmp expect actual &&
	git switch -q main
'

test_expect_success 'refused: the release branch is checked out in another worktree (1)' '
	git switch -q --detach HEAD &&
	git worktree add -q ../wt main &&
	git hotfix start elsewhere v1.4.0 &&
	test_commit "fix: elsewhere" elsewhere.t &&
	save_state &&
	test_expect_code 1 git hotfix finish 2>err &&
	test_state_unchanged &&
	grep "^error: .main. is checked out in another worktree" err &&
	git worktree remove ../wt &&
	git hotfix finish &&
	test_cmp_rev main^2 v1.4.3^{commit}
'

test_expect_success 'a base with no release below it: refused (1) until --version' '
	git init -q ../norel && (
		cd ../norel &&
		test_commit first &&
		git hotfix start x "$(git rev-parse HEAD)" &&
		test_commit "fix: x" x.t &&
		save_state &&
		test_expect_code 1 git hotfix finish 2>"$TRASH_DIRECTORY/err" &&
		test_state_unchanged &&
		grep "no release at or below the base" "$TRASH_DIRECTORY/err" &&
		git hotfix finish --version 0.0.1 &&
		test_cmp_rev v0.0.1^{commit} main^2
	)
'

test_expect_success 'usage errors (129)' '
	test_expect_code 129 git hotfix finish a b 2>err &&
	test_expect_code 129 git hotfix finish --continue --version 1.2.3 2>err &&
	test_expect_code 129 git hotfix finish --drop-tag 2>err &&
	test_expect_code 129 git hotfix finish -s -u key 2>err &&
	test_expect_code 129 git hotfix finish --continue --abort 2>err
'

test_expect_success 'fsck is clean after all this' '
	git fsck --no-progress 2>&1 >/dev/null | tee err &&
	test_must_be_empty err
'

test_done
