#!/bin/sh

test_description='verified deploys and automatic rollback with two components and two environments

api and web live in one repository (release.component.<name>.tagPrefix
and .path), deployed to production and staging, each environment with a
deploy hook, a verify command and rollbackOnFailure.  A deploy of one
component that does not verify rolls back that component alone, to its
own previous release; the other keeps running; every entry carries its
Component:, the hook and the verify command see the component, and the
hold the rollback puts is that component'"'"'s.'

. ./test-lib.sh

# the deployment entries (holds aside) of an environment, newest first:
# "<Kind> <Component> <Version> <Status>"
entries () {
	git log --format=%B --invert-grep --grep="^Kind: hold\$" \
		--grep="^Kind: unhold\$" "refs/deploy/log/$1" |
	awk '/^Version: /	{ v = $2 }
	     /^Component: /	{ c = $2 }
	     /^Kind: /		{ k = $2 }
	     /^Status: /	{ s = $2 }
	     /^Operator: /	{ print k, (c ? c : "-"), v, (s ? s : "succeeded"); v = c = k = s = "" }'
}

# every field of the newest entry of an environment's log
newest () {
	git log -1 --format=%B "refs/deploy/log/$1"
}

running () {
	git release current --no-fetch --env "$1" --component "$2"
}

release () {
	mkdir -p "services/$1" &&
	echo "$2" >"services/$1/app.txt" &&
	git add "services/$1/app.txt" &&
	test_tick &&
	git commit -q -m "fix: $1 $2" &&
	git tag -a -m "Release $1/v$2" "$1/v$2"
}

test_expect_success 'setup: api and web, production and staging, verified with rollback' '
	git init -q --bare remote.git &&
	git clone -q remote.git work 2>/dev/null &&
	cd work &&
	printf "%s\n" err out expect actual "*.json" >.git/info/exclude &&
	release api 1.0.0 && release web 1.0.0 &&
	release api 1.0.1 && release web 1.1.0 &&
	release api 1.0.2 && release web 1.1.1 &&
	git push -q origin HEAD:refs/heads/main --tags &&
	git config release.component.api.tagPrefix api/v &&
	git config release.component.api.path services/api &&
	git config release.component.web.tagPrefix web/v &&
	git config release.component.web.path services/web &&
	cat >"$TRASH_DIRECTORY/verify.sh" <<-\EOS &&
	#!/bin/sh
	echo "$DEPLOY_ENV $DEPLOY_COMPONENT $RELEASE_TAG" >>"$TRASH_DIRECTORY/verify.log"
	if test -f "$TRASH_DIRECTORY/unhealthy-$DEPLOY_ENV-$DEPLOY_COMPONENT-$RELEASE_VERSION"
	then
		echo "503 from $DEPLOY_COMPONENT $RELEASE_TAG"
		exit 1
	fi
	echo "healthy: $RELEASE_TAG"
	EOS
	chmod +x "$TRASH_DIRECTORY/verify.sh" &&
	for env in production staging
	do
		git config deploy.$env.command \
			"echo \"\$DEPLOY_ENV \$DEPLOY_COMPONENT \$DEPLOY_KIND \$RELEASE_TAG \$ROLLBACK_FROM\" >>\"\$TRASH_DIRECTORY/hook.log\"" &&
		git config deploy.$env.verifyCommand "\"\$TRASH_DIRECTORY/verify.sh\"" &&
		git config deploy.$env.verifyInterval 10ms &&
		git config deploy.$env.verifyTimeout 200ms &&
		git config deploy.$env.rollbackOnFailure true || return 1
	done &&
	for env in production staging
	do
		git release deploy api/v1.0.0 --env $env -m first >out 2>err &&
		git release deploy web/v1.0.0 --env $env -m first >out 2>err &&
		git release deploy api/v1.0.1 --env $env -m second >out 2>err &&
		git release deploy web/v1.1.0 --env $env -m second >out 2>err || return 1
	done &&
	test "$(running production api)" = api/v1.0.1 &&
	test "$(running production web)" = web/v1.1.0 &&
	test "$(running staging api)" = api/v1.0.1 &&
	test "$(running staging web)" = web/v1.1.0 &&
	git push -q origin "refs/deploy/*:refs/deploy/*" "refs/tags/deployed-*:refs/tags/deployed-*" &&
	rm -f "$TRASH_DIRECTORY/hook.log" "$TRASH_DIRECTORY/verify.log"
'

test_expect_success 'api on production does not verify: api rolled back to its own previous release, web untouched' '
	: >"$TRASH_DIRECTORY/unhealthy-production-api-1.0.2" &&
	web_log=$(git log --format=%H refs/deploy/log/staging | head -n 1) &&
	test_expect_code 1 git release deploy api/v1.0.2 -m "api fix" --push >out 2>err &&
	grep "^deploy of api/v1.0.2 to production failed verification" out &&
	grep "^rolled production back to api/v1.0.1 automatically, verified" out &&
	test "$(running production api)" = api/v1.0.1 &&
	test "$(running production web)" = web/v1.1.0 &&
	test "$(running staging api)" = api/v1.0.1 &&
	test "$(running staging web)" = web/v1.1.0 &&
	test "$(git log --format=%H refs/deploy/log/staging | head -n 1)" = "$web_log" &&
	entries production | head -n 3 >actual &&
	cat >expect <<-\EOF &&
	rollback api api/v1.0.1 succeeded
	deploy api api/v1.0.2 failed
	deploy web web/v1.1.0 succeeded
	EOF
	test_cmp expect actual &&
	git log -2 --format=%B --grep="^Kind: rollback\$" refs/deploy/log/production >rb &&
	grep "^From: api/v1.0.2\$" rb &&
	grep "^To: api/v1.0.1\$" rb &&
	grep "^Component: api\$" rb &&
	newest production >hold &&
	grep "^Kind: hold\$" hold &&
	grep "^Component: api\$" hold &&
	grep "^Version: api/v1.0.1\$" hold
