#!/bin/sh

test_description='git hotfix finish as a journalled plan: undo lines with hostile names, put-backs that keep the user'\''s edits, a failed push, the state of an older version'

. ./test-lib.sh

release () {
	test_commit "release $1" "rel.t" "$1" &&
	git tag -a -m "Release v$1" "v$1"
}

remote_refs () {
	git -C "$TRASH_DIRECTORY/remote.git" for-each-ref \
		--format="%(refname) %(objectname)"
}

# refs, HEAD, index, worktree and branch config of the clone
clone_state () {
	git for-each-ref --format="%(refname) %(objectname)" refs/heads refs/tags &&
	{ git symbolic-ref -q HEAD || git rev-parse HEAD; } &&
	git ls-files -s && git status --porcelain --untracked-files=all &&
	{ git config --local --get-regexp "^branch\\." || true; } &&
	git ls-files -z | xargs -0 cat
}

HOSTILE="q'\$(>pwned)\`>pwned\`\"caf$(printf "\303\251")"

test_expect_success 'setup: a bare remote, a clone with releases' '
	git init -q --bare remote.git &&
	git clone -q remote.git repo 2>/dev/null &&
	cd repo &&
	printf "%s\n" err out expect actual "*.rev" "*.state" "*.json" >.git/info/exclude &&
	echo base >app.t && echo other >other.t && echo readme >README &&
	git add . && test_commit "initial" &&
	release 1.0.0 &&
	release 1.1.0 &&
	git push -q origin main --tags
'

test_expect_success 'a hostile hotfix name: the undo line, pasted into sh, runs nothing and puts everything back' '
	git hotfix start "$HOSTILE" v1.0.0 >out 2>err &&
	test "$(git symbolic-ref HEAD)" = "refs/heads/hotfix/$HOSTILE" &&
	echo fixed >fix.t && git add fix.t && test_tick && git commit -q -m "fix: hostile" &&
	clone_state >before.state &&
	git rev-parse main >main.rev &&
	git hotfix finish --push >out 2>err &&
	test "$(git rev-parse main^2)" = "$(git rev-parse v1.0.1^{commit})" &&
	test "$(git -C ../remote.git rev-parse main)" = "$(git rev-parse main)" &&
	undo=$(sed -n "s/^undo: //p" out) &&
	test -n "$undo" &&
	sh -c "$undo" >out 2>&1 &&
	test_path_is_missing pwned &&
	test_path_is_missing ../pwned &&
	clone_state >after.state &&
	test_cmp before.state after.state &&
	test "$(git -C ../remote.git rev-parse main)" = "$(cat main.rev)" &&
	test_must_fail git -C ../remote.git rev-parse -q --verify refs/tags/v1.0.1 &&
	test "$(git config "branch.hotfix/$HOSTILE.hotfixBase")" = v1.0.0
'

test_expect_success 'the same finish killed, then --abort: everything back, names and all' '
	clone_state >before.state &&
	test_expect_code 137 env GIT_RELEASE_TEST_KILL_AFTER=push \
		git hotfix finish --push >out 2>&1 &&
	git hotfix finish --abort --drop-tag >out 2>err &&
	clone_state >after.state &&
	test_cmp before.state after.state &&
	test_path_is_missing pwned &&
	test_path_is_missing .git/release-state/journal &&
	git hotfix finish --abort >out 2>err;
	test $? = 1 &&
	grep "^error: no hotfix finish is in progress" err
'

# a hotfix that edits app.t (conflicting with main) and other.t (clean)
test_expect_success 'stopped on a conflict: a local edit to a path the merge wrote refuses --abort, nothing changed' '
	git reset -q --hard && git switch -q main &&
	echo "main side" >app.t && git commit -q -am "main: app" &&
	git push -q origin main &&
	git switch -q "hotfix/$HOSTILE" &&
	echo "hotfix side" >app.t && echo "other fixed" >other.t &&
	git commit -q -am "fix: app and other" &&
	git rev-parse HEAD >tip.rev && git rev-parse main >main.rev &&
	test_expect_code 1 git hotfix finish >out 2>err &&
	grep "stopped: 1 conflict" err &&
	test "$(cat other.t)" = "other fixed" &&
	echo "my notes" >>README &&
	echo "my edit" >>other.t &&
	cp .git/release-state/journal journal.state &&
	test_expect_code 1 git hotfix finish --abort >out 2>err &&
	grep "^error: cannot abort the merge: .other.t. has local changes the operation did not make" err &&
	test_cmp journal.state .git/release-state/journal &&
	test_path_is_file .git/MERGE_HEAD &&
	grep "my edit" other.t &&
	git ls-files -u app.t >actual && test_line_count = 3 actual
'

test_expect_success 'the edit taken back: --abort puts only the merge'\''s paths back, the unrelated edit survives' '
	echo "other fixed" >other.t &&
	git hotfix finish --abort >out 2>err &&
	test "$(git symbolic-ref HEAD)" = "refs/heads/hotfix/$HOSTILE" &&
	test "$(git rev-parse HEAD)" = "$(cat tip.rev)" &&
	test "$(git rev-parse main)" = "$(cat main.rev)" &&
	test_path_is_missing .git/MERGE_HEAD &&
	printf "readme\nmy notes\n" >expect && test_cmp expect README &&
	git diff --name-only >actual &&
	echo README >expect && test_cmp expect actual &&
	git diff --cached --quiet &&
	grep "^kept tag v1.0.1" out
'

