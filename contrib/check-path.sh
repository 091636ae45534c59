#!/bin/sh
# contrib/check-path.sh <bindir>: after "make install", say whether
# "git release" will run the git-release just installed in <bindir>.
# git runs the first git-release of its exec-path, then of PATH; Debian's
# git-extras installs another program by that name in /usr/bin, which
# commits, tags and pushes whatever it is given.  Nothing found is run:
# this only looks at paths.
bindir=$1
ours=$(cd "$bindir" 2>/dev/null && pwd -P)/git-release
found=
execpath=$(git --exec-path 2>/dev/null)
if test -n "$execpath" && test -x "$execpath/git-release"; then
	found=$execpath/git-release
else
	found=$(command -v git-release 2>/dev/null)
fi
if test -z "$found"; then
	echo "warning: $bindir is not on PATH: git will not find git-release" >&2
	exit 0
fi
real=$(cd "$(dirname "$found")" && pwd -P)/$(basename "$found")
if test "$real" != "$ours"; then
	echo "warning: 'git release' will run $found, not $bindir/git-release" >&2
	echo "hint: put $bindir before $(dirname "$found") on PATH, or move the" \
		"other aside (see README: git-extras)" >&2
fi
exit 0
