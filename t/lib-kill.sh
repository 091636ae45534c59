# The kill matrix (t07xx): SIGKILL a mutating command at system calls
# spread over its run, with strace's fault injection, then finish or
# undo what it left in a new process and compare with the run that was
# not interrupted.
#
#	kill_trace <trace> <cmd>...	run cmd under strace: the system
#					calls a kill may land on, in order
#	kill_points <trace> <max>	at most max of them, spread evenly
#					over the run: "<syscall> <n>" lines
#	kill_at <syscall> <n> <cmd>...	run cmd, killed at its n-th call of
#					syscall (exit 137)
#	kill_snapshot			what --abort must restore and
#					--continue must reach: refs here and
#					on the remote, HEAD, index, worktree,
#					branch config, the state directories
#
# Only the command's own process is traced (no -f): strace counts
# calls per process, and a kill is a kill of the command; the children
# it spawned (git push) live on as they would after a real kill -9.
# KILL_POINTS (default 6) bounds the points per command.

if command -v strace >/dev/null 2>&1 &&
	strace -o /dev/null -qq -e inject=getpid:error=EPERM:when=1 true 2>/dev/null
then
	test_set_prereq STRACE
fi

# the calls where state changes or a child starts
KILL_SYSCALLS=openat,write,rename,link,unlink,mkdir,rmdir,clone,clone3,vfork,fsync,ftruncate,pwrite64

kill_trace () {
	_trace=$1 &&
	shift &&
	strace -o "$_trace.raw" -qq -e trace=$KILL_SYSCALLS "$@" >/dev/null 2>&1
	_rc=$? &&
	sed -n "s/^\\([a-z0-9_]*\\)(.*/\\1/p" "$_trace.raw" |
		awk '{ n[$1]++; print $1, n[$1] }' >"$_trace" &&
	return $_rc
}

kill_points () {
	awk -v max="${2:-${KILL_POINTS:-6}}" '
		{ line[NR] = $0 }
		END {
			if (NR == 0) exit
			k = max < NR ? max : NR
			for (i = 0; i < k; i++)
				print line[int((i + 0.5) * NR / k) + 1]
		}' "$1"
}

kill_at () {
	_sc=$1 &&
	_n=$2 &&
	shift 2 &&
	strace -o /dev/null -qq -e inject=$_sc:signal=KILL:when=$_n "$@" \
		>kill.out 2>kill.err
}

kill_snapshot () {
	echo "# refs" &&
	git for-each-ref --format="%(refname) %(objectname)" |
		grep -v -e "^refs/remotes/" -e "^refs/deploy-remotes/" &&
	echo "# remote" &&
	{ git -C ../remote.git for-each-ref --format="%(refname) %(objectname)" 2>/dev/null || true; } &&
	echo "# config" &&
	{ git config --local --get-regexp "^branch\\." || true; } &&
	echo "# HEAD" &&
	git rev-parse HEAD &&
	{ git symbolic-ref -q HEAD || echo detached; } &&
	echo "# index" &&
	git ls-files -s &&
	echo "# status" &&
	git status --porcelain --untracked-files=all &&
	echo "# files" &&
	git ls-files -z | xargs -0 cat 2>/dev/null
	for _f in $(git ls-files -o --exclude-standard)
	do
		echo "## $_f" && cat "$_f"
	done
	# the state files (a temporary file a kill left is nobody's state)
	echo "# state" &&
	{ find .git/hotfix-state .git/release-state \
		-type f 2>/dev/null | grep -v "\.[A-Za-z0-9]\{6\}\$" | sort || true; }
}

# kill_state_dirs: is any of the suite's state left? (0 yes)
kill_state_left () {
	test -f .git/hotfix-state/plan || test -f .git/release-state/journal
}

