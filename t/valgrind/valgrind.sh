#!/bin/sh
# Run the real command under valgrind: the test suite puts links to this
# script first on PATH when TEST_VALGRIND is set (make valgrind).  An
# error or a definite leak makes the command exit 126.
name=$(basename "$0")
exec valgrind -q --error-exitcode=126 --leak-check=full \
	--suppressions="$SHARNESS_BUILD_DIRECTORY/t/valgrind/libgit2.supp" \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite \
	--trace-children=no "$SHARNESS_BUILD_DIRECTORY/$name" "$@"
