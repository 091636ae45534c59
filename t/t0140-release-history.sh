#!/bin/sh

test_description='git release history: every deployment, newest first'

. ./test-lib.sh

# "HH:MM" of the fake clock
hm () {
	date -u -d @$test_tick +%H:%M
}

test_expect_success 'setup' '
	git init -q repo &&
	cd repo &&
	printf "%s\n" err out expect actual msg >.git/info/exclude &&
	test_commit one &&
	git tag -a -m "Release v1.0.0" v1.0.0 &&
	test_commit two &&
	git tag -a -m "Release v1.1.0" v1.1.0 &&
	test_commit three &&
	git tag -a -m "Release v1.10.0" v1.10.0
'

test_expect_success 'no deployment yet: nothing, exit 0' '
	git release history >out &&
	test_must_be_empty out
'

test_expect_success 'setup: deployments to three environments' '
	test_tick && git release deploy v1.0.0 -m "first" && t1=$(hm) &&
	test_tick && git release deploy v1.1.0 --env staging --new-env &&
	t2=$(hm) &&
	test_tick && git release deploy v1.10.0 -m "big one" && t3=$(hm) &&
	test_tick &&
	git release deploy v1.10.0 --env qa --new-env -m "$(printf "two\nlines")" &&
	t4=$(hm) &&
	echo "$t1 $t2 $t3 $t4" >../times
'

test_expect_success 'every environment, newest first, aligned' '
	read t1 t2 t3 t4 <../times &&
	git release history >out &&
	cat >expect <<-EOF &&
	2005-04-07 $t4 UTC  qa          deploy    v1.10.0  C O Mitter <committer@example.com>  two ...
	2005-04-07 $t3 UTC  production  deploy    v1.10.0  C O Mitter <committer@example.com>  big one
	2005-04-07 $t2 UTC  staging     deploy    v1.1.0   C O Mitter <committer@example.com>
	2005-04-07 $t1 UTC  production  deploy    v1.0.0   C O Mitter <committer@example.com>  first
	EOF
	test_cmp expect out
'

test_expect_success '--env shows one environment' '
	git release history --env production >out &&
	test $(wc -l <out) = 2 &&
	grep "production  deploy    v1.10.0 " out &&
	! grep "staging" out
'

test_expect_success '-n limits the count across environments' '
	git release history -n 2 >out &&
	test $(wc -l <out) = 2 &&
	head -n 1 out | grep " qa " &&
	tail -n 1 out | grep " production " &&
	git release history -n 1 --env production >out &&
	grep "v1.10.0" out &&
	test $(wc -l <out) = 1
'

test_expect_success '-n 0 shows everything' '
	git release history -n 0 >out &&
	test $(wc -l <out) = 4
'

test_expect_success '--json: one object a line with every field' '
	git release history --env production --json >out &&
	cat >expect <<-EOF &&
	{"schema":1,"env":"production","component":null,"time":"$(git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ refs/deploy/log/production)","kind":"deploy","tag":"v1.10.0","version":"1.10.0","commit":"$(git rev-parse v1.10.0^{commit})","operator":"C O Mitter <committer@example.com>","reason":"big one","from":null,"to":null,"strategy":null,"status":"succeeded","verify":null,"verify_output":null,"verify_attempts":0,"verify_ms":0,"trigger":null,"entry":"$(git rev-parse refs/deploy/log/production)"}
	{"schema":1,"env":"production","component":null,"time":"$(git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ refs/deploy/log/production^)","kind":"deploy","tag":"v1.0.0","version":"1.0.0","commit":"$(git rev-parse v1.0.0^{commit})","operator":"C O Mitter <committer@example.com>","reason":"first","from":null,"to":null,"strategy":null,"status":"succeeded","verify":null,"verify_output":null,"verify_attempts":0,"verify_ms":0,"trigger":null,"entry":"$(git rev-parse refs/deploy/log/production^)"}
	EOF
	test_cmp expect out
'

test_expect_success '--json keeps a multi-line reason whole' '
	git release history --env qa --json >out &&
	grep "\"reason\":\"two\\\\nlines\"" out
'

test_expect_success 'a rollback shows from, strategy and reason' '
	cat >msg <<-EOF &&
	rollback production from v1.10.0 to v1.1.0

	Version: v1.1.0
	Commit: $(git rev-parse v1.1.0^{commit})
	Environment: production
	Kind: rollback
	Time: 2005-04-08T10:00:00Z
	Operator: Jane Ops <jane@example.com>
	Reason: checkout 500s
	From: v1.10.0
	To: v1.1.0
	Strategy: branch
	EOF
	id=$(git commit-tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904 \
		-p refs/deploy/log/production <msg) &&
	git update-ref refs/deploy/log/production $id &&
	git release history -n 1 >out &&
	echo "2005-04-08 10:00 UTC  production  rollback  v1.1.0  Jane Ops <jane@example.com>  from v1.10.0 (branch)  checkout 500s" >expect &&
	test_cmp expect out &&
	git release history -n 1 --json >out &&
	grep "\"kind\":\"rollback\",\"tag\":\"v1.1.0\",\"version\":\"1.1.0\"" out &&
	grep "\"from\":\"v1.10.0\",\"to\":\"v1.1.0\",\"strategy\":\"branch\"" out
'

test_expect_success 'redeploys are listed each time' '
	test_tick && git release deploy v1.1.0 --env staging &&
	test_tick && git release deploy v1.1.0 --env staging &&
	git release history --env staging >out &&
	test $(grep -c "^2005-04-07 ..:.. UTC  staging  deploy    v1.1.0  C O Mitter" out) = 3
'

test_expect_success 'reading history changes nothing' '
	save_state &&
	git release history >out &&
	git release history --json >out &&
	test_state_unchanged
'

test_expect_success 'an environment declared but never deployed: nothing, exit 0' '
	git -c deploy.nowhere.command=true release history --env nowhere >out &&
	test_must_be_empty out
'

test_expect_success 'an unknown environment is fatal (128), with the known ones' '
	test_expect_code 128 git release history --env stagin >out 2>err &&
	test_must_be_empty out &&
	grep "^fatal: unknown environment .stagin.\$" err &&
	grep "^hint: did you mean .staging.?\$" err &&
	grep "^hint: known environments: production, qa, staging\$" err
'

test_expect_success 'a bad environment name is fatal (128)' '
	test_expect_code 128 git release history --env "../x" 2>err &&
	grep "^fatal: .\.\./x. is not a valid environment name" err
'

test_expect_success 'arguments and bad counts are usage errors (129)' '
	test_expect_code 129 git release history production 2>err &&
	grep "too many arguments" err &&
	test_expect_code 129 git release history -n many 2>err &&
	test_expect_code 129 git release history -h >out &&
	grep "^usage: git release history \[--env <env>\] \[--component <name>\] \[-n <count>\] \[--json | --format=cdevents\] \[--no-fetch\]\$" out
'

test_done