# kill_not_stuck: after whatever a kill left, the suite answers: a
# read-only command runs, and a mutating one either runs or says how to
# get out (the command that finishes or undoes the operation)
kill_not_stuck () {
	git release current >/dev/null 2>kill.err0 || {
		cat kill.err0; return 1; } &&
	if kill_state_left
	then
		test_must_fail git release yank v1.2.0 -m probe 2>kill.err1 &&
		grep -q "hint: finish it with .*--continue.*--abort" kill.err1 ||
		{ cat kill.err1; return 1; }
	fi
}

# as_user <cmd>...: run cmd as a user would who reads the hints: a
# .lock file a kill left behind is named with the advice to remove it;
# remove that one file and run cmd again, once
as_user () {
	"$@" >kill.out 2>kill.err && return 0
	_lock=$(sed -n "s/^hint: remove '\\(.*\\.lock\\)' and run the command again\$/\\1/p" kill.err) &&
	test -n "$_lock" && test -f "$_lock" || { cat kill.err >&2; return 1; }
	rm -f "$_lock" &&
	"$@" >kill.out 2>kill.err || { cat kill.err >&2; return 1; }
}

# kill_matrix <name> <cmd>...: the matrix of one command, from the copy
# of a repository and its remote in tmpl/<name> (work/, remote.git/).
# KILL_CONTINUE and KILL_ABORT are the commands that finish and undo
# what a kill left; kill_resolve, which a test may define again,
# resolves a stop for the user (a conflict) before each --continue.
# Prints "<name>: <passed> of <tried> kill points passed" to the
# summary file and fails unless all passed.
KILL_CONTINUE="git rollback --continue"
KILL_ABORT="git rollback --abort"

kill_resolve () {
	:
}

