#!/bin/sh

test_description='git rollback: the journal of a stopped rollback and revert, --json of --continue, --skip and --abort, the dry run'"'"'s plan

A rollback --revert and a git rollback revert stopped on a conflict
leave the journal (op rollback, op revert) with the revert step
stopped and the sequence'"'"'s state beside it.  --continue, --skip and
--abort with --json print one object, the plan as it ended (complete,
aborted), as git hotfix finish does.  The plan a dry run prints is the
one the run writes as its journal.'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh

skip_unless_jq

steps () {
	jq -r ".steps | map(.kind + \"=\" + .status) | join(\",\")" "$1"
}

# the steps of the journal, "<kind> <part>", one a line
journal_steps () {
	awk '/^step / { if (k != "") print k, p; k = $3; p = "-"; next }
		/^part / { p = $2 }
		END { if (k != "") print k, p }' .git/release-state/journal
}

test_expect_success 'setup: production hot patched after v1.2.4, deployed, pushed' '
	setup_shop &&
	git release deploy v1.2.4 -q -m "release day" --push &&
	git config deploy.production.command "echo \"\$DEPLOY_KIND \$RELEASE_TAG\" >>\"\$TRASH_DIRECTORY/hook.log\"" &&
	git checkout -q production &&
	echo "app 3, hot patched" >app.txt &&
	git commit -q -a -m "hot patch on production" &&
	git push -q origin production &&
	echo "my notes" >notes.txt &&
	cd .. && cp -a work work.orig && cp -a remote.git remote.orig && cd work
'

fresh () {
	cd "$TRASH_DIRECTORY" &&
	rm -rf work remote.git hook.log &&
	cp -a work.orig work && cp -a remote.orig remote.git &&
	cd work
}

test_expect_success 'a rollback --revert stopped on a conflict: its journal and the revert state beside it' '
	old=$(git rev-parse production) &&
	test_expect_code 1 git rollback --revert v1.2.2 -m "login \$(broken)" \
		--ignore-migrations --push >out 2>err &&
	test_path_is_file .git/release-state/journal &&
	test_path_is_file .git/release-state/revert &&
	test_path_is_missing .git/rollback-state &&
	grep -v "^#" .git/release-state/journal | sed -n "1,2p" >actual &&
	printf "journal 1\nop rollback\n" >expect &&
	test_cmp expect actual &&
	grep "^command git rollback --revert v1.2.2 -m " .git/release-state/journal &&
	grep "^target v1.2.2\$" .git/release-state/journal &&
	grep "^from v1.2.4\$" .git/release-state/journal &&
	grep "^reason login \$(broken)\$" .git/release-state/journal &&
	grep "^strategy revert\$" .git/release-state/journal &&
	grep "^old $old\$" .git/release-state/journal &&
	sed -n "s/^step //p" .git/release-state/journal >actual &&
	cat >expect <<-\EOF &&
	1 check done
	2 revert stopped
	3 push pending
	4 hook pending
	5 log pending
	6 deployed-tag pending
	7 mark pending
	8 log pending
	9 push pending
	EOF
	test_cmp expect actual &&
	journal_steps >actual &&
	cat >expect <<-\EOF &&
	check -
	revert git
	push push
	hook hook
	log record
	deployed-tag record
	mark mark
	log hold
	push log-push
	EOF
	test_cmp expect actual &&
	grep "^phase stopped\$" .git/release-state/revert &&
	grep "^branch refs/heads/production\$" .git/release-state/revert &&
	! grep "^then " .git/release-state/revert &&
	test_path_is_missing ../hook.log
'

