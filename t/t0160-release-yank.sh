#!/bin/sh

test_description='git release yank: marking releases bad, and lifting the mark'

. ./test-lib.sh

test_expect_success 'setup' '
	git init -q repo &&
	cd repo &&
	printf "%s\n" err out expect actual >.git/info/exclude &&
	test_commit one &&
	git tag -a -m "Release v1.0.0" v1.0.0 &&
	test_commit two &&
	git tag -a -m "Release v1.1.0" v1.1.0 &&
	git tag v1.2.0
'

test_expect_success 'yank marks a release bad: a file named after the tag, the reason inside' '
	test_tick &&
	git release yank v1.1.0 -m "drops orders over 100 items" >out &&
	git ls-tree -r --name-only refs/deploy/marks >actual &&
	echo v1.1.0 >expect &&
	test_cmp expect actual &&
	git cat-file -p refs/deploy/marks:v1.1.0 >actual &&
	echo "Reason: drops orders over 100 items" >expect &&
	test_cmp expect actual
'

test_expect_success 'the marks commit says what changed, by whom' '
	git log -1 --format="%s%n%b%an <%ae> %ct" refs/deploy/marks >actual &&
	cat >expect <<-EOF &&
	mark v1.1.0 bad
	Tag: v1.1.0
	Reason: drops orders over 100 items
	C O Mitter <committer@example.com> $test_tick
	EOF
	test_cmp expect actual
'

test_expect_success 'yank prints the mark and the undo line; the reflog names it' '
	cat >expect <<-EOF &&
	marked v1.1.0 bad: drops orders over 100 items
	undo: git release yank --undo v1.1.0 -m '"'drops orders over 100 items'"'
	EOF
	test_cmp expect out &&
	git reflog show --format=%gs refs/deploy/marks >actual &&
	echo "yank: v1.1.0" >expect &&
	test_cmp expect actual
'

test_expect_success 'a second mark adds to the tree; the first stays' '
	test_tick &&
	git release yank 1.2.0 -m "bad build" &&
	git ls-tree -r --name-only refs/deploy/marks >actual &&
	printf "v1.1.0\nv1.2.0\n" >expect &&
	test_cmp expect actual &&
	git rev-parse --verify -q refs/deploy/marks^ >/dev/null
'

test_expect_success 'the same mark again changes nothing' '
	save_state &&
	git release yank v1.2.0 -m "bad build" >out &&
	test_state_unchanged &&
	echo "v1.2.0 is already marked bad: bad build" >expect &&
	test_cmp expect out
'

test_expect_success 'a new reason is added beside the old; the undo lifts it alone' '
	test_tick &&
	git release yank v1.2.0 -m "bad build; see INC-7" >out &&
	git cat-file -p refs/deploy/marks:v1.2.0 >actual &&
	printf "Reason: bad build\n\nReason: bad build; see INC-7\n" >expect &&
	test_cmp expect actual &&
	grep "^undo: git release yank --undo v1.2.0 -m '\''bad build; see INC-7'\''\$" out
'

test_expect_success 'yank without a reason is a usage error (129), nothing changes' '
	save_state &&
	test_expect_code 129 git release yank v1.0.0 2>err &&
	grep "^error: a reason is required: -m <reason>" err &&
	grep "^usage: git release yank" err &&
	test_expect_code 129 git release yank v1.0.0 -m "" 2>err &&
	test_state_unchanged
'

test_expect_success 'no tag, two tags, an unknown option: usage (129)' '
	save_state &&
	test_expect_code 129 git release yank -m x 2>err &&
	test_expect_code 129 git release yank v1.0.0 v1.1.0 -m x 2>err &&
	test_expect_code 129 git release yank --bogus v1.0.0 -m x 2>err &&
	test_state_unchanged
'

test_expect_success 'an unknown release is fatal (128), nothing changes' '
	save_state &&
	test_expect_code 128 git release yank v9.9.9 -m x 2>err &&
	grep "^fatal: release .v9.9.9. not found" err &&
	test_expect_code 128 git release yank --undo nonsense 2>err &&
	grep "^fatal: .nonsense. is not a valid version" err &&
	test_state_unchanged
'

