#!/bin/sh

test_description='holds: git release hold, --lift, --list; deploy --latest
and --lift-hold; a hotfix of the held version is the way forward'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-verify.sh

test_expect_success 'setup' '
	setup_verify &&
	git config --unset deploy.production.verifyCommand &&
	git release deploy v1.2.2 -m first >out 2>err &&
	reset_logs &&
	git config --unset deploy.production.verifyCommand
'

test_expect_success 'hold: an entry of kind hold at the running version' '
	git release hold -m "incident 42" >out &&
	grep "^held production at v1.2.2 (log entry [0-9a-f]*)\$" out &&
	test "$(entry_field 0 Kind)" = hold &&
	test "$(entry_field 0 Version)" = v1.2.2 &&
	test "$(entry_field 0 Reason)" = "incident 42" &&
	git log -1 --format=%s refs/deploy/log/production >subject &&
	echo "hold production at v1.2.2" >expect &&
	test_cmp expect subject &&
	test "$(git release current --no-fetch)" = v1.2.2
'

test_expect_success 'hold --list, and --json parsed' '
	git release hold --list >out &&
	grep "^production  v1.2.2  .*  incident 42\$" out &&
	git release hold --list --json >out.json &&
	jq -e ".env == \"production\" and .tag == \"v1.2.2\" and .version == \"1.2.2\" and .reason == \"incident 42\"" out.json &&
	test "$(jq -r .entry out.json)" = "$(git rev-parse refs/deploy/log/production)"
'

test_expect_success 'deploy --latest is refused while held: exit 1, nothing run' '
	save_state &&
	test_expect_code 1 git release deploy --latest >out 2>err &&
	grep "^error: .production. is held at v1.2.2: incident 42: --latest deploys nothing" err &&
	test_state_unchanged &&
	test "$(hook_runs)" = 0
'

test_expect_success 'an explicit newer deploy while held is refused' '
	save_state &&
	test_expect_code 1 git release deploy v1.2.3 2>err &&
	grep "^error: .production. is held at v1.2.2: incident 42: v1.2.3 is not deployed" err &&
	grep "^hint: deploy it anyway with --lift-hold, lift the hold with \"git release hold --lift --env production -m <reason>\", or fix forward from what runs there with \"git hotfix start <name> v1.2.2\"\$" err &&
	test_state_unchanged &&
	test "$(hook_runs)" = 0
'

test_expect_success 'the fix forward the hint says, pasted, starts from the held release' '
	test_when_finished "git checkout -q main && git branch -D hotfix/urgent" &&
	cmd=$(sed -n "s/^hint: .*fix forward from what runs there with \"\(.*\)\"\$/\1/p" err) &&
	test -n "$cmd" &&
	eval "$(echo "$cmd" | sed "s/<name>/urgent/") --no-fetch" >/dev/null 2>&1 &&
	test "$(git rev-parse HEAD)" = "$(git rev-parse v1.2.2^{commit})"
'

test_expect_success 'redeploying the held version is allowed' '
	git release deploy v1.2.2 >out 2>err &&
	test "$(hook_runs)" = 1 &&
	git release hold --list >out &&
	grep "^production  v1.2.2" out
'

test_expect_success '--lift-hold deploys and records the lift' '
	reset_logs && git config --unset deploy.production.verifyCommand &&
	git release deploy v1.2.3 --lift-hold -m "fixed upstream" >out 2>err &&
	grep "^lifted the hold on production at v1.2.2\$" out &&
	test "$(entry_field 0 Kind)" = deploy &&
	test "$(entry_field 0 Version)" = v1.2.3 &&
	test "$(entry_field 1 Kind)" = unhold &&
	test "$(entry_field 1 Reason)" = "--lift-hold: deploy v1.2.3: fixed upstream" &&
	git release hold --list >out &&
	test_must_be_empty out &&
	test "$(hook_runs)" = 1
'

test_expect_success 'deploy --latest: the newest good release newer than the running one' '
	reset_logs && git config --unset deploy.production.verifyCommand &&
	git release yank v1.2.4 -m "broken login" >out &&
	git release deploy --latest >out 2>err &&
	grep "^nothing newer to deploy to production: v1.2.3 is the newest good release\$" out &&
	test "$(hook_runs)" = 0 &&
	git release yank --undo v1.2.4 >out &&
	git release deploy --latest >out 2>err &&
	test "$(entry_field 0 Version)" = v1.2.4 &&
	echo "deploy v1.2.4 " >expect &&
	test_cmp expect "$TRASH_DIRECTORY/hook.log"
'

test_expect_success 'hold --lift needs a hold and a reason' '
	test_expect_code 129 git release hold --lift 2>err &&
	test_expect_code 1 git release hold --lift -m "nothing" 2>err &&
	grep "^error: .production. is not held" err
'

test_expect_success 'a hotfix of the held version is allowed and lifts the hold' '
	reset_logs && git config --unset deploy.production.verifyCommand &&
	git release hold -m "v1.2.4 suspicious" >out &&
	git checkout -q main &&
	git hotfix start login-fix v1.2.4 >out 2>err &&
	test_commit "fix: login again" app.txt "app 4" &&
	git hotfix finish -y >out 2>err &&
	git tag -l "v1.2.5" >tags &&
	test_line_count = 1 tags &&
	git release deploy v1.2.5 >out 2>err &&
	grep "v1.2.5 is a hotfix of the held v1.2.4: deploying it lifts the hold" err &&
	test "$(entry_field 1 Kind)" = unhold &&
	test "$(entry_field 1 Reason)" = "fix forward: v1.2.5 is a hotfix of v1.2.4" &&
	test "$(git release current --no-fetch)" = v1.2.5
