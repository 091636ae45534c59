#!/bin/sh
# Marks and loose tags on the 20,000-tag repository of gen-tags.sh:
# release list and the default target of rollback check with 5,000
# releases marked bad against the same with none, and release list with
# every tag loose against git tag --sort on the same repository.
. bench/lib.sh
REPO=$(sh bench/gen-tags.sh | tail -n 1) || exit 1

# a clone of it with 5,000 marks (one stable release in four, by name)
MARKS=$BENCH_WORK/tags-marks
if ! test -f "$MARKS/.git/bench-ready"
then
	rm -rf "$MARKS" && git clone -q -n "$REPO" "$MARKS" &&
	(
		cd "$MARKS" &&
		git tag -l 'v*' | grep -E '^v[0-9]+\.[0-9]+\.[0-9]+$' |
			awk 'NR % 4 == 1' | head -n 5000 >.git/marked &&
		awk 'BEGIN {
			s = "mark 5,000 releases bad"
			printf "commit refs/deploy/marks\n"
			printf "committer Bench Mark <bench@example.com> 1700000000 +0000\n"
			printf "data %d\n%s\n", length(s), s
		}
		{
			r = "bad build " NR "\n"
			printf "M 100644 inline %s\ndata %d\n%s\n", $0, length(r), r
		}' .git/marked | git fast-import --quiet &&
		git pack-refs --all &&
		touch .git/bench-ready
	) || exit 1
fi
echo "$(git -C "$MARKS" ls-tree -r refs/deploy/marks | wc -l) marks"
# both must list the same releases, the marked ones saying so
git -C "$MARKS" release list >"$BENCH_WORK/marks.out" || exit 1
git -C "$REPO" release list >"$BENCH_WORK/nomarks.out" || exit 1
test "$(wc -l <"$BENCH_WORK/marks.out")" = "$(wc -l <"$BENCH_WORK/nomarks.out")" || exit 1
echo "$(grep -c '  bad: ' "$BENCH_WORK/marks.out") releases listed as bad"
measure "release list, 5,000 marks against none" \
	git -C "$MARKS" release list -- git -C "$REPO" release list
row "release list, 5,000 marks vs none: time" $ratio le 1.2
measure "rollback check (default target), 5,000 marks against none" \
	git -C "$MARKS" rollback check --no-fetch -- \
	git -C "$REPO" rollback check --no-fetch
row "rollback check (default target), 5,000 marks vs none: time" $ratio le 1.2

# a clone with every ref loose
LOOSE=$BENCH_WORK/tags-loose
if ! test -f "$LOOSE/.git/bench-ready"
then
	rm -rf "$LOOSE" && git clone -q -n "$REPO" "$LOOSE" &&
	(
		cd "$LOOSE" &&
		git for-each-ref --format='update %(refname) %(objectname)' refs/tags refs/heads >.git/refs.list &&
		rm -f .git/packed-refs &&
		git update-ref --stdin <.git/refs.list &&
		test ! -s .git/packed-refs &&
		touch .git/bench-ready
	) || exit 1
fi
echo "$(find "$LOOSE/.git/refs/tags" -type f | wc -l) loose tags"
measure "release list, loose tags" \
	git -C "$LOOSE" release list -- \
	git -C "$LOOSE" tag -l 'v*' --sort=-version:refname
row "release list, loose tags, vs git tag -l --sort: time" $ratio le 1.0
