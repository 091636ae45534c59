#!/bin/sh

test_description='git release deploy: the log entry, deployed-* tags, marks, refusals'

. ./test-lib.sh

# the message of the newest entry of an environment's log
entry () {
	git log -1 --format=%B "refs/deploy/log/${1:-production}"
}

test_expect_success 'setup' '
	git init -q repo &&
	cd repo &&
	printf "%s\n" err out expect actual "*.rev" msg >.git/info/exclude &&
	test_commit one &&
	git tag -a -m "Release v1.0.0" v1.0.0 &&
	test_commit two &&
	git tag -a -m "Release v1.1.0" v1.1.0 &&
	test_commit three &&
	git tag v1.2.0 &&
	test_commit four &&
	git tag -a -m "Release v2.0.0-rc.1" v2.0.0-rc.1
'

test_expect_success 'deploy records an entry in refs/deploy/log/production' '
	test_tick &&
	git release deploy v1.0.0 -m "first deploy" >out &&
	now=$(date -u -d @$test_tick +%Y-%m-%dT%H:%M:%SZ) &&
	cat >expect <<-EOF &&
	deploy v1.0.0 to production

	Version: v1.0.0
	Commit: $(git rev-parse v1.0.0^{commit})
	Environment: production
	Kind: deploy
	Time: $now
	Operator: C O Mitter <committer@example.com>
	Reason: first deploy

	EOF
	entry >actual &&
	test_cmp expect actual
'

test_expect_success 'the entry is a commit on the empty tree by the committer' '
	git cat-file -p refs/deploy/log/production >actual &&
	grep "^tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\$" actual &&
	! grep "^parent" actual &&
	grep "^committer C O Mitter <committer@example.com> $test_tick +0000\$" actual
'

# before the first entry, main holds v1.2.0: it never ran there for the
# record, so the undo removes the entry rather than deploy v1.2.0
test_expect_success 'deploy prints what it recorded; a first one undoes by removing its entry' '
	id=$(git rev-parse --short=7 refs/deploy/log/production) &&
	cat >expect <<-EOF &&
	deployed v1.0.0 to production (log entry $id)
	created tag deployed-v1.0.0
	the first deployment to production: the undo removes its entry
	undo: git tag -d deployed-v1.0.0 && git update-ref -d refs/deploy/log/production $(git rev-parse refs/deploy/log/production)
	EOF
	test_cmp expect out
'

test_expect_success 'the undo line of a first deploy works' '
	git clone -q . ../undo-first &&
	(cd ../undo-first &&
	 git release deploy v1.1.0 --env qa --new-env --no-hook >out &&
	 sed -n "s/^undo: //p" out >undo &&
	 test_line_count = 1 undo &&
	 sh undo &&
	 test_must_fail git rev-parse -q --verify refs/deploy/log/qa &&
	 git release deploy v1.1.0 --no-hook >out &&
	 sed -n "s/^undo: //p" out >undo &&
	 sh undo &&
	 test_must_fail git rev-parse -q --verify refs/deploy/log/production &&
	 test_must_fail git rev-parse -q --verify deployed-v1.1.0)
'

test_expect_success 'the first deployment to production makes an annotated deployed-* tag' '
	test "$(git cat-file -t deployed-v1.0.0)" = tag &&
	test_cmp_rev deployed-v1.0.0^{commit} v1.0.0^{commit} &&
	git cat-file tag deployed-v1.0.0 >actual &&
	grep "^tagger C O Mitter <committer@example.com> $test_tick +0000\$" actual &&
	echo "Deployed to production at $(date -u -d @$test_tick "+%Y-%m-%d %H:%M") UTC" >expect &&
	sed "1,/^\$/d" actual >msg &&
	test_cmp expect msg
'

test_expect_success 'the log ref gets a reflog entry naming the command' '
	git reflog show --format=%gs refs/deploy/log/production >actual &&
	echo "deploy: v1.0.0 to production" >expect &&
	test_cmp expect actual
'

test_expect_success 'the next deploy chains on the previous entry' '
	old=$(git rev-parse refs/deploy/log/production) &&
	test_tick &&
	git release deploy v1.1.0 >out &&
	test_cmp_rev refs/deploy/log/production^ $old &&
	entry >actual &&
	grep "^Version: v1.1.0\$" actual &&
	! grep "^Reason:" actual &&
	grep "^undo: git release deploy v1.0.0 --env production --allow-downgrade -m .undo the deploy of v1.1.0.\$" out
'

test_expect_success 'the prefix may be omitted' '
	test_tick &&
	git release deploy 1.1.0 --env qa --new-env &&
	entry qa >actual &&
	grep "^Version: v1.1.0\$" actual
'

