#!/bin/sh

test_description='git rollback check: the impact of each strategy and the recommendation, and the rollback doing what check said'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh

# strategies: the check's section from "strategies:" on
strategies () {
	sed -n "/^strategies:/,\$p" "$1"
}

test_expect_success 'setup: two environments, a hook for production only' '
	setup_shop &&
	git config deploy.production.command \
		"echo \"\$RELEASE_TAG \$DEPLOY_KIND\" >>\"\$TRASH_DIRECTORY/hook.log\"" &&
	git release deploy v1.2.4 >out 2>&1 &&
	git release deploy v1.2.4 --env staging --new-env >out 2>&1 &&
	echo "unrelated, uncommitted" >notes.txt
'

test_expect_success 'just deployed with a hook: --deploy-only is recommended' '
	git rollback check >out &&
	strategies out >actual &&
	cat >expect <<-EOF &&
	strategies:
	  deploy-only: possible: redeploys v1.2.3 with deploy.production.command; no git change
	  branch: possible: creates rollback/v1.2.4 at v1.2.3; no branch moves
	  reset: possible: moves production to v1.2.3; nothing else is lost
	  revert: possible: reverts 1 commit on production cleanly and ends exactly on the tree of v1.2.3
	    reverts $(short v1.2.4) fix: crash on login
	recommended: git rollback v1.2.3 --deploy-only
	  why: v1.2.4 was deployed less than rollback.recentWindow ago and a hook redeploys: roll back the deployment only
	EOF
	test_cmp expect actual &&
	git rollback check --json >out &&
	jq -c .recommended out >actual &&
	echo "{\"schema\":1,\"strategy\":\"deploy-only\",\"command\":\"git rollback v1.2.3 --deploy-only\",\"why\":{\"schema\":1,\"code\":\"recent-deploy\",\"message\":\"v1.2.4 was deployed less than rollback.recentWindow ago and a hook redeploys: roll back the deployment only\"},\"fix_forward\":null,\"recent\":true,\"recent_window\":1800}" >expect &&
	test_cmp expect actual &&
	jq -c ".strategies[\"deploy-only\"]" out >actual &&
	echo "{\"schema\":1,\"possible\":true,\"why\":{\"schema\":1,\"code\":\"hook\",\"message\":\"redeploys v1.2.3 with deploy.production.command; no git change\"},\"hook\":\"echo \\\"\$RELEASE_TAG \$DEPLOY_KIND\\\" >>\\\"\$TRASH_DIRECTORY/hook.log\\\"\"}" >expect &&
	test_cmp expect actual
'

test_expect_success 'the other environment has no hook and no branch: --branch is recommended' '
	git rollback check --env staging --json >out &&
	jq -r ".strategies[\"deploy-only\"].possible, .strategies[\"deploy-only\"].why.code, .strategies.reset.why.code, .strategies.revert.why.code, .recommended.strategy, .recommended.command" out >actual &&
	printf "%s\n" false no-hook no-branch no-branch branch "git rollback v1.2.3 --branch --env staging" >expect &&
	test_cmp expect actual &&
	git rollback check --env staging >out &&
	grep "^  revert: not possible: environment .staging. has no branch\$" out
'

test_expect_success 'with deploy.staging.branch a clean revert is recommended there' '
	git branch staging v1.2.4 &&
	test_when_finished "git branch -D staging" &&
	git -c deploy.staging.branch=staging rollback check --env staging --json >out &&
	jq -r ".strategies.revert.branch, .strategies.revert.why.code, .recommended.command" out >actual &&
	printf "%s\n" staging clean "git rollback v1.2.3 --revert --env staging" >expect &&
	test_cmp expect actual
'

test_expect_success 'rollback.recentWindow: a deploy older than it is not recent' '
	test_tick &&
	git -c rollback.recentWindow=59s rollback check --json >out &&
	jq -r ".recommended.strategy, .recommended.recent, .recommended.recent_window" out >actual &&
	printf "%s\n" revert false 59 >expect &&
	test_cmp expect actual &&
	git -c rollback.recentWindow=2m rollback check --json >out &&
	jq -r ".recommended.strategy, .recommended.recent_window" out >actual &&
	printf "%s\n" deploy-only 120 >expect &&
	test_cmp expect actual &&
	test_expect_code 128 git -c rollback.recentWindow=soon rollback check >out 2>err &&
	grep "^fatal: bad rollback.recentWindow .soon." err
'

test_expect_success 'a migration in between adds --migrate to the recommendation' '
	test_expect_code 1 git -c rollback.recentWindow=0 rollback check v1.2.2 >out &&
	grep "^recommended: git rollback v1.2.2 --revert --migrate\$" out
'

test_expect_success 'check writes nothing, not even the objects of its revert' '
	save_state &&
	git rollback check >out &&
	test_expect_code 1 git rollback check v1.2.1 --json >out &&
	test_state_unchanged
'

