#!/bin/sh

test_description='the journal: deploy, yank and cut killed after each step, then --abort puts everything back and --continue ends as an uninterrupted run'

. ./test-lib.sh

# every ref of the clone and of the remote, the clone's edits and
# untracked files: what --abort must restore and --continue must reach
# (the remote-tracking copies of the log are a fetch's, not the plan's)
snapshot () {
	(cd "$1/a" &&
	 echo "# local" &&
	 git for-each-ref --format="%(refname) %(objectname)" |
		grep -v "^refs/deploy-remotes/" &&
	 echo "# status" &&
	 git status --porcelain=v1 --untracked-files=all &&
	 echo "# unrelated" &&
	 cat unrelated.txt &&
	 echo "# remote" &&
	 git -C ../remote.git for-each-ref --format="%(refname) %(objectname)")
}

# the record as the colleague in b reads it from the remote
colleague () {
	(cd "$1/b" && git release current --env production 2>/dev/null;
	 git release current --env staging 2>/dev/null;
	 git release list 2>/dev/null)
}

test_expect_success 'setup: a bare remote, the operator in a, a colleague in b' '
	git init -q --bare tmpl/remote.git &&
	git clone -q tmpl/remote.git tmpl/a 2>/dev/null &&
	(cd tmpl/a &&
	 printf "%s\n" err out >.git/info/exclude &&
	 test_commit one && git tag -a -m r v1.0.0 &&
	 test_commit "fix: two" && git tag -a -m r v1.1.0 &&
	 test_commit unrelated unrelated.txt "committed" &&
	 test_commit "feat: three" && git tag -a -m r v1.2.0 &&
	 git config deploy.production.command \
		"echo \"\$RELEASE_TAG \$DEPLOY_ENV\" >>\"\$TRASH_DIRECTORY/hook.log\"" &&
	 git config deploy.staging.command \
		"echo \"\$RELEASE_TAG \$DEPLOY_ENV\" >>\"\$TRASH_DIRECTORY/hook.log\"" &&
	 git push -q origin main --tags &&
	 test_tick &&
	 git release deploy v1.0.0 -m first --push >/dev/null &&
	 git release deploy v1.0.0 --env staging -m first --push >/dev/null) &&
	git clone -q tmpl/remote.git tmpl/b &&
	# every copy pushes to its own remote
	git -C tmpl/a remote set-url origin ../remote.git &&
	git -C tmpl/b remote set-url origin ../remote.git &&
	echo "an edit nobody committed" >>tmpl/a/unrelated.txt &&
	: >kill.count && : >kill.passed
'

fresh () {
	rm -rf w && cp -R tmpl w
}

# kill_matrix <name> <steps> <command...>: for each point 0..steps, in a
# fresh copy: killed there, --abort restores the state before; killed
# there, --continue ends where the uninterrupted run ended
kill_matrix () {
	name=$1 steps=$2 &&
	shift 2 &&
	# one time for every run: ids of entries and tags compare exactly
	test_tick &&
	fresh && snapshot w >before.$name &&
	(cd w/a && "$@" >../../ref.out 2>../../ref.err) &&
	snapshot w >after.$name &&
	colleague w >colleague.$name &&
	! test_cmp before.$name after.$name >/dev/null &&
	test_path_is_missing w/a/.git/release-state &&
	k=0 &&
	while test $k -le $steps
	do
		echo "$name $k" >>kill.count &&
		fresh &&
		(cd w/a && test_expect_code 137 env GIT_RELEASE_TEST_KILL_AFTER=$k \
			"$@" >/dev/null 2>&1) &&
		test_path_is_file w/a/.git/release-state/journal &&
		(cd w/a && test_expect_code 1 "$@" >/dev/null 2>err &&
		 grep "is in progress (stopped)" err) &&
		(cd w/a && git release --abort >out 2>err) &&
		test_path_is_missing w/a/.git/release-state &&
		snapshot w >abort.$name.$k &&
		test_cmp before.$name abort.$name.$k &&
		(cd w/a && git fsck --no-progress --no-dangling 2>&1) >fsck &&
		test_must_be_empty fsck &&

		fresh &&
		(cd w/a && test_expect_code 137 env GIT_RELEASE_TEST_KILL_AFTER=$k \
			"$@" >/dev/null 2>&1) &&
		(cd w/a && git release --continue >out 2>err) &&
		grep "^finished " w/a/out &&
		test_path_is_missing w/a/.git/release-state &&
		snapshot w >continue.$name.$k &&
		test_cmp after.$name continue.$name.$k &&
		colleague w >colleague.$name.$k &&
		test_cmp colleague.$name colleague.$name.$k &&
		echo "$name $k" >>kill.passed &&
		k=$(($k + 1)) || return 1
	done
}

test_expect_success 'deploy --push to production: killed after each of its 5 steps' '
	kill_matrix deploy 5 git-release deploy v1.1.0 --push \
		-m "it'\''s \$(touch pwned) \"fix\" caf$(printf "\303\251")" &&
	test_path_is_missing w/a/pwned &&
	grep "^undo: git release deploy v1.0.0 --env production --allow-downgrade -m .undo the deploy of v1.1.0. --push\$" ref.out &&
	echo v1.1.0 >expect &&
	colleague w | head -n 1 >actual &&
	test_cmp expect actual
'

test_expect_success 'a first deploy to a new environment: killed after each step' '
	kill_matrix first-qa 3 git-release deploy v1.2.0 --env qa --new-env &&
	grep "^undo: git update-ref -d refs/deploy/log/qa [0-9a-f]*\$" ref.out
