#!/bin/sh

test_description='kill -9 anywhere in git rollback, then --continue or --abort

Each mutating rollback command is killed at system calls spread over its
run (strace fault injection).  Then, in a new process: the suite still
answers (or says how to get out), --continue ends exactly as the run
that was not killed, --abort puts refs, HEAD, index, worktree and the
record back exactly, and a run killed after its last step is complete.
An untracked file and, where the command allows it, an edited tracked
file must survive all of it.  KILL_POINTS bounds the points per command.'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-kill.sh

if ! test_have_prereq STRACE
then
	skip_all='strace with fault injection is missing (apt-get install strace)'
	test_done
fi

# the conflict of the --revert range, resolved as a user would
kill_resolve () {
	if test -f .git/REVERT_HEAD
	then
		echo "app 2, kept the hot patch" >app.txt &&
		git add app.txt
	fi
}

# the shop (lib-rollback.sh) deployed at v1.2.4, pushed, with the
# user's own files: an untracked note and, in_tracked, an edited file
shop () {
	cd "$TRASH_DIRECTORY" &&
	mkdir -p "tmpl/$1" &&
	cd "tmpl/$1" &&
	setup_shop >/dev/null &&
	git release deploy v1.2.4 -q -m "release day" --push &&
	git config deploy.production.command "echo \"\$RELEASE_TAG\" >>\"\$TRASH_DIRECTORY/deployed.\$DEPLOY_KIND\"" &&
	printf "%s\n" run kill.out kill.err kill.err0 kill.err1 kill.err2 >>.git/info/exclude &&
	echo "my notes, not committed" >notes.txt
}

test_expect_success 'setup: one shop per command' '
	shop reset && git checkout -q production &&
	shop branch && echo "edited, not committed" >>config/app.yml &&
	shop revert &&
	git checkout -q production &&
	echo "app 3, hot patched" >app.txt &&
	git commit -q -a -m "hot patch on production" &&
	git push -q origin production &&
	shop revert-commit &&
	shop deploy-only && echo "edited, not committed" >>config/app.yml &&
	shop restore && git rollback revert -q HEAD~2 >/dev/null
'

test_expect_success 'git rollback --reset --push' '
	kill_matrix reset \
		git-rollback --reset v1.2.3 -m "login broken" --ignore-migrations --push
'

test_expect_success 'git rollback --branch --push' '
	kill_matrix branch \
		git-rollback --branch v1.2.3 -m "login broken" --ignore-migrations --push
'

test_expect_success 'git rollback --revert --push, a range stopped by a conflict' '
	kill_matrix revert \
		git-rollback --revert v1.2.2 -m "login broken" --ignore-migrations --push
'

test_expect_success 'git rollback revert <commit>' '
	kill_matrix revert-commit \
		git-rollback revert HEAD~2
'

test_expect_success 'git rollback --deploy-only --push' '
	kill_matrix deploy-only \
		git-rollback --deploy-only v1.2.3 -m "login broken" --ignore-migrations --push
'

test_expect_success 'git rollback restore <revert-commit>' '
	kill_matrix restore \
		git-rollback restore HEAD
'

# kill_after <name> <n> <cmd>...: a fresh copy of tmpl/<name>, cmd killed
# right after its journal says step n is done (0: right after it is
# written), what the hook saw until then in hook.before
kill_after () {
	_name=$1 _n=$2 &&
	shift 2 &&
	kill_fresh "$_name" &&
	rm -f "$TRASH_DIRECTORY"/deployed.* &&
	test_expect_code 137 env GIT_RELEASE_TEST_KILL_AFTER=$_n "$@" \
		>kill.out 2>kill.err &&
	test_path_is_file .git/release-state/journal &&
	{ cat "$TRASH_DIRECTORY"/deployed.* 2>/dev/null || true; } >"$TRASH_DIRECTORY/hook.before"
}

# the hook's calls, "<kind> <tag>", one a line
hook_saw () {
	for _k in rollback deploy
	do
		test -f "$TRASH_DIRECTORY/deployed.$_k" &&
		sed "s/^/$_k /" "$TRASH_DIRECTORY/deployed.$_k"
	done
	true
}