test_expect_success 'setup: a colleague builds on production after v1.2.4' '
	git checkout -q production &&
	test_commit "fix: login again" app.txt "app 4" &&
	test_commit "feat: banner" banner.txt "banner" &&
	git checkout -q main &&
	git rev-parse production >production-before.out
'

test_expect_success 'the revert would conflict in app.txt; the reset would drop two commits' '
	git -c rollback.recentWindow=0 rollback check >out &&
	strategies out >actual &&
	cat >expect <<-EOF &&
	strategies:
	  deploy-only: possible: redeploys v1.2.3 with deploy.production.command; no git change
	  branch: possible: creates rollback/v1.2.4 at v1.2.3; no branch moves
	  reset: not possible: would drop 2 commits on production that v1.2.4 does not have (--force drops them)
	    drops $(short production) feat: banner
	    drops $(short production~1) fix: login again
	  revert: not possible: would stop at $(short v1.2.4) on a conflict in app.txt (commits built on it since changed them)
	    stops at $(short v1.2.4) fix: crash on login
	    conflict app.txt
	recommended: git rollback v1.2.3 --branch
	  why: no clean revert: roll back on a branch of its own, then fix forward with a hotfix
	  fix forward: git hotfix start fix-1.2.4
	EOF
	test_cmp expect actual &&
	git -c rollback.recentWindow=0 rollback check --json >out &&
	jq -c ".strategies.reset.drops" out >actual &&
	echo "[{\"schema\":1,\"commit\":\"$(full production)\",\"subject\":\"feat: banner\"},{\"schema\":1,\"commit\":\"$(full production~1)\",\"subject\":\"fix: login again\"}]" >expect &&
	test_cmp expect actual &&
	jq -c ".strategies.revert | [.possible, .why.code, .conflicts, .exact_target_tree]" out >actual &&
	echo "[false,\"conflict\",{\"schema\":1,\"commit\":\"$(full v1.2.4)\",\"paths\":[\"app.txt\"]},false]" >expect &&
	test_cmp expect actual &&
	jq -r ".recommended.fix_forward" out >actual &&
	echo "git hotfix start fix-1.2.4" >expect &&
	test_cmp expect actual
'

test_expect_success 'the check was right: the revert stops on app.txt' '
	save_state &&
	test_expect_code 1 git rollback v1.2.3 -m "try" --revert >out 2>err &&
	grep "reverting $(short v1.2.4) on .production. conflicts; nothing was changed" err &&
	test_state_unchanged
'

test_expect_success '--reset refuses to drop them (1), names them, nothing changed' '
	save_state &&
	test_expect_code 1 git rollback v1.2.3 -m "reset" --reset >out 2>err &&
	grep "^error: resetting .production. to .v1.2.3. would drop 2 commits that .v1.2.4. does not have: nothing changed" err &&
	grep "^hint:   $(short production) feat: banner\$" err &&
	grep "^hint:   $(short production~1) fix: login again\$" err &&
	test_path_is_missing "$TRASH_DIRECTORY/hook.log.reset" &&
	test_state_unchanged &&
	test_cmp_rev production "$(cat production-before.out)" &&
	remote_rev refs/heads/production >remote-before.out &&
	test_expect_code 1 git rollback v1.2.3 -m "reset" --reset --push >out 2>err &&
	remote_rev refs/heads/production >remote-after.out &&
	test_cmp remote-before.out remote-after.out &&
	test_expect_code 1 git rollback v1.2.3 -m "reset" --reset --dry-run >out 2>err &&
	grep "would drop 2 commits" err &&
	test_state_unchanged
'

test_expect_success 'the recommendation followed: --branch, then the hotfix to fix forward' '
	rm -f "$TRASH_DIRECTORY/hook.log" &&
	cmd=$(git -c rollback.recentWindow=0 rollback check | sed -n "s/^recommended: //p") &&
	test "$cmd" = "git rollback v1.2.3 --branch" &&
	$cmd -m "login broken, revert conflicts" >out 2>err &&
	test_cmp_rev v1.2.3^{commit} rollback/v1.2.4 &&
	test_cmp_rev production "$(cat production-before.out)" &&
	echo "v1.2.3 rollback" >expect &&
	test_cmp expect "$TRASH_DIRECTORY/hook.log" &&
	log_entry >actual &&
	grep "^Strategy: branch\$" actual &&
	grep "^unrelated, uncommitted\$" notes.txt &&
	mv notes.txt ../notes.txt &&
	git hotfix start fix-1.2.4 >out 2>err &&
	test "$(git symbolic-ref HEAD)" = refs/heads/hotfix/fix-1.2.4 &&
	test_cmp_rev HEAD v1.2.3^{commit} &&
	git checkout -q main &&
	mv ../notes.txt notes.txt
'