test_expect_success '--dry-run prints the plan and changes nothing' '
	save_state &&
	git release yank v1.0.0 -m "maybe" --dry-run >out &&
	git release yank --undo v1.1.0 --dry-run >>out &&
	test_state_unchanged &&
	cat >expect <<-EOF &&
	checked v1.0.0 is not yet marked bad with that reason
	would mark v1.0.0 bad: maybe
	would update refs/deploy/marks
	undo: git release yank --undo v1.0.0 -m maybe
	checked v1.1.0 has 1 mark to lift
	would lift the bad mark on v1.1.0: drops orders over 100 items
	would update refs/deploy/marks
	undo: git release yank v1.1.0 -m '\''drops orders over 100 items'\''
	EOF
	test_cmp expect out
'

test_expect_success 'a marked release cannot be deployed; --force can, the mark stays' '
	save_state &&
	test_expect_code 1 git release deploy v1.1.0 2>err &&
	test_state_unchanged &&
	grep "is marked bad: drops orders" err &&
	git release deploy v1.1.0 --force --env staging --new-env &&
	git cat-file -e refs/deploy/marks:v1.1.0
'

test_expect_success '--undo lifts the mark with its own commit and reflog entry' '
	test_tick &&
	git release yank --undo v1.1.0 >out &&
	git ls-tree -r --name-only refs/deploy/marks >actual &&
	echo v1.2.0 >expect &&
	test_cmp expect actual &&
	git log -1 --format=%s refs/deploy/marks >actual &&
	echo "unmark v1.1.0" >expect &&
	test_cmp expect actual &&
	git reflog show -1 --format=%gs refs/deploy/marks >actual &&
	echo "yank --undo: v1.1.0" >expect &&
	test_cmp expect actual &&
	cat >expect <<-EOF &&
	lifted the bad mark on v1.1.0: drops orders over 100 items
	undo: git release yank v1.1.0 -m '\''drops orders over 100 items'\''
	EOF
	test_cmp expect out
'

test_expect_success 'after --undo the release deploys again' '
	git release deploy v1.1.0 &&
	git log -1 --format=%s refs/deploy/log/production >actual &&
	echo "deploy v1.1.0 to production" >expect &&
	test_cmp expect actual
'

test_expect_success '--undo of a release not marked is refused (1), nothing changes' '
	save_state &&
	test_expect_code 1 git release yank --undo v1.0.0 2>err &&
	test_state_unchanged &&
	grep "^error: release .v1.0.0. is not marked bad\$" err
'

test_expect_success 'the history of marks is plain git log' '
	git log --format=%s refs/deploy/marks >actual &&
	cat >expect <<-EOF &&
	unmark v1.1.0
	mark v1.2.0 bad
	mark v1.2.0 bad
	mark v1.1.0 bad
	EOF
	test_cmp expect actual
'

test_expect_success 'a prefixed tag is a nested path in the marks tree' '
	git tag -a -m api api/v2.0.0 &&
	git -c release.tagPrefix=api/v release yank 2.0.0 -m "api broke" &&
	git cat-file -p refs/deploy/marks:api/v2.0.0 >actual &&
	echo "Reason: api broke" >expect &&
	test_cmp expect actual &&
	test_expect_code 1 git -c release.tagPrefix=api/v release deploy api/v2.0.0 2>err &&
	grep "release .api/v2.0.0. is marked bad: api broke" err
'

test_expect_success 'a multi-line reason is kept whole' '
	git release yank v1.0.0 -m "$(printf "line one\nline two")" &&
	printf "Reason: line one\n line two\n" >expect &&
	git cat-file -p refs/deploy/marks:v1.0.0 >actual &&
	test_cmp expect actual
'

test_expect_success '--push without the remote is refused (1), nothing changes' '
	save_state &&
	test_expect_code 1 git release yank v1.1.0 -m x --push 2>err &&
	test_state_unchanged &&
	grep "^error: cannot push: remote .origin. does not exist" err
'

test_expect_success 'a held lock refuses the yank (1), nothing changes' '
	hold_lock "git rollback --reset -m down" &&
	test_when_finished release_lock &&
	save_state &&
	test_expect_code 1 git release yank v1.1.0 -m x 2>err &&
	test_state_unchanged &&
	grep "another git release, rollback or hotfix is running in this repository: git rollback --reset -m down\$" err
'

test_expect_success 'git fsck is clean' '
	git fsck --strict 2>err &&
	test_must_be_empty err
'

test_done
