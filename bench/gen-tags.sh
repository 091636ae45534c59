#!/bin/sh
# Generate bench/work/tags.git: 5,000 commits, 20,000 release tags (one
# in ten lightweight, the rest annotated) and noise: pre-releases,
# names that are no release, deployed-* tags.  Refs are packed, as a
# real repository's would be.  Reused when it already exists.
#
#	sh bench/gen-tags.sh	(from the top of the checkout)
set -e
WORK=${BENCH_WORK:-$(pwd)/bench/work}
REPO=$WORK/tags
COMMITS=${COMMITS:-5000}
TAGS=${TAGS:-20000}

if test -f "$REPO/.generated-$COMMITS-$TAGS"
then
	echo "$REPO"
	exit 0
fi
rm -rf "$REPO"
mkdir -p "$WORK"
git init -q -b main "$REPO"

# The stream: commit i (mark :i) changes one file; release k sits on
# commit k * COMMITS / TAGS.  Versions run 0.0.0 .. up in order of
# history so that a newer commit carries a newer version.
LC_ALL=C awk -v commits="$COMMITS" -v tags="$TAGS" '
function data(s) { printf "data %d\n%s\n", length(s), s }
function ident(t) { return "Bench Mark <bench@example.com> " t " +0000" }
BEGIN {
	t0 = 1600000000
	k = 0
	for (i = 1; i <= commits; i++) {
		printf "commit refs/heads/main\nmark :%d\n", i
		printf "committer %s\n", ident(t0 + i * 60)
		data("fix: change number " i)
		if (i > 1)
			printf "from :%d\n", i - 1
		printf "M 644 inline file.txt\n"
		data("content " i)
		# the releases on this commit
		while (k < tags && int(k * commits / tags) + 1 <= i) {
			v = int(k / 2000) "." int(k / 100) % 20 "." k % 100
			if (k % 10 == 3)
				printf "reset refs/tags/v%s\nfrom :%d\n", v, i
			else {
				printf "tag v%s\nfrom :%d\ntagger %s\n", v, i,
				    ident(t0 + i * 60)
				data("Release v" v)
			}
			# noise: a pre-release of one in ten versions,
			if (k % 10 == 0) {
				printf "tag v%s-rc.1\nfrom :%d\ntagger %s\n",
				    v, i, ident(t0 + i * 60)
				data("Release v" v "-rc.1")
			}
			# a deployed-* tag for one in twenty,
			if (k % 20 == 0) {
				printf "tag deployed-v%s\nfrom :%d\ntagger %s\n",
				    v, i, ident(t0 + i * 60)
				data("Deployed to production")
			}
			# and names that are no release
			if (k % 25 == 0) {
				printf "reset refs/tags/v%s.%d\nfrom :%d\n", v,
				    k, i
				printf "reset refs/tags/build-%d\nfrom :%d\n",
				    k, i
				printf "reset refs/tags/vnext-%d\nfrom :%d\n",
				    k, i
			}
			k++
		}
	}
}' | git -C "$REPO" fast-import --quiet
git -C "$REPO" reset -q --hard main
git -C "$REPO" pack-refs --all
git -C "$REPO" gc -q 2>/dev/null || true
touch "$REPO/.generated-$COMMITS-$TAGS"
echo "$REPO"