'

test_expect_success 'deploy to staging with --push: killed after each step' '
	kill_matrix staging 4 git-release deploy v1.2.0 --env staging --push -m up
'

test_expect_success 'yank --push with a hostile reason: killed after each step' '
	kill_matrix yank 3 git-release yank v1.1.0 --env production --push \
		-m "drops orders \$(touch pwned) it'\''s" &&
	test_path_is_missing w/a/pwned &&
	grep "v1.1.0.*bad" colleague.yank
'

test_expect_success 'the undo line of the yank, pasted into sh, puts it back and runs nothing' '
	fresh && snapshot w >before.paste &&
	(cd w/a && git release yank v1.1.0 --env production --push \
		-m "drops orders \$(touch pwned) it'\''s" >out &&
	 sed -n "s/^undo: //p" out >undo.sh &&
	 test_line_count = 1 undo.sh &&
	 grep "^git release yank --undo v1.1.0 --env production -m '\''drops orders \$(touch pwned) it'\''\\\\'\'''\''s'\'' --push\$" undo.sh &&
	 sh undo.sh >/dev/null &&
	 test_path_is_missing pwned &&
	 test_must_fail git cat-file -e refs/deploy/marks:v1.1.0 &&
	 test_must_fail git -C ../remote.git cat-file -e refs/deploy/marks:v1.1.0)
'

test_expect_success 'yank --undo: killed after each step' '
	(cd tmpl/a && test_tick &&
	 git release yank v1.0.0 --env staging -m "old one" >/dev/null &&
	 git release yank v1.0.0 -m "second" >/dev/null) &&
	kill_matrix unyank 3 git-release yank --undo v1.0.0
'

test_expect_success 'cut --push: killed after each step (an untracked file kept)' '
	(cd tmpl/a && git checkout -q unrelated.txt &&
	 test_commit "feat: four" && echo scratch >notes.tmp) &&
	kill_matrix cut 3 git-release cut --minor --push -m "new features" &&
	grep "^created v1.3.0 on " ref.out &&
	grep "^undo: git push --atomic --force-with-lease=refs/tags/v1.3.0:[0-9a-f]* origin :refs/tags/v1.3.0 && git tag -d v1.3.0\$" ref.out
'

test_expect_success 'the matrix: every point tried passed' '
	tried=$(wc -l <kill.count) && passed=$(wc -l <kill.passed) &&
	echo "# kill matrix: $tried points tried, $passed passed" &&
	test "$tried" = "$passed" &&
	test "$tried" -ge 20
'

test_expect_success 'a journal of another operation is refused by git release' '
	fresh &&
	mkdir w/a/.git/release-state &&
	printf "journal 1\nop rollback\ncommand git rollback -m x\nstep 1 check pending\n" \
		>w/a/.git/release-state/journal &&
	(cd w/a && test_expect_code 1 git release --continue 2>err &&
	 grep "^error: git rollback -m x is in progress, not a deploy, yank or cut" err &&
	 grep "git rollback --continue" err &&
	 test_expect_code 1 git release deploy v1.2.0 2>err &&
	 grep "^hint: finish it with \"git rollback --continue\"" err)
'

test_expect_success 'a malformed journal is fatal, naming the file' '
	printf "journal 9\n" >w/a/.git/release-state/journal &&
	(cd w/a && test_expect_code 128 git release --continue 2>err &&
	 grep "^fatal: malformed journal .*release-state/journal. at line 1" err)
'

test_expect_success '--continue and --abort without a journal say so' '
	rm -rf w/a/.git/release-state &&
	(cd w/a && test_expect_code 1 git release --abort 2>err &&
	 grep "^error: no operation to continue or abort" err &&
	 test_expect_code 129 git release --continue extra 2>err)
'

test_expect_success 'dry runs print the plan as JSON, changing nothing' '
	fresh && snapshot w >before.dry &&
	(cd w/a && git release deploy v1.1.0 --push --dry-run --json >../../dry.json &&
	 git release yank v1.1.0 -m why --dry-run --json >../../dry-yank.json) &&
	snapshot w >after.dry &&
	test_cmp before.dry after.dry &&
	test_path_is_missing w/a/.git/release-state &&
	grep "^{\"schema\":1,\"op\":\"deploy\",.*\"dry_run\":true,\"status\":\"planned\"" dry.json &&
	grep "\"kind\":\"hook\"" dry.json &&
	grep "\"kind\":\"push\"" dry.json &&
	grep "\"undo\":\"git release deploy v1.0.0 --env production --allow-downgrade -m .undo the deploy of v1.1.0. --push\"" dry.json &&
	grep "\"op\":\"yank\".*\"kind\":\"mark\"" dry-yank.json
'

test_expect_success 'deploy --json after a run: each step done, the refs it moved' '
	fresh &&
	(cd w/a && git release deploy v1.1.0 --json >../../run.json) &&
	grep "\"outcome\":" run.json &&
	grep "\"status\":\"complete\"" run.json &&
	grep "\"refs\":\[{\"schema\":1,\"ref\":\"refs/deploy/log/production\",\"old\":\"$(git -C tmpl/a rev-parse refs/deploy/log/production)\",\"new\":\"$(git -C w/a rev-parse refs/deploy/log/production)\"}" run.json &&
	! grep "\"status\":\"pending\"" run.json
'

test_done
