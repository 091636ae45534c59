#!/bin/sh

test_description='verified deploys: deploy.<env>.verifyCommand, its retries
and budget, the started entry and the outcome entries'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-verify.sh

test_expect_success 'setup' '
	setup_verify &&
	git release deploy v1.2.1 --no-verify -m first >out 2>err &&
	reset_logs
'

for bad in 10 10x 1.5s -1s s 1d 99999999999999h ""
do
	test_expect_success "a malformed duration '$bad' is fatal before anything happens" '
		save_state &&
		test_expect_code 128 git -c deploy.production.verifyTimeout="$bad" \
			release deploy v1.2.2 2>err &&
		grep "^fatal: bad duration .* for deploy.production.verifyTimeout" err &&
		test_state_unchanged &&
		test "$(hook_runs)" = 0 &&
		test_path_is_missing "$TRASH_DIRECTORY/verify.log"
	'
done

test_expect_success 'a malformed verifyPasses or interval is fatal too' '
	save_state &&
	test_expect_code 128 git -c deploy.production.verifyPasses=0 \
		release deploy v1.2.2 2>err &&
	grep "^fatal: bad number .0. for deploy.production.verifyPasses" err &&
	test_expect_code 128 git -c deploy.production.verifyInterval=soon \
		release deploy v1.2.2 2>err &&
	grep "^fatal: bad duration .soon. for deploy.production.verifyInterval" err &&
	test_state_unchanged
'

test_expect_success 'a verified deploy: retried until it passes, recorded with its attempts' '
	echo 3 >"$TRASH_DIRECTORY/pass-from" &&
	git release deploy v1.2.2 -m "ship users" >out 2>err &&
	grep "^deployed v1.2.2 to production (log entry [0-9a-f]*), verified\$" out &&
	test "$(hook_runs)" = 1 &&
	cut -d" " -f1,2 "$TRASH_DIRECTORY/verify.log" >actual &&
	printf "v1.2.2 %s\n" 1 2 3 >expect &&
	test_cmp expect actual &&
	grep "not ready yet (1)" err &&
	grep "^verify attempt 2 failed: not ready yet (2)\$" err &&
	test "$(entry_field 0 Verify)" = passed &&
	test "$(entry_field 0 Verify-Attempts)" = 3 &&
	entry_field 0 Verify-Duration | grep "^[0-9][0-9]*ms\$" &&
	test -z "$(entry_field 0 Status)" &&
	test -z "$(entry_field 0 Verify-Output)" &&
	test "$(git release current --no-fetch)" = v1.2.2 &&
	pwd >expect &&
	test_cmp expect "$TRASH_DIRECTORY/verify.pwd"
'

test_expect_success 'VERIFY_ELAPSED grows, in milliseconds, from about 0' '
	cut -d" " -f3 "$TRASH_DIRECTORY/verify.log" >elapsed &&
	test "$(sed -n 1p elapsed)" -lt 20 &&
	test "$(sed -n 3p elapsed)" -ge 20
'

test_expect_success 'the verify command sees the hook variables' '
	reset_logs &&
	test_config deploy.production.verifyCommand \
		"env | grep -E \"^(RELEASE_|DEPLOY_|ROLLBACK_|VERIFY_ATTEMPT)\" | sort >\"\$TRASH_DIRECTORY/verify.env\"" &&
	git release deploy v1.2.2 -m "again" >out 2>err &&
	cat >expect <<-EOF &&
	DEPLOY_ENV=production
	DEPLOY_KIND=deploy
	DEPLOY_REASON=again
	RELEASE_COMMIT=$(full v1.2.2)
	RELEASE_TAG=v1.2.2
	RELEASE_VERSION=1.2.2
	VERIFY_ATTEMPT=1
	EOF
	test_cmp expect "$TRASH_DIRECTORY/verify.env"
'

