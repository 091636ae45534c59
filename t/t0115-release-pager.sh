#!/bin/sh

test_description='list, history and notes through the pager, as git log

A stand-in pager (GIT_PAGER, a command writing what it reads into a
file) on a pseudo-terminal: paged on a terminal with the colour kept,
never off a terminal, not with git --no-pager or pager.release=false,
and git'"'"'s own pager.release=<cmd> without a second pager.'

. ./test-lib.sh

if ! test_have_prereq TTY
then
	skip_all='script(1) is needed for a terminal'
	test_done
fi

PAGED=$TRASH_DIRECTORY/paged
GIT_PAGER="cat >\"$PAGED\""
export GIT_PAGER

test_expect_success 'setup: releases, one bad, one deployed' '
	git init -q --bare remote.git &&
	git clone -q remote.git repo 2>/dev/null &&
	cd repo &&
	printf "%s\n" err out expect actual >.git/info/exclude &&
	test_commit one && git release cut -q &&
	test_commit "fix: two" && git release cut -q &&
	test_commit "feat: three" && git release cut -q &&
	git release deploy -q v0.2.0 -m first &&
	git release yank -q v0.1.1 -m "broke login" &&
	git config color.ui auto
'

test_expect_success 'list on a terminal goes through the pager, in colour' '
	rm -f "$PAGED" &&
	on_terminal "" "git release list" >out &&
	test_path_is_file "$PAGED" &&
	grep "^v0.2.0" "$PAGED" &&
	grep "bad: broke login" "$PAGED" &&
	grep "$(printf "\033")\[31m" "$PAGED" &&
	! grep "v0.2.0" out
'

test_expect_success 'history and notes too' '
	rm -f "$PAGED" &&
	on_terminal "" "git release history" >out &&
	grep "v0.2.0" "$PAGED" &&
	rm -f "$PAGED" &&
	on_terminal "" "git release notes v0.1.0..v0.2.0" >out &&
	grep "feat: three" "$PAGED" && grep "fix: two" "$PAGED"
'

test_expect_success 'off a terminal: no pager, no colour' '
	rm -f "$PAGED" &&
	git release list >out &&
	test_path_is_missing "$PAGED" &&
	grep "^v0.2.0" out &&
	! grep "$(printf "\033")" out
'

test_expect_success 'git --no-pager: no pager' '
	rm -f "$PAGED" &&
	on_terminal "" "git --no-pager release list" >out &&
	test_path_is_missing "$PAGED" &&
	grep "v0.2.0" out
'

test_expect_success 'pager.release=false: no pager, through git or directly' '
	rm -f "$PAGED" &&
	on_terminal "" "git -c pager.release=false release history" >out &&
	test_path_is_missing "$PAGED" &&
	grep "v0.2.0" out &&
	git config pager.release false &&
	test_when_finished "git config --unset pager.release" &&
	on_terminal "" "git-release list" >out &&
	test_path_is_missing "$PAGED" &&
	grep "v0.2.0" out
'

test_expect_success 'pager.release=<cmd> run directly: that pager, when GIT_PAGER is unset' '
	rm -f "$PAGED" other &&
	git config pager.release "cat >\"$TRASH_DIRECTORY/other\"" &&
	test_when_finished "git config --unset pager.release" &&
	(unset GIT_PAGER && on_terminal "" "git-release list" >out) &&
	test_path_is_missing "$PAGED" &&
	grep "^v0.2.0" "$TRASH_DIRECTORY/other"
'

test_expect_success 'a pager git started: not a second one, colour kept' '
	rm -f "$PAGED" &&
	on_terminal "" "git -p release list" >out &&
	test_path_is_file "$PAGED" &&
	test "$(grep -c "^v0.2.0" "$PAGED")" = 1 &&
	grep "$(printf "\033")\[31m" "$PAGED"
'

test_expect_success 'color.pager=false: paged without colour' '
	rm -f "$PAGED" &&
	on_terminal "" "git -c color.pager=false release list" >out &&
	grep "bad: broke login" "$PAGED" &&
	! grep "$(printf "\033")" "$PAGED"
'

test_expect_success '--json is not paged' '
	rm -f "$PAGED" &&
	on_terminal "" "git release list --json" >out &&
	test_path_is_missing "$PAGED" &&
	grep "\"tag\":\"v0.2.0\"" out
'

test_expect_success 'the command waits for its pager' '
	rm -f "$PAGED" &&
	GIT_PAGER="sleep 1; cat >\"$PAGED\"" on_terminal "" "git release list" &&
	grep "^v0.2.0" "$PAGED"
'

test_done
