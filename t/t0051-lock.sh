#!/bin/sh

test_description='the repository lock: one of our commands at a time

flock(2) on release-suite.lock in the git dir, held for the whole
command and dropped by the kernel however the holder dies; a refused
command names the holder; lock files libgit2 left behind are named.'

. ./test-lib.sh

test_expect_success 'setup: two releases, a hook that sees overlaps' '
	git init -q repo &&
	cd repo &&
	test_commit "fix: one" &&
	git release cut -q &&
	test_commit "feat: two" &&
	git release cut -q &&
	git config deploy.production.command \
		"mkdir \"\$TRASH_DIRECTORY/in-hook\" 2>/dev/null ||
		 echo \"\$DEPLOY_REASON\" >>\"\$TRASH_DIRECTORY/overlaps\"
		 sleep 0.02
		 rmdir \"\$TRASH_DIRECTORY/in-hook\""
'

# one_round <n>: four deploys started at once; each leaves its exit
# status in rc.<n>.<i> and its stderr in err.<n>.<i>
one_round () {
	for i in 1 2 3 4
	do
		(timeout 120 git release deploy v0.2.0 -m "r$1.$i" \
			>/dev/null 2>"../err.$1.$i"; echo $? >"../rc.$1.$i") &
	done
	wait
}

test_expect_success '100 rounds of 4 concurrent deploys: no overlap, every refusal says why' '
	start=$(date +%s) &&
	round=1 &&
	while test $round -le 100
	do
		one_round $round &&
		round=$(($round + 1)) &&
		test $(($(date +%s) - $start)) -lt 900 || return 1
	done &&
	test_path_is_missing "$TRASH_DIRECTORY/overlaps" &&
	ok=0 refused=0 &&
	for f in ../rc.*
	do
		n=${f#../rc.} &&
		case $(cat "$f") in
		0)	ok=$(($ok + 1)) &&
			echo "r$n" >>../succeeded ;;
		1)	refused=$(($refused + 1)) &&
			grep "^error: another git release, rollback or hotfix is running in this repository: \(git release deploy v0.2.0 -m r[0-9.]*\|(just starting)\)\$" "../err.$n" ||
			{ cat "../err.$n"; return 1; } ;;
		*)	echo "deploy $n exited $(cat "$f")"; cat "../err.$n"; return 1 ;;
		esac
	done &&
	test $(($ok + $refused)) = 400 &&
	test $ok -ge 100 &&
	echo "# $ok deployed, $refused refused in $(($(date +%s) - $start)) s" &&
	git log --format=%B refs/deploy/log/production |
		sed -n "s/^Reason: //p" | sort >reasons &&
	sort ../succeeded >expect &&
	test_cmp expect reasons &&
	test_lock_free
'

test_expect_success 'a holder killed with -9 leaves no lock' '
	git config deploy.production.command \
		"echo \$\$ >\"\$TRASH_DIRECTORY/hook-pid\"; exec sleep 30" &&
	test_when_finished "git config deploy.production.command true" &&
	rm -f "$TRASH_DIRECTORY/hook-pid" &&
	(exec git-release deploy v0.2.0 -m held >/dev/null 2>&1) &
	pid=$! &&
	i=0 &&
	# the hook runs: the lock is held and the journal written
	until grep -q "^git release deploy v0.2.0 -m held\$" "$(lock_file)" &&
		test -s "$TRASH_DIRECTORY/hook-pid"
	do
		i=$(($i + 1)) && test $i -lt 300 || return 1
		sleep 0.1
	done &&
	test_expect_code 1 git release deploy v0.2.0 -m second 2>err &&
	grep "running in this repository: git release deploy v0.2.0 -m held\$" err &&
	kill -9 $pid &&
	wait $pid;
	kill $(cat "$TRASH_DIRECTORY/hook-pid") &&
	# no lock is left, but the journal of the killed deploy is
	test_expect_code 1 git release deploy v0.2.0 --no-hook -m after 2>err &&
	grep "^error: cannot deploy: git release deploy v0.2.0 -m held is in progress" err &&
	git release --abort &&
	git release deploy v0.2.0 --no-hook -m after &&
	git log -1 --format=%B refs/deploy/log/production >entry &&
	grep "^Reason: after\$" entry &&
	test_lock_free
'