'

test_expect_success 'the hook and the verify command saw api, never web' '
	cat >expect <<-\EOF &&
	production api deploy api/v1.0.2
	production api rollback api/v1.0.1 api/v1.0.2
	EOF
	sed "s/ *\$//" "$TRASH_DIRECTORY/hook.log" >actual &&
	test_cmp expect actual &&
	sort -u "$TRASH_DIRECTORY/verify.log" >actual &&
	printf "%s\n" "production api api/v1.0.1" "production api api/v1.0.2" >expect &&
	test_cmp expect actual
'

test_expect_success 'the mark is api/v1.0.2 from production; the remote has the same record' '
	git release list --component api >out &&
	grep "^api/v1.0.2  bad: verification failed: 503 from api api/v1.0.2 (production)" out &&
	git release list --component web >out &&
	! grep bad out &&
	test "$(git -C ../remote.git rev-parse refs/deploy/log/production)" = \
		"$(git rev-parse refs/deploy/log/production)" &&
	test "$(git -C ../remote.git rev-parse refs/deploy/marks)" = \
		"$(git rev-parse refs/deploy/marks)"
'

test_expect_success 'the hold is api'"'"'s: web deploys to production, api --latest is held' '
	git release hold --list --json >holds.json &&
	jq -r "[.env, .component, .tag] | @tsv" holds.json >actual &&
	printf "production\tapi\tapi/v1.0.1\n" >expect &&
	test_cmp expect actual &&
	git release hold --list >out &&
	grep "^production  api/v1.0.1 " out &&
	git release deploy web/v1.1.1 -m "web next" >out 2>err &&
	test "$(running production web)" = web/v1.1.1 &&
	test "$(running production api)" = api/v1.0.1 &&
	git for-each-ref refs/deploy >before &&
	test_expect_code 1 git release deploy --latest --component api 2>err &&
	grep "^error: .production. is held at api/v1.0.1" err &&
	grep "^hint: lift the hold with \"git release hold --lift --env production --component api -m <reason>\", or fix forward from what runs there with \"git hotfix start <name> api/v1.0.1 --component api\"\$" err &&
	git for-each-ref refs/deploy >after &&
	test_cmp before after
'

test_expect_success 'hold --lift without --component: usage (129), nothing lifted; with it, api alone' '
	git for-each-ref refs/deploy >before &&
	test_expect_code 129 git release hold --lift -m "fixed" 2>err &&
	grep "component" err &&
	git for-each-ref refs/deploy >after &&
	test_cmp before after &&
	git release hold --lift --component api -m "fixed" >out 2>err &&
	grep "^lifted the hold on production at api/v1.0.1" out &&
	git release hold --list >out &&
	test_must_be_empty out
'

test_expect_success 'web on staging does not verify: web rolled back there alone; production and staging api stay' '
	rm -f "$TRASH_DIRECTORY/hook.log" "$TRASH_DIRECTORY/verify.log" &&
	: >"$TRASH_DIRECTORY/unhealthy-staging-web-1.1.1" &&
	prod=$(git rev-parse refs/deploy/log/production) &&
	git release deploy web/v1.1.1 --env staging -m "web next" --json >deploy.json 2>err;
	test $? = 1 &&
	jq -r "[.outcome, .version, .rollback_to, .env] | @tsv" deploy.json >actual &&
	printf "failed-rolled-back\tweb/v1.1.1\tweb/v1.1.0\tstaging\n" >expect &&
	test_cmp expect actual &&
	test "$(running staging web)" = web/v1.1.0 &&
	test "$(running staging api)" = api/v1.0.1 &&
	test "$(running production web)" = web/v1.1.1 &&
	test "$(running production api)" = api/v1.0.1 &&
	test "$(git rev-parse refs/deploy/log/production)" = "$prod" &&
	entries staging | head -n 3 >actual &&
	cat >expect <<-\EOF &&
	rollback web web/v1.1.0 succeeded
	deploy web web/v1.1.1 failed
	deploy web web/v1.1.0 succeeded
	EOF
	test_cmp expect actual &&
	cat >expect <<-\EOF &&
	staging web deploy web/v1.1.1
	staging web rollback web/v1.1.0 web/v1.1.1
	EOF
	sed "s/ *\$//" "$TRASH_DIRECTORY/hook.log" >actual &&
	test_cmp expect actual &&
	git release hold --list --json >holds.json &&
	jq -r "[.env, .component, .tag] | @tsv" holds.json >actual &&
	printf "staging\tweb\tweb/v1.1.0\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'history per component: each shows its own deploys and rollback' '
	git release history --no-fetch --env staging --component web --json >h.json &&
	jq -r "select(.kind != \"verify\") | [.kind, .tag, .status] | @tsv" h.json | head -n 2 >actual &&
	printf "rollback\tweb/v1.1.0\tsucceeded\ndeploy\tweb/v1.1.1\tfailed\n" >expect &&
	test_cmp expect actual &&
	git release history --no-fetch --env staging --component api --json >h.json &&
	! grep "web/" h.json &&
	jq -r ".tag" h.json | sort -u >actual &&
	printf "%s\n" api/v1.0.0 api/v1.0.1 >expect &&
	test_cmp expect actual
'

test_done
