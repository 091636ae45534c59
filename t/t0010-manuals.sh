#!/bin/sh

test_description='the man pages: lint clean, the sections every page has,
and each SYNOPSIS exactly the usage that -h prints, so they cannot drift'

. ./test-lib.sh

if ! command -v mandoc >/dev/null
then
	skip_all='mandoc is needed to read the manuals'
	test_done
fi

MAN=$SHARNESS_BUILD_DIRECTORY/man

test_expect_success 'every page is lint clean' '
	mandoc -T lint -W warning "$MAN"/*.1 "$MAN"/*.7 >out 2>&1 &&
	test_must_be_empty out
'

for cmd in release rollback hotfix
do
	test_expect_success "git-$cmd(1): its SYNOPSIS is the usage, form by form" "
		synopsis_is_usage $cmd
	"

	test_expect_success "git-$cmd(1) has the sections every page has" '
		for s in NAME SYNOPSIS DESCRIPTION OPTIONS CONFIGURATION \
			"EXIT STATUS" EXAMPLES "SEE ALSO"
		do
			grep "^\.Sh $s\$" "$MAN/git-'$cmd'.1" || return 1
		done
	'
done

test_expect_success 'the workflow page names the three commands' '
	man_text gitrelease-workflow.7 >page &&
	grep "git-release(1)" page &&
	grep "git-rollback(1)" page &&
	grep "git-hotfix(1)" page
'

test_done
