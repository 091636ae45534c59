#!/bin/sh
# git release list against git tag -l --sort=-version:refname on
# 20,000 release tags, and the one ordering git gets wrong.
. bench/lib.sh
REPO=$(sh bench/gen-tags.sh | tail -n 1) || exit 1
cd "$REPO" || exit 1
echo "$(git tag -l | wc -l) tags, $(git release list --pre | wc -l) releases, $(git rev-list --count HEAD) commits"

measure "release list" git release list -- git tag -l 'v*' --sort=-version:refname
measure "release list --pre" git release list --pre -- git tag -l 'v*' --sort=-version:refname

# v2.0.0-rc.1 must come below v2.0.0, newest first
pos () { grep -n -x -F "$1" | cut -d: -f1; }
ours_rel=$(git release list --pre | pos v2.0.0)
ours_rc=$(git release list --pre | pos v2.0.0-rc.1)
git_rel=$(git tag -l 'v*' --sort=-version:refname | pos v2.0.0)
git_rc=$(git tag -l 'v*' --sort=-version:refname | pos v2.0.0-rc.1)
if test "$ours_rel" -lt "$ours_rc"
then ours=right
else ours=WRONG
fi
if test "$git_rel" -lt "$git_rc"
then theirs=right
else theirs=wrong
fi
echo "order of v2.0.0 and v2.0.0-rc.1: ours $ours (lines $ours_rel, $ours_rc), git's $theirs (lines $git_rel, $git_rc)"
test $ours = right
