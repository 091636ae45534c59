#!/bin/sh

test_description='git release cut: versions, bumps, annotation, refusals'

. ./test-lib.sh

# the annotation of a tag, without its header
tag_message () {
	git cat-file tag "$1" | sed "1,/^\$/d"
}

test_expect_success 'setup' '
	git init -q repo &&
	cd repo &&
	printf "%s\n" err out expect actual "*.rev" tag tags subject \
		>.git/info/exclude &&
	test_commit "initial" &&
	test_commit "fix: first bug"
'

test_expect_success 'the first release is 0.1.0 and lists every commit' '
	git release cut >out &&
	git rev-parse v0.1.0^{commit} >actual &&
	git rev-parse HEAD >expect &&
	test_cmp expect actual &&
	test "$(git cat-file -t v0.1.0)" = tag &&
	cat >expect <<-EOF &&
	Release v0.1.0

	- fix: first bug ($(git rev-parse --short HEAD))
	- initial ($(git rev-parse --short HEAD^))
	EOF
	tag_message v0.1.0 >actual &&
	test_cmp expect actual
'

test_expect_success 'cut prints what it made and the undo line' '
	grep "^created v0.1.0 on $(git rev-parse --short HEAD) (fix: first bug)\$" out &&
	grep "^undo: git tag -d v0.1.0\$" out
'

test_expect_success 'the tagger is the committer identity of the environment' '
	test_commit "fix: second" &&
	GIT_COMMITTER_NAME="Rel Eng" GIT_COMMITTER_EMAIL="re@example.com" \
		GIT_COMMITTER_DATE="1700000000 +0100" git release cut &&
	git cat-file tag v0.1.1 >tag &&
	grep "^tagger Rel Eng <re@example.com> 1700000000 +0100\$" tag
'

test_expect_success 'a fix since the previous release bumps the patch' '
	git tag -l "v*" >tags &&
	grep "^v0.1.1\$" tags &&
	tag_message v0.1.1 >actual &&
	cat >expect <<-EOF &&
	Release v0.1.1

	- fix: second ($(git rev-parse --short HEAD))
	EOF
	test_cmp expect actual
'

test_expect_success 'feat bumps the minor version' '
	test_commit "fix: small" &&
	test_commit "feat(ui): a button" &&
	test_commit "docs: words" &&
	git release cut &&
	test_cmp_rev v0.2.0^{commit} HEAD
'

test_expect_success 'a ! after the type bumps the major version' '
	test_commit "refactor(api)!: drop v1 endpoints" &&
	git release cut &&
	test_cmp_rev v1.0.0^{commit} HEAD
'

test_expect_success 'a BREAKING CHANGE footer bumps the major version' '
	echo x >footer.t && git add footer.t && test_tick &&
	git commit -q -m "fix: rename setting" -m "BREAKING CHANGE: timeout is now in ms" &&
	git release cut &&
	test_cmp_rev v2.0.0^{commit} HEAD
'

test_expect_success 'an explicit version without the prefix' '
	test_commit "fix: a" &&
	git release cut 2.0.5 &&
	test_cmp_rev v2.0.5^{commit} HEAD
'

test_expect_success 'an explicit version with the prefix' '
	test_commit "fix: b" &&
	git release cut v2.1.0 &&
	test_cmp_rev v2.1.0^{commit} HEAD
'

test_expect_success '--major, --minor and --patch override the commits' '
	test_commit "feat: c" &&
	git release cut --patch &&
	test_cmp_rev v2.1.1^{commit} HEAD &&
	test_commit "fix: d" &&
	git release cut --minor &&
	test_cmp_rev v2.2.0^{commit} HEAD &&
	test_commit "fix: e" &&
	git release cut --major &&
	test_cmp_rev v3.0.0^{commit} HEAD
'

test_expect_success '-m puts the text under the subject' '
	test_commit "fix: f" &&
	git release cut -m "Hotter caches.

#42 is fixed too." &&
	cat >expect <<-EOF &&
	Release v3.0.1

	Hotter caches.

	#42 is fixed too.

	- fix: f ($(git rev-parse --short HEAD))
	EOF
	tag_message v3.0.1 >actual &&
	test_cmp expect actual
'

test_expect_success 'merge commits are not listed, their commits are' '
	git checkout -q -b topic &&
	test_commit "fix: on topic" &&
	git checkout -q main &&
	test_commit "fix: on main" &&
	test_tick &&
	git merge -q --no-ff -m "Merge branch topic" topic &&
	git release cut &&
	tag_message v3.0.2 >actual &&
	grep "^- fix: on topic " actual &&
	grep "^- fix: on main " actual &&
	! grep "Merge branch" actual
