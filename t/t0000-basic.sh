#!/bin/sh

test_description='the test library and the three commands start'

. ./test-lib.sh

test_expect_success 'the commands are built and on PATH' '
	command -v git-release &&
	command -v git-rollback &&
	command -v git-hotfix
'

test_expect_success 'git finds them as subcommands' '
	test_expect_code 129 git release -h >out &&
	grep "^usage: git release cut" out &&
	test_expect_code 129 git rollback -h >out &&
	grep "^usage: git rollback check" out &&
	test_expect_code 129 git hotfix -h >out &&
	grep "^usage: git hotfix start" out
'

test_expect_success '--version names the suite version' '
	git release --version >out &&
	grep "^git-release version [0-9a-z]" out
'

test_expect_success 'an unknown option is a usage error (129)' '
	test_expect_code 129 git release --bogus 2>err &&
	grep "^error: unknown option .bogus" err &&
	grep "^usage: " err
'

test_expect_success 'an unknown subcommand is a usage error (129)' '
	test_expect_code 129 git release frobnicate 2>err &&
	grep "unknown subcommand: .frobnicate" err
'

test_expect_success 'no subcommand prints the usage (129)' '
	test_expect_code 129 git release 2>err &&
	grep "^usage: git release" err
'

test_expect_success 'test_commit and test_tick give fixed dates' '
	git init -q repo &&
	(cd repo && test_commit "feat: first" &&
	 git log -1 --format="%an %cn %ct" >../actual) &&
	echo "A U Thor C O Mitter 1112911993" >expect &&
	test_cmp expect actual
'

test_expect_success 'repo_state catches a moved ref' '
	(cd repo && save_state && test_commit second &&
	 test_must_fail test_state_unchanged)
'

test_done
