#!/bin/sh

test_description='git release verify: what runs checked again and recorded,
on a shared log (two clones, two environments)'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-verify.sh

# remote_log <env>: the bare remote's log tip
remote_log () {
	git --git-dir="$TRASH_DIRECTORY/remote.git" rev-parse --verify -q \
		"refs/deploy/log/$1"
}

test_expect_success 'setup: production and staging deployed, a second clone' '
	setup_verify &&
	verify_config staging &&
	git release deploy v1.2.3 --no-verify -m first --push >out 2>err &&
	git release deploy v1.2.4 --env staging --new-env --push >out 2>err &&
	git -C .. clone -q remote.git other &&
	(cd ../other &&
	 git fetch -q origin "refs/deploy/*:refs/deploy/*" &&
	 git config deploy.staging.command true) &&
	echo "an unrelated edit" >>app.txt &&
	reset_logs
'

test_expect_success 'verified: exit 0, an entry of kind verify, the running version kept' '
	tip=$(git rev-parse refs/deploy/log/production) &&
	git release verify >out 2>err &&
	grep "^v1.2.3 on production verified (1 attempt, [0-9.ms]*; log entry $(git rev-parse --short=7 refs/deploy/log/production))\$" out &&
	test "$(git rev-parse refs/deploy/log/production~1)" = "$tip" &&
	test "$(entry_field 0 Kind)" = verify &&
	test "$(entry_field 0 Version)" = v1.2.3 &&
	test -z "$(entry_field 0 Status)" &&
	test "$(entry_field 0 Verify)" = passed &&
	test "$(entry_field 0 Verify-Attempts)" = 1 &&
	test "$(entry_field 0 Commit)" = "$(git rev-parse v1.2.3^{commit})" &&
	git log -1 --format=%s refs/deploy/log/production >subject &&
	echo "verify v1.2.3 on production" >expect &&
	test_cmp expect subject &&
	test "$(cut -d" " -f1,2 "$TRASH_DIRECTORY/verify.log")" = "v1.2.3 1" &&
	test "$(hook_runs)" = 0 &&
	test "$(git release current --no-fetch)" = v1.2.3 &&
	grep "an unrelated edit" app.txt &&
	test_must_fail git cat-file -e refs/deploy/marks:v1.2.3
'

test_expect_success 'the verify command sees the hook variables, DEPLOY_KIND=verify' '
	test_config deploy.production.verifyCommand \
		"env | grep -E \"^(DEPLOY_|RELEASE_|VERIFY_)\" | sort >\"\$TRASH_DIRECTORY/vars\"" &&
	git release verify >out 2>err &&
	grep "^DEPLOY_ENV=production\$" "$TRASH_DIRECTORY/vars" &&
	grep "^DEPLOY_KIND=verify\$" "$TRASH_DIRECTORY/vars" &&
	grep "^RELEASE_TAG=v1.2.3\$" "$TRASH_DIRECTORY/vars" &&
	grep "^RELEASE_COMMIT=$(git rev-parse v1.2.3^{commit})\$" "$TRASH_DIRECTORY/vars" &&
	grep "^VERIFY_ATTEMPT=1\$" "$TRASH_DIRECTORY/vars"
'

test_expect_success 'not healthy: exit 1, a failed verify entry, nothing else changes' '
	reset_logs &&
	touch "$TRASH_DIRECTORY/unhealthy-v1.2.3" &&
	test_expect_code 1 git release verify --no-fetch >out 2>err &&
	grep "^v1.2.3 on production did not verify: health check: 503 Service Unavailable for v1.2.3 ([0-9]* attempts, " out &&
	grep "^hint: roll back with: git rollback --env production -m <reason>\$" err &&
	test "$(entry_field 0 Kind)" = verify &&
	test "$(entry_field 0 Status)" = failed &&
	test "$(entry_field 0 Verify)" = failed &&
	test "$(entry_field 0 Verify-Output)" = "health check: 503 Service Unavailable for v1.2.3" &&
	test "$(entry_field 0 Verify-Attempts)" -gt 1 &&
	git log -1 --format=%s refs/deploy/log/production >subject &&
	echo "verify v1.2.3 on production (failed)" >expect &&
	test_cmp expect subject &&
	test "$(git release current --no-fetch)" = v1.2.3 &&
	test_must_fail git cat-file -e refs/deploy/marks:v1.2.3 &&
	test "$(hook_runs)" = 0 &&
	git release hold --list >holds &&
	test_must_be_empty holds
'

