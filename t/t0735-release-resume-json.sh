#!/bin/sh

test_description='git release --continue and --abort --json: the journal as the run left it

A deploy, a yank and a cut stopped after a step (the journal'"'"'s test
switch), then finished or undone with --json: stdout is one JSON object
that jq reads, its steps and refs are what happened here and on the
remote, the text of the run and what the hook printed are on stderr.
--json without --continue or --abort is a usage error that changes
nothing.'

. ./test-lib.sh

skip_unless_jq

# refs here (the log's remote-tracking copies aside) and on the remote
state () {
	git for-each-ref --format="%(refname) %(objectname)" |
		grep -v "^refs/deploy-remotes/" &&
	git -C ../remote.git for-each-ref --format="remote %(refname) %(objectname)" &&
	find .git/release-state -type f 2>/dev/null | sort
}

# the steps of a JSON plan as "kind=status,..."
steps () {
	jq -r "[.status, (.steps | map(.kind + \"=\" + .status) | join(\",\"))] | @tsv" "$1"
}

test_expect_success 'setup: a remote, v1.0.0 deployed and pushed, a hook that talks on stdout' '
	git init -q --bare tmpl/remote.git &&
	git clone -q tmpl/remote.git tmpl/work 2>/dev/null &&
	(cd tmpl/work &&
	 # every copy pushes to its own remote
	 git remote set-url origin ../remote.git &&
	 printf "%s\n" "*.json" err out before after expect actual >.git/info/exclude &&
	 test_commit one && git tag -a -m r v1.0.0 &&
	 test_commit "fix: two" && git tag -a -m r v1.1.0 &&
	 test_commit "fix: three" &&
	 git push -q origin HEAD:refs/heads/main --tags &&
	 git config deploy.production.command \
		"echo \"hook on stdout: \$RELEASE_TAG\"; echo \"\$RELEASE_TAG\" >>../hook.log" &&
	 git release deploy v1.0.0 -m first --push >/dev/null 2>&1 &&
	 : >../hook.log)
'

fresh () {
	cd "$TRASH_DIRECTORY" &&
	rm -rf run && cp -a tmpl run && cd run/work
}

test_expect_success '--json with no --continue or --abort: usage (129), nothing changed' '
	fresh &&
	state >before &&
	test_expect_code 129 git release --json >out 2>err &&
	test_must_be_empty out &&
	grep "^error: --json goes with --continue or --abort" err &&
	grep "^usage: git release cut" err &&
	test_expect_code 129 git release --json --no-such >out 2>err &&
	test_must_be_empty out &&
	test_expect_code 129 git release --continue --json extra >out 2>err &&
	test_must_be_empty out &&
	test_expect_code 129 git release --continue --abort --json >out 2>err &&
	test_must_be_empty out &&
	state >after &&
	test_cmp before after
'

test_expect_success 'the usage line names --json' '
	git release -h >out 2>&1;
	grep "^   or: git release --continue | --abort \[--json\]\$" out
'

test_expect_success '--continue --json and --abort --json with no journal: refused (1), no object' '
	state >before &&
	test_expect_code 1 git release --continue --json >out 2>err &&
	test_must_be_empty out &&
	grep "^error: no operation to continue or abort" err &&
	test_expect_code 1 git release --abort --json >out 2>err &&
	test_must_be_empty out &&
	state >after &&
	test_cmp before after
'