test_expect_success 'a push the remote refuses: the journal kept; --abort refuses over an edit of a path it writes, keeps the others' '
	git checkout -q README &&
	git switch -q main && git reset -q --hard "$(cat main.rev)" &&
	git switch -q "hotfix/$HOSTILE" &&
	git reset -q --hard HEAD~1 &&
	git tag -d v1.0.1 >/dev/null &&
	echo "b fixed" >b.t && git add b.t && git commit -q -m "fix: b" &&
	git rev-parse HEAD >tip.rev &&
	clone_state >before.state &&
	remote_refs >remote.state &&
	printf "#!/bin/sh\nexit 1\n" >../remote.git/hooks/pre-receive &&
	chmod +x ../remote.git/hooks/pre-receive &&
	test_expect_code 1 git hotfix finish --push --json >run.json 2>err &&
	rm ../remote.git/hooks/pre-receive &&
	jq -r "[.status, (.steps | map(.kind + \"=\" + .status) | join(\",\")), .undo] | @tsv" run.json >actual &&
	printf "stopped\tcheck=done,tag=done,merge=done,ref=done,push=stopped\tgit hotfix finish --abort --drop-tag\n" >expect &&
	test_cmp expect actual &&
	test "$(git rev-parse main^2)" = "$(cat tip.rev)" &&
	echo "mine" >>app.t && echo "notes" >>README && echo "mine too" >>b.t &&
	test_expect_code 1 git hotfix finish --abort --drop-tag 2>err &&
	grep "app.t. has local changes the operation did not make" err &&
	test "$(git rev-parse main^2)" = "$(cat tip.rev)" &&
	git checkout -q app.t &&
	git hotfix finish --abort --drop-tag >out 2>err &&
	grep "^notes\$" README && grep "^mine too\$" b.t &&
	git checkout -q README b.t &&
	clone_state >after.state &&
	test_cmp before.state after.state &&
	remote_refs >actual && test_cmp remote.state actual
'

test_expect_success 'the same push accepted on --continue: the same end as a run not stopped' '
	printf "#!/bin/sh\nexit 1\n" >../remote.git/hooks/pre-receive &&
	chmod +x ../remote.git/hooks/pre-receive &&
	test_expect_code 1 git hotfix finish --push >out 2>err &&
	rm ../remote.git/hooks/pre-receive &&
	git hotfix finish --continue --json >cont.json 2>err &&
	jq -r .status cont.json >actual && echo complete >expect && test_cmp expect actual &&
	test "$(git -C ../remote.git rev-parse main)" = "$(git rev-parse main)" &&
	test "$(git -C ../remote.git rev-parse v1.0.1)" = "$(git rev-parse v1.0.1)" &&
	test_must_fail git rev-parse -q --verify "refs/heads/hotfix/$HOSTILE" &&
	test_path_is_missing .git/release-state/journal
'

test_expect_success 'a hotfix-state/ of an older version: refused by name everywhere, never removed' '
	git hotfix start legacy v1.1.0 >/dev/null 2>&1 &&
	echo l >l.t && git add l.t && git commit -q -m "fix: legacy" &&
	mkdir .git/hotfix-state &&
	printf "branch hotfix/old\ntag v9.9.9\n" >.git/hotfix-state/plan &&
	clone_state >before.state &&
	test_expect_code 1 git hotfix finish --continue 2>err &&
	grep "^error: .*hotfix-state. is the state of a hotfix finish stopped by an older version" err &&
	grep "^hint: finish its merge with \"git commit\"" err &&
	test_expect_code 1 git hotfix finish --abort 2>err &&
	grep "older version" err &&
	test_expect_code 1 git hotfix finish 2>err &&
	grep "^error: cannot finish a hotfix: a hotfix finish of an older version (hotfix-state in the git dir) is in progress" err &&
	test_expect_code 1 git release yank v1.0.0 -m probe 2>err &&
	grep "older version" err &&
	clone_state >after.state &&
	test_cmp before.state after.state &&
	test_path_is_file .git/hotfix-state/plan &&
	rm -r .git/hotfix-state &&
	git hotfix finish >out 2>err &&
	test "$(git rev-parse main^2)" = "$(git rev-parse v1.1.1^{commit})"
'

test_expect_success 'author and committer alike: the merge names that one person; author.name set: the author differs' '
	git hotfix start same v1.1.0 >/dev/null 2>&1 &&
	echo s >s.t && git add s.t && git commit -q -m "fix: same" &&
	GIT_AUTHOR_NAME="Same One" GIT_COMMITTER_NAME="Same One" \
	GIT_AUTHOR_EMAIL=same@example.com GIT_COMMITTER_EMAIL=same@example.com \
		git hotfix finish >out 2>err &&
	git log -1 --format="%an <%ae> %ad|%cn <%ce> %cd" main >actual &&
	d=$(git log -1 --format=%cd main) &&
	echo "Same One <same@example.com> $d|Same One <same@example.com> $d" >expect &&
	test_cmp expect actual &&
	git reflog -1 --format="%gn <%ge>" main >actual &&
	echo "Same One <same@example.com>" >expect &&
	test_cmp expect actual &&
	git hotfix start other v1.1.0 >/dev/null 2>&1 &&
	echo o >o.t && git add o.t && git commit -q -m "fix: other" &&
	env -u GIT_AUTHOR_NAME -u GIT_COMMITTER_NAME \
	GIT_AUTHOR_EMAIL=same@example.com GIT_COMMITTER_EMAIL=same@example.com \
		git -c user.name="Same One" -c author.name="Au Thor" hotfix finish >out 2>err &&
	git log -1 --format="%an|%cn" main >actual &&
	echo "Au Thor|Same One" >expect &&
	test_cmp expect actual
'

test_done
