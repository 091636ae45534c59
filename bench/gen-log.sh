#!/bin/sh
# Write a long deployment log straight into the repository in the current
# directory, in the storage format of git-release(1) DEPLOYMENT LOG, with
# git fast-import: thousands of entries in a second, where as many
# "git release deploy" runs would take minutes.  Used by the benchmarks
# and by the scaling tests.
#
#	sh bench/gen-log.sh <entries> <env> <tag>...
#
# Entry i (1 = the oldest) deploys the tags given in turn, each as its
# commit; LOG_FIRST=<tag> makes the oldest entry deploy that tag and
# LOG_LAST=<tag> the newest.  An existing log is continued.  For
# production, the deployed-<tag> tag the first deployment makes is
# created too (LOG_NO_DEPLOYED_TAGS=1: not, as when a remote's log was
# fetched without its tags).  Entries are a minute apart from
# LOG_TIME (default 1600000000).
set -e
test $# -ge 3 || { echo "usage: gen-log.sh <entries> <env> <tag>..." >&2; exit 129; }
n=$1 env=$2
shift 2
ref=refs/deploy/log/$env
from=$(git rev-parse -q --verify "$ref^{commit}" || true)
# "tag commit" lines for awk, the first and last included
{
	for t in "$@" ${LOG_FIRST:+"$LOG_FIRST"} ${LOG_LAST:+"$LOG_LAST"}
	do
		echo "$t $(git rev-parse --verify "$t^{commit}")"
	done
} >.git/gen-log.tags
# a deployed-<tag> made before records an older first deployment: kept
git for-each-ref --format='%(refname:strip=2)' 'refs/tags/deployed-*' |
	sed 's/^deployed-/seen /' >>.git/gen-log.tags
LC_ALL=C awk -v n="$n" -v env="$env" -v ref="$ref" -v from="$from" \
    -v ntags=$# -v first="$LOG_FIRST" -v last="$LOG_LAST" \
    -v t0="${LOG_TIME:-1600000000}" -v notags="$LOG_NO_DEPLOYED_TAGS" '
function data(s) { printf "data %d\n%s\n", length(s), s }
function iso(t) { return strftime("%Y-%m-%dT%H:%M:%SZ", t, 1) }
function human(t) { return strftime("%Y-%m-%d %H:%M UTC", t, 1) }
BEGIN {
	op = "Bench Mark <bench@example.com>"
	while ((getline line < ".git/gen-log.tags") > 0) {
		split(line, f, " ")
		if (f[1] == "seen") {
			seen[f[2]] = 1
			continue
		}
		commit[f[1]] = f[2]
		if (k < ntags)
			tag[k++] = f[1]
	}
	for (i = 1; i <= n; i++) {
		v = tag[(i - 1) % ntags]
		if (i == 1 && first != "")
			v = first
		if (i == n && last != "")
			v = last
		t = t0 + i * 60
		printf "commit %s\nmark :%d\n", ref, i
		printf "author %s %d +0000\n", op, t
		printf "committer %s %d +0000\n", op, t
		data("deploy " v " to " env "\n\nVersion: " v "\nCommit: " \
		    commit[v] "\nEnvironment: " env "\nKind: deploy\nTime: " \
		    iso(t) "\nOperator: " op "\nReason: entry " i "\n")
		if (i > 1)
			printf "from :%d\n", i - 1
		else if (from != "")
			printf "from %s\n", from
		if (env == "production" && notags == "" && !(v in seen)) {
			seen[v] = 1
			tags[v] = t
		}
	}
	for (v in tags) {
		printf "tag deployed-%s\nfrom %s\ntagger %s %d +0000\n", v,
		    commit[v], op, tags[v]
		data("Deployed to production at " human(tags[v]) "\n")
	}
}' | git fast-import --quiet --force
rm -f .git/gen-log.tags