test_expect_success 'verifyPasses wants that many passes in a row' '
	reset_logs &&
	cat >"$TRASH_DIRECTORY/flaky.sh" <<-\EOS &&
	#!/bin/sh
	echo "$VERIFY_ATTEMPT" >>"$TRASH_DIRECTORY/verify.log"
	case $VERIFY_ATTEMPT in 2) echo flake; exit 1;; esac
	EOS
	chmod +x "$TRASH_DIRECTORY/flaky.sh" &&
	test_config deploy.production.verifyCommand "\"\$TRASH_DIRECTORY/flaky.sh\"" &&
	test_config deploy.production.verifyPasses 3 &&
	git release deploy v1.2.2 >out 2>err &&
	test_line_count = 5 "$TRASH_DIRECTORY/verify.log" &&
	test "$(entry_field 0 Verify-Attempts)" = 5
'

test_expect_success 'a failed verification: exit 1, a failed entry, the running version stays' '
	reset_logs &&
	git release current --no-fetch >before &&
	touch "$TRASH_DIRECTORY/unhealthy-v1.2.4" &&
	test_expect_code 1 git release deploy v1.2.4 -m "login fix" >out 2>err &&
	grep "^error: v1.2.4 did not verify on .production.: health check: 503 Service Unavailable for v1.2.4\$" err &&
	grep "^deploy of v1.2.4 to production failed verification" out &&
	test "$(hook_runs)" = 1 &&
	test "$(entry_field 0 Status)" = failed &&
	test "$(entry_field 0 Verify)" = failed &&
	test "$(entry_field 0 Verify-Output)" = "health check: 503 Service Unavailable for v1.2.4" &&
	test "$(entry_field 0 Version)" = v1.2.4 &&
	test "$(entry_field 0 Verify-Attempts)" -ge 2 &&
	git release current --no-fetch >after &&
	test_cmp before after &&
	test_must_fail git rev-parse -q --verify deployed-v1.2.4 &&
	git log -1 --format=%s refs/deploy/log/production >subject &&
	echo "deploy v1.2.4 to production (failed)" >expect &&
	test_cmp expect subject
'

test_expect_success 'history shows the failed attempt' '
	git release history --no-fetch -n 1 >out &&
	grep "deploy  *v1.2.4 .*\[failed\]  verify failed: health check: 503" out &&
	git release history --no-fetch -n 1 --json >out.json &&
	jq -e ".status == \"failed\" and .verify == \"failed\" and .verify_attempts >= 2" out.json
'

test_expect_success 'list shows no failed attempt as deployed' '
	git release list >out &&
	grep "^v1.2.2  deployed: production" out &&
	! grep "^v1.2.4  deployed" out
'

test_expect_success 'an attempt still running when the budget ends is killed' '
	reset_logs &&
	test_config deploy.production.verifyCommand "echo slow; sleep 30" &&
	start=$(date +%s) &&
	test_expect_code 1 git release deploy v1.2.3 >out 2>err &&
	end=$(date +%s) &&
	test $((end - start)) -lt 20 &&
	test "$(entry_field 0 Verify-Output)" = "slow (killed after 1.0s)"
'

test_expect_success '--no-verify skips it, and the entry says so' '
	reset_logs &&
	touch "$TRASH_DIRECTORY/unhealthy-v1.2.3" &&
	git release deploy v1.2.3 --no-verify >out 2>err &&
	test_path_is_missing "$TRASH_DIRECTORY/verify.log" &&
	test "$(entry_field 0 Verify)" = skipped &&
	test -z "$(entry_field 0 Status)" &&
	test "$(git release current --no-fetch)" = v1.2.3 &&
	git release history --no-fetch -n 1 >out &&
	grep "verify skipped" out
'

test_expect_success 'deploy --json: the outcome, parsed' '
	reset_logs &&
	git release deploy v1.2.3 --json >out.json 2>err &&
	jq -e ".outcome == \"verified\" and .version == \"v1.2.3\" and .verify_attempts == 1 and .rollback_to == null" out.json &&
	test "$(jq -r .entry out.json)" = "$(git rev-parse refs/deploy/log/production)" &&
	touch "$TRASH_DIRECTORY/unhealthy-v1.2.4" &&
	test_expect_code 1 git release deploy v1.2.4 --json >out.json 2>err &&
	jq -e ".outcome == \"failed-not-rolled-back\" and (.verify_output | startswith(\"health check\"))" out.json