test_expect_success '... --continue --json after resolving: one object, the plan complete, the undo line' '
	echo "app 2, kept the hot patch" >app.txt && git add app.txt &&
	git rollback --continue --json >cont.json 2>err &&
	test_line_count = 1 cont.json &&
	jq -r "[.op, .status] | @tsv" cont.json >actual &&
	printf "rollback\tcomplete\n" >expect &&
	test_cmp expect actual &&
	steps cont.json >actual &&
	echo "check=done,revert=done,push=done,hook=done,log=done,deployed-tag=done,mark=done,log=done,push=done" >expect &&
	test_cmp expect actual &&
	new=$(git rev-parse production) &&
	test "$(remote_rev refs/heads/production)" = "$new" &&
	jq -r .undo cont.json >actual &&
	echo "git switch production && git revert --no-edit $old..$new && git push origin refs/heads/production && git release deploy v1.2.4 --env production --force --lift-hold" >expect &&
	test_cmp expect actual &&
	echo "rollback v1.2.2" >expect && test_cmp expect ../hook.log &&
	test "$(mark_of v1.2.4)" != "" &&
	test "$(cat notes.txt)" = "my notes" &&
	test_path_is_missing .git/release-state
'

test_expect_success 'a rollback --revert stopped, --abort --json: the plan aborted, nothing of it left' '
	fresh &&
	git for-each-ref --format="%(refname) %(objectname)" refs/heads refs/tags refs/deploy >../refs.before &&
	test_expect_code 1 git rollback --revert v1.2.2 -m "login broken" \
		--ignore-migrations --push >out 2>err &&
	git rollback --abort --json >abort.json 2>err &&
	test_line_count = 1 abort.json &&
	jq -r "[.op, .status] | @tsv" abort.json >actual &&
	printf "rollback\taborted\n" >expect &&
	test_cmp expect actual &&
	jq -r ".steps[1] | .kind + \"=\" + .status" abort.json >actual &&
	echo "revert=undone" >expect &&
	test_cmp expect actual &&
	git for-each-ref --format="%(refname) %(objectname)" refs/heads refs/tags refs/deploy >actual &&
	test_cmp ../refs.before actual &&
	test_must_be_empty "$(git status --porcelain --untracked-files=no)" &&
	test_path_is_missing ../hook.log &&
	test_path_is_missing .git/release-state
'

test_expect_success 'a rollback --revert stopped, --skip --json: the conflicted commit skipped, the rollback complete' '
	fresh &&
	test_expect_code 1 git rollback --revert v1.2.2 -m "login broken" \
		--ignore-migrations >out 2>err &&
	git rollback --skip --json >skip.json 2>err &&
	test_line_count = 1 skip.json &&
	jq -r "[.op, .status] | @tsv" skip.json >actual &&
	printf "rollback\tcomplete\n" >expect &&
	test_cmp expect actual &&
	echo "rollback v1.2.2" >expect && test_cmp expect ../hook.log &&
	test "$(cat app.txt)" = "app 3, hot patched" &&
	test_path_is_missing .git/release-state
'

test_expect_success 'git rollback revert stopped on a conflict: the journal, op revert' '
	fresh &&
	old=$(git rev-parse HEAD) &&
	test_expect_code 1 git rollback revert v1.2.4 >out 2>err &&
	grep -v "^#" .git/release-state/journal | sed -n "1,3p" >actual &&
	printf "journal 1\nop revert\ncommand git rollback revert v1.2.4\n" >expect &&
	test_cmp expect actual &&
	sed -n "s/^step //p" .git/release-state/journal >actual &&
	echo "1 revert stopped" >expect &&
	test_cmp expect actual &&
	grep "^ref refs/heads/production\$" .git/release-state/journal &&
	grep "^old $old\$" .git/release-state/journal &&
	grep "^commit $(git rev-parse v1.2.4^{commit})\$" .git/release-state/journal &&
	grep "^phase stopped\$" .git/release-state/revert &&
	test_expect_code 1 git release yank v1.2.0 -m probe 2>err &&
	grep "^error: cannot yank a release: git rollback revert v1.2.4 is in progress (stopped)" err
'