test_expect_success 'redeploying the same version adds an entry and keeps the tag' '
	tag=$(git rev-parse deployed-v1.1.0) &&
	test_tick &&
	git release deploy v1.1.0 -m again >out &&
	git log --format=%s refs/deploy/log/production >actual &&
	cat >expect <<-EOF &&
	deploy v1.1.0 to production
	deploy v1.1.0 to production
	deploy v1.0.0 to production
	EOF
	test_cmp expect actual &&
	test "$(git rev-parse deployed-v1.1.0)" = "$tag" &&
	! grep "created tag" out &&
	grep "^undo: git release deploy v1.0.0 --env production --allow-downgrade -m .undo the deploy of [^ ]*.\$" out
'

test_expect_success 'a lightweight release tag deploys; the entry has its commit' '
	test_tick &&
	git release deploy v1.2.0 &&
	entry >actual &&
	grep "^Commit: $(git rev-parse v1.2.0)\$" actual &&
	test_cmp_rev deployed-v1.2.0^{commit} v1.2.0
'

test_expect_success 'a pre-release deploys' '
	test_tick &&
	git release deploy v2.0.0-rc.1 --env staging --new-env &&
	entry staging >actual &&
	grep "^Version: v2.0.0-rc.1\$" actual &&
	grep "^Environment: staging\$" actual
'

test_expect_success 'other environments get no deployed-* tag' '
	test_must_fail git rev-parse --verify -q deployed-v2.0.0-rc.1 &&
	git for-each-ref --format="%(refname)" "refs/tags/deployed-*" >actual &&
	cat >expect <<-EOF &&
	refs/tags/deployed-v1.0.0
	refs/tags/deployed-v1.1.0
	refs/tags/deployed-v1.2.0
	EOF
	test_cmp expect actual
'

test_expect_success 'GIT_COMMITTER_* set the operator and the time' '
	GIT_COMMITTER_NAME="Ops Person" GIT_COMMITTER_EMAIL=ops@example.com \
	GIT_COMMITTER_DATE="2024-01-15 14:30:00 +0200" \
		git release deploy v1.1.0 --env qa &&
	entry qa >actual &&
	grep "^Operator: Ops Person <ops@example.com>\$" actual &&
	grep "^Time: 2024-01-15T12:30:00Z\$" actual
'

test_expect_success 'a multi-line reason is kept with continuation lines' '
	test_tick &&
	printf "line one\nline two" >msg &&
	git release deploy v1.1.0 --env qa -m "$(cat msg)" &&
	entry qa >actual &&
	grep "^Reason: line one\$" actual &&
	grep "^ line two\$" actual
'

test_expect_success '--dry-run prints the plan with the exact new id and changes nothing' '
	save_state &&
	git release deploy v1.2.0 --dry-run -m planned >out &&
	test_state_unchanged &&
	old=$(git rev-parse refs/deploy/log/production) &&
	grep "^would deploy v1.2.0 ($(git rev-parse --short=7 v1.2.0^{commit})) to production\$" out &&
	grep "^would update refs/deploy/log/production $old -> [0-9a-f]\{40\}\$" out &&
	new=$(sed -n "s/^would update .* -> //p" out) &&
	git release deploy v1.2.0 -m planned &&
	test_cmp_rev refs/deploy/log/production $new
'

test_expect_success '--dry-run names the tag it would create' '
	git init -q ../fresh &&
	(cd ../fresh && test_commit a && git tag -a -m r v0.1.0 &&
	 save_state &&
	 git release deploy v0.1.0 --dry-run >../out &&
	 test_state_unchanged) &&
	grep "^would update refs/deploy/log/production (none) -> " ../out &&
	grep "^would create tag deployed-v0.1.0 (\"Deployed to production at .* UTC\")\$" ../out &&
	grep "^no deploy hook for .production." ../out
'

test_expect_success 'an unknown tag is fatal (128) and changes nothing' '
	save_state &&
	test_expect_code 128 git release deploy v9.9.9 2>err &&
	test_state_unchanged &&
	grep "^fatal: release .v9.9.9. not found" err
'

test_expect_success 'a name that is no version is fatal (128)' '
	save_state &&
	test_expect_code 128 git release deploy banana 2>err &&
	test_state_unchanged &&
	grep "^fatal: .banana. is not a valid version" err
'

test_expect_success 'a bad environment name is fatal (128) and changes nothing' '
	save_state &&
	test_expect_code 128 git release deploy v1.0.0 --env "a..b" 2>err &&
	test_expect_code 128 git release deploy v1.0.0 --env "x/y" 2>>err &&
	test_expect_code 128 git release deploy v1.0.0 --env "" 2>>err &&
	test_state_unchanged &&
	grep "^fatal: .a\.\.b. is not a valid environment name" err &&
	grep "^fatal: .x/y. is not a valid environment name" err
'

