#!/bin/sh
# Cost that must not grow with the record: each command on a deployment
# log of 50,000 and 100,000 entries against the same command on one of
# 10 entries ("other" in the rows is then our own command on the short
# log), many environments against one, and the start-up of the reading
# commands against git's nearest one.  The logs are written straight in
# the storage format (bench/gen-log.sh), as ten years of deploys would
# leave them.
. bench/lib.sh
RUNS=${LOG_RUNS:-3}
SIZES=${LOG_SIZES:-"50000 100000"}

# the base: 30 releases v1.0.0 .. v1.0.29 on 30 commits over 200 files
BASE=$BENCH_WORK/log-base
if ! test -f "$BASE/.git/bench-ready"
then
	rm -rf "$BASE" &&
	git init -q -b main "$BASE" &&
	(
		cd "$BASE" &&
		LC_ALL=C awk 'BEGIN {
			for (i = 0; i < 30; i++) {
				printf "commit refs/heads/main\nmark :%d\n", i + 1
				printf "committer Bench Mark <bench@example.com> %d +0000\n", 1500000000 + i * 3600
				s = "feat: change " i
				printf "data %d\n%s\n", length(s), s
				if (i > 0)
					printf "from :%d\n", i
				else
					for (f = 0; f < 200; f++) {
						c = "file " f
						printf "M 644 inline src/f%d.txt\ndata %d\n%s\n", f, length(c), c
					}
				c = "version " i
				printf "M 644 inline VERSION\ndata %d\n%s\n", length(c), c
				printf "tag v1.0.%d\nfrom :%d\n", i, i + 1
				printf "tagger Bench Mark <bench@example.com> %d +0000\n", 1500000000 + i * 3600
				s = "Release v1.0." i
				printf "data %d\n%s\n", length(s), s
			}
		}' | git fast-import --quiet &&
		git reset -q --hard main &&
		git config gc.auto 0 &&
		touch .git/bench-ready
	) || exit 1
fi

# log <entries>: a copy of the base with that many production entries;
# the newest deploys v1.0.28, older ones v1.0.10 .. v1.0.27 in turn
log_repo () {
	_r=$BENCH_WORK/log-$1
	if ! test -f "$_r/.git/bench-ready"
	then
		rm -rf "$_r" && cp -a "$BASE" "$_r" && rm -f "$_r/.git/bench-ready" &&
		(cd "$_r" && LOG_LAST=v1.0.28 sh "$BENCH_TOP/bench/gen-log.sh" "$1" \
			production $(seq -f 'v1.0.%g' 10 27) &&
		 git repack -q -a -d &&
		 git rev-parse refs/deploy/log/production >.git/bench-ready) >&2 ||
		return 1
	fi
	# as generated: the entries an earlier run's deploys added go
	git -C "$_r" update-ref refs/deploy/log/production "$(cat "$_r/.git/bench-ready")" &&
	git -C "$_r" tag -d deployed-v1.0.29 >/dev/null 2>&1
	echo "$_r"
}