'

test_expect_success 'a release that is no hotfix of the held one stays refused' '
	reset_logs && git config --unset deploy.production.verifyCommand &&
	test_expect_code 1 git release deploy v1.2.4 >out 2>err &&
	grep "^error: v1.2.4 is older than the running v1.2.5: that is a rollback; use git rollback\$" err &&
	git rollback v1.2.4 --deploy-only --force -m "back" >out 2>err &&
	git release hold -m "again" >out &&
	grep "^production is already held at v1.2.4\$" out &&
	git tag -a -m "Release v1.3.0" v1.3.0 main &&
	test_expect_code 1 git release deploy v1.3.0 2>err &&
	grep "is held at v1.2.4" err
'

test_expect_success 'old readers skip a hold as an entry they do not know' '
	git log -1 --format=%B refs/deploy/log/production >msg &&
	grep "^Kind: hold\$" msg &&
	! grep "^Kind: deploy\$" msg
'

test_expect_success 'two clones adding holds and pushing keep both' '
	git release hold --lift -m "reset" >out &&
	git push -q origin "refs/deploy/*:refs/deploy/*" "refs/tags/*:refs/tags/*" &&
	git clone -q ../remote.git ../other &&
	(cd ../other && git fetch -q origin "refs/deploy/*:refs/deploy/*" &&
	 git config deploy.staging.command true &&
	 git release deploy v1.2.3 --env staging --new-env --no-hook >out 2>&1 &&
	 git release hold --env staging -m "theirs" --push >out) &&
	git config deploy.staging.command true &&
	git release deploy v1.2.2 --env staging --new-env >out 2>&1 &&
	git release hold -m "ours" --push >out &&
	git --git-dir=../remote.git log --format=%B refs/deploy/log/production >prod.log &&
	grep "^Reason: ours\$" prod.log &&
	git release hold --list --json >holds.json &&
	jq -s -e "map(.env) | sort == [\"production\", \"staging\"]" holds.json &&
	jq -s -e "map(select(.env == \"staging\"))[0].reason == \"theirs\"" holds.json
'

test_expect_success 'every rollback holds: the undo line lifts the hold it put' '
	reset_logs && git config --unset deploy.production.verifyCommand &&
	git release hold --lift -m "next" >out &&
	git rollback v1.2.3 --deploy-only -m "slow checkout" >out 2>err &&
	test "$(held_at)" = v1.2.3 &&
	test "$(entry_field 0 Kind)" = hold &&
	test "$(entry_field 0 Reason)" = "rolled back from v1.2.4" &&
	test "$(entry_field 1 Kind)" = rollback &&
	grep "^held production at v1.2.3 (log entry $(git rev-parse --short=7 refs/deploy/log/production))\$" out &&
	undo=$(sed -n "s/^undo: //p" out) &&
	test "$undo" = "git release deploy v1.2.4 --env production --force --lift-hold" &&
	save_state &&
	test_expect_code 1 git release deploy --latest >out 2>err &&
	grep "is held at v1.2.3" err &&
	test_state_unchanged &&
	eval "$undo" >out 2>err &&
	test -z "$(held_at)" &&
	test "$(entry_field 1 Kind)" = unhold &&
	test "$(git release current --no-fetch)" = v1.2.4
'

test_expect_success 'history and the running version pass over holds' '
	git rollback v1.2.3 --deploy-only -m "again" >out 2>err &&
	test "$(entry_field 0 Kind)" = hold &&
	git release history --no-fetch --env production -n 1 >out &&
	grep "  rollback  v1.2.3 .*from v1.2.4" out &&
	git release history --no-fetch --env production --json >out.json &&
	jq -s -e "map(select(.kind == \"hold\" or .kind == \"unhold\")) | length == 0" out.json &&
	jq -s -e "length == $(git log --format=%B refs/deploy/log/production | grep -c -E "^Kind: (deploy|rollback)\$")" out.json &&
	test "$(git release current --no-fetch)" = v1.2.3
'

test_expect_success 'a rollback deeper while held moves the hold down' '
	test "$(held_at)" = v1.2.3 &&
	tip=$(git rev-parse refs/deploy/log/production) &&
	git rollback v1.2.2 --deploy-only --ignore-migrations -m "deeper" >out 2>err &&
	test "$(held_at)" = v1.2.2 &&
	test "$(git rev-parse refs/deploy/log/production~2)" = "$tip" &&
	test "$(entry_field 1 Kind)" = rollback &&
	test "$(entry_field 1 From)" = v1.2.3 &&
	grep "^undo: git release deploy v1.2.3 --env production --force --lift-hold\$" out
'

test_expect_success 'rollback --no-hold: no hold entry, the undo needs no --lift-hold' '
	git release hold --lift -m "clear" >out &&
	git release deploy v1.2.4 --force >out 2>err &&
	tip=$(git rev-parse refs/deploy/log/production) &&
	git rollback v1.2.3 --deploy-only --no-hold --force -m "quick" >out 2>err &&
	test "$(git rev-parse refs/deploy/log/production~1)" = "$tip" &&
	test "$(entry_field 0 Kind)" = rollback &&
	test -z "$(held_at)" &&
	! grep "^held" out &&
	grep "^undo: git release deploy v1.2.4 --env production --force\$" out &&
	git rollback v1.2.2 --deploy-only --no-hold --ignore-migrations -m "x" --dry-run >out &&
	! grep "^hold:" out
'

test_done
