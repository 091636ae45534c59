#!/bin/sh

test_description='git rollback --branch: the safer approach, production untouched'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh

test_expect_success 'setup' '
	setup_shop
'

test_expect_success 'the default strategy creates rollback/<running> at the target' '
	git rollback -m "login broken" >out &&
	test_cmp_rev v1.2.3^{commit} rollback/v1.2.4 &&
	test_cmp_rev v1.2.4^{commit} production &&
	test_cmp_rev v1.2.4^{commit} main &&
	git reflog show --format=%gs rollback/v1.2.4 >actual &&
	echo "rollback: v1.2.4 -> v1.2.3 on production" >expect &&
	test_cmp expect actual
'

test_expect_success 'it says what it did and prints the undo' '
	cat >expect <<-EOF &&
	rolled back production from v1.2.4 to v1.2.3 (branch)
	held production at v1.2.3 (log entry $(git rev-parse --short=7 refs/deploy/log/production))
	undo: git branch -D rollback/v1.2.4 && git release deploy v1.2.4 --env production --force --lift-hold
	EOF
	test_cmp expect out &&
	test "$(held_at)" = v1.2.3
'

test_expect_success 'the rollback is recorded with from, to, strategy and reason' '
	log_entry >actual &&
	grep "^Kind: rollback\$" actual &&
	grep "^Version: v1.2.3\$" actual &&
	grep "^Commit: $(full v1.2.3)\$" actual &&
	grep "^From: v1.2.4\$" actual &&
	grep "^To: v1.2.3\$" actual &&
	grep "^Strategy: branch\$" actual &&
	grep "^Reason: login broken\$" actual &&
	grep "^Operator: C O Mitter <committer@example.com>\$" actual
'

test_expect_success 'the version rolled back from is marked bad' '
	echo "login broken" >expect &&
	mark_of v1.2.4 >actual &&
	test_cmp expect actual
'

test_expect_success 'the target is now the running version' '
	test_expect_code 1 git rollback check >actual &&
	grep "^running: v1.2.3 (deployed " actual &&
	grep "^target: v1.2.2 " actual
'

test_expect_success 'a taken name gets -2, then -3' '
	git branch rollback/v1.2.3 v1.2.0 &&
	git rollback -m "prefs broken" --ignore-migrations >out &&
	test_cmp_rev v1.2.2^{commit} rollback/v1.2.3-2 &&
	test_cmp_rev v1.2.0^{commit} rollback/v1.2.3 &&
	grep "^undo: git branch -D rollback/v1.2.3-2 " out
'

test_expect_success 'nothing was pushed without --push' '
	test_must_fail remote_rev refs/heads/rollback/v1.2.4 &&
	test_must_fail remote_rev refs/deploy/log/production
'

test_expect_success 'setup a fresh clone of the remote' '
	cd .. &&
	git clone -q remote.git clone &&
	cd clone &&
	git branch production origin/production &&
	printf "%s\n" out err expect actual "*.out" "*.rev" "log.*" >.git/info/exclude
'

test_expect_success '--push pushes the branch and the log, atomically' '
	git rollback -m "login broken" --push >out &&
	test "$(remote_rev refs/heads/rollback/v1.2.4)" = "$(full v1.2.3)" &&
	test "$(remote_rev refs/deploy/log/production)" = "$(git rev-parse refs/deploy/log/production)" &&
	test "$(remote_rev refs/deploy/marks)" = "$(git rev-parse refs/deploy/marks)" &&
	remote_rev refs/tags/deployed-v1.2.3 &&
	grep "^undo: git branch -D rollback/v1.2.4 && git push origin --delete refs/heads/rollback/v1.2.4 && " out
'

test_expect_success 'a name taken on the remote only is skipped too' '
	git --git-dir=../remote.git update-ref refs/heads/rollback/v1.2.3 $(full v1.2.0) &&
	git rollback -m "prefs broken" --ignore-migrations --push >out &&
	test_must_fail git rev-parse -q --verify refs/heads/rollback/v1.2.3 &&
	test_cmp_rev v1.2.2^{commit} rollback/v1.2.3-2 &&
	test "$(remote_rev refs/heads/rollback/v1.2.3)" = "$(full v1.2.0)" &&
	test "$(remote_rev refs/heads/rollback/v1.2.3-2)" = "$(full v1.2.2)"
'

test_expect_success 'another clone sees the rollback in the shared log' '
	cd .. &&
	git clone -q remote.git third &&
	cd third &&
	git branch production origin/production &&
	test_expect_code 1 git rollback check >actual &&
	grep "^running: v1.2.2 (deployed " actual &&
	grep "^target: v1.2.1 " actual
'

test_expect_success 'a refused push of the log: exit 1, recorded here, the way to push it later' '
	cat >../remote.git/hooks/pre-receive <<-\EOF &&
	#!/bin/sh
	while read old new ref
	do
		case "$ref" in refs/deploy/*) echo "no log here"; exit 1;; esac
	done
	EOF
	chmod +x ../remote.git/hooks/pre-receive &&
	test_when_finished "rm -f ../remote.git/hooks/pre-receive" &&
	remote_rev refs/deploy/log/production >log.remote.before &&
	test_expect_code 1 git rollback -m "config broken" --ignore-migrations --push >out 2>err &&
	grep "^rolled back production from v1.2.2 to v1.2.1 (branch)\$" out &&
	grep "^hint: the entry is recorded locally; push it later" err &&
	log_entry >actual &&
	grep "^Reason: config broken\$" actual &&
	test "$(remote_rev refs/heads/rollback/v1.2.2)" = "$(full v1.2.1)" &&
	remote_rev refs/deploy/log/production >log.remote.after &&
	test_cmp log.remote.before log.remote.after
'

test_expect_success 'rollback.branchPrefix names the branch, from git -c too' '
	save_state &&
	git -c rollback.branchPrefix=revert-to/ rollback -m "prefix" \
		--ignore-migrations --force --dry-run >out &&
	test_state_unchanged &&
	grep "^would create revert-to/v1.2.1 at v1.2.0\$" out &&
	grep "^would update refs/heads/revert-to/v1.2.1 (none) -> $(full v1.2.0)\$" out &&
	! grep "rollback/v" out
'

test_expect_success 'git fsck is clean' '
	git fsck --no-progress 2>&1 >/dev/null | grep -v "^notice" >fsck.out;
	test_must_be_empty fsck.out
'

test_done
