#!/bin/sh

test_description='a malformed deployment log on the remote is refused, the local copy kept

A tree, a blob or a commit that is no log entry pushed over the
remote'"'"'s refs/deploy/log/<env> or refs/deploy/marks must not become any
clone'"'"'s record: the fetch warns naming the ref, the local copy stays,
reading commands and --deploy-only rollbacks go on from it.'

. ./test-lib.sh

test_expect_success 'setup: a remote, a deployer, a colleague who has the log' '
	git init -q --bare remote.git &&
	git clone -q remote.git a 2>/dev/null &&
	(cd a &&
	 git config deploy.production.command true &&
	 test_commit one &&
	 git tag -a -m "Release v1.0.0" v1.0.0 &&
	 test_commit two &&
	 git tag -a -m "Release v1.1.0" v1.1.0 &&
	 git push -q origin main v1.0.0 v1.1.0 &&
	 git release deploy v1.0.0 -m first --push -q &&
	 git release yank v1.0.0 -m "not really" -q &&
	 git release yank --undo v1.0.0 --push -q &&
	 git release deploy v1.1.0 -m second --push -q) &&
	git clone -q remote.git b &&
	git -C b config deploy.production.command true &&
	(cd b && git release current >out) &&
	echo v1.1.0 >expect &&
	test_cmp expect b/out
'

test_expect_success 'garbage is pushed over the remote log: a blob and a tree' '
	blob=$(echo junk | git -C remote.git hash-object -w --stdin) &&
	tree=$(git -C remote.git write-tree 2>/dev/null || git -C remote.git mktree </dev/null) &&
	git -C remote.git update-ref refs/deploy/log/production $blob &&
	git -C remote.git update-ref refs/deploy/marks $tree
'

test_expect_success 'a clone with the log reads its local copy, warned which ref is bad' '
	git -C b rev-parse refs/deploy/log/production >before &&
	(cd b && git release current >out 2>err) &&
	echo v1.1.0 >expect &&
	test_cmp expect b/out &&
	grep "^warning: the deployment log .refs/deploy/log/production. on .origin. is malformed (a blob, not a commit); keeping the local copy" b/err &&
	grep "^warning: the deployment log .refs/deploy/marks. on .origin. is malformed (a tree, not a commit)" b/err &&
	! grep "^fatal:" b/err &&
	git -C b rev-parse refs/deploy/log/production >after &&
	test_cmp before after
'

test_expect_success '--deploy-only rollback still works from the local record' '
	(cd b && git rollback --deploy-only -m "broken" --no-hook >out 2>err) &&
	git -C b log -1 --format=%B refs/deploy/log/production~1 >entry &&
	grep "^Kind: rollback\$" entry &&
	grep "^Version: v1.0.0\$" entry &&
	git -C b log -1 --format=%B refs/deploy/log/production >entry &&
	grep "^Kind: hold\$" entry &&
	(cd b && git release current --no-fetch >out) &&
	echo v1.0.0 >expect &&
	test_cmp expect b/out
'

test_expect_success 'a fresh clone takes no garbage as its record' '
	git clone -q remote.git c &&
	(cd c && test_might_fail git release current >out 2>err) &&
	grep "malformed (a blob, not a commit)" c/err &&
	! grep "^fatal:" c/err &&
	test_must_fail git -C c rev-parse -q --verify refs/deploy/log/production &&
	test_must_fail git -C c rev-parse -q --verify refs/deploy/marks
'

test_expect_success 'a commit that is no log entry on top of the log is refused too' '
	git -C remote.git update-ref refs/deploy/log/production \
		"$(git -C a rev-parse refs/deploy/log/production)" &&
	junk=$(git -C remote.git commit-tree -p refs/deploy/log/production \
		-m "not an entry" "$(git -C remote.git mktree </dev/null)") &&
	git -C remote.git update-ref refs/deploy/log/production $junk &&
	git -C a rev-parse refs/deploy/log/production >before &&
	(cd a && git release history >out 2>err) &&
	grep "malformed (a commit that is no log entry at $junk)" a/err &&
	git -C a rev-parse refs/deploy/log/production >after &&
	test_cmp before after
'

test_expect_success 'every repository is fsck-clean' '
	for r in a b c remote.git
	do
		git -C $r fsck --strict 2>err &&
		test_must_be_empty err || return 1
	done
'

test_done
