#!/bin/sh

test_description='git release history --format=cdevents: the log as
CDEvents 0.3.0 service events, one a line'

. ./test-lib.sh

skip_unless_jq

EMPTY_TREE=4b825dc642cb6eb9a060e54bf8d69288fbee4904

# entry <env> <time> <kind> <version> [<Key: value>...]
entry () {
	_env=$1 _t=$2 _kind=$3 _v=$4
	shift 4
	{
		printf "%s\n\n" "$_kind $_v" &&
		echo "Version: $_v" &&
		echo "Commit: $(git rev-parse "$_v^{commit}")" &&
		echo "Environment: $_env" &&
		echo "Kind: $_kind" &&
		echo "Time: $_t" &&
		echo "Operator: Jane Ops <jane@example.com>" &&
		for _kv
		do
			echo "$_kv" || return 1
		done
	} >entry.msg &&
	_parent=$(git rev-parse -q --verify "refs/deploy/log/$_env") ||
	_parent=
	_id=$(git commit-tree $EMPTY_TREE ${_parent:+-p $_parent} <entry.msg) &&
	git update-ref "refs/deploy/log/$_env" "$_id"
}

test_expect_success 'setup: deploys, a rollback, a failed attempt, a component' '
	git init -q --bare shop.git &&
	git clone -q shop.git shop 2>/dev/null &&
	cd shop &&
	printf "%s\n" entry.msg out expect actual err >.git/info/exclude &&
	test_commit one &&
	git tag -a -m "Release v1.0.0" v1.0.0 &&
	test_commit two &&
	git tag -a -m "Release v1.1.0" v1.1.0 &&
	git tag -a -m "Release" "api/v2.0.0+\$(x)" &&
	entry production 2026-10-01T09:00:00Z deploy v1.0.0 "Reason: first" &&
	entry production 2026-10-02T09:00:00Z deploy v1.1.0 "Status: failed" &&
	entry production 2026-10-02T09:30:00Z deploy v1.1.0 &&
	entry production 2026-10-02T10:10:00Z rollback v1.0.0 \
		"Reason: 500s" "From: v1.1.0" "To: v1.0.0" "Strategy: branch" &&
	entry staging 2026-10-03T08:00:00Z deploy "api/v2.0.0+\$(x)" \
		"Component: api"
'

test_expect_success 'a line an event, newest first, failed attempts left out' '
	git release history --format=cdevents --no-fetch >out &&
	test $(wc -l <out) = 4 &&
	jq -r "[.context.timestamp, .context.type, .customData.tag, .customData.version] | @tsv" \
		out >actual &&
	cat >expect <<-\EOF &&
	2026-10-03T08:00:00Z	dev.cdevents.service.deployed.0.1.1	api/v2.0.0+$(x)	
	2026-10-02T10:10:00Z	dev.cdevents.service.rolledback.0.1.1	v1.0.0	1.0.0
	2026-10-02T09:30:00Z	dev.cdevents.service.deployed.0.1.1	v1.1.0	1.1.0
	2026-10-01T09:00:00Z	dev.cdevents.service.deployed.0.1.1	v1.0.0	1.0.0
	EOF
	test_cmp expect actual
'

test_expect_success 'each event has the fields of the 0.3.0 schema, no others' '
	jq -e "
		(keys == [\"context\", \"customData\", \"customDataContentType\", \"subject\"]) and
		(.context | keys == [\"id\", \"source\", \"timestamp\", \"type\", \"version\"]) and
		(.context.version == \"0.3.0\") and
		(.subject | keys == [\"content\", \"id\", \"type\"]) and
		(.subject.type == \"service\") and
		(.subject.content | keys == [\"artifactId\", \"environment\"]) and
		(.subject.content.environment | keys == [\"id\"]) and
		(.customDataContentType == \"application/json\")
	" out >actual &&
	printf "true\ntrue\ntrue\ntrue\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'the rollback event, field by field' '
	git release history --format=cdevents --env production -n 1 >out &&
	entry=$(git rev-parse refs/deploy/log/production) &&
	commit=$(git rev-parse v1.0.0^{commit}) &&
	cat >expect <<-EOF &&
	{"context":{"version":"0.3.0","id":"$entry","source":"/refs/deploy/log/production","type":"dev.cdevents.service.rolledback.0.1.1","timestamp":"2026-10-02T10:10:00Z"},"subject":{"id":"shop","type":"service","content":{"environment":{"id":"production"},"artifactId":"pkg:generic/shop@v1.0.0"}},"customDataContentType":"application/json","customData":{"schema":1,"tag":"v1.0.0","version":"1.0.0","commit":"$commit","component":null,"kind":"rollback","operator":"Jane Ops <jane@example.com>","reason":"500s","from":"v1.1.0","strategy":"branch"}}
	EOF
	test_cmp expect out
'

test_expect_success 'a component names the service; the purl is encoded' '
	git release history --format=cdevents --env staging >out &&
	jq -r ".subject.id, .subject.content.artifactId, .context.source" \
		out >actual &&
	cat >expect <<-\EOF &&
	api
	pkg:generic/api@api%2Fv2.0.0%2B%24%28x%29
	/refs/deploy/log/staging
	EOF
	test_cmp expect actual
'

test_expect_success '--component: the events of that component only' '
	git config release.component.api.tagPrefix api/v &&
	git tag -a -m "Release api/v2.1.0" api/v2.1.0 &&
	entry staging 2026-10-04T08:00:00Z deploy api/v2.1.0 "Component: api" &&
	git release history --format=cdevents --component api --no-fetch >out &&
	jq -r ".subject.id + \" \" + .customData.tag + \" \" + .customData.version" out >actual &&
	# a tag that is no SemVer is no release of the component
	echo "api api/v2.1.0 2.1.0" >expect &&
	test_cmp expect actual &&
	git release history --format=cdevents --no-fetch >out &&
	test $(wc -l <out) = 5 &&
	git config --unset release.component.api.tagPrefix
'

test_expect_success 'without a remote, the service is the top directory name' '
	git remote remove origin &&
	git release history --format=cdevents --env production -n 1 >out &&
	test "$(jq -r .subject.id out)" = shop &&
	git remote add origin "$TRASH_DIRECTORY/elsewhere/app.git/" &&
	git release history --format=cdevents --env production -n 1 \
		--no-fetch >out &&
	test "$(jq -r .subject.id out)" = app
'

test_expect_success 'usage errors (129), nothing written' '
	git for-each-ref >refs.before &&
	test_expect_code 129 git release history --format=yaml 2>err &&
	grep "format takes cdevents, not .yaml." err &&
	test_expect_code 129 git release history --format=cdevents --json 2>err &&
	grep "exclusive" err &&
	git for-each-ref >refs.after &&
	test_cmp refs.before refs.after &&
	rm refs.before refs.after
'

test_done