'

test_expect_success '--pre rc makes rc.1 of the bumped version' '
	test_commit "feat: g" &&
	git release cut --pre rc &&
	test_cmp_rev v3.1.0-rc.1^{commit} HEAD &&
	tag_message v3.1.0-rc.1 >actual &&
	head -n 1 actual >subject &&
	echo "Release v3.1.0-rc.1" >expect &&
	test_cmp expect subject
'

test_expect_success '--pre rc again makes rc.2 of the same version' '
	test_commit "fix: h" &&
	git release cut --pre rc &&
	test_cmp_rev v3.1.0-rc.2^{commit} HEAD
'

test_expect_success 'the stable release after its rcs lists every commit since the last stable' '
	test_commit "fix: i" &&
	git release cut &&
	test_cmp_rev v3.1.0^{commit} HEAD &&
	tag_message v3.1.0 >actual &&
	grep "^- feat: g " actual &&
	grep "^- fix: h " actual &&
	grep "^- fix: i " actual &&
	! grep "fix: on main" actual
'

test_expect_success 'a tested rc on HEAD may be promoted to stable' '
	test_commit "fix: j" &&
	git release cut --pre beta &&
	test_cmp_rev v3.1.1-beta.1^{commit} HEAD &&
	git release cut &&
	test_cmp_rev v3.1.1^{commit} HEAD
'

test_expect_success 'an explicit version with --pre numbers its pre-releases' '
	test_commit "fix: k" &&
	git release cut 4.0.0 --pre rc &&
	test_cmp_rev v4.0.0-rc.1^{commit} HEAD &&
	test_commit "fix: l" &&
	git release cut 4.0.0 --pre rc &&
	test_cmp_rev v4.0.0-rc.2^{commit} HEAD
'

test_expect_success 'a pre-release is never reused, even from another branch' '
	git checkout -q -b other v4.0.0-rc.1 &&
	test_commit "fix: elsewhere" &&
	git tag -a -m "Release v4.0.0-rc.3" v4.0.0-rc.3 &&
	git checkout -q main &&
	test_commit "fix: m" &&
	git release cut --pre rc &&
	test_cmp_rev v4.0.0-rc.4^{commit} HEAD
'

test_expect_success 'refuses a version that exists (state unchanged)' '
	test_commit "fix: n" &&
	save_state &&
	test_expect_code 1 git release cut 4.0.0-rc.3 2>err &&
	grep "^error: release v4.0.0-rc.3 already exists" err &&
	test_state_unchanged
'

test_expect_success 'refuses a version not above the newest reachable one' '
	save_state &&
	test_expect_code 1 git release cut 3.9.0 2>err &&
	grep "^error: v3.9.0 is not above v4.0.0-rc.4, the newest release reachable from HEAD" err &&
	test_state_unchanged &&
	test_expect_code 1 git release cut 4.0.0-rc.4 2>err &&
	test_state_unchanged
'

test_expect_success 'a maintenance branch may release below a newer release elsewhere' '
	git checkout -q -b maint-2.0 v2.0.5 &&
	test_commit "fix: backport" &&
	git release cut &&
	test_cmp_rev v2.0.6^{commit} HEAD &&
	git checkout -q main
'

test_expect_success 'refuses when HEAD is already a release (state unchanged)' '
	git release cut 4.0.0 &&
	save_state &&
	test_expect_code 1 git release cut 4.0.1 2>err &&
	grep "^error: HEAD is already release v4.0.0" err &&
	test_state_unchanged &&
	test_expect_code 1 git release cut --pre rc 2>err &&
	grep "^error: HEAD is already release v4.0.0" err &&
	test_state_unchanged
'

test_expect_success 'refuses unstaged changes (state unchanged)' '
	test_commit "fix: o" &&
	echo dirty >>initial.t &&
	save_state &&
	test_expect_code 1 git release cut 2>err &&
	grep "^error: cannot cut a release: you have unstaged changes" err &&
	test_state_unchanged &&
	git checkout initial.t
'

test_expect_success 'refuses staged changes (state unchanged)' '
	echo staged >>initial.t &&
	git add initial.t &&
	save_state &&
	test_expect_code 1 git release cut 2>err &&
	grep "^error: cannot cut a release: your index contains uncommitted changes" err &&
	test_state_unchanged &&
	git reset -q --hard
'

test_expect_success 'untracked files do not make the tree dirty' '
	echo new >untracked.t &&
	git release cut --dry-run >out &&
	grep "as v4.0.1" out &&
	rm untracked.t
'