# a child of a killed holder (between its fork and its exec) still holds
# the lock for a moment: the file names a pid that is gone, so the next
# command waits for the lock instead of refusing; a live holder is
# refused at once, as before
test_expect_success 'the lock held by what a killed holder forked: waited for, not refused' '
	gone=$(sh -c "echo \$\$") &&
	{ flock -o -x "$(lock_file)" sh -c "printf \"%s\\npid %s\\n\" \"git release deploy v0.2.0 -m killed\" $gone >\"$(lock_file)\" && : >\"$TRASH_DIRECTORY/orphan-held\" && exec sleep 1" </dev/null >/dev/null 2>&1 & } &&
	i=0 &&
	until test -f "$TRASH_DIRECTORY/orphan-held"
	do
		i=$(($i + 1)) && test $i -lt 300 || return 1
		sleep 0.05
	done &&
	git release deploy v0.2.0 --no-hook -m "after the orphan" 2>err &&
	! grep "running in this repository" err &&
	git log -1 --format=%B refs/deploy/log/production >entry &&
	grep "^Reason: after the orphan\$" entry &&
	rm -f "$TRASH_DIRECTORY/orphan-held" &&
	test_lock_free
'

test_expect_success 'held while the hook runs, not inherited by what the hook leaves running' '
	git config deploy.production.command \
		"if flock -n -x \"\$(git rev-parse --git-common-dir)/release-suite.lock\" true
		 then echo free; else echo held; fi >\"\$TRASH_DIRECTORY/hook-saw\"
		 sleep 20 </dev/null >/dev/null 2>&1 &
		 echo \$! >\"\$TRASH_DIRECTORY/hook-child\"" &&
	test_when_finished "git config deploy.production.command true" &&
	git release deploy v0.2.0 -m inherit &&
	test_when_finished "kill \$(cat \"\$TRASH_DIRECTORY/hook-child\")" &&
	echo held >expect &&
	test_cmp expect "$TRASH_DIRECTORY/hook-saw" &&
	kill -0 $(cat "$TRASH_DIRECTORY/hook-child") &&
	test_lock_free
'

test_expect_success 'a lock file libgit2 left behind: refused before the hook, the file named' '
	git config deploy.production.command \
		"echo ran >\"\$TRASH_DIRECTORY/hook-ran\"" &&
	test_when_finished "git config deploy.production.command true" &&
	git rev-parse refs/deploy/log/production >../log.before &&
	: >.git/refs/deploy/log/production.lock &&
	test_when_finished "rm -f .git/refs/deploy/log/production.lock" &&
	test_expect_code 1 git release deploy v0.2.0 -m locked 2>err &&
	grep "^error: cannot record on .production.: .refs/deploy/log/production. cannot be updated" err &&
	grep "^hint: remove .*\.git/refs/deploy/log/production\.lock. and run the command again" err &&
	grep "^hint: nothing was deployed or recorded" err &&
	test_path_is_missing "$TRASH_DIRECTORY/hook-ran" &&
	git rev-parse refs/deploy/log/production >../log.after &&
	test_cmp ../log.before ../log.after &&
	test_path_is_file .git/refs/deploy/log/production.lock
'

test_expect_success 'the record fails after the hook: told it is deployed, and how to record it' '
	git config deploy.production.command \
		": >.git/refs/deploy/log/production.lock" &&
	test_when_finished "git config deploy.production.command true" &&
	test_when_finished "rm -f .git/refs/deploy/log/production.lock" &&
	git rev-parse refs/deploy/log/production >../log.before &&
	test_expect_code 1 git release deploy v0.2.0 -m "it'"'"'s \$(late)" 2>err &&
	grep "^hint: the deploy hook succeeded: v0.2.0 is deployed to production, but not recorded" err &&
	sed -n "s/^hint: once the cause is fixed, record it with: //p" err >cmd &&
	git rev-parse refs/deploy/log/production >../log.after &&
	test_cmp ../log.before ../log.after &&
	rm .git/refs/deploy/log/production.lock &&
	git config deploy.production.command "echo ran >\"\$TRASH_DIRECTORY/hook-again\"" &&
	sh ./cmd &&
	test_path_is_missing "$TRASH_DIRECTORY/hook-again" &&
	git log -1 --format=%B refs/deploy/log/production >entry &&
	grep "^Reason: it'"'"'s \$(late)\$" entry
'

test_expect_success 'git fsck is clean' '
	git fsck --strict 2>err &&
	test_must_be_empty err
'

test_done
