#!/bin/sh

test_description='verified deploys in the field: the automatic rollback
within its own budget (rollbackTimeout), holds from two clones on one
remote, deploy --latest around a hold'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-verify.sh

# a verify command for the budget tests: the failed release never
# verifies; a rollback target takes 300ms an attempt and passes on the
# second one, so it needs a budget of its own
slow_verify () {
	cat >"$TRASH_DIRECTORY/slow.sh" <<-\EOS &&
	#!/bin/sh
	echo "$RELEASE_TAG $DEPLOY_KIND $VERIFY_ATTEMPT $VERIFY_ELAPSED" >>"$TRASH_DIRECTORY/verify.log"
	if test -f "$TRASH_DIRECTORY/unhealthy-$RELEASE_TAG"
	then
		echo "503 for $RELEASE_TAG"
		exit 1
	fi
	sleep 0.3
	test "$VERIFY_ATTEMPT" -ge 2 || { echo "warming up"; exit 1; }
	EOS
	chmod +x "$TRASH_DIRECTORY/slow.sh" &&
	git config deploy.production.verifyCommand '"$TRASH_DIRECTORY/slow.sh"'
}

test_expect_success 'setup: a remote, two clones, production and staging' '
	setup_verify &&
	verify_config staging &&
	git config deploy.production.rollbackOnFailure true &&
	git release deploy v1.2.3 --no-verify -m first --push >out 2>err &&
	git release deploy v1.2.3 --env staging --new-env --no-verify --push >out 2>err &&
	git -C .. clone -q remote.git other &&
	(cd ../other &&
	 git fetch -q origin "refs/deploy/*:refs/deploy/*" &&
	 git config deploy.production.command true &&
	 git config deploy.staging.command true) &&
	echo "# an unrelated edit" >>config/app.yml &&
	slow_verify &&
	reset_logs && slow_verify
'

test_expect_success 'the automatic rollback verifies within a fresh budget (the verify timeout)' '
	touch "$TRASH_DIRECTORY/unhealthy-v1.2.4" &&
	test_expect_code 1 git release deploy v1.2.4 --json >out.json 2>err &&
	jq -e ".outcome == \"failed-rolled-back\" and .rollback_to == \"v1.2.3\"" out.json &&
	grep "^v1.2.3 rollback 1 " "$TRASH_DIRECTORY/verify.log" &&
	grep "^v1.2.3 rollback 2 " "$TRASH_DIRECTORY/verify.log" &&
	first=$(sed -n "s/^v1.2.3 rollback 1 //p" "$TRASH_DIRECTORY/verify.log") &&
	test "$first" -lt 100 &&
	test "$(deploy_field 1 Verify-Duration | tr -d ms)" -ge 900 &&
	test "$(deploy_field 0 Verify)" = passed &&
	test "$(deploy_field 0 Verify-Attempts)" = 2 &&
	test "$(deploy_field 0 Verify-Duration | tr -d ms)" -ge 300 &&
	test "$(held_at)" = v1.2.3 &&
	test "$(git release current --no-fetch)" = v1.2.3
'

test_expect_success 'rollbackTimeout: too short for the target, the rollback fails; no second one' '
	reset_logs && slow_verify &&
	git release yank -q --undo v1.2.4 &&
	touch "$TRASH_DIRECTORY/unhealthy-v1.2.4" &&
	test_config deploy.production.rollbackTimeout 400ms &&
	test_expect_code 1 git release deploy v1.2.4 --lift-hold --json >out.json 2>err &&
	jq -e ".outcome == \"failed-rollback-failed\" and .rollback_to == \"v1.2.3\"" out.json &&
	grep "^error: the rollback of production to v1.2.3 did not verify" err &&
	grep "^error: the automatic rollback failed: .production. runs v1.2.3, which did not verify either" err &&
	grep "^hint: check .production., then deploy a release that works: git release deploy <tag> --env production --lift-hold\$" err &&
	printf "%s\n" "deploy v1.2.4 " "rollback v1.2.3 v1.2.4" >expect &&
	test_cmp expect "$TRASH_DIRECTORY/hook.log" &&
	test "$(deploy_field 0 Kind)" = rollback &&
	test "$(deploy_field 0 Status)" = failed &&
	test "$(deploy_field 0 Verify-Duration | tr -d ms)" -lt 1000 &&
	test "$(deploy_field 1 Status)" = failed &&
	test "$(held_at)" = v1.2.3 &&
	grep "an unrelated edit" config/app.yml
'

test_expect_success 'a malformed rollbackTimeout is fatal before anything' '
	save_state &&
	test_expect_code 128 git -c deploy.production.rollbackTimeout=1x release deploy v1.2.4 --force 2>err &&
	grep "^fatal: bad duration .1x. for deploy.production.rollbackTimeout" err &&
	test_state_unchanged
'