small=$(log_repo 10) || exit 1
for n in $SIZES
do
	big=$(log_repo "$n") || exit 1
	echo "$n entries ($(git -C "$big" count-objects -vH | sed -n 's/size-pack: //p') packed) against 10"
	# what every command reads once (a cache beside the log, libgit2's own)
	for r in "$small" "$big"
	do
		git -C "$r" rollback check v1.0.3 --no-fetch >/dev/null || exit 1
	done
	measure "deploy --dry-run, $n entries" \
		git -C "$big" release deploy v1.0.29 --no-hook --dry-run -- \
		git -C "$small" release deploy v1.0.29 --no-hook --dry-run
	row "deploy --dry-run, $n entries vs 10: time" $ratio le 1.5
	row "deploy --dry-run, $n entries vs 10: memory" $mratio le 1.5
	measure "rollback check, $n entries" \
		git -C "$big" rollback check --no-fetch -- \
		git -C "$small" rollback check --no-fetch
	row "rollback check, $n entries vs 10: time" $ratio le 1.5
	row "rollback check, $n entries vs 10: memory" $mratio le 1.5
	measure "rollback check <never deployed>, $n entries" \
		git -C "$big" rollback check v1.0.3 --no-fetch -- \
		git -C "$small" rollback check v1.0.3 --no-fetch
	row "rollback check <never deployed>, $n entries vs 10: time" $ratio le 1.5
	row "rollback check <never deployed>, $n entries vs 10: memory" $mratio le 1.5
	measure "rollback --dry-run, $n entries" \
		git -C "$big" rollback -m slow --deploy-only --dry-run -- \
		git -C "$small" rollback -m slow --deploy-only --dry-run
	row "rollback --dry-run, $n entries vs 10: time" $ratio le 1.5
	row "rollback --dry-run, $n entries vs 10: memory" $mratio le 1.5
	measure "hotfix start --dry-run, $n entries" \
		git -C "$big" hotfix start fix --dry-run -- \
		git -C "$small" hotfix start fix --dry-run
	row "hotfix start --dry-run, $n entries vs 10: time" $ratio le 1.5
	row "hotfix start --dry-run, $n entries vs 10: memory" $mratio le 1.5
	measure "yank --dry-run, $n entries" \
		git -C "$big" release yank v1.0.5 -m bad --dry-run -- \
		git -C "$small" release yank v1.0.5 -m bad --dry-run
	row "yank --dry-run, $n entries vs 10: time" $ratio le 1.5
	row "yank --dry-run, $n entries vs 10: memory" $mratio le 1.5
	measure "current, $n entries" \
		git -C "$big" release current --no-fetch -- \
		git -C "$small" release current --no-fetch
	measure "history -n 20, $n entries" \
		git -C "$big" release history -n 20 --no-fetch -- \
		git -C "$small" release history -n 20 --no-fetch
	# a real deploy appends: RUNS more entries on each, the same for both
	measure "deploy, $n entries" \
		git -C "$big" release deploy v1.0.29 --no-hook -- \
		git -C "$small" release deploy v1.0.29 --no-hook
	row "deploy, $n entries vs 10: time" $ratio le 1.5
	row "deploy, $n entries vs 10: memory" $mratio le 1.5
	# the whole record once, at the first size: it is linear in both
	test "$n" = "${SIZES%% *}" || continue
	measure "history (all), $n entries, against git log" \
		git -C "$big" release history --env production --no-fetch -- \
		git -C "$big" log --format=%B refs/deploy/log/production
	row "history of all $n entries vs git log --format=%B: time" $ratio le 1.0
	row "history of all $n entries vs git log --format=%B: memory" $mratio le 1.0
done

# many environments: 20 of 1,000 entries each, against one of 1,000
envs=$BENCH_WORK/log-envs
if ! test -f "$envs/.git/bench-ready"
then
	rm -rf "$envs" && cp -a "$BASE" "$envs" && rm -f "$envs/.git/bench-ready" &&
	(cd "$envs" && for i in $(seq 1 20)
	 do
		LOG_TIME=$((1600000000 + $i * 7)) LOG_LAST=v1.0.$((20 + $i % 10)) \
		sh "$BENCH_TOP/bench/gen-log.sh" 1000 "$(printf 'env%02d' $i)" \
			$(seq -f 'v1.0.%g' 10 19) || exit 1
	 done && git repack -q -a -d && touch .git/bench-ready) || exit 1
fi
one=$(log_repo 1000) || exit 1
echo "20 environments of 1,000 entries against one"
measure "release list, 20 environments" \
	git -C "$envs" release list -- git -C "$one" release list
measure "history -n 20, 20 environments" \
	git -C "$envs" release history -n 20 --no-fetch -- \
	git -C "$one" release history -n 20 --no-fetch
measure "current --env env07, 20 environments" \
	git -C "$envs" release current --env env07 --no-fetch -- \
	git -C "$one" release current --no-fetch

# start-up: the reading commands against git's nearest, 30 tags
echo "start-up: 30 releases, 10 entries"
measure "release list against git tag -l" \
	git -C "$small" release list -- git -C "$small" tag -l
row "start-up: release list vs git tag -l" $ratio le 3
measure "current against git log -1" \
	git -C "$small" release current --no-fetch -- git -C "$small" log -1
row "start-up: current vs git log -1" $ratio le 3
measure "history -n 20 against git log -1" \
	git -C "$small" release history -n 20 --no-fetch -- git -C "$small" log -1
row "start-up: history -n 20 vs git log -1" $ratio le 3
