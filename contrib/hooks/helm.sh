#!/bin/sh
# A deploy hook for Helm: upgrade (or install) the release with the
# image tag of the version deployed; --atomic rolls the cluster back
# by itself when the upgrade fails, and the hook then fails the deploy.
#
#	git config deploy.production.command 'sh contrib/hooks/helm.sh'
#
# git release deploy and git rollback give it RELEASE_TAG, DEPLOY_ENV,
# DEPLOY_KIND, DEPLOY_REASON (and ROLLBACK_FROM) in the environment.
# Settings, from the environment too:
#	HELM_CHART	the chart (required), e.g. ./deploy/chart or repo/shop
#	HELM_RELEASE	the Helm release name (default: app)
#	HELM_NAMESPACE	the namespace (default: DEPLOY_ENV)
#	HELM_VALUES	a values file for this environment (optional)
#	HELM_TIMEOUT	how long to wait (default: 5m)
set -eu
: "${RELEASE_TAG:?run this as deploy.<env>.command}"
: "${HELM_CHART:?set HELM_CHART to the chart to deploy}"
# image tags allow neither "/" (api/v1.2.3) nor "+" (build metadata)
tag=$(printf '%s' "$RELEASE_TAG" | tr '/+' '-_')

helm upgrade "${HELM_RELEASE:-app}" "$HELM_CHART" --install --atomic \
	--namespace "${HELM_NAMESPACE:-$DEPLOY_ENV}" \
	${HELM_VALUES:+--values "$HELM_VALUES"} \
	--set-string "image.tag=$tag" \
	--timeout "${HELM_TIMEOUT:-5m}" \
	--description "$DEPLOY_KIND $RELEASE_TAG${DEPLOY_REASON:+: $DEPLOY_REASON}"
