#!/bin/sh
# Generate bench/work/files: a repository whose tree holds 20,000 files
# (100 directories of 200), then 200 commits that each change one line
# of one file.  Reused when it exists; FILES, DIRS and COMMITS override
# the sizes (a different size is a different repository).
cd "$(dirname "$0")/.." || exit 1
FILES=${FILES:-20000}
DIRS=${DIRS:-100}
COMMITS=${COMMITS:-200}
repo=bench/work/files-$FILES-$COMMITS
if test -f "$repo/.git/bench-ready"
then
	echo "$repo"
	exit 0
fi
rm -rf "$repo" && mkdir -p "$repo" || exit 1
git -C "$repo" init -q -b main || exit 1
per=$(($FILES / $DIRS))
awk -v files="$FILES" -v dirs="$DIRS" -v per="$per" -v commits="$COMMITS" '
function blob(text) {
	printf "data %d\n%s", length(text), text
}
BEGIN {
	t = 1700000000
	print "commit refs/heads/main"
	print "author Bench <bench@example.com> " t " +0000"
	print "committer Bench <bench@example.com> " t " +0000"
	msg = "initial tree\n"; blob(msg)
	for (i = 0; i < files; i++) {
		d = i % dirs; f = int(i / dirs)
		text = ""
		for (l = 0; l < 8; l++)
			text = text "dir " d " file " f " line " l "\n"
		printf "M 100644 inline d%03d/f%04d.txt\n", d, f
		blob(text)
	}
	print ""
	for (c = 1; c <= commits; c++) {
		t++
		d = (c * 37) % dirs; f = c % per
		print "commit refs/heads/main"
		print "author Bench <bench@example.com> " t " +0000"
		print "committer Bench <bench@example.com> " t " +0000"
		msg = "change " c ": d" d "/f" f "\n"; blob(msg)
		text = ""
		for (l = 0; l < 8; l++)
			text = text "dir " d " file " f " line " l \
			    (l == 4 ? " changed by " c : "") "\n"
		printf "M 100644 inline d%03d/f%04d.txt\n", d, f
		blob(text)
		print ""
	}
}' | git -C "$repo" fast-import --quiet || exit 1
git -C "$repo" reset -q --hard main &&
git -C "$repo" gc -q &&
touch "$repo/.git/bench-ready" &&
echo "$repo"
