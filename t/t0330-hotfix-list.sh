#!/bin/sh

test_description='git hotfix list: open hotfixes, base, commits ahead, version'

. ./test-lib.sh

release () {
	test_commit "release $1" "rel.t" "$1" &&
	git tag -a -m "Release v$1" "v$1"
}

test_expect_success 'setup' '
	git init -q repo &&
	cd repo &&
	printf "%s\n" err out expect actual >.git/info/exclude &&
	release 1.2.2 &&
	release 1.2.3 &&
	release 1.3.0 &&
	git hotfix start b-second v1.2.2 &&
	test_commit "fix: one" one.t &&
	test_commit "fix: two" two.t &&
	git switch -q main &&
	git hotfix start a-first v1.3.0 &&
	git switch -q main
'

test_expect_success 'nothing open: no output' '
	git init -q ../none && (cd ../none && test_commit x &&
	git hotfix list >out && test_must_be_empty out)
'

test_expect_success 'list: one hotfix a line, sorted, with base, ahead, version' '
	git hotfix list >actual &&
	cat >expect <<-\EOF &&
	hotfix/a-first           base v1.3.0          0 ahead  finish: v1.3.1
	hotfix/b-second          base v1.2.2          2 ahead  finish: v1.2.4
	EOF
	test_cmp expect actual
'

test_expect_success 'list --json: one object a line' '
	git hotfix list --json >actual &&
	cat >expect <<-EOF &&
	{"schema":1,"branch":"hotfix/a-first","name":"a-first","component":null,"base":"v1.3.0","base_commit":"$(git rev-parse v1.3.0^{commit})","tip":"$(git rev-parse hotfix/a-first)","ahead":0,"tag":"v1.3.1","version":"1.3.1"}
	{"schema":1,"branch":"hotfix/b-second","name":"b-second","component":null,"base":"v1.2.2","base_commit":"$(git rev-parse v1.2.2^{commit})","tip":"$(git rev-parse hotfix/b-second)","ahead":2,"tag":"v1.2.4","version":"1.2.4"}
	EOF
	test_cmp expect actual
'

test_expect_success 'a branch without a recorded base is listed with what is known' '
	git branch hotfix/c-manual v1.2.3 &&
	git hotfix list >actual 2>err &&
	test_must_be_empty err &&
	grep "^hotfix/c-manual          base ?               0 ahead  finish: ?\$" actual &&
	git hotfix list --json >actual &&
	grep "^{\"schema\":1,\"branch\":\"hotfix/c-manual\",\"name\":\"c-manual\",\"component\":null,\"base\":null,\"base_commit\":null,\"tip\":null,\"ahead\":0,\"tag\":null,\"version\":null}\$" actual &&
	git branch -D hotfix/c-manual >/dev/null
'

test_expect_success 'list says nothing on stderr about a base that is gone' '
	git hotfix start gone v1.2.3 &&
	git switch -q main &&
	git config branch.hotfix/gone.hotfixBase v9.9.9 &&
	git hotfix list >actual 2>err &&
	test_must_be_empty err &&
	grep "^hotfix/gone  *base v9.9.9  *0 ahead  finish: ?\$" actual &&
	git hotfix list --json >actual 2>err &&
	test_must_be_empty err &&
	grep "^{\"schema\":1,\"branch\":\"hotfix/gone\",\"name\":\"gone\",\"component\":null,\"base\":\"v9.9.9\",\"base_commit\":null,\"tip\":null,\"ahead\":0,\"tag\":null,\"version\":null}\$" actual &&
	git branch -D hotfix/gone >/dev/null
'

test_expect_success 'list follows hotfix.branchPrefix' '
	git -c hotfix.branchPrefix=fix/ hotfix start other v1.2.3 &&
	git switch -q main &&
	git -c hotfix.branchPrefix=fix/ hotfix list >actual &&
	grep "^fix/other " actual &&
	! grep "hotfix/" actual
'

test_expect_success 'list changes nothing' '
	save_state &&
	git hotfix list >out &&
	git hotfix list --json >out &&
	test_state_unchanged
'

test_expect_success 'list takes no arguments (129)' '
	test_expect_code 129 git hotfix list extra 2>err &&
	test_expect_code 129 git hotfix list --bogus 2>err
'

test_done
