#!/bin/sh

test_description='git release current: the running version of an environment'

. ./test-lib.sh

# write a log entry by hand, as another tool reading the documented
# format would: <env> <message file>
write_entry () {
	_parent=$(git rev-parse -q --verify "refs/deploy/log/$1") &&
	_id=$(git commit-tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904 \
		${_parent:+-p $_parent} <"$2") &&
	git update-ref "refs/deploy/log/$1" $_id
}

test_expect_success 'setup' '
	git init -q repo &&
	cd repo &&
	printf "%s\n" err out expect actual msg list.expect list.actual >.git/info/exclude &&
	git hash-object -w -t tree /dev/null &&
	test_commit one &&
	git tag -a -m "Release v1.0.0" v1.0.0 &&
	test_commit two &&
	git tag -a -m "Release v1.1.0" v1.1.0 &&
	test_commit three &&
	git tag -a -m "Release v1.2.0-rc.1" v1.2.0-rc.1 &&
	git branch production v1.0.0
'

test_expect_success 'nothing deployed: the newest stable release on the production branch' '
	git release current >out &&
	echo v1.0.0 >expect &&
	test_cmp expect out
'

test_expect_success 'reading changes nothing' '
	save_state &&
	git release current >out &&
	git release current --json >out &&
	test_state_unchanged
'

# git's graph (generation data and all) is skipped unread by libgit2 1.5;
# an older graph of known chunks is libgit2's: both answer the same
test_expect_success 'a commit-graph of either kind: the same answers' '
	test_when_finished "rm -f .git/objects/info/commit-graph" &&
	git release list >list.expect &&
	git commit-graph write --reachable &&
	test_path_is_file .git/objects/info/commit-graph &&
	git release current >out &&
	echo v1.0.0 >expect &&
	test_cmp expect out &&
	git release list >list.actual &&
	test_cmp list.expect list.actual &&
	git -c commitGraph.generationVersion=1 commit-graph write --reachable &&
	git release current >out &&
	test_cmp expect out &&
	git release list >list.actual &&
	test_cmp list.expect list.actual &&
	git fsck 2>err >/dev/null && test_must_be_empty err
'

test_expect_success 'rollback.branch names the production branch' '
	git branch live v1.1.0 &&
	git -c rollback.branch=live release current >out &&
	echo v1.1.0 >expect &&
	test_cmp expect out
'

test_expect_success 'no local production branch: <remote>/<branch>' '
	git branch -D production &&
	git update-ref refs/remotes/origin/production v1.0.0 &&
	git release current >out &&
	echo v1.0.0 >expect &&
	test_cmp expect out &&
	git -c release.remote=upstream release current >out &&
	echo v1.1.0 >expect &&
	test_cmp expect out &&
	git update-ref -d refs/remotes/origin/production
'

test_expect_success 'no production branch at all: the release branch; pre-releases skipped' '
	git release current >out &&
	echo v1.1.0 >expect &&
	test_cmp expect out
'

test_expect_success 'release.branch names the release branch' '
	git branch old v1.0.0 &&
	git -c release.branch=old release current >out &&
	echo v1.0.0 >expect &&
	test_cmp expect out
'

test_expect_success 'an environment with deploy.<env>.branch falls back to that branch' '
	git -c deploy.staging.branch=old release current --env staging >out &&
	echo v1.0.0 >expect &&
	test_cmp expect out
'

test_expect_success 'an environment without a branch has no fallback (1)' '
	test_expect_code 1 git -c deploy.staging.command=true \
		release current --env staging >out 2>err &&
	test_must_be_empty out &&
	grep "^error: nothing is known to run on .staging." err
'

test_expect_success 'the fallback never yields a release marked bad' '
	git release yank v1.1.0 -m broken >/dev/null &&
	git release current >out &&
	echo v1.0.0 >expect &&
	test_cmp expect out &&
	git release yank --undo v1.1.0 >/dev/null &&
	git release current >out &&
	echo v1.1.0 >expect &&
	test_cmp expect out
'

test_expect_success '--json says where the answer came from' '
	git release current --json >out &&
	cat >expect <<-EOF &&
	{"schema":1,"env":"production","component":null,"tag":"v1.1.0","version":"1.1.0","commit":"$(git rev-parse v1.1.0^{commit})","source":"branch","kind":null,"time":null,"operator":null}
	EOF
	test_cmp expect out
