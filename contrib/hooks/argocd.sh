#!/bin/sh
# A deploy hook for Argo CD: pin the application to the release tag
# (the git tag itself is the revision), sync it, and wait until it is
# synced and healthy.  A sync refused because another operation is
# already in progress waits for that operation and tries again (a few
# times); any other failure fails the deploy.
#
#	git config deploy.production.command \
#		'sh /usr/local/share/git-release/hooks/argocd.sh'
#
# git release deploy and git rollback give it RELEASE_TAG, RELEASE_VERSION,
# RELEASE_COMMIT, DEPLOY_ENV, DEPLOY_KIND, DEPLOY_REASON (and
# ROLLBACK_FROM) in the environment.  Settings, from the environment too:
#	ARGOCD_APP	the application (default: app-DEPLOY_ENV)
#	ARGOCD_TIMEOUT	seconds to wait for each step (default: 300)
#	ARGOCD_RETRIES	syncs tried while another operation runs (default: 3)
# The argocd CLI must be logged in (ARGOCD_SERVER, ARGOCD_AUTH_TOKEN).
set -eu
: "${RELEASE_TAG:?run this as deploy.<env>.command}"
app=${ARGOCD_APP:-app-$DEPLOY_ENV}
timeout=${ARGOCD_TIMEOUT:-300}
tries=${ARGOCD_RETRIES:-3}
out=$(mktemp "${TMPDIR:-/tmp}/argocd-hook.XXXXXX")
trap 'rm -f "$out"' EXIT

argocd app set "$app" --revision "$RELEASE_TAG"
n=1
until argocd app sync "$app" --revision "$RELEASE_TAG" \
	--timeout "$timeout" >"$out" 2>&1
do
	cat "$out" >&2
	if ! grep -q "another operation is already in progress" "$out"
	then
		exit 1
	fi
	if test "$n" -ge "$tries"
	then
		echo "error: $app: another operation is still in progress after $n tries" >&2
		exit 1
	fi
	echo "$app: another operation is in progress; waiting for it" >&2
	argocd app wait "$app" --operation --timeout "$timeout"
	n=$((n + 1))
done
cat "$out" >&2
argocd app wait "$app" --sync --health --timeout "$timeout"