test_expect_success 'two clones hold one environment and push: both holds are kept' '
	reset_logs &&
	git config --unset deploy.production.verifyCommand &&
	git release hold --lift -m "ours done" --push >out 2>err &&
	(cd ../other && git fetch -q origin "+refs/deploy/*:refs/deploy/*" &&
	 git release hold --env staging -m "theirs" >out 2>err) &&
	git release hold --env staging -m "ours" --push >out 2>err &&
	(cd ../other && git release hold --env staging -m "theirs" --push >out 2>err &&
	 grep "^staging is already held at v1.2.3\$" out) &&
	test "$(git --git-dir=../remote.git rev-parse refs/deploy/log/staging)" = \
		"$(git -C ../other rev-parse refs/deploy/log/staging)" &&
	git release current --env staging >/dev/null 2>&1 &&
	git --git-dir=../remote.git log --format=%B refs/deploy/log/staging >remote.log &&
	grep -c "^Kind: hold\$" remote.log >n &&
	echo 2 >expect && test_cmp expect n &&
	grep "^Reason: ours\$" remote.log &&
	grep "^Reason: theirs\$" remote.log &&
	git release hold --list --json >holds.json &&
	jq -e "select(.env == \"staging\") | .reason == \"theirs\"" holds.json &&
	(cd ../other && git release hold --list >holds &&
	 grep "^staging  v1.2.3  .*  theirs\$" holds)
'

test_expect_success 'holds on two environments from two clones: both listed on both sides' '
	(cd ../other && git release hold -m "prod theirs" --push >out 2>err) &&
	git release hold --env staging --lift -m "staging fine" --push >out 2>err &&
	git release hold --list --json >holds.json &&
	jq -s -e "map(.env) == [\"production\"]" holds.json &&
	(cd ../other && git release current --env staging >/dev/null 2>&1 &&
	 git release hold --list --json >holds.json &&
	 jq -s -e "map(.env) == [\"production\"]" holds.json) &&
	test "$(git --git-dir=../remote.git rev-parse refs/deploy/log/production)" = \
		"$(git rev-parse refs/deploy/log/production)"
'

test_expect_success '--latest is refused while held: nothing run, nothing changed here or there' '
	reset_logs && git config --unset deploy.production.verifyCommand &&
	git release yank -q --undo v1.2.4 &&
	fetched &&
	save_state &&
	before=$(git --git-dir=../remote.git rev-parse refs/deploy/log/production) &&
	test_expect_code 1 git release deploy --latest --push >out 2>err &&
	grep "^error: .production. is held at v1.2.3: prod theirs: --latest deploys nothing" err &&
	test_state_unchanged &&
	test "$(git --git-dir=../remote.git rev-parse refs/deploy/log/production)" = "$before" &&
	test "$(hook_runs)" = 0
'

test_expect_success '--latest is allowed again after a deploy with --lift-hold' '
	git release deploy v1.2.4 --lift-hold -m "fixed" --push >out 2>err &&
	test -z "$(held_at)" &&
	git rollback v1.2.3 --deploy-only -m "again" --push >out 2>err &&
	test "$(held_at)" = v1.2.3 &&
	git release deploy v1.2.4 --force --lift-hold --push >out 2>err &&
	git tag -a -m "Release v1.2.5" v1.2.5 main &&
	git release deploy --latest >out 2>err &&
	test "$(deploy_field 0 Version)" = v1.2.5 &&
	printf "%s\n" "deploy v1.2.4 " "rollback v1.2.3 v1.2.4" "deploy v1.2.4 " "deploy v1.2.5 " >expect &&
	test_cmp expect "$TRASH_DIRECTORY/hook.log"
'

test_expect_success '--latest deploys a hotfix of the held version and lifts the hold' '
	reset_logs && git config --unset deploy.production.verifyCommand &&
	git rollback v1.2.4 --deploy-only --force -m "v1.2.5 is slow" >out 2>err &&
	test "$(held_at)" = v1.2.4 &&
	git tag -a -m "Release v1.2.6" v1.2.6 main &&
	test_expect_code 1 git release deploy --latest 2>err &&
	grep "is held at v1.2.4" err &&
	git tag -d v1.2.6 >/dev/null &&
	git stash -q &&
	git hotfix start slow v1.2.4 >out 2>err &&
	test_commit "fix: slow path" app.txt "app fast" &&
	git hotfix finish -y >out 2>err &&
	git stash pop -q &&
	hot=$(git tag -l "v1.2.*" --sort=-version:refname | head -n 1) &&
	test "$hot" != v1.2.5 &&
	git release deploy --latest >out 2>err &&
	grep "$hot is a hotfix of the held v1.2.4: deploying it lifts the hold" err &&
	test "$(deploy_field 0 Version)" = "$hot" &&
	test -z "$(held_at)" &&
	test "$(entry_field 1 Kind)" = unhold &&
	test "$(entry_field 1 Reason)" = "fix forward: $hot is a hotfix of v1.2.4" &&
	printf "%s\n" "rollback v1.2.4 v1.2.5" "deploy $hot " >expect &&
	test_cmp expect "$TRASH_DIRECTORY/hook.log" &&
	grep "an unrelated edit" config/app.yml
'

test_done
