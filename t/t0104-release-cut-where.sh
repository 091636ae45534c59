#!/bin/sh

test_description='git release cut: prefixes, lightweight tags, where it runs'

. ./test-lib.sh

tag_message () {
	git cat-file tag "$1" | sed "1,/^\$/d"
}

test_expect_success 'setup' '
	git init -q repo &&
	cd repo &&
	printf "%s\n" out err expect actual "*.rev" >.git/info/exclude &&
	test_commit "initial" &&
	git tag v1.4.0
'

test_expect_success 'a lightweight release counts as the previous one' '
	test_commit "fix: after light" &&
	git release cut &&
	test_cmp_rev v1.4.1^{commit} HEAD &&
	tag_message v1.4.1 >actual &&
	printf "Release v1.4.1\n\n- fix: after light (%s)\n" \
		"$(git rev-parse --short HEAD)" >expect &&
	test_cmp expect actual
'

test_expect_success 'tags that are no release neither count nor block' '
	test_commit "fix: noise" &&
	git tag v1.5 && git tag nightly && git tag v9.0.0.1 &&
	git release cut &&
	test_cmp_rev v1.4.2^{commit} HEAD
'

test_expect_success 'a monorepo prefix through git -c' '
	test_commit "feat: api thing" &&
	git -c release.tagPrefix=api/v release cut >out &&
	test_cmp_rev api/v0.1.0^{commit} HEAD &&
	grep "^created api/v0.1.0 on " out &&
	tag_message api/v0.1.0 >actual &&
	head -n 1 actual >subject &&
	echo "Release api/v0.1.0" >expect &&
	test_cmp expect subject
'

test_expect_success 'each prefix has its own versions' '
	test_commit "fix: api fix" &&
	git -c release.tagPrefix=api/v release cut &&
	test_cmp_rev api/v0.1.1^{commit} HEAD &&
	git -c release.tagPrefix=web/v release cut 2.0.0 &&
	test_cmp_rev web/v2.0.0^{commit} HEAD
'

test_expect_success 'an explicit version under a monorepo prefix, every spelling' '
	test_commit "fix: a" &&
	git -c release.tagPrefix=api/v release cut 0.2.0 &&
	test_commit "fix: b" &&
	git -c release.tagPrefix=api/v release cut v0.3.0 &&
	test_commit "fix: c" &&
	git -c release.tagPrefix=api/v release cut api/v0.4.0 &&
	git -c release.tagPrefix=api/v release list >actual &&
	printf "api/v0.4.0\napi/v0.3.0\napi/v0.2.0\napi/v0.1.1\napi/v0.1.0\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'another prefix spelled out is malformed (128)' '
	test_commit "fix: d" &&
	save_state &&
	test_expect_code 128 git -c release.tagPrefix=api/v release cut web/v1.0.0 2>err &&
	grep "^fatal: .web/v1.0.0. is not a valid version" err &&
	test_state_unchanged
'

test_expect_success 'cut from a subdirectory' '
	mkdir -p sub &&
	(cd sub && git release cut) &&
	test_cmp_rev v1.5.0^{commit} HEAD
'

test_expect_success 'cut on a detached HEAD tags that commit' '
	test_commit "fix: e" &&
	git checkout -q --detach &&
	git release cut &&
	test_cmp_rev v1.5.1^{commit} HEAD &&
	git checkout -q main
'

test_expect_success 'cut with GIT_DIR and GIT_WORK_TREE from elsewhere' '
	test_commit "fix: f" &&
	(cd .. && GIT_DIR=repo/.git GIT_WORK_TREE=repo git release cut) &&
	test_cmp_rev v1.5.2^{commit} HEAD
'

test_expect_success 'cut from a linked worktree' '
	git worktree add -q ../wt -b side &&
	(cd ../wt && test_commit "fix: g" && git release cut) &&
	test_cmp_rev v1.5.3^{commit} side
'

test_expect_success 'the lock is released at the end' '
	test_lock_free
'

test_expect_success 'a bare repository is refused (nothing changed)' '
	git clone -q --bare . ../bare.git &&
	git -C ../bare.git for-each-ref >before &&
	find ../bare.git -type f | sort >files.before &&
	(cd ../bare.git && test_expect_code 1 git release cut 2>../repo/err) &&
	grep "^error: cannot cut a release in a bare repository" err &&
	git -C ../bare.git for-each-ref >after &&
	find ../bare.git -type f | sort >files.after &&
	test_cmp before after &&
	test_cmp files.before files.after
'

test_expect_success 'a maintenance line whose next version exists elsewhere' '
	git checkout -q -b old v1.4.0 &&
	test_commit "fix: on old line" &&
	save_state &&
	test_expect_code 1 git release cut 2>err &&
	grep "^error: release v1.4.1 already exists" err &&
	grep "^hint: .*\"git release cut 1.4.3\"" err &&
	test_state_unchanged
'

test_expect_success 'counts only the commits of its own line' '
	git release cut 1.4.3 &&
	test_cmp_rev v1.4.3^{commit} HEAD &&
	tag_message v1.4.3 >actual &&
	grep "^- fix: on old line " actual &&
	! grep "fix: after light" actual &&
	git checkout -q main
'

test_expect_success 'with core.logAllRefUpdates=always the tag has a reflog naming cut' '
	test_commit "fix: h" &&
	git config core.logAllRefUpdates always &&
	GIT_COMMITTER_NAME="Rel Eng" GIT_COMMITTER_EMAIL=re@example.com \
		git release cut 1.5.4 &&
	git config --unset core.logAllRefUpdates &&
	test_cmp_rev v1.5.4^{commit} HEAD &&
	sed "s/^[0-9a-f]* [0-9a-f]* \(.*>\) [0-9]* [-+][0-9]*	/\1|/" \
		.git/logs/refs/tags/v1.5.4 >actual &&
	echo "Rel Eng <re@example.com>|release: tag v1.5.4" >expect &&
	test_cmp expect actual
'

test_done