test_expect_success 'a deploy --push stopped after its hook: --continue --json, one object, complete' '
	fresh &&
	state >before &&
	test_expect_code 137 env GIT_RELEASE_TEST_KILL_AFTER=2 \
		git release deploy v1.1.0 -m next --push >out 2>err &&
	test_path_is_file .git/release-state/journal &&
	echo v1.1.0 >expect && test_cmp expect ../hook.log &&
	git release --continue --json >cont.json 2>err &&
	test_line_count = 1 cont.json &&
	jq -e . cont.json >/dev/null &&
	steps cont.json >actual &&
	printf "complete\tcheck=done,hook=done,log=done,deployed-tag=done,push=done\n" >expect &&
	test_cmp expect actual &&
	test "$(jq -r .op cont.json)" = deploy &&
	test "$(jq -r .command cont.json)" = "git release deploy v1.1.0 -m next --push" &&
	grep "^finished git release deploy v1.1.0 -m next --push" err &&
	# the hook is not run again: it was done
	echo v1.1.0 >expect && test_cmp expect ../hook.log &&
	jq -r ".refs[] | [.ref, .new] | @tsv" cont.json >actual &&
	printf "%s\t%s\n" \
		refs/deploy/log/production "$(git rev-parse refs/deploy/log/production)" \
		refs/tags/deployed-v1.1.0 "$(git rev-parse refs/tags/deployed-v1.1.0)" >expect &&
	test_cmp expect actual &&
	test "$(git -C ../remote.git rev-parse refs/deploy/log/production)" = \
		"$(git rev-parse refs/deploy/log/production)" &&
	test "$(git -C ../remote.git rev-parse refs/tags/deployed-v1.1.0)" = \
		"$(git rev-parse refs/tags/deployed-v1.1.0)" &&
	test "$(jq -r .undo cont.json)" = "git release deploy v1.0.0 --env production --allow-downgrade -m '"'"'undo the deploy of v1.1.0'"'"' --push" &&
	test "$(git release current --no-fetch)" = v1.1.0 &&
	test_path_is_missing .git/release-state/journal
'

test_expect_success 'stopped before its hook: --continue --json runs it, what it prints goes to stderr' '
	fresh &&
	test_expect_code 137 env GIT_RELEASE_TEST_KILL_AFTER=1 \
		git release deploy v1.1.0 -m next --push >out 2>err &&
	test_must_be_empty ../hook.log &&
	git release --continue --json >cont.json 2>err &&
	test_line_count = 1 cont.json &&
	jq -e . cont.json >/dev/null &&
	grep "^hook on stdout: v1.1.0\$" err &&
	echo v1.1.0 >expect && test_cmp expect ../hook.log &&
	steps cont.json >actual &&
	printf "complete\tcheck=done,hook=done,log=done,deployed-tag=done,push=done\n" >expect &&
	test_cmp expect actual &&
	test "$(git -C ../remote.git rev-parse refs/deploy/log/production)" = \
		"$(git rev-parse refs/deploy/log/production)"
'

test_expect_success 'the same, --abort --json: aborted, the done steps undone, refs back' '
	fresh &&
	state >before &&
	test_expect_code 137 env GIT_RELEASE_TEST_KILL_AFTER=4 \
		git release deploy v1.1.0 -m next --push >out 2>err &&
	test "$(git rev-parse refs/deploy/log/production)" != \
		"$(git -C ../remote.git rev-parse refs/deploy/log/production)" &&
	git release --abort --json >abort.json 2>err &&
	test_line_count = 1 abort.json &&
	steps abort.json >actual &&
	printf "aborted\tcheck=undone,hook=undone,log=undone,deployed-tag=undone,push=pending\n" >expect &&
	test_cmp expect actual &&
	grep "^aborted git release deploy v1.1.0" err &&
	state >after &&
	test_cmp before after
'

test_expect_success 'a --continue whose push the remote refuses: status stopped, the undo is --abort; then --abort --json' '
	fresh &&
	test_expect_code 137 env GIT_RELEASE_TEST_KILL_AFTER=4 \
		git release deploy v1.1.0 -m next --push >out 2>err &&
	state >stopped &&
	printf "#!/bin/sh\nexit 1\n" >../remote.git/hooks/pre-receive &&
	chmod +x ../remote.git/hooks/pre-receive &&
	test_expect_code 1 git release --continue --json >cont.json 2>err &&
	rm ../remote.git/hooks/pre-receive &&
	test_line_count = 1 cont.json &&
	steps cont.json >actual &&
	printf "stopped\tcheck=done,hook=done,log=done,deployed-tag=done,push=pending\n" >expect &&
	test_cmp expect actual &&
	test "$(jq -r .undo cont.json)" = "git release --abort" &&
	state >after &&
	test_cmp stopped after &&
	git release --abort --json >abort.json 2>err &&
	test "$(jq -r .status abort.json)" = aborted &&
	test_must_fail git rev-parse -q --verify refs/tags/deployed-v1.1.0 &&
	test "$(git rev-parse refs/deploy/log/production)" = \
		"$(git -C ../remote.git rev-parse refs/deploy/log/production)" &&
	test_path_is_missing .git/release-state/journal