test_expect_success 'refuses while a merge is in progress (state unchanged)' '
	git checkout -q -b conflict HEAD^ &&
	echo theirs >fix__o.t && git add fix__o.t && test_tick && git commit -q -m "fix: other o" &&
	git checkout -q main &&
	test_must_fail git merge -q conflict >/dev/null 2>&1 &&
	save_state &&
	test_expect_code 1 git release cut 2>err &&
	grep "^error: cannot cut a release: a merge is in progress" err &&
	grep "^hint: " err &&
	test_state_unchanged &&
	git merge --abort
'

test_expect_success 'refuses while another of our commands runs, naming it (state unchanged)' '
	hold_lock "git release deploy v9.9.9 --env '"'st aging'"'" &&
	test_when_finished release_lock &&
	save_state &&
	test_expect_code 1 git release cut 2>err &&
	grep "^error: another git release, rollback or hotfix is running in this repository: git release deploy v9.9.9 --env .st aging.\$" err &&
	test_state_unchanged
'

test_expect_success 'a lock file left by a killed command is no lock: its content decides nothing' '
	sleep 60 &
	live=$! &&
	test_when_finished "kill $live" &&
	printf "git release cut\npid %s\n" $live >"$(lock_file)" &&
	git release cut &&
	test_cmp_rev v4.0.1^{commit} HEAD &&
	test_lock_free
'

test_expect_success 'a malformed version is fatal (128), nothing changed' '
	test_commit "fix: p" &&
	save_state &&
	test_expect_code 128 git release cut 1.2 2>err &&
	grep "^fatal: .1.2. is not a valid version" err &&
	test_expect_code 128 git release cut v01.2.3 2>err &&
	test_expect_code 128 git release cut 5.0.0+build.1 2>err &&
	grep "build metadata" err &&
	test_expect_code 128 git release cut 5.0.0-rc.1 --pre rc 2>err &&
	test_state_unchanged
'

test_expect_success 'a bad --pre identifier is fatal (128)' '
	save_state &&
	test_expect_code 128 git release cut --pre "r c" 2>err &&
	grep "^fatal: .r c. is not a valid pre-release identifier" err &&
	test_expect_code 128 git release cut --pre 1 2>err &&
	test_expect_code 128 git release cut --pre rc.1 2>err &&
	test_state_unchanged
'

test_expect_success 'conflicting arguments are usage errors (129)' '
	save_state &&
	test_expect_code 129 git release cut --major --minor 2>err &&
	test_expect_code 129 git release cut --patch 9.9.9 2>err &&
	grep "exclusive" err &&
	test_expect_code 129 git release cut -s -u KEY 2>err &&
	test_expect_code 129 git release cut 9.9.9 9.9.10 2>err &&
	test_expect_code 129 git release cut --bogus 2>err &&
	test_state_unchanged
'

test_expect_success '-q says nothing on stderr; the report stays' '
	git release cut -q >out 2>err &&
	test_must_be_empty err &&
	grep "^created v4.0.2 on " out &&
	git tag -d v4.0.2 >/dev/null
'

test_expect_success '-h prints the usage on stdout (129)' '
	test_expect_code 129 git release cut -h >out &&
	grep "^usage: git release cut \[--major | --minor | --patch | <version>\]" out
'

test_expect_success '--dry-run prints the plan and changes nothing' '
	save_state &&
	git release cut -m "Dry words" --dry-run >out &&
	test_state_unchanged &&
	grep "^would tag $(git rev-parse HEAD) (fix: p) as v4.0.2, annotated:" out &&
	grep "^    Release v4.0.2\$" out &&
	grep "^    Dry words\$" out &&
	grep "^    - fix: p ($(git rev-parse --short HEAD))\$" out &&
	test_must_fail git rev-parse -q --verify refs/tags/v4.0.2
'

test_expect_success '--dry-run still refuses what the real run would' '
	git release cut &&
	save_state &&
	test_expect_code 1 git release cut --dry-run 2>err &&
	grep "already release" err &&
	test_state_unchanged
'

test_expect_success 'refuses outside a repository (128)' '
	(cd .. && GIT_CEILING_DIRECTORIES=$(pwd) &&
	 export GIT_CEILING_DIRECTORIES &&
	 mkdir -p norepo && cd norepo &&
	 test_expect_code 128 git release cut 2>err &&
	 grep "^fatal: not a git repository" err)
'

test_expect_success 'refuses a repository without commits' '
	git init -q ../empty &&
	(cd ../empty &&
	 test_expect_code 1 git release cut 2>err &&
	 grep "no commit yet" err)
'

test_done