test_expect_success 'history shows the checks, the running version and the undo line ignore them' '
	git release history --no-fetch --env production -n 2 >out &&
	sed -n 1p out | grep "  verify    v1.2.3 .*\[failed\]  verify failed: health check" &&
	sed -n 2p out | grep "  verify    v1.2.3 " &&
	git release history --no-fetch --env production --format=cdevents >events &&
	test_line_count = 1 events &&
	rm -f "$TRASH_DIRECTORY/unhealthy-v1.2.3" &&
	git release deploy v1.2.4 --no-verify >out 2>err &&
	grep "^undo: git release deploy v1.2.3 --env production --allow-downgrade -m .undo the deploy of [^ ]*.\$" out
'

test_expect_success '--json: one object, parsed; --env staging checks staging' '
	reset_logs &&
	git release verify --env staging --json >out.json 2>err &&
	jq -e ".schema == 1 and .env == \"staging\" and .tag == \"v1.2.4\" and .version == \"1.2.4\" and .outcome == \"verified\" and .verify_attempts == 1 and .verify_output == null" out.json &&
	test "$(jq -r .entry out.json)" = "$(git rev-parse refs/deploy/log/staging)" &&
	test "$(jq -r .commit out.json)" = "$(git rev-parse v1.2.4^{commit})" &&
	test "$(entry_field 0 Kind staging)" = verify &&
	touch "$TRASH_DIRECTORY/unhealthy-v1.2.4" &&
	test_expect_code 1 git release verify --env staging --json >out.json 2>err &&
	jq -e ".outcome == \"failed\" and .verify_output == \"health check: 503 Service Unavailable for v1.2.4\"" out.json
'

test_expect_success '--push: the other clone reads the check from the remote' '
	reset_logs &&
	git release verify --push >out 2>err &&
	test "$(remote_log production)" = "$(git rev-parse refs/deploy/log/production)" &&
	(cd ../other &&
	 git release history --env production -n 1 >out 2>err &&
	 grep "  verify    v1.2.4 " out &&
	 test "$(git release current)" = v1.2.4)
'

test_expect_success 'no verify command: refused naming the key, nothing changed here or there' '
	(cd ../other &&
	 git release deploy v1.2.4 --env staging --no-hook >out 2>err &&
	 save_state &&
	 test_expect_code 1 git release verify --env staging 2>err &&
	 grep "^error: no verify command for .staging.: set deploy.staging.verifyCommand\$" err &&
	 test_state_unchanged) &&
	before=$(remote_log staging) &&
	test_config deploy.staging.verifyCommand "" &&
	save_state &&
	test_expect_code 1 git release verify --env staging 2>err &&
	grep "deploy.staging.verifyCommand" err &&
	test_state_unchanged &&
	test "$(remote_log staging)" = "$before"
'

test_expect_success 'malformed durations are fatal, unknown environments too, before anything' '
	reset_logs &&
	save_state &&
	test_expect_code 128 git -c deploy.production.verifyTimeout=soon release verify 2>err &&
	grep "^fatal: bad duration .soon. for deploy.production.verifyTimeout" err &&
	test_expect_code 128 git release verify --env stagign 2>err &&
	grep "stagign" err &&
	test_expect_code 129 git release verify extra 2>err &&
	test_path_is_missing "$TRASH_DIRECTORY/verify.log" &&
	test_state_unchanged
'

test_expect_success 'nothing known to run: refused, nothing recorded' '
	test_config deploy.qa.verifyCommand true &&
	test_config deploy.qa.branch "" &&
	fetched &&
	save_state &&
	test_expect_code 1 git release verify --env qa 2>err &&
	grep "^error: nothing is known to run on .qa.: nothing to verify\$" err &&
	test_state_unchanged
'

test_expect_success 'a started attempt a dead process left is recorded as failed first' '
	reset_logs &&
	git release hold --lift -m "x" >/dev/null 2>&1 || true &&
	tip=$(git rev-parse refs/deploy/log/production) &&
	git log -1 --format=%B $tip >msg &&
	sed -e "s/^Status: .*//" -e "/^Kind:/a Status: started" msg >started &&
	id=$(git commit-tree -p $tip -m "$(cat started)" 4b825dc642cb6eb9a060e54bf8d69288fbee4904) &&
	git update-ref refs/deploy/log/production $id &&
	git release verify --no-fetch >out 2>err &&
	grep "^warning: the attempt to deploy .* was interrupted; it is recorded as failed" err &&
	test "$(entry_field 0 Kind)" = verify &&
	test "$(entry_field 1 Status)" = failed &&
	test "$(git rev-parse refs/deploy/log/production~2)" = "$tip"
'

test_done
