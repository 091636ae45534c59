#!/bin/sh

test_description='git release --abort of a first entry keeps its history

The first deploy to an environment creates its log ref; the first yank
creates the marks ref.  Aborting either deletes that ref, as it was
absent before, and git deletes a ref'"'"'s reflog with it: the abort writes
the reflog back, with an entry for the abort, so that no commit becomes
unreachable without a reflog entry.  git fsck stays clean, git prune
keeps the entry, and the next first deploy continues that reflog.'

. ./test-lib.sh

test_expect_success 'setup: a remote, two releases, production deployed' '
	git init -q --bare remote.git &&
	git clone -q remote.git work 2>/dev/null &&
	cd work &&
	printf "%s\n" err out expect actual >.git/info/exclude &&
	test_commit one && git tag -a -m r v1.0.0 &&
	test_commit "fix: two" && git tag -a -m r v1.1.0 &&
	git push -q origin HEAD:refs/heads/main --tags &&
	git release deploy v1.0.0 -m first --no-hook --push >/dev/null 2>&1
'

logfile=.git/logs/refs/deploy/log/staging

test_expect_success 'a first deploy to staging killed after its entry: --abort deletes the ref, keeps the reflog' '
	test_expect_code 137 env GIT_RELEASE_TEST_KILL_AFTER=log \
		git release deploy v1.1.0 --env staging --new-env -m "first" \
		--no-hook --push >out 2>err &&
	entry=$(git rev-parse refs/deploy/log/staging) &&
	echo $entry >entry.id &&
	test_path_is_file $logfile &&
	git release --abort >out 2>err &&
	test_must_fail git rev-parse -q --verify refs/deploy/log/staging &&
	test_must_fail git -C ../remote.git rev-parse -q --verify refs/deploy/log/staging &&
	test_must_fail git release current --env staging --no-fetch 2>err &&
	git reflog exists refs/deploy/log/staging &&
	tail -n 1 $logfile >actual &&
	grep "^$entry 0000000000000000000000000000000000000000 .* <.*> [0-9]* [-+][0-9]\{4\}	release --abort: the first entry of the log taken back\$" actual &&
	head -n 1 $logfile | grep "^0000000000000000000000000000000000000000 $entry " &&
	test "$(git cat-file -t $entry)" = commit
'

test_expect_success 'the aborted entry is reachable from that reflog: fsck clean, prune keeps it' '
	entry=$(cat entry.id) &&
	git fsck --no-progress >out 2>err &&
	test_must_be_empty err &&
	! grep "$entry" out &&
	git fsck --no-progress --unreachable >out 2>&1 &&
	! grep "$entry" out &&
	git prune --expire=now &&
	test "$(git cat-file -t $entry)" = commit &&
	git rev-list --reflog >out &&
	grep "^$entry\$" out
'

test_expect_success 'the next first deploy continues that reflog: the aborted entry is listed there' '
	entry=$(cat entry.id) &&
	git release deploy v1.1.0 --env staging --new-env -m "again" --no-hook >out 2>err &&
	again=$(git rev-parse refs/deploy/log/staging) &&
	test "$again" != "$entry" &&
	git reflog show --format="%H %gs" refs/deploy/log/staging >out &&
	grep "^$again " out &&
	test_line_count = 3 $logfile &&
	head -n 1 $logfile | grep "^0000000000000000000000000000000000000000 $entry " &&
	sed -n 2p $logfile | grep "^$entry 0000000000000000000000000000000000000000 .*release --abort" &&
	sed -n 3p $logfile | grep "^0000000000000000000000000000000000000000 $again "
'

test_expect_success 'an abort that finds the ref moved by someone else: refused, ref and reflog untouched' '
	test_expect_code 137 env GIT_RELEASE_TEST_KILL_AFTER=log \
		git release deploy v1.1.0 --env qa --new-env -m "first" \
		--no-hook >out 2>err &&
	mine=$(git rev-parse refs/deploy/log/qa) &&
	other=$(git commit-tree -m "someone else" "$(git rev-parse $mine^{tree})") &&
	git update-ref refs/deploy/log/qa $other $mine &&
	cp .git/logs/refs/deploy/log/qa reflog.before &&
	test_expect_code 1 git release --abort >out 2>err &&
	test "$(git rev-parse refs/deploy/log/qa)" = $other &&
	test_cmp reflog.before .git/logs/refs/deploy/log/qa &&
	test_path_is_file .git/release-state/journal &&
	git update-ref refs/deploy/log/qa $mine $other &&
	git release --abort >out 2>err &&
	test_must_fail git rev-parse -q --verify refs/deploy/log/qa &&
	tail -n 1 .git/logs/refs/deploy/log/qa | grep "^$mine 0\{40\} .*release --abort" &&
	git fsck --no-progress 2>err && test_must_be_empty err
'

test_expect_success 'the first yank killed after its mark: --abort deletes the marks ref, keeps its reflog' '
	test_must_fail git rev-parse -q --verify refs/deploy/marks &&
	test_expect_code 137 env GIT_RELEASE_TEST_KILL_AFTER=mark \
		git release yank v1.1.0 -m "broken" --push >out 2>err &&
	mark=$(git rev-parse refs/deploy/marks) &&
	git release --abort >out 2>err &&
	test_must_fail git rev-parse -q --verify refs/deploy/marks &&
	test_must_fail git -C ../remote.git rev-parse -q --verify refs/deploy/marks &&
	git reflog exists refs/deploy/marks &&
	tail -n 1 .git/logs/refs/deploy/marks | grep "^$mark 0\{40\} .*	release --abort: the first mark taken back\$" &&
	git release list >out &&
	! grep bad out &&
	git prune --expire=now &&
	test "$(git cat-file -t $mark)" = commit &&
	git fsck --no-progress 2>err && test_must_be_empty err
'

test_done
