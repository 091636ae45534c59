#!/bin/sh

test_description='git release notes: the commits between two releases'

. ./test-lib.sh

# the line notes prints for a commit
line () {
	echo "- $(git log -1 --format=%s "$1") ($(git rev-parse --short "$1"))"
}

test_expect_success 'setup' '
	git init -q repo &&
	cd repo &&
	printf "%s\n" out err expect actual >.git/info/exclude &&
	test_commit "initial" && git tag c1 &&
	git release cut 1.0.0 >/dev/null &&
	test_commit "fix: one" && git tag c2 &&
	test_commit "feat: two" && git tag c3 &&
	git release cut 1.1.0 >/dev/null &&
	test_commit "fix: three" && git tag c4 &&
	git release cut 1.1.1-rc.1 >/dev/null &&
	git checkout -q -b topic &&
	test_commit "fix: on topic" && git tag c5 &&
	git checkout -q main &&
	test_commit "fix: four" && git tag c6 &&
	test_tick &&
	git merge -q --no-ff -m "Merge topic" topic &&
	git release cut 1.1.1 >/dev/null
'

test_expect_success 'no range: from the previous stable release to the latest' '
	git release notes >actual &&
	{
		line c6 && line c5 && line c4
	} >expect &&
	sort expect >expect.sorted && sort actual >actual.sorted &&
	test_cmp expect.sorted actual.sorted &&
	! grep "Merge topic" actual
'

test_expect_success 'newest first, one line each' '
	git release notes v1.0.0..v1.1.0 >actual &&
	{ line c3 && line c2; } >expect &&
	test_cmp expect actual
'

test_expect_success 'versions without the prefix' '
	git release notes 1.0.0..1.1.0 >actual &&
	test_cmp expect actual
'

test_expect_success 'one release: since the stable release before it' '
	git release notes 1.1.0 >actual &&
	test_cmp expect actual
'

test_expect_success '<from>.. runs to the latest release' '
	git release notes v1.1.1-rc.1.. >actual &&
	{ line c6 && line c5; } >expect &&
	sort expect >expect.sorted && sort actual >actual.sorted &&
	test_cmp expect.sorted actual.sorted
'

test_expect_success '..<to> starts at the stable release before it' '
	git release notes ..v1.1.0 >actual &&
	{ line c3 && line c2; } >expect &&
	test_cmp expect actual
'

test_expect_success 'the first release: all its history' '
	git release notes v1.0.0 >actual &&
	line c1 >expect &&
	test_cmp expect actual
'

test_expect_success 'a range in the wrong order is empty' '
	git release notes v1.1.0..v1.0.0 >actual &&
	test_must_be_empty actual
'

test_expect_success 'an unknown release is fatal (128)' '
	test_expect_code 128 git release notes v1.0.0..v9.9.9 2>err &&
	grep "^fatal: release .v9.9.9. not found" err &&
	test_expect_code 128 git release notes v8.0.0 2>err &&
	grep "^fatal: release .v8.0.0. not found" err
'

test_expect_success 'a malformed version is fatal (128)' '
	test_expect_code 128 git release notes v1..v2 2>err &&
	grep "^fatal: .v1. is not a valid version" err &&
	test_expect_code 128 git release notes main 2>err
'

test_expect_success 'notes changes nothing' '
	save_state &&
	git release notes >/dev/null &&
	git release notes v1.0.0..v1.1.1 >/dev/null &&
	test_state_unchanged
'

# git_log <range>: what git log lists, in the notes' form
git_log () {
	git log --no-merges --format="- %s (%h)" "$1"
}

test_expect_success 'the order git log gives, merges included' '
	git release notes v1.0.0..v1.1.1 >actual &&
	git_log v1.0.0..v1.1.1 >expect &&
	test_cmp expect actual
'

# same <file> <subject>: a commit in the one second a rebase gives them all
same () {
	echo "$2" >"$1" && git add "$1" &&
	GIT_COMMITTER_DATE="1112999999 +0000" git commit -q -m "$2"
}

test_expect_success 'commits of one committer second (a rebase) in git log order' '
	git checkout -q -b same v1.1.1 &&
	git checkout -q -b same-topic &&
	same topic.t "fix: topic 1" && same topic.t "fix: topic 2" &&
	git checkout -q same &&
	for i in 1 2 3 4 5 6
	do
		same same.t "fix: same $i" || return 1
	done &&
	GIT_COMMITTER_DATE="1112999999 +0000" git merge -q --no-ff -m "Merge" same-topic &&
	git tag -a -m "Release v1.2.0" v1.2.0 &&
	git release notes v1.1.1..v1.2.0 >actual &&
	git_log v1.1.1..v1.2.0 >expect &&
	test_cmp expect actual &&
	head -n 1 actual >first &&
	grep "fix: same 6" first
'

test_expect_success 'the annotation lists them in the same order' '
	git checkout -q same-topic &&
	same topic.t "fix: topic 3" &&
	git checkout -q same &&
	same same.t "fix: same 7" && same same.t "fix: same 8" &&
	GIT_COMMITTER_DATE="1112999999 +0000" git merge -q --no-ff -m "Merge 2" same-topic &&
	git release cut 1.2.1 >/dev/null &&
	git cat-file tag v1.2.1 | sed -n "/^- /p" >actual &&
	git_log v1.2.0..v1.2.1 >expect &&
	test_cmp expect actual &&
	git checkout -q main
'

test_expect_success 'a monorepo prefix' '
	git tag api/v0.1.0 c1 &&
	git tag api/v0.2.0 c3 &&
	git -c release.tagPrefix=api/v release notes >actual &&
	{ line c3 && line c2; } >expect &&
	test_cmp expect actual
'

test_expect_success 'no release yet: refused (1)' '
	git init -q ../fresh &&
	(cd ../fresh && test_commit x &&
	 test_expect_code 1 git release notes 2>err &&
	 grep "^error: there is no release yet" err)
'

test_expect_success 'usage errors (129)' '
	test_expect_code 129 git release notes a..b c..d 2>err &&
	grep "too many arguments" err &&
	test_expect_code 129 git release notes --bogus 2>err &&
	test_expect_code 129 git release notes -h >out &&
	grep "^usage: git release notes \[<from>..<to>\]" out
'

test_done