kill_matrix () {
	_name=$1 &&
	shift &&
	kill_fresh "$_name" &&
	kill_snapshot >"$TRASH_DIRECTORY/$_name.before" &&
	{ "$@" >/dev/null 2>&1; true; } &&
	kill_finish &&
	kill_snapshot >"$TRASH_DIRECTORY/$_name.after" &&
	kill_fresh "$_name" &&
	{ kill_trace "$TRASH_DIRECTORY/$_name.trace" "$@"; true; } &&
	kill_points "$TRASH_DIRECTORY/$_name.trace" >"$TRASH_DIRECTORY/$_name.points" &&
	_tried=0 _passed=0 &&
	while read _sc _n
	do
		_tried=$(($_tried + 1)) &&
		if kill_point "$_name" "$_sc" "$_n" "$@"
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

# one point: killed there, then finished; killed there, then undone
kill_point () {
	_name=$1 _sc=$2 _n=$3 &&
	shift 3 &&
	kill_fresh "$_name" &&
	kill_at "$_sc" "$_n" "$@"
	kill_not_stuck &&
	if kill_state_left
	then
		kill_finish
	elif kill_snapshot | cmp -s - "$TRASH_DIRECTORY/$_name.before"
	then
		# killed before it changed anything: it simply runs again
		{ "$@" >/dev/null 2>&1; true; } &&
		kill_finish
	fi &&
	kill_snapshot >"$TRASH_DIRECTORY/actual" &&
	test_cmp "$TRASH_DIRECTORY/$_name.after" "$TRASH_DIRECTORY/actual" &&
	test_lock_free &&
	kill_fresh "$_name" &&
	kill_at "$_sc" "$_n" "$@"
	if kill_state_left
	then
		as_user $KILL_ABORT &&
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

# A push in flight when the command is killed (push.h): the remote's
# pre-receive hook holds it while the test kills and resumes.
# hold_pushes: the remote holds every push in its pre-receive hook,
# saying so in push.started, until push.go exists
hold_pushes () {
	rm -f "$TRASH_DIRECTORY/push.started" "$TRASH_DIRECTORY/push.go" &&
	cat >../remote.git/hooks/pre-receive <<-EOF &&
	#!/bin/sh
	: >"$TRASH_DIRECTORY/push.started"
	while ! test -f "$TRASH_DIRECTORY/push.go"
	do
		sleep 0.05
	done
	EOF
	chmod +x ../remote.git/hooks/pre-receive
}

# wait_for <file> [<pattern>]: until file exists (and holds pattern)
wait_for () {
	_i=0 &&
	while ! { test -f "$1" && { test -z "$2" || grep -q "$2" "$1"; }; }
	do
		test $_i -lt 400 || { echo "no $1 ${2:-}"; return 1; }
		sleep 0.05 && _i=$(($_i + 1))
	done
}

# until pid has ended or file holds pattern
wait_for_or_end () {
	_i=0 &&
	while kill -0 $1 2>/dev/null && ! grep -q "$3" "$2" 2>/dev/null
	do
		test $_i -lt 400 || return 1
		sleep 0.05 && _i=$(($_i + 1))
	done
}

# push_killed <cmd>...: killed while its git push is held by the
# remote: git push lives on (released at the end of the test whatever
# happens); pushpid is its pid
push_killed () {
	test_when_finished ": >\"$TRASH_DIRECTORY/push.go\"" &&
	hold_pushes &&
	{ "$@" >kill.out 2>kill.err & } &&
	_pid=$! &&
	wait_for "$TRASH_DIRECTORY/push.started" &&
	kill -9 $_pid &&
	{ wait $_pid; test $? = 137; } &&
	test_path_is_file .git/release-state/journal &&
	test -s .git/release-suite.push &&
	pushpid=$(cut -d" " -f1 .git/release-suite.push)
}

# the orphaned git push has ended (whatever waited for it or not)
wait_for_pushed () {
	_i=0 &&
	while kill -0 $pushpid 2>/dev/null &&
		! grep -q "^[^ ]* [^ ]* Z" /proc/$pushpid/stat 2>/dev/null
	do
		test $_i -lt 400 || return 1
		sleep 0.05 && _i=$(($_i + 1))
	done
}

# inflight_resume <resume> <expect> <cmd>...: cmd killed while the
# remote holds its push (push_killed); resume (an --abort or --continue
# command line) must wait for the orphaned git push before it acts (the
# journal still there, nothing moved, while the push is held), then end
# in the state the snapshot file expect holds, the push record gone and
# git fsck clean
inflight_resume () {
	_resume=$1 _expect=$2 &&
	shift 2 &&
	push_killed "$@" &&
	kill -0 $pushpid &&
	{ $_resume >kill.err1 2>kill.err2 & } &&
	_rpid=$! &&
	wait_for_or_end $_rpid kill.err2 "^waiting for git push" &&
	{ kill -0 $_rpid && test_path_is_file .git/release-state/journal
	  _held=$?; } &&
	: >"$TRASH_DIRECTORY/push.go" &&
	wait $_rpid &&
	rm ../remote.git/hooks/pre-receive &&
	wait_for_pushed &&
	kill_snapshot >"$TRASH_DIRECTORY/actual" &&
	test_cmp "$_expect" "$TRASH_DIRECTORY/actual" &&
	test_path_is_missing .git/release-suite.push &&
	test $_held = 0 &&
	grep "^waiting for git push (pid $pushpid) of an interrupted run to end" kill.err2 &&
	git fsck --no-progress 2>"$TRASH_DIRECTORY/fsck" &&
	test_must_be_empty "$TRASH_DIRECTORY/fsck"
}

# kill_fresh <name>: a new copy of tmpl/<name> in run/, entered
kill_fresh () {
	cd "$TRASH_DIRECTORY" &&
	rm -rf run &&
	cp -a "tmpl/$1" run &&
	cd run/work
}

# KILL_CONTINUE until nothing is left, a stop resolved as the user would
kill_finish () {
	for _i in 1 2 3 4 5
	do
		kill_state_left || return 0
		kill_resolve
		as_user $KILL_CONTINUE 2>/dev/null
	done
	! kill_state_left
}
