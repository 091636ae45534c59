#!/bin/sh

test_description='git-release(1): lint clean, SYNOPSIS matches -h'

. ./test-lib.sh

MAN=$SHARNESS_BUILD_DIRECTORY/man/git-release.1

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
	awk "/^     git release/ { if (l != \"\") print l; l = \$0; next }
	     /^ +[^ ]/ { l = l \" \" \$0 } END { print l }" |
	sed -e "s/^ *//" -e "s/  */ /g" >actual &&
	test_expect_code 129 git release -h >usage &&
	sed -e "s/^usage: //" -e "s/^   or: //" -e "/^\$/d" \
		-e "s/[<>]//g" usage >expect &&
	test_cmp expect actual
'

test_expect_success 'every subcommand has its section' '
	render >page &&
	for c in cut list current deploy history notes yank
	do
		grep "^   git release $c\$" page || return 1
	done
'

test_expect_success 'the manual has the sections every page has' '
	for s in NAME SYNOPSIS DESCRIPTION OPTIONS CONFIGURATION \
		"DEPLOYMENT LOG" "EXIT STATUS" EXAMPLES "SEE ALSO"
	do
		grep "^\.Sh $s\$" "$MAN" || return 1
	done
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