'

test_expect_success 'the newest log entry wins over the branch' '
	test_tick &&
	git release deploy v1.2.0-rc.1 &&
	git release current >out &&
	echo v1.2.0-rc.1 >expect &&
	test_cmp expect out
'

test_expect_success 'each environment has its own answer' '
	test_tick &&
	git release deploy v1.0.0 --env staging --new-env &&
	git release current --env staging >out &&
	echo v1.0.0 >expect &&
	test_cmp expect out &&
	git release current --env production >out &&
	echo v1.2.0-rc.1 >expect &&
	test_cmp expect out
'

test_expect_success '--json from the log carries the entry' '
	git release current --json --env staging >out &&
	cat >expect <<-EOF &&
	{"schema":1,"env":"staging","component":null,"tag":"v1.0.0","version":"1.0.0","commit":"$(git rev-parse v1.0.0^{commit})","source":"log","kind":"deploy","time":"$(date -u -d @$test_tick +%Y-%m-%dT%H:%M:%SZ)","operator":"C O Mitter <committer@example.com>"}
	EOF
	test_cmp expect out
'

test_expect_success 'an entry written by another tool (a rollback) is read' '
	cat >msg <<-EOF &&
	rollback production from v1.2.0-rc.1 to v1.1.0

	Version: v1.1.0
	Commit: $(git rev-parse v1.1.0^{commit})
	Environment: production
	Kind: rollback
	Time: 2024-01-15T14:30:00Z
	Operator: Some Tool <tool@example.com>
	Reason: rc broke checkout
	From: v1.2.0-rc.1
	To: v1.1.0
	Strategy: deploy-only
	EOF
	write_entry production msg &&
	git release current >out &&
	echo v1.1.0 >expect &&
	test_cmp expect out &&
	git release current --json >out &&
	grep "\"kind\":\"rollback\"" out &&
	grep "\"operator\":\"Some Tool <tool@example.com>\"" out
'

test_expect_success 'a malformed newest entry is skipped with a warning' '
	echo "not an entry" >msg &&
	write_entry production msg &&
	git release current >out 2>err &&
	echo v1.1.0 >expect &&
	test_cmp expect out &&
	grep "^warning: skipping malformed deployment log entry [0-9a-f]* in .refs/deploy/log/production." err
'

test_expect_success 'a log naming a tag that is gone is fatal (128)' '
	git tag -a -m gone v0.9.0 v1.0.0 &&
	test_tick &&
	git release deploy v0.9.0 --env qa --new-env &&
	git tag -d v0.9.0 &&
	test_expect_code 128 git release current --env qa 2>err &&
	grep "^fatal: .v0.9.0. is running on .qa. by the deployment log, but there is no such tag" err
'

test_expect_success 'nothing deployed and no release reachable: error (1)' '
	git init -q ../empty &&
	(cd ../empty && test_commit a &&
	 test_expect_code 1 git release current 2>../err) &&
	grep "^error: nothing is known to run on .production." ../err &&
	grep "^hint: record a deployment with" ../err
'

test_expect_success 'release.tagPrefix: the prefix names the tags' '
	git tag -a -m api api/v2.0.0 v1.1.0 &&
	git -c release.tagPrefix=api/v -c deploy.fresh.branch=main \
		release current --env fresh >out &&
	echo api/v2.0.0 >expect &&
	test_cmp expect out
'

test_expect_success 'a bad environment name is fatal (128)' '
	test_expect_code 128 git release current --env "a b" 2>err &&
	grep "^fatal: .a b. is not a valid environment name" err
'

test_expect_success 'arguments and unknown options are usage errors (129)' '
	test_expect_code 129 git release current v1.0.0 2>err &&
	grep "too many arguments" err &&
	test_expect_code 129 git release current --bogus 2>err &&
	test_expect_code 129 git release current -h >out &&
	grep "^usage: git release current \[--env <env>\] \[--component <name>\] \[--json\] \[--no-fetch\]\$" out
'

test_expect_success 'the output is the tag alone, for scripts' '
	git release current >out &&
	test $(wc -l <out) = 1 &&
	test "$(cat out)" = v1.1.0
'

test_done