test_expect_success 'no tag, two tags, an unknown option: usage (129)' '
	save_state &&
	test_expect_code 129 git release deploy 2>err &&
	grep "^usage: git release deploy (<tag> | --latest)" err &&
	test_expect_code 129 git release deploy v1.0.0 v1.1.0 2>err &&
	grep "too many arguments" err &&
	test_expect_code 129 git release deploy --bogus v1.0.0 2>err &&
	test_state_unchanged
'

test_expect_success '-h prints the usage on stdout (129)' '
	test_expect_code 129 git release deploy -h >out &&
	grep "^usage: git release deploy (<tag> | --latest) \[--env <env> \[--new-env\]\] \[--component <name>\] \[-m <msg>\] \[--force\] \[--no-hook\] \[--no-verify\] \[--rollback-on-failure | --no-rollback-on-failure\] \[--lift-hold\] \[--allow-downgrade \[--migrate | --ignore-migrations\]\] \[--json\] \[--push\] \[--dry-run\]\$" out
'

test_expect_success 'outside a repository: fatal (128)' '
	mkdir -p "$TRASH_DIRECTORY/outside" &&
	(cd "$TRASH_DIRECTORY/outside" &&
	 GIT_CEILING_DIRECTORIES="$TRASH_DIRECTORY" &&
	 export GIT_CEILING_DIRECTORIES &&
	 test_expect_code 128 git release deploy v1.0.0 2>err &&
	 grep "^fatal: not a git repository" err)
'

test_expect_success 'a release marked bad is refused (1) and nothing changes' '
	git release yank v1.2.0 -m "corrupts uploads" &&
	save_state &&
	test_expect_code 1 git release deploy v1.2.0 2>err &&
	test_state_unchanged &&
	grep "^error: release .v1.2.0. is marked bad: corrupts uploads\$" err &&
	grep "^hint: .*--force" err
'

test_expect_success '--dry-run of a release marked bad is refused too' '
	save_state &&
	test_expect_code 1 git release deploy v1.2.0 --dry-run 2>err &&
	test_state_unchanged &&
	grep "is marked bad" err
'

test_expect_success '--force deploys it, warns, and does not lift the mark' '
	test_tick &&
	git release deploy v1.2.0 --force -m "known risk" 2>err &&
	grep "^warning: deploying .v1.2.0. although it is marked bad: corrupts uploads" err &&
	entry >actual &&
	grep "^Version: v1.2.0\$" actual &&
	git ls-tree -r --name-only refs/deploy/marks >actual &&
	echo v1.2.0 >expect &&
	test_cmp expect actual
'

test_expect_success 'another command holding the lock refuses (1), nothing changes' '
	hold_lock "git rollback --reset -m down" &&
	test_when_finished release_lock &&
	save_state &&
	test_expect_code 1 git release deploy v1.1.0 2>err &&
	test_state_unchanged &&
	grep "another git release, rollback or hotfix is running in this repository: git rollback --reset -m down\$" err
'

test_expect_success 'a merge in progress refuses the deploy (1)' '
	git rev-parse HEAD >.git/MERGE_HEAD &&
	test_when_finished "rm -f .git/MERGE_HEAD" &&
	save_state &&
	test_expect_code 1 git release deploy v1.1.0 2>err &&
	test_state_unchanged &&
	grep "^error: cannot deploy: a merge is in progress" err
'

test_expect_success '--push without the remote is refused (1) before anything' '
	save_state &&
	test_expect_code 1 git release deploy v1.1.0 --push 2>err &&
	test_state_unchanged &&
	grep "^error: cannot push: remote .origin. does not exist" err
'

test_expect_success 'release.tagPrefix: deployed-<prefix><version>' '
	git tag -a -m "api" api/v3.0.0 &&
	test_tick &&
	git -c release.tagPrefix=api/v release deploy 3.0.0 &&
	entry >actual &&
	grep "^Version: api/v3.0.0\$" actual &&
	test "$(git cat-file -t deployed-api/v3.0.0)" = tag
'

test_expect_success 'a linked worktree writes the one shared log' '
	git worktree add -q ../linked v1.0.0 &&
	(cd ../linked && test_tick && git release deploy v1.1.0 --env wt --new-env) &&
	git log -1 --format=%s refs/deploy/log/wt >actual &&
	echo "deploy v1.1.0 to wt" >expect &&
	test_cmp expect actual
'

test_expect_success 'a bare repository records deployments too' '
	git clone -q --bare . ../bare.git &&
	(cd ../bare.git && test_tick &&
	 git release deploy v1.1.0 --env bare --new-env >../out &&
	 git release current --env bare >../actual) &&
	echo v1.1.0 >expect &&
	test_cmp expect ../actual &&
	grep "^deployed v1.1.0 to bare" ../out
'

test_expect_success 'git fsck is clean after all of it' '
	git fsck --strict 2>err &&
	test_must_be_empty err
'

test_done