test_expect_success '... --abort --json: aborted, the branch and worktree back' '
	git rollback --abort --json >abort.json 2>err &&
	test_line_count = 1 abort.json &&
	steps abort.json >actual &&
	echo "revert=undone" >expect &&
	test_cmp expect actual &&
	jq -r "[.op, .status] | @tsv" abort.json >actual &&
	printf "revert\taborted\n" >expect &&
	test_cmp expect actual &&
	test "$(git rev-parse HEAD)" = "$old" &&
	test "$(cat app.txt)" = "app 3, hot patched" &&
	test_path_is_missing .git/release-state
'

test_expect_success '... stopped again, --continue --json: complete, its undo line' '
	test_expect_code 1 git rollback revert v1.2.4 >out 2>err &&
	echo "app 2, by hand" >app.txt && git add app.txt &&
	git rollback --continue --json >cont.json 2>err &&
	test_line_count = 1 cont.json &&
	jq -r "[.op, .status] | @tsv" cont.json >actual &&
	printf "revert\tcomplete\n" >expect &&
	test_cmp expect actual &&
	jq -r .steps[0].new cont.json >actual &&
	git rev-parse HEAD >expect &&
	test_cmp expect actual &&
	jq -r .undo cont.json >actual &&
	echo "git reset --keep $old" >expect &&
	test_cmp expect actual &&
	test_path_is_missing .git/release-state
'

test_expect_success '--continue --json with nothing in progress: refused (1), nothing on stdout' '
	test_expect_code 1 git rollback --continue --json >out 2>err &&
	test_must_be_empty out &&
	grep "^error: no rollback revert in progress" err
'

test_expect_success 'the plan a dry run prints is the plan the run journals' '
	fresh &&
	git rollback --reset v1.2.3 -m "login broken" --ignore-migrations \
		--push --force --dry-run --json >dry.json &&
	jq -r ".steps[] | .kind + \" \" + (.part // \"-\")" dry.json >expect &&
	jq -r ".steps[] | .kind + \" \" + (.ref // \"-\") + \" \" + (.old // \"-\")" dry.json >expect.refs &&
	test_expect_code 137 env GIT_RELEASE_TEST_KILL_AFTER=rollback:0 \
		git rollback --reset v1.2.3 -m "login broken" --ignore-migrations \
		--push --force >out 2>err &&
	journal_steps >actual &&
	test_cmp expect actual &&
	awk "/^step / { if (k != \"\") print k, r, o; k = \$3; r = \"-\"; o = \"-\"; next }
		/^ref / { r = \$2 } /^old / { if (k != \"\") o = \$2 }
		END { print k, r, o }" .git/release-state/journal >actual.refs &&
	test_cmp expect.refs actual.refs &&
	git rollback --abort >out 2>err &&
	test_path_is_missing .git/release-state
'

test_expect_success 'the undo line after a run pastes safely: a reason and a branch with $(...), quotes and unicode' '
	fresh &&
	cat >../prefix <<-\EOF &&
	rb-$(touch${IFS}pwned)-ü'"'"'q/
	EOF
	git config rollback.branchPrefix "$(cat ../prefix)" &&
	git rollback -m "x \$(touch pwned) \"q\" ü" --ignore-migrations >out 2>err &&
	branch=$(git for-each-ref --format="%(refname:short)" refs/heads | grep "^rb-") &&
	test "$branch" = "$(cat ../prefix)v1.2.4" &&
	sed -n "s/^undo: //p" out >undo &&
	cat >expect <<-\EOF &&
	git branch -D '"'"'rb-$(touch${IFS}pwned)-ü'"'"'\'"'"''"'"'q/v1.2.4'"'"' && git release deploy v1.2.4 --env production --force --lift-hold
	EOF
	test_cmp expect undo &&
	sh -c "$(cat undo)" >sh.out 2>&1 &&
	test_path_is_missing pwned &&
	test_must_fail git rev-parse -q --verify "refs/heads/$branch" &&
	test "$(held_at)" = ""
'


test_done
