#!/bin/sh

test_description='git rollback --reset: the production branch to the target, pushed with a lease'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh

test_expect_success 'setup' '
	setup_shop &&
	cd .. &&
	git clone -q remote.git other &&
	(cd other && git checkout -q production) &&
	cd work
'

test_expect_success '--reset moves production with a reflog entry; main stays' '
	git rollback -m "login broken" --reset >out &&
	test_cmp_rev v1.2.3^{commit} production &&
	test_cmp_rev v1.2.4^{commit} main &&
	git reflog show -1 --format=%gs production >actual &&
	echo "rollback: v1.2.4 -> v1.2.3 on production" >expect &&
	test_cmp expect actual &&
	cat >expect <<-EOF &&
	rolled back production from v1.2.4 to v1.2.3 (reset)
	held production at v1.2.3 (log entry $(git rev-parse --short=7 refs/deploy/log/production))
	undo: git branch -f production $(full v1.2.4) && git release deploy v1.2.4 --env production --force --lift-hold
	EOF
	test_cmp expect out &&
	test "$(held_at)" = v1.2.3
'

test_expect_success 'the record says reset; the remote was not touched' '
	log_entry >actual &&
	grep "^Strategy: reset\$" actual &&
	test "$(remote_rev refs/heads/production)" = "$(full v1.2.4)"
'

test_expect_success 'the printed undo puts everything back' '
	git branch -f production $(full v1.2.4) &&
	git release deploy v1.2.4 --env production --force --lift-hold >out 2>&1 &&
	test_expect_code 0 git rollback check >actual &&
	grep "^running: v1.2.4 " actual &&
	test -z "$(held_at)"
'

test_expect_success 'a checked-out production branch takes the worktree along' '
	git checkout -q production &&
	test_when_finished "git checkout -q main" &&
	git rollback -m "login broken" --reset --ignore-migrations v1.2.2 >out &&
	test_cmp_rev v1.2.2^{commit} HEAD &&
	git status --porcelain >actual &&
	test_must_be_empty actual &&
	echo "port: 80" >expect &&
	test_cmp expect config/app.yml &&
	test_path_is_missing db/migrate/20240115120000_add_user_preferences_table.rb &&
	git reflog show -1 --format=%gs HEAD >actual &&
	echo "rollback: v1.2.4 -> v1.2.2 on production" >expect &&
	test_cmp expect actual &&
	grep "^undo: git reset --keep $(full v1.2.4) && " out
'

test_expect_success 'setup: back to v1.2.4 everywhere' '
	git branch -f production v1.2.4 &&
	git release deploy v1.2.4 --force --lift-hold >out 2>&1
'

test_expect_success '--reset --push: one atomic push with the lease' '
	git rollback -m "login broken" --reset --push >out &&
	test "$(remote_rev refs/heads/production)" = "$(full v1.2.3)" &&
	test "$(remote_rev refs/deploy/log/production)" = "$(git rev-parse refs/deploy/log/production)" &&
	grep "^undo: git branch -f production $(full v1.2.4) && git push --force-with-lease=refs/heads/production:$(full v1.2.3) origin $(full v1.2.4):refs/heads/production && " out
'

test_expect_success 'setup: production moves on, here and there' '
	git checkout -q production &&
	git reset -q --hard v1.2.4 &&
	test_commit "fix: session timeout" app.txt "app 4" &&
	release v1.2.5 &&
	git checkout -q main &&
	git push -q --force-with-lease=production:$(full v1.2.3) origin production v1.2.5 &&
	git release deploy v1.2.5 --lift-hold >out 2>&1
'

test_expect_success 'a remote that moved before we look: refused, nothing changed (1)' '
	(cd ../other && git pull -q && test_commit "feat: theirs" theirs.txt &&
	 git push -q origin production) &&
	theirs=$(cd ../other && git rev-parse HEAD) &&
	fetched &&
	save_state &&
	test_expect_code 1 git rollback -m "timeouts" --reset --push 2>err &&
	grep "^error: remote .origin. holds $theirs at .production., not $(full v1.2.5)" err &&
	test_state_unchanged &&
	test "$(remote_rev refs/heads/production)" = "$theirs"
'

test_expect_success 'setup: the colleague undoes their push' '
	(cd ../other &&
	 git push -q --force-with-lease=production:$theirs origin $(full v1.2.5):refs/heads/production)
'

test_expect_success 'the lease race: another push between our look and our push (1)' '
	cat >.git/hooks/pre-push <<-\EOF &&
	#!/bin/sh
	# a colleague pushes to production while our push is under way
	cd ../other &&
	unset GIT_DIR GIT_WORK_TREE &&
	git fetch -q origin &&
	git reset -q --hard origin/production &&
	echo race >race.txt &&
	git add race.txt &&
	git commit -q -m "feat: raced" &&
	git push -q origin HEAD:refs/heads/production
	EOF
	chmod +x .git/hooks/pre-push &&
	test_when_finished "rm -f .git/hooks/pre-push" &&
	git rev-parse refs/deploy/log/production >log.before &&
	test_expect_code 1 git rollback -m "timeouts" --reset --push 2>err &&
	theirs=$(cd ../other && git rev-parse HEAD) &&
	test "$(remote_rev refs/heads/production)" = "$theirs" &&
	test_cmp_rev v1.2.5^{commit} production &&
	grep "^error: remote .origin. holds $theirs at .production., not $(full v1.2.5): the push was refused" err &&
	git reflog show -2 --format=%gs production >actual &&
	cat >expect <<-EOF &&
	rollback: push refused, back to v1.2.5
	rollback: v1.2.5 -> v1.2.3 on production
	EOF
	test_cmp expect actual &&
	git rev-parse refs/deploy/log/production >log.after &&
	test_cmp log.before log.after &&
	test_must_fail git cat-file -e refs/deploy/marks:v1.2.5
'

test_expect_success 'the lease is never refreshed by a fetch' '
	test_cmp_rev v1.2.5^{commit} refs/remotes/origin/production
'

test_expect_success 'without a terminal nothing is asked' '
	git fetch -q origin &&
	git branch -f production origin/production &&
	git rollback -m "timeouts" --reset --force </dev/null >out 2>err &&
	grep "^warning: resetting .production. drops 1 commit not in .v1.2.5. (--force" err &&
	grep "^warning:   $(short production@{1}) feat: raced\$" err &&
	test_cmp_rev v1.2.3^{commit} production
'

test_done
