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

# matrix <name> <finish> <cmd>...: the matrix of one command, from the
# repository copy in tmpl/<name>; finish drives whatever is left to the
# end (resolving a conflict the same way each time)
matrix () {
	_name=$1 _finish=$2 &&
	shift 2 &&
	fresh "$_name" &&
	kill_snapshot >"$TRASH_DIRECTORY/$_name.before" &&
	{ "$@" >/dev/null 2>&1; true; } &&
	$_finish &&
	kill_snapshot >"$TRASH_DIRECTORY/$_name.after" &&
	fresh "$_name" &&
	{ kill_trace "$TRASH_DIRECTORY/$_name.trace" "$@"; true; } &&
	kill_points "$TRASH_DIRECTORY/$_name.trace" >"$TRASH_DIRECTORY/$_name.points" &&
	_tried=0 _passed=0 &&
	while read _sc _n
	do
		_tried=$(($_tried + 1)) &&
		if point "$_name" "$_finish" "$_sc" "$_n" "$@"
		then
			_passed=$(($_passed + 1))
		else
			echo "FAILED: $_name killed at $_sc #$_n" >&2
		fi
	done <"$TRASH_DIRECTORY/$_name.points" &&
	echo "$_name: $_passed of $_tried kill points passed" |
		tee -a "$TRASH_DIRECTORY/summary" &&
	test $_tried -gt 0 &&
	test $_passed = $_tried
}

# one point: killed there, then --continue; killed there, then --abort
point () {
	_name=$1 _finish=$2 _sc=$3 _n=$4 &&
	shift 4 &&
	fresh "$_name" &&
	kill_at "$_sc" "$_n" "$@"
	kill_not_stuck &&
	if kill_state_left
	then
		$_finish
	elif kill_snapshot | cmp -s - "$TRASH_DIRECTORY/$_name.before"
	then
		# killed before it changed anything: it simply runs again
		{ "$@" >/dev/null 2>&1; true; } &&
		$_finish
	fi &&
	kill_snapshot >"$TRASH_DIRECTORY/actual" &&
	test_cmp "$TRASH_DIRECTORY/$_name.after" "$TRASH_DIRECTORY/actual" &&
	test_lock_free &&
	fresh "$_name" &&
	kill_at "$_sc" "$_n" "$@"
	if kill_state_left
	then
		as_user git rollback --abort &&
		kill_snapshot >"$TRASH_DIRECTORY/actual" &&
		test_cmp "$TRASH_DIRECTORY/$_name.before" "$TRASH_DIRECTORY/actual"
	else
		# nothing left to abort: it did all or nothing
		kill_snapshot >"$TRASH_DIRECTORY/actual" &&
		{ cmp -s "$TRASH_DIRECTORY/$_name.before" "$TRASH_DIRECTORY/actual" ||
		  test_cmp "$TRASH_DIRECTORY/$_name.after" "$TRASH_DIRECTORY/actual"; }
	fi &&
	git fsck --no-progress 2>"$TRASH_DIRECTORY/fsck" &&
	test_must_be_empty "$TRASH_DIRECTORY/fsck"
}

# fresh <name>: a new copy of tmpl/<name> in run/, entered
fresh () {
	cd "$TRASH_DIRECTORY" &&
	rm -rf run &&
	cp -a "tmpl/$1" run &&
	cd run/work
}

# --continue until nothing is left, a conflict resolved as the user would
finish_continue () {
	for _i in 1 2 3 4 5
	do
		kill_state_left || return 0
		if test -f .git/REVERT_HEAD
		then
			echo "app 2, kept the hot patch" >app.txt &&
			git add app.txt
		fi
		as_user git rollback --continue 2>/dev/null
	done
	! kill_state_left
}

finish_none () {
	! kill_state_left
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
	shop revert-commit
'

test_expect_success 'git rollback --reset --push' '
	matrix reset finish_continue \
		git-rollback --reset v1.2.3 -m "login broken" --ignore-migrations --push
'

test_expect_success 'git rollback --branch --push' '
	matrix branch finish_continue \
		git-rollback --branch v1.2.3 -m "login broken" --ignore-migrations --push
'

test_expect_success 'git rollback --revert --push, a range stopped by a conflict' '
	matrix revert finish_continue \
		git-rollback --revert v1.2.2 -m "login broken" --ignore-migrations --push
'

test_expect_success 'git rollback revert <commit>' '
	matrix revert-commit finish_continue \
		git-rollback revert HEAD~2
'

test_expect_success 'the counts' '
	cat "$TRASH_DIRECTORY/summary"
'

test_done