test_expect_success '--reset --force drops them; the undo line restores them' '
	git release deploy v1.2.4 --force --lift-hold >out 2>&1 &&
	git rollback v1.2.3 -m "reset anyway" --reset --force >out 2>err &&
	grep "^warning: resetting .production. drops 2 commits not in .v1.2.4. (--force; the undo line restores them):" err &&
	grep "^warning:   $(short production@{1}) feat: banner\$" err &&
	test_cmp_rev production v1.2.3^{commit} &&
	undo=$(sed -n "s/^undo: //p" out) &&
	git branch -D rollback/v1.2.4 &&
	eval "$undo" >out 2>&1 &&
	test_cmp_rev production "$(cat production-before.out)" &&
	git cat-file -e "$(cat production-before.out)~1"
'

test_expect_success 'an unrelated commit on production: the revert is clean but keeps it' '
	git checkout -q production &&
	git reset -q --hard v1.2.4 &&
	test_commit "feat: banner only" banner.txt "banner" &&
	git checkout -q main &&
	git release deploy v1.2.4 --force --lift-hold >out 2>&1 &&
	save_state &&
	git -c rollback.recentWindow=0 rollback check --json --no-fetch >out &&
	test_state_unchanged &&
	jq -c ".strategies.revert | [.possible, .why.code, .conflicts, .exact_target_tree]" out >actual &&
	echo "[true,\"clean-other-tree\",null,false]" >expect &&
	test_cmp expect actual &&
	jq -c "[.strategies.reset.possible, .strategies.reset.why.code, (.strategies.reset.drops | length)]" out >actual &&
	echo "[false,\"drops-commits\",1]" >expect &&
	test_cmp expect actual &&
	jq -r .recommended.command out >actual &&
	echo "git rollback v1.2.3 --revert" >expect &&
	test_cmp expect actual
'

test_expect_success 'followed, the revert ends on the predicted tree: the target plus the banner' '
	cmd=$(git -c rollback.recentWindow=0 rollback check | sed -n "s/^recommended: //p") &&
	mv notes.txt ../notes.txt &&
	$cmd -m "login broken" >out 2>err &&
	mv ../notes.txt notes.txt &&
	git diff --name-only v1.2.3 production >actual &&
	echo banner.txt >expect &&
	test_cmp expect actual &&
	git log -1 --format=%s production >actual &&
	echo "Revert \"fix: crash on login\"" >expect &&
	test_cmp expect actual
'

test_expect_success 'production does not contain the running release: --revert refuses, --reset warns' '
	git release deploy v1.2.4 --force --lift-hold >out 2>&1 &&
	git branch -f production v1.2.2 &&
	git -c rollback.recentWindow=0 rollback check --json >out &&
	jq -c "[.strategies.revert.possible, .strategies.revert.why.code, .strategies.revert.contains_running, .strategies.reset.possible, .strategies.reset.why.code, .recommended.strategy]" out >actual &&
	echo "[false,\"lacks-running\",false,true,\"lacks-running\",\"branch\"]" >expect &&
	test_cmp expect actual &&
	mv notes.txt ../notes.txt &&
	test_when_finished "mv ../notes.txt notes.txt" &&
	save_state &&
	test_expect_code 1 git rollback v1.2.3 -m "revert" --revert >out 2>err &&
	grep "^warning: .production. does not contain the running release .v1.2.4." err &&
	grep "^error: nothing of .v1.2.4. is on .production. to revert: nothing changed" err &&
	test_state_unchanged &&
	git rollback v1.2.3 -m "reset" --reset >out 2>err &&
	grep "^warning: .production. does not contain the running release .v1.2.4." err &&
	test_cmp_rev production v1.2.3^{commit}
'

test_expect_success 'no production branch: neither reset nor revert is possible' '
	git release deploy v1.2.4 --force --lift-hold >out 2>&1 &&
	git -c rollback.branch=nowhere -c rollback.recentWindow=0 rollback check --json >out &&
	jq -c "[.strategies.reset.possible, .strategies.reset.why.code, .strategies.revert.why.code, .strategies.reset.branch, .recommended.strategy]" out >actual &&
	echo "[false,\"no-branch\",\"no-branch\",null,\"branch\"]" >expect &&
	test_cmp expect actual
'

test_expect_success TTY 'on a terminal --reset shows the commits it drops and asks' '
	git checkout -q production &&
	git reset -q --hard v1.2.4 &&
	test_commit "fix: hot" hot.txt "hot" &&
	git checkout -q main &&
	mv notes.txt ../notes.txt &&
	test_when_finished "mv ../notes.txt notes.txt" &&
	fetched &&
	save_state &&
	test_expect_code 1 on_terminal "n
" "git rollback v1.2.3 -m why --reset" >out &&
	grep "^drops 1 commit not in v1.2.4:" out &&
	grep "^  $(short production) fix: hot" out &&
	grep "Roll back production, moving branch production, and drop those commits? \[y/N\]" out &&
	test_state_unchanged &&
	on_terminal "y
" "git rollback v1.2.3 -m why --reset" >out &&
	test_cmp_rev production v1.2.3^{commit}
'

test_done
