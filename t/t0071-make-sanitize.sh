#!/bin/sh

test_description='make sanitize: a build directory of its own, the normal build kept

The real build (every file with AddressSanitizer, then a test) takes
minutes on a loaded machine: it runs with --long-tests (TEST_LONG=1).'

. ./test-lib.sh

B=$SHARNESS_BUILD_DIRECTORY

if echo 'int main(void){return 0;}' |
	${CC:-cc} -fsanitize=address,undefined -x c -o asan-check - 2>/dev/null
then
	test_set_prereq ASAN
fi

test_expect_success EXPENSIVE,ASAN 'make sanitize builds in SAN_DIR and passes there' '
	for p in git-release git-rollback git-hotfix
	do
		cksum <"$B/$p" || return 1
	done >before &&
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$B" sanitize \
		SAN_DIR="$TRASH_DIRECTORY/san" T=t0000-basic.sh \
		>san.out 2>&1 ||
	{ tail -30 san.out; false; } &&
	grep "^Result: PASS" san.out &&
	nm "$TRASH_DIRECTORY/san/git-release" | grep -q __asan_init &&
	for p in git-release git-rollback git-hotfix
	do
		cksum <"$B/$p" || return 1
	done >after &&
	test_cmp before after &&
	! nm "$B/git-release" | grep -q __asan_init
'

test_done
