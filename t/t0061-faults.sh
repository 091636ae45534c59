#!/bin/sh

test_description='faults found under hostile but legal input

Blank reasons, versions at the 64-bit limit, file names with newlines,
packed-refs with CRLF, lightweight tags of trees, text that is not
UTF-8, identities from the environment, and a yank marked but unpushed.'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh

test_expect_success 'setup: the shop, deployed, two clones of its remote' '
	setup_shop &&
	git config deploy.production.command true &&
	git config deploy.staging.command true &&
	git release deploy v1.2.3 -m first -q &&
	git release deploy v1.2.4 -m second -q
'

for cmd in "rollback -m" "rollback revert HEAD -m" "rollback restore HEAD -m" \
	"release yank v1.2.4 -m" "release deploy v1.2.4 -m"
do
	test_expect_success "git $cmd <white space>: usage (129), nothing changed" '
		save_state &&
		test_expect_code 129 git $cmd "  	" 2>err &&
		grep -i "reason" err &&
		test_state_unchanged
	'
done

test_expect_success 'a reason with words and spaces around is kept' '
	git release deploy v1.2.4 -m "  still up  " -q &&
	log_entry | grep "^Reason:  *still up"
'

test_expect_success 'bumps at 2^64-1 are refused, never wrapped to 0' '
	git checkout -q -b limits &&
	test_commit "fix: limit" &&
	test_tick &&
	git tag -a -m "Release" v1.2.18446744073709551615 &&
	test_commit "fix: beyond" &&
	save_state &&
	test_expect_code 1 git release cut --patch 2>err &&
	grep "^error: cannot bump 1.2.18446744073709551615: its patch number is the largest there is" err &&
	test_expect_code 1 git release cut 2>err &&
	grep "largest there is" err &&
	test_state_unchanged &&
	git release cut --minor -q &&
	test_cmp_rev v1.3.0^{commit} HEAD &&
	git tag -l "v0.*" >wrapped &&
	test_must_be_empty wrapped &&
	git checkout -q main
'

test_expect_success 'a migration file name with a newline cannot add a trailer' '
	git checkout -q -b newline &&
	name="db/migrate/20250101000000_a
Migration: 99999999999999_evil.rb" &&
	mkdir -p db/migrate &&
	echo up >"$name" &&
	git add -- "$name" &&
	test_tick &&
	git commit -q -m "feat: newline" &&
	git release cut -q 2.0.0 &&
	git cat-file tag v2.0.0 >tag &&
	! grep "^Migration: 99999999999999_evil" tag &&
	grep "^Migration: \"20250101000000_a\\\\nMigration: 99999999999999_evil\"\$" tag &&
	git checkout -q main
'

test_expect_success 'a lightweight tag of a tree is no release, packed or loose' '
	git tag v9.9.9 "HEAD^{tree}" &&
	git tag v9.9.8 "HEAD:app.txt" &&
	git release list >list &&
	! grep "v9\.9\." list &&
	git pack-refs --all &&
	grep "refs/tags/v9.9.9" .git/packed-refs &&
	git release list >list &&
	! grep "v9\.9\." list &&
	save_state &&
	test_expect_code 128 git release deploy v9.9.9 2>err &&
	grep "v9.9.9" err &&
	test_state_unchanged &&
	git tag -d v9.9.9 v9.9.8 >/dev/null
'

test_expect_success 'CRLF packed-refs: fatal (128) naming the file, as git is' '
	git pack-refs --all &&
	cp .git/packed-refs ../packed-refs.good &&
	sed "s/\$/$(printf "\\r")/" ../packed-refs.good >.git/packed-refs &&
	for cmd in "release list" "release current" "rollback check" \
		"release deploy v1.2.4" "hotfix list" "rollback -m x"
	do
		test_expect_code 128 git $cmd >out 2>err &&
		grep "^fatal: unexpected line in .*packed-refs.: # pack-refs with: .*\\\\r\$" err ||
		return 1
	done &&
	cp ../packed-refs.good .git/packed-refs &&
	git release list >list &&
	grep "^v1.2.4" list
'

test_expect_success '--json stays valid UTF-8 whatever the reason holds' '
	git release deploy v1.2.4 -m "caf$(printf "\\351") \"q\" $(printf "\\001")" -q &&
	git release history --json -n 1 >json &&
	jq -r ".reason" json >reason &&
	printf "caf\\357\\277\\275 \"q\" \\001\n" >expect &&
	test_cmp expect reason &&
	iconv -f UTF-8 -t UTF-8 json >/dev/null
'

test_expect_success 'reflog entries name GIT_COMMITTER_* before the config' '
	git config user.name "Config Person" &&
	git config user.email config@example.com &&
	GIT_COMMITTER_NAME="Env Person" GIT_COMMITTER_EMAIL=env@example.com \
		git rollback --reset v1.2.3 -m "env identity" --ignore-migrations -q &&
	tail -1 .git/logs/refs/heads/production >reflog &&
	grep "Env Person <env@example.com>" reflog &&
	grep "rollback: v1.2.4 -> v1.2.3" reflog &&
	log_entry >entry &&
	GIT_COMMITTER_NAME="Env Person" GIT_COMMITTER_EMAIL=env@example.com \
		git rollback --branch v1.2.2 -m "branch identity" --ignore-migrations -q &&
	tail -1 .git/logs/refs/heads/rollback/v1.2.3 >reflog &&
	grep "Env Person <env@example.com>" reflog &&
	git config --unset user.name &&
	git config --unset user.email
'

test_expect_success 'yank --push of a release already marked locally still pushes' '
	git release yank v1.2.1 -m "broken build" -q &&
	test_must_fail git -C ../remote.git rev-parse -q --verify refs/deploy/marks &&
	git release yank v1.2.1 -m "broken build" --push >out 2>err &&
	grep "already marked bad" out &&
	git -C ../remote.git cat-file -p refs/deploy/marks:v1.2.1 >mark &&
	grep "broken build" mark &&
	test_cmp_rev refs/deploy/marks "$(git -C ../remote.git rev-parse refs/deploy/marks)"
'

test_expect_success 'git fsck is clean' '
	git fsck --strict 2>err &&
	test_must_be_empty err
'

test_done
