#!/bin/sh

test_description='git-rollback(1): every option described, the three scenarios

Lint, the common sections and the SYNOPSIS are t0010.'

. ./test-lib.sh

MAN=$SHARNESS_BUILD_DIRECTORY/man/git-rollback.1

if ! command -v mandoc >/dev/null
then
	skip_all='mandoc is needed to read the manual'
	test_done
fi

test_expect_success 'every option of the rollback is described' '
	test_expect_code 129 git rollback -h >usage &&
	sed -n "s/^ *\(-[a-z], \)*--\([a-z-]*\).*/\2/p" usage | sort -u >options &&
	test -s options &&
	while read o
	do
		grep "^\.It.*Fl -$o" "$MAN" >/dev/null ||
		{ echo "--$o is not described"; return 1; }
	done <options
'

test_expect_success 'the three scenarios are the examples' '
	man_text git-rollback.1 | sed -n "/^EXAMPLES/,/^SEE ALSO/p" >examples &&
	grep "Scenario 1: a release was just deployed" examples &&
	grep "git rollback --deploy-only -m" examples &&
	grep "Scenario 2: a bad release is already merged" examples &&
	grep "git rollback -m \"payment timeouts\" --branch --push" examples &&
	grep -- "--reset --push" examples &&
	grep "Scenario 3: keep history" examples &&
	grep -- "--revert --migrate --push" examples
'

test_done
