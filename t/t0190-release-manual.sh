#!/bin/sh

test_description='git-release(1): every subcommand and option described, the log format

Lint, the common sections and the SYNOPSIS are t0010.'

. ./test-lib.sh

MAN=$SHARNESS_BUILD_DIRECTORY/man/git-release.1

if ! command -v mandoc >/dev/null
then
	skip_all='mandoc is needed to read the manual'
	test_done
fi

test_expect_success 'every subcommand has its section' '
	man_text git-release.1 >page &&
	for c in cut list current deploy history notes yank
	do
		grep "^   git release $c\$" page || return 1
	done
'

test_expect_success 'the deployment log has its section' '
	grep "^\.Sh DEPLOYMENT LOG\$" "$MAN"
'

test_expect_success 'every option of cut, list and notes is described' '
	for o in major minor patch pre push dry-run json
	do
		grep "^\.It.*Fl -$o" "$MAN" || return 1
	done &&
	grep "^\.It Fl m Ar msg" "$MAN" &&
	grep "^\.It Fl s\$" "$MAN" &&
	grep "^\.It Fl u Ar key" "$MAN" &&
	grep "^\.It Fl n Ar count" "$MAN"
'

test_done
