#!/bin/sh
# Generate bench/work/metrics: a repository with 15,000 commits, 7,500
# annotated release tags (one in ten a hotfix, with its Hotfix: line)
# and a production deployment log of 10,000 entries in the documented
# format: each release deployed in turn, one in seven rolled back half
# an hour later and deployed again, one in ten redeployed, a failed
# attempt now and then.  Reused when it already exists.
#
#	sh bench/gen-metrics.sh	(from the top of the checkout)
set -e
WORK=${BENCH_WORK:-$(pwd)/bench/work}
REPO=$WORK/metrics
ENTRIES=${ENTRIES:-10000}
RELEASES=${RELEASES:-7500}
# the clock of the benchmark: the log's last entry is a little before it
NOW=${NOW:-1790553600}

if test -f "$REPO/.generated-$ENTRIES-$RELEASES"
then
	echo "$REPO"
	exit 0
fi
rm -rf "$REPO"
mkdir -p "$WORK"
git init -q -b main "$REPO"
cd "$REPO"

# history: two commits a release, 500 s apart; the log spans the 80
# days before NOW, so commit times start before that
LC_ALL=C awk -v releases="$RELEASES" -v now="$NOW" '
function data(s) { printf "data %d\n%s\n", length(s), s }
function ident(t) { return "Bench Mark <bench@example.com> " t " +0000" }
BEGIN {
	t0 = now - 85 * 86400
	for (k = 0; k < releases; k++) {
		for (j = 1; j <= 2; j++) {
			i = 2 * k + j
			printf "commit refs/heads/main\nmark :%d\n", i
			printf "committer %s\n", ident(t0 + i * 500)
			data("feat: change " i)
			if (i > 1)
				printf "from :%d\n", i - 1
			printf "M 644 inline file.txt\n"
			data("content " i)
		}
		msg = "Release v1." k ".0\n\n- feat: change " i
		if (k % 10 == 9)
			msg = msg "\n\nHotfix: v1." k - 1 ".0"
		printf "tag v1.%d.0\nfrom :%d\ntagger %s\n", k, i,
		    ident(t0 + i * 500)
		data(msg)
	}
}' | git fast-import --quiet

# the log, from the commits fast-import made
git for-each-ref --format='%(refname:strip=2) %(*objectname)' 'refs/tags/v1.*' |
LC_ALL=C awk -v entries="$ENTRIES" -v releases="$RELEASES" -v now="$NOW" '
function data(s) { printf "data %d\n%s\n", length(s), s }
function iso(t,    d, s, y, m, dd, doy, mp, era, doe, yoe) {
	# days since the epoch to a civil date, for awk without strftime
	d = int(t / 86400); s = t - d * 86400
	d += 719468; era = int(d / 146097); doe = d - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
	doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153); dd = doy - int((153 * mp + 2) / 5) + 1
	m = mp < 10 ? mp + 3 : mp - 9; y = yoe + era * 400 + (m <= 2)
	return sprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, dd,
	    int(s / 3600), int(s % 3600 / 60), s % 60)
}
function entry(t, kind, k, extra,    v, msg) {
	v = "v1." k ".0"
	msg = kind " " v " to production\n\nVersion: " v "\nCommit: " \
	    commit[v] "\nEnvironment: production\nKind: " kind "\nTime: " \
	    iso(t) "\nOperator: Bench Mark <bench@example.com>\n" extra
	printf "commit refs/deploy/log/production\n"
	printf "committer Bench Mark <bench@example.com> %d +0000\n", t
	data(msg)
	n++
}
{ commit[$1] = $2 }
END {
	t = now - 80 * 86400
	step = int(80 * 86400 / entries)
	n = 0
	for (k = 0; n < entries; k = (k + 1) % releases) {
		t += step; entry(t, "deploy", k, "")
		if (n < entries && k % 10 == 4) {
			t += step; entry(t, "deploy", k, "")
		}
		if (n < entries && k % 13 == 5) {
			t += step; entry(t, "deploy", k, "Status: failed\n")
		}
		if (n < entries && k % 7 == 3 && k > 0) {
			t += step; entry(t, "rollback", k - 1, "Reason: errors\nFrom: v1." k ".0\nTo: v1." k - 1 ".0\nStrategy: deploy-only\n")
			if (n < entries) {
				t += step; entry(t, "deploy", k, "")
			}
		}
	}
}' | git fast-import --quiet
git pack-refs --all
touch "$REPO/.generated-$ENTRIES-$RELEASES"
echo "$REPO"
