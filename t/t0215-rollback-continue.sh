#!/bin/sh

test_description='git rollback --continue | --abort after a kill -9

A rollback killed between its log entry and its bad mark, or between
moving the local branch and pushing it, is finished by --continue and
undone by --abort (refs, record, marks, remote; reflogs only grow).
Every reflog entry names the person git would (GIT_COMMITTER_* first).'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-kill.sh

if ! test_have_prereq STRACE
then
	skip_all='strace with fault injection is missing (apt-get install strace)'
	test_done
fi

# killed_at_path <syscall> <path> <cmd>...: killed at its first syscall on path
killed_at_path () {
	_sc=$1 _path=$2 &&
	shift 2 &&
	case $_path in /*) ;; *) _path=$PWD/$_path ;; esac &&
	test_expect_code 137 strace -o /dev/null -qq -P "$_path" \
		-e inject=$_sc:signal=KILL:when=1 "$@" >out 2>err
}

# clone_after <cmd>...: n, the number of the first clone (a child: the
# push) after the production branch is moved; w, that of the wait4 for it
clone_after () {
	strace -o "$TRASH_DIRECTORY/trace.raw" -qq -e trace=clone,rename,wait4 \
		"$@" >/dev/null 2>&1
	awk '
		/^wait4/ { w++; if (c && !wn) wn = w }
		/^clone/ { n++; if (moved && !c) c = n }
		index($0, "rename(") && index($0, "/refs/heads/production\"") { moved = 1 }
		END { print c, wn }
	' "$TRASH_DIRECTORY/trace.raw"
}

refs_here () {
	git for-each-ref --format="%(refname) %(objectname)" \
		refs/heads refs/tags refs/deploy
}

refs_there () {
	git -C ../remote.git for-each-ref --format="%(refname) %(objectname)"
}

test_expect_success 'setup: the shop deployed at v1.2.4, pushed; a copy' '
	setup_shop &&
	git release deploy v1.2.4 -q -m "release day" --push &&
	echo "my notes" >notes.txt &&
	refs_here >../refs.before &&
	refs_there >../remote.before &&
	cd .. && cp -a work work.orig && cp -a remote.git remote.orig && cd work
'

reset_copy () {
	cd "$TRASH_DIRECTORY" &&
	rm -rf work remote.git &&
	cp -a work.orig work && cp -a remote.orig remote.git &&
	cd work
}

test_expect_success 'killed between the log entry and the bad mark: a re-run says what to do' '
	killed_at_path openat .git/refs/deploy/marks.lock \
		git-rollback --reset v1.2.3 -m "login broken" --ignore-migrations &&
	test_path_is_file .git/release-state/journal &&
	log_entry >entry &&
	grep "^From: v1.2.4" entry &&
	test_must_fail git rev-parse -q --verify refs/deploy/marks &&
	test_must_fail git rollback --reset v1.2.3 -m "login broken" \
		--ignore-migrations 2>err &&
	grep "^error: cannot roll back: git rollback .* is in progress (stopped)" err &&
	grep "git rollback --continue" err
'

test_expect_success '... and --continue makes the mark, once' '
	git rollback --continue >out 2>err &&
	grep "^rolled back production from v1.2.4 to v1.2.3 (reset)" out &&
	mark_of v1.2.4 >actual &&
	echo "login broken" >expect &&
	test_cmp expect actual &&
	git log --format=%s refs/deploy/log/production >entries &&
	cat >expect <<-\EOF &&
	hold production at v1.2.3
	rollback production from v1.2.4 to v1.2.3
	deploy v1.2.4 to production
	EOF
	test_cmp expect entries &&
	grep "^held production at v1.2.3" out &&
	test_cmp_rev production v1.2.3^{commit} &&
	test_path_is_missing .git/release-state &&
	test_lock_free
'

test_expect_success 'killed there again: --abort takes back entry, tag and branch' '
	reset_copy &&
	git reflog show production >reflog.before &&
	killed_at_path openat .git/refs/deploy/marks.lock \
		git-rollback --reset v1.2.3 -m "login broken" --ignore-migrations &&
	git rev-parse -q --verify refs/tags/deployed-v1.2.3 &&
	git rollback --abort >out 2>err &&
	grep "aborted the rollback of production from v1.2.4 to v1.2.3" out &&
	refs_here >actual &&
	test_cmp ../refs.before actual &&
	refs_there >actual &&
	test_cmp ../remote.before actual &&
	echo "my notes" >expect &&
	test_cmp expect notes.txt &&
	git reflog show production >reflog.after &&
	test_line_count -gt $(wc -l <reflog.before) reflog.after &&
	test_path_is_missing .git/release-state &&
	git rollback --reset v1.2.3 -m "login broken" --ignore-migrations -q
'

test_expect_success 'killed between the local move and the push: --continue pushes' '
	reset_copy &&
	clone_after git-rollback --reset v1.2.3 -m "login broken" \
		--ignore-migrations --push >../points &&
	read n w <../points &&
	test -n "$n" && test -n "$w" &&
	reset_copy &&
	test_expect_code 137 kill_at clone $n \
		git-rollback --reset v1.2.3 -m "login broken" --ignore-migrations --push &&
	test_cmp_rev production v1.2.3^{commit} &&
	test "$(remote_rev refs/heads/production)" = "$(full v1.2.4)" &&
	test_must_fail git rollback --reset v1.2.3 -m again --ignore-migrations --push 2>err &&
	grep "git rollback .* is in progress (stopped)" err &&
	git rollback --continue >out &&
	test "$(remote_rev refs/heads/production)" = "$(full v1.2.3)" &&
	test "$(remote_rev refs/deploy/log/production)" = "$(git rev-parse refs/deploy/log/production)" &&
	test "$(remote_rev refs/deploy/marks)" = "$(git rev-parse refs/deploy/marks)" &&
	grep "^undo: git branch -f production $(full v1.2.4) && git push --force-with-lease=refs/heads/production:$(full v1.2.3) origin" out
'

test_expect_success 'killed there: --abort puts the branch back, the remote untouched' '
	reset_copy &&
	test_expect_code 137 kill_at clone $n \
		git-rollback --reset v1.2.3 -m "login broken" --ignore-migrations --push &&
	git rollback --abort >out &&
	refs_here >actual &&
	test_cmp ../refs.before actual &&
	refs_there >actual &&
	test_cmp ../remote.before actual
'

test_expect_success 'killed while git push runs: --abort takes the push back with a lease' '
	reset_copy &&
	test_expect_code 137 kill_at wait4 $w \
		git-rollback --reset v1.2.3 -m "login broken" --ignore-migrations --push &&
	# the orphaned push ends on its own
	for i in 1 2 3 4 5 6 7 8 9 10
	do
		test "$(remote_rev refs/heads/production)" = "$(full v1.2.3)" && break
		sleep 1
	done &&
	test "$(remote_rev refs/heads/production)" = "$(full v1.2.3)" &&
	git rollback --abort >out 2>err &&
	grep "put .production. back on .origin." err &&
	refs_here >actual &&
	test_cmp ../refs.before actual &&
	refs_there >actual &&
	test_cmp ../remote.before actual
'

test_expect_success 'killed while git push runs: --continue does not push twice' '
	reset_copy &&
	test_expect_code 137 kill_at wait4 $w \
		git-rollback --reset v1.2.3 -m "login broken" --ignore-migrations --push &&
	for i in 1 2 3 4 5 6 7 8 9 10
	do
		test "$(remote_rev refs/heads/production)" = "$(full v1.2.3)" && break
		sleep 1
	done &&
	GIT_TRACE=$TRASH_DIRECTORY/trace.git git rollback --continue >out &&
	! grep "push .*refs/heads/production" "$TRASH_DIRECTORY/trace.git" &&
	test "$(remote_rev refs/deploy/marks)" = "$(git rev-parse refs/deploy/marks)"
'

test_expect_success 'a --branch rollback killed after its last step is complete' '
	reset_copy &&
	git-rollback --branch v1.2.3 -m "login broken" --ignore-migrations --push >/dev/null &&
	refs_here >../refs.done &&
	refs_there >../remote.done &&
	reset_copy &&
	killed_at_path unlink "$PWD/.git/release-state/journal" \
		git-rollback --branch v1.2.3 -m "login broken" --ignore-migrations --push &&
	test_path_is_file .git/release-state/journal &&
	refs_here >actual &&
	test_cmp ../refs.done actual &&
	refs_there >actual &&
	test_cmp ../remote.done actual
'

test_expect_success '... --continue has nothing left but to say so' '
	git rollback --continue >out &&
	grep "^rolled back production from v1.2.4 to v1.2.3 (branch)" out &&
	refs_here >actual &&
	test_cmp ../refs.done actual &&
	test_path_is_missing .git/release-state
'

test_expect_success '... --abort takes it all back, here and on the remote' '
	reset_copy &&
	killed_at_path unlink "$PWD/.git/release-state/journal" \
		git-rollback --branch v1.2.3 -m "login broken" --ignore-migrations --push &&
	git rollback --abort >out 2>err &&
	grep "took the record back from .origin." err &&
	refs_here >actual &&
	test_cmp ../refs.before actual &&
	refs_there >actual &&
	test_cmp ../remote.before actual
'

env_ident () {
	GIT_COMMITTER_NAME="Env Person" GIT_COMMITTER_EMAIL=env@example.com "$@"
}

test_expect_success 'identity: the reflogs of --abort name GIT_COMMITTER_* before the config' '
	reset_copy &&
	git config user.name "Config Person" &&
	git config user.email config@example.com &&
	git checkout -q production &&
	killed_at_path openat .git/refs/deploy/marks.lock \
		git-rollback --reset v1.2.3 -m "login broken" --ignore-migrations &&
	env_ident git rollback --abort >out &&
	tail -1 .git/logs/refs/heads/production >reflog &&
	grep "Env Person <env@example.com> .*	rollback --abort: production back to v1.2.4\$" reflog &&
	tail -1 .git/logs/refs/deploy/log/production >reflog &&
	grep "Env Person <env@example.com> .*	rollback --abort" reflog &&
	tail -1 .git/logs/HEAD >reflog &&
	grep "Env Person <env@example.com>" reflog
'

test_expect_success 'identity: the put-back after a refused push' '
	printf "#!/bin/sh\nexit 1\n" >../remote.git/hooks/pre-receive &&
	chmod +x ../remote.git/hooks/pre-receive &&
	test_when_finished "rm ../remote.git/hooks/pre-receive" &&
	test_must_fail env_ident git rollback --reset v1.2.3 -m "x" \
		--ignore-migrations --push 2>err &&
	grep "was refused" err &&
	test_cmp_rev production v1.2.4^{commit} &&
	tail -1 .git/logs/refs/heads/production >reflog &&
	grep "Env Person <env@example.com> .*	rollback: push refused, back to v1.2.4\$" reflog &&
	tail -2 .git/logs/refs/heads/production >reflog &&
	test $(grep -c "Env Person <env@example.com>" reflog) = 2 &&
	test_path_is_missing .git/release-state
'

test_expect_success 'identity: hotfix start, hotfix finish --abort' '
	git checkout -q main &&
	env_ident git hotfix start urgent v1.2.3 >out &&
	tail -1 .git/logs/refs/heads/hotfix/urgent >reflog &&
	grep "Env Person <env@example.com> .*	hotfix start: hotfix/urgent at v1.2.3\$" reflog &&
	tail -1 .git/logs/HEAD >reflog &&
	grep "Env Person <env@example.com>" reflog &&
	echo "app 3 conflicting" >app.txt &&
	git commit -q -a -m "fix: conflicting" &&
	test_must_fail git hotfix finish 2>err &&
	grep "stopped" err &&
	env_ident git hotfix finish --abort >out &&
	tail -1 .git/logs/HEAD >reflog &&
	grep "Env Person <env@example.com>" reflog &&
	! grep "Config Person" .git/logs/HEAD &&
	git config --unset user.name &&
	git config --unset user.email
'

test_done
