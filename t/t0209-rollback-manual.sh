#!/bin/sh

test_description='git-rollback(1): lint clean, SYNOPSIS matches -h, every option described'

. ./test-lib.sh

MAN=$SHARNESS_BUILD_DIRECTORY/man/git-rollback.1

# the page as text, without the overstrikes that make bold and underline
render () {
	_bs=$(printf "\b") &&
	mandoc -T ascii "$MAN" | sed "s/.$_bs//g"
}

if ! command -v mandoc >/dev/null
then
	skip_all='mandoc is needed to read the manual'
	test_done
fi

test_expect_success 'the manual is lint clean' '
	mandoc -T lint -W warning "$MAN" >out 2>&1 &&
	test_must_be_empty out
'

test_expect_success 'its SYNOPSIS is the usage, form by form' '
	render |
	sed -n "/^SYNOPSIS/,/^DESCRIPTION/p" | sed "1d;\$d" |
	awk "/^     git rollback/ { if (l != \"\") print l; l = \$0; next }
	     /^ +[^ ]/ { l = l \" \" \$0 } END { print l }" |
	sed -e "s/^ *//" -e "s/  */ /g" >actual &&
	test_expect_code 129 git rollback -h >usage &&
	sed -e "/^\$/q" usage |
	sed -e "s/^usage: //" -e "s/^   or: //" -e "/^\$/d" \
		-e "s/[<>]//g" >expect &&
	test_cmp expect actual
'

test_expect_success 'the manual has the sections every page has' '
	for s in NAME SYNOPSIS DESCRIPTION OPTIONS CONFIGURATION \
		"EXIT STATUS" EXAMPLES "SEE ALSO"
	do
		grep "^\.Sh $s\$" "$MAN" || return 1
	done
'

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
	render | sed -n "/^EXAMPLES/,/^SEE ALSO/p" >examples &&
	grep "Scenario 1: a release was just deployed" examples &&
	grep "git rollback --deploy-only -m" examples &&
	grep "Scenario 2: a bad release is already merged" examples &&
	grep "git rollback -m \"payment timeouts\" --branch --push" examples &&
	grep -- "--reset --push" examples &&
	grep "Scenario 3: keep history" examples &&
	grep -- "--revert --migrate --push" examples
'

test_done
