#!/bin/sh

test_description='git hotfix finish -s, -u: signed tags with the user own git set-up'

. ./test-lib.sh

if ! test_have_prereq SSH_SIGN
then
	skip_all='ssh-keygen is needed to sign'
	test_done
fi

test_expect_success 'setup: ssh signing keys, a release, a hotfix' '
	git init -q repo &&
	cd repo &&
	printf "%s\n" out err expect actual "key*" allowed >.git/info/exclude &&
	setup_ssh_signing &&
	test_commit "release 1.0.0" rel.t 1.0.0 &&
	git tag -a -m "Release v1.0.0" v1.0.0 &&
	git hotfix start s v1.0.0 &&
	test_commit "fix: signed" s.t
'

test_expect_success '-s signs the hotfix tag on the tip; git tag -v verifies it' '
	tip=$(git rev-parse HEAD) &&
	git hotfix finish -s -m "Signed fix" &&
	git tag -v v1.0.1 2>err &&
	grep "Good \"git\" signature" err &&
	test_cmp_rev v1.0.1^{commit} "$tip" &&
	git cat-file tag v1.0.1 | sed -e "1,/^\$/d" -e "/^-----BEGIN/,\$d" >actual &&
	cat >expect <<-EOF &&
	Release v1.0.1

	Signed fix

	- fix: signed ($(git rev-parse --short $tip))

	Hotfix: v1.0.0
	EOF
	test_cmp expect actual &&
	test_cmp_rev main^2 "$tip"
'

test_expect_success '-u <key> signs with that key' '
	git hotfix start u v1.0.0 &&
	test_commit "fix: other key" u.t &&
	git hotfix finish -u "$(pwd)/key2" &&
	git tag -v v1.0.2 2>err &&
	grep "ED25519 key $(ssh-keygen -l -f key2.pub | cut -d" " -f2)" err
'

test_expect_success 'tag.gpgSign signs without -s' '
	git hotfix start cfg v1.0.0 &&
	test_commit "fix: by config" cfg.t &&
	git -c tag.gpgSign=true hotfix finish &&
	git tag -v v1.0.3 2>err &&
	grep "Good \"git\" signature" err
'

test_done
