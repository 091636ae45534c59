#!/bin/sh

test_description='git release cut --push: exactly the new tag, or nothing'

. ./test-lib.sh

remote_refs () {
	git -C "$1" for-each-ref --format="%(refname) %(objectname)"
}

test_expect_success 'setup: a repository and its remote' '
	git init -q --bare remote.git &&
	git init -q repo &&
	cd repo &&
	printf "%s\n" out err expect actual >.git/info/exclude &&
	git remote add origin ../remote.git &&
	test_commit "initial" &&
	git tag local-only &&
	git push -q origin main
'

test_expect_success '--push pushes the new tag and nothing else' '
	remote_refs ../remote.git >before &&
	test_commit "fix: one" &&
	git release cut --push >out &&
	git -C ../remote.git rev-parse refs/tags/v0.1.0 >actual &&
	git rev-parse refs/tags/v0.1.0 >expect &&
	test_cmp expect actual &&
	remote_refs ../remote.git >after &&
	{ cat before && echo "refs/tags/v0.1.0 $(git rev-parse v0.1.0)"; } |
		sort >expect &&
	sort after >actual &&
	test_cmp expect actual
'

test_expect_success 'the undo line deletes it on both sides' '
	grep "^undo: git push --atomic --force-with-lease=refs/tags/v0.1.0:$(git rev-parse v0.1.0) origin :refs/tags/v0.1.0 && git tag -d v0.1.0\$" out
'

test_expect_success '--dry-run --push prints the exact push and changes nothing' '
	test_commit "fix: two" &&
	remote_refs ../remote.git >before &&
	save_state &&
	git release cut --push --dry-run >out &&
	test_state_unchanged &&
	remote_refs ../remote.git >after &&
	test_cmp before after &&
	grep "^would run: git push --porcelain --atomic --end-of-options origin refs/tags/v0.1.1:refs/tags/v0.1.1\$" out
'

test_expect_success 'refused when the remote already has that version (nothing changed)' '
	git -C ../remote.git tag v0.1.1 main &&
	remote_refs ../remote.git >before &&
	save_state &&
	test_expect_code 1 git release cut --push 2>err &&
	grep "^error: release v0.1.1 already exists on .origin." err &&
	test_state_unchanged &&
	remote_refs ../remote.git >after &&
	test_cmp before after &&
	git -C ../remote.git tag -d v0.1.1 >/dev/null
'

test_expect_success 'refused without the remote (nothing changed)' '
	save_state &&
	test_expect_code 1 git -c release.remote=upstream release cut --push 2>err &&
	grep "^error: cannot push: remote .upstream. does not exist" err &&
	test_state_unchanged
'

test_expect_success 'a push the remote rejects leaves no local tag' '
	mkdir -p ../remote.git/hooks &&
	printf "#!/bin/sh\necho no releases today >&2\nexit 1\n" \
		>../remote.git/hooks/pre-receive &&
	chmod +x ../remote.git/hooks/pre-receive &&
	remote_refs ../remote.git >before &&
	git for-each-ref >refs.before &&
	test_expect_code 1 git release cut --push >out 2>err &&
	grep "^error: v0.1.1 was not pushed, so it was deleted again" err &&
	git for-each-ref >refs.after &&
	test_cmp refs.before refs.after &&
	remote_refs ../remote.git >after &&
	test_cmp before after &&
	rm ../remote.git/hooks/pre-receive
'

test_expect_success 'release.remote names the remote to push to' '
	git init -q --bare ../other.git &&
	git remote add other ../other.git &&
	git -c release.remote=other release cut --push &&
	git -C ../other.git rev-parse -q --verify refs/tags/v0.1.1 &&
	test_must_fail git -C ../remote.git rev-parse -q --verify refs/tags/v0.1.1
'

test_done
