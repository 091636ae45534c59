#!/bin/sh
# A deploy hook for Helm: upgrade (or install) the release with the chart
# and the values of the version deployed, read from its commit (never
# from the worktree, which may hold anything), and the image tag of that
# version.  A failed upgrade is rolled back by Helm itself (Helm 4's
# --rollback-on-failure, Helm 3's --atomic, chosen by "helm version"),
# and the hook then fails the deploy.
#
#	git config deploy.production.command \
#		'sh /usr/local/share/git-release/hooks/helm.sh'
#
# git release deploy and git rollback give it RELEASE_TAG, RELEASE_VERSION,
# RELEASE_COMMIT, DEPLOY_ENV, DEPLOY_KIND, DEPLOY_REASON (and
# ROLLBACK_FROM) in the environment.  Settings, from the environment too:
#	HELM_CHART	the chart (required): a directory of the repository
#			(deploy/chart), read from RELEASE_COMMIT; anything
#			else (repo/shop, oci://...) is passed as it is
#	HELM_RELEASE	the Helm release name (default: app)
#	HELM_NAMESPACE	the namespace (default: DEPLOY_ENV), created if missing
#	HELM_VALUES	a values file (optional), from RELEASE_COMMIT when the
#			repository has it there
#	HELM_TIMEOUT	how long to wait (default: 5m)
set -eu
: "${RELEASE_TAG:?run this as deploy.<env>.command}"
: "${RELEASE_COMMIT:?run this as deploy.<env>.command}"
: "${HELM_CHART:?set HELM_CHART to the chart to deploy}"
# image tags allow neither "/" (api/v1.2.3) nor "+" (build metadata)
tag=$(printf '%s' "$RELEASE_TAG" | tr '/+' '-_')
tmp=$(mktemp -d "${TMPDIR:-/tmp}/helm-hook.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# released <path>: the path as RELEASE_COMMIT has it, extracted into
# $tmp; a path the commit does not have is passed through unchanged
released () {
	p=${1#./}
	if git cat-file -e "$RELEASE_COMMIT:$p" 2>/dev/null
	then
		git archive --format=tar "$RELEASE_COMMIT" -- "$p" |
			tar -xf - -C "$tmp"
		printf '%s\n' "$tmp/$p"
	else
		printf '%s\n' "$1"
	fi
}

chart=$(released "$HELM_CHART")
values=
if test -n "${HELM_VALUES:-}"
then
	values=$(released "$HELM_VALUES")
fi
# Helm 4 replaced --atomic with --rollback-on-failure
major=$(helm version --short 2>/dev/null | sed -n 's/^v\([0-9][0-9]*\)\..*/\1/p')
if test -n "$major" && test "$major" -ge 4
then
	undo=--rollback-on-failure
else
	undo=--atomic
fi

helm upgrade "${HELM_RELEASE:-app}" "$chart" --install "$undo" \
	--create-namespace --namespace "${HELM_NAMESPACE:-$DEPLOY_ENV}" \
	${values:+--values "$values"} \
	--set-string "image.tag=$tag" \
	--timeout "${HELM_TIMEOUT:-5m}" \
	--description "$DEPLOY_KIND $RELEASE_TAG${DEPLOY_REASON:+: $DEPLOY_REASON}"
