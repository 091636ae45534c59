#!/bin/sh

test_description='git release cut: signed tags with the user own git set-up'

. ./test-lib.sh

if ! test_have_prereq SSH_SIGN
then
	skip_all='ssh-keygen is needed to sign'
	test_done
fi

test_expect_success 'setup: ssh signing keys' '
	git init -q repo &&
	cd repo &&
	printf "%s\n" out err expect actual "key*" allowed >.git/info/exclude &&
	setup_ssh_signing &&
	test_commit "initial"
'

test_expect_success '-s signs the tag; git tag -v verifies it' '
	git release cut -s -m "Signed words" &&
	git tag -v v0.1.0 2>err &&
	grep "Good \"git\" signature" err &&
	git cat-file tag v0.1.0 >tag &&
	grep "^-----BEGIN SSH SIGNATURE-----" tag
'

test_expect_success 'a signed tag carries the same annotation' '
	git cat-file tag v0.1.0 | sed -e "1,/^\$/d" -e "/^-----BEGIN/,\$d" >actual &&
	cat >expect <<-EOF &&
	Release v0.1.0

	Signed words

	- initial ($(git rev-parse --short HEAD))
	EOF
	test_cmp expect actual
'

test_expect_success 'the signed tag names the committer identity' '
	git cat-file tag v0.1.0 >tag &&
	grep "^tagger C O Mitter <committer@example.com> " tag
'

test_expect_success '-u <key> signs with that key' '
	test_commit "fix: one" &&
	git release cut -u "$(pwd)/key2" &&
	git tag -v v0.1.1 2>err &&
	grep "ED25519 key $(ssh-keygen -l -f key2.pub | cut -d" " -f2)" err
'

test_expect_success 'git -c tag.gpgSign=true signs' '
	test_commit "fix: two" &&
	git -c tag.gpgSign=true release cut &&
	git tag -v v0.1.2 2>err
'

test_expect_success 'tag.gpgSign in the config signs' '
	test_commit "fix: three" &&
	git config tag.gpgSign true &&
	git release cut &&
	git config --unset tag.gpgSign &&
	git tag -v v0.1.3 2>err
'

test_expect_success 'tag.forceSignAnnotated signs, as it does for git tag -a' '
	test_commit "fix: forced" &&
	git -c tag.forceSignAnnotated=true release cut &&
	git tag -v v0.1.4 2>err
'

test_expect_success 'git -c tag.gpgSign=true --dry-run says it would sign' '
	test_commit "fix: dry" &&
	save_state &&
	git -c tag.gpgSign=true release cut --dry-run >out &&
	test_state_unchanged &&
	grep "as v0.1.5, signed, annotated:" out
'

test_expect_success 'without signing the tag is not signed' '
	test_commit "fix: four" &&
	git release cut &&
	test_must_fail git tag -v v0.1.5 2>err &&
	git cat-file tag v0.1.5 >tag &&
	! grep "BEGIN SSH SIGNATURE" tag
'

test_expect_success 'a bad tag.gpgSign value is fatal (128)' '
	test_commit "fix: five" &&
	save_state &&
	test_expect_code 128 git -c tag.gpgSign=maybe release cut 2>err &&
	test_state_unchanged
'

test_expect_success 'a signing failure creates nothing (exit 1)' '
	save_state &&
	test_expect_code 1 git release cut -u "$(pwd)/no-such-key" 2>err &&
	grep "^error: cannot create the signed tag .v0.1.6." err &&
	test_state_unchanged
'

test_expect_success '--dry-run with -s says it would sign, changes nothing' '
	save_state &&
	git release cut -s --dry-run >out &&
	test_state_unchanged &&
	grep "as v0.1.6, signed, annotated:" out
'

test_done