# kill_steps <name> <steps> <hook step> <cmd>...: killed after each step
# of its journal, --continue ends as the run not killed (the hook run
# once), --abort as before it (the release rolled back from deployed
# again once the hook had run)
kill_steps () {
	_name=$1 _steps=$2 _hook=$3 &&
	shift 3 &&
	kill_fresh "$_name" &&
	kill_snapshot >"$TRASH_DIRECTORY/$_name.before" &&
	rm -f "$TRASH_DIRECTORY"/deployed.* &&
	"$@" >/dev/null 2>&1 &&
	kill_snapshot >"$TRASH_DIRECTORY/$_name.after" &&
	hook_saw >"$TRASH_DIRECTORY/$_name.hook" &&
	# every step of the journal is a kill point
	kill_after "$_name" 0 "$@" &&
	test "$(grep -c "^step " .git/release-state/journal)" = "$_steps" &&
	_n=0 &&
	while test $_n -le $_steps
	do
		kill_after "$_name" $_n "$@" &&
		as_user git rollback --continue &&
		kill_snapshot >"$TRASH_DIRECTORY/actual" &&
		test_cmp "$TRASH_DIRECTORY/$_name.after" "$TRASH_DIRECTORY/actual" &&
		hook_saw >"$TRASH_DIRECTORY/actual" &&
		test_cmp "$TRASH_DIRECTORY/$_name.hook" "$TRASH_DIRECTORY/actual" &&
		kill_after "$_name" $_n "$@" &&
		as_user git rollback --abort &&
		kill_snapshot >"$TRASH_DIRECTORY/actual" &&
		test_cmp "$TRASH_DIRECTORY/$_name.before" "$TRASH_DIRECTORY/actual" &&
		if test -n "$_hook" && test $_n -ge $_hook
		then
			printf "rollback v1.2.3\ndeploy v1.2.4\n" >"$TRASH_DIRECTORY/expect"
		else
			: >"$TRASH_DIRECTORY/expect"
		fi &&
		hook_saw >"$TRASH_DIRECTORY/actual" &&
		test_cmp "$TRASH_DIRECTORY/expect" "$TRASH_DIRECTORY/actual" &&
		echo "$_name: killed after journal step $_n, continued and aborted" >>"$TRASH_DIRECTORY/summary" &&
		_n=$(($_n + 1)) || return 1
	done
}

test_expect_success 'git rollback --deploy-only --push: killed after each journal step' '
	# check, hook, record, its deployed- tag, mark, hold, the log push
	kill_steps deploy-only 7 2 \
		git-rollback --deploy-only v1.2.3 -m "login broken" --ignore-migrations --push
'

test_expect_success 'git rollback --reset --push: killed after each journal step' '
	# check, ref, push, hook, record, its deployed- tag, mark, hold,
	# the log push
	kill_steps reset 9 4 \
		git-rollback --reset v1.2.3 -m "login broken" --ignore-migrations --push
'

test_expect_success 'git rollback restore: killed after its journal step' '
	kill_steps restore 1 "" git-rollback restore HEAD
'

# the branch's push, held by the remote: the abort waits for the
# orphaned git push before it reads the remote, then takes it back too
test_expect_success 'git rollback --reset --push killed while its push is in flight: --abort waits, then undoes' '
	kill_fresh reset &&
	kill_snapshot >"$TRASH_DIRECTORY/inflight.before" &&
	inflight_resume "git rollback --abort" "$TRASH_DIRECTORY/inflight.before" \
		git-rollback --reset v1.2.3 -m "login broken" --ignore-migrations --push
'

test_expect_success 'the same with --continue: it waits, then ends as the run not killed' '
	kill_fresh reset &&
	{ git-rollback --reset v1.2.3 -m "login broken" --ignore-migrations \
		--push >/dev/null 2>&1; true; } &&
	kill_snapshot >"$TRASH_DIRECTORY/inflight.after" &&
	kill_fresh reset &&
	inflight_resume "git rollback --continue" "$TRASH_DIRECTORY/inflight.after" \
		git-rollback --reset v1.2.3 -m "login broken" --ignore-migrations --push
'

test_expect_success 'the counts' '
	cat "$TRASH_DIRECTORY/summary"
'

test_done