'

test_expect_success 'a dry run names the verification and changes nothing' '
	save_state &&
	git release deploy v1.2.3 --dry-run >out &&
	grep "^would verify with: \"\$TRASH_DIRECTORY/verify.sh\" (every 10ms until it passes 1 time in a row, up to 1.0s)\$" out &&
	git release deploy v1.2.3 --dry-run --no-verify >out &&
	grep "^would skip verification (--no-verify)\$" out &&
	test_state_unchanged
'

test_expect_success 'a failing hook under verification: a failed entry, nothing verified' '
	reset_logs &&
	test_config deploy.production.command "exit 4" &&
	test_expect_code 1 git release deploy v1.2.3 >out 2>err &&
	grep "^error: deploy hook for .production. failed (exit 4)" err &&
	test_path_is_missing "$TRASH_DIRECTORY/verify.log" &&
	test "$(entry_field 0 Status)" = failed &&
	test "$(entry_field 0 Verify-Output)" = "the deploy hook failed"
'

test_expect_success 'kill -9 during verification leaves a visible started attempt' '
	reset_logs &&
	git release current --no-fetch >before &&
	test_config deploy.production.verifyCommand \
		"echo \$\$ >\"\$TRASH_DIRECTORY/verify.pid\"; sleep 30" &&
	test_config deploy.production.verifyTimeout 1m &&
	rm -f "$TRASH_DIRECTORY/verify.pid" &&
	(git release deploy v1.2.3 -m "will die" >out 2>err & echo $! >deploy.pid) &&
	i=0 &&
	while ! test -s "$TRASH_DIRECTORY/verify.pid" && test $i -lt 200
	do
		sleep 0.1; i=$((i + 1))
	done &&
	test -s "$TRASH_DIRECTORY/verify.pid" &&
	# the deploy itself is the verify command'"'"'s parent (git runs it
	# as a child of its own)
	deployer=$(ps -o ppid= -p "$(cat "$TRASH_DIRECTORY/verify.pid")") &&
	kill -9 $deployer "$(cat deploy.pid)" &&
	kill -9 "$(cat "$TRASH_DIRECTORY/verify.pid")" 2>/dev/null;
	sleep 0.2 &&
	test "$(entry_field 0 Status)" = started &&
	test "$(entry_field 0 Version)" = v1.2.3 &&
	git release history --no-fetch -n 1 >out &&
	grep "deploy  *v1.2.3 .*\[started\]" out &&
	git release current --no-fetch >after &&
	test_cmp before after
'

test_expect_success 'the next deploy records the interrupted attempt as failed' '
	rm -f "$(git rev-parse --git-common-dir)/release-suite.lock" &&
	started=$(git rev-parse refs/deploy/log/production) &&
	parent=$(git rev-parse refs/deploy/log/production~1) &&
	test_expect_code 1 git release deploy v1.2.2 2>err &&
	grep "^error: cannot deploy: git release deploy v1.2.3 .*is in progress" err &&
	git release --abort >out &&
	test "$(git rev-parse refs/deploy/log/production)" = "$started" &&
	git release deploy v1.2.3 --no-verify -m again >out 2>err &&
	grep "^warning: the attempt to deploy v1.2.3 to .production. (entry [0-9a-f]*) was interrupted" err &&
	test "$(entry_field 1 Status)" = failed &&
	test "$(entry_field 1 Verify-Output)" = "interrupted: the attempt stopped before its outcome was recorded" &&
	test "$(git rev-parse refs/deploy/log/production~2)" = "$parent" &&
	test "$(entry_field 0 Reason)" = again &&
	test "$(git release current --no-fetch)" = v1.2.3
'

test_expect_success 'no started entry is ever pushed' '
	reset_logs &&
	git release deploy v1.2.3 --push >out 2>err &&
	git --git-dir=../remote.git log --format=%B refs/deploy/log/production >remote.log &&
	! grep "^Status: started" remote.log &&
	grep "^Status: failed" remote.log &&
	test "$(remote_rev refs/deploy/log/production)" = "$(git rev-parse refs/deploy/log/production)"
'

test_done