'

test_expect_success 'yank --push stopped: --continue --json marks it here and there' '
	fresh &&
	test_expect_code 137 env GIT_RELEASE_TEST_KILL_AFTER=2 \
		git release yank v1.1.0 -m "broken login" --push >out 2>err &&
	git release --continue --json >cont.json 2>err &&
	test_line_count = 1 cont.json &&
	test "$(jq -r .op cont.json)" = yank &&
	grep "^finished git release yank v1.1.0" err &&
	test "$(jq -r .status cont.json)" = complete &&
	jq -r ".steps | map(.status) | unique | join(\",\")" cont.json >actual &&
	echo done >expect && test_cmp expect actual &&
	git release list >out &&
	grep "^v1.1.0  bad: broken login" out &&
	test "$(git -C ../remote.git rev-parse refs/deploy/marks)" = \
		"$(git rev-parse refs/deploy/marks)" &&
	test "$(jq -r ".refs[] | select(.ref == \"refs/deploy/marks\") | .new" cont.json)" = \
		"$(git rev-parse refs/deploy/marks)"
'

test_expect_success 'yank stopped: --abort --json, no mark anywhere' '
	fresh &&
	state >before &&
	test_expect_code 137 env GIT_RELEASE_TEST_KILL_AFTER=2 \
		git release yank v1.1.0 -m "broken login" --push >out 2>err &&
	git release --abort --json >abort.json 2>err &&
	test "$(jq -r .status abort.json)" = aborted &&
	test "$(jq -r .op abort.json)" = yank &&
	grep "^aborted git release yank v1.1.0" err &&
	state >after &&
	test_cmp before after &&
	git release list >out &&
	! grep bad out
'

test_expect_success 'cut --push stopped after its tag: --continue --json pushes it; --abort --json deletes it' '
	fresh &&
	test_expect_code 137 env GIT_RELEASE_TEST_KILL_AFTER=tag \
		git release cut --patch --push >out 2>err &&
	test_path_is_file .git/release-state/journal &&
	git rev-parse -q --verify refs/tags/v1.1.1 >/dev/null &&
	test_must_fail git -C ../remote.git rev-parse -q --verify refs/tags/v1.1.1 &&
	git release --continue --json >cont.json 2>err &&
	test_line_count = 1 cont.json &&
	test "$(jq -r .op cont.json)" = cut &&
	grep "^finished git release cut --patch --push" err &&
	test "$(jq -r .status cont.json)" = complete &&
	test "$(git -C ../remote.git rev-parse refs/tags/v1.1.1)" = \
		"$(git rev-parse refs/tags/v1.1.1)" &&
	fresh &&
	state >before &&
	test_expect_code 137 env GIT_RELEASE_TEST_KILL_AFTER=tag \
		git release cut --patch --push >out 2>err &&
	git release --abort --json >abort.json 2>err &&
	test_line_count = 1 abort.json &&
	test "$(jq -r .status abort.json)" = aborted &&
	jq -r ".steps[] | select(.kind == \"tag\") | .status" abort.json >actual &&
	echo undone >expect && test_cmp expect actual &&
	state >after &&
	test_cmp before after
'

test_expect_success 'another command'"'"'s journal: refused (1) with --json too, no object' '
	fresh &&
	mkdir .git/release-state &&
	printf "journal 1\nop rollback\ncommand git rollback -m x\nstep 1 check pending\n" \
		>.git/release-state/journal &&
	state >before &&
	test_expect_code 1 git release --continue --json >out 2>err &&
	test_must_be_empty out &&
	grep "^error: git rollback -m x is in progress, not a deploy, yank or cut" err &&
	test_expect_code 1 git release --abort --json >out 2>err &&
	test_must_be_empty out &&
	state >after &&
	test_cmp before after
'

test_done
