#!/bin/sh
# A deploy hook for Argo CD: pin the application to the release tag
# (the git tag itself is the revision), sync it, and wait until it is
# healthy.
#
#	git config deploy.production.command 'sh contrib/hooks/argocd.sh'
#
# git release deploy and git rollback give it RELEASE_TAG, DEPLOY_ENV,
# DEPLOY_KIND, DEPLOY_REASON (and ROLLBACK_FROM) in the environment.
# Settings, from the environment too:
#	ARGOCD_APP	the application (default: app-DEPLOY_ENV)
#	ARGOCD_TIMEOUT	seconds to wait for health (default: 300)
# The argocd CLI must be logged in (ARGOCD_SERVER, ARGOCD_AUTH_TOKEN).
set -eu
: "${RELEASE_TAG:?run this as deploy.<env>.command}"
app=${ARGOCD_APP:-app-$DEPLOY_ENV}

argocd app set "$app" --revision "$RELEASE_TAG"
argocd app sync "$app" --revision "$RELEASE_TAG"
argocd app wait "$app" --sync --health --timeout "${ARGOCD_TIMEOUT:-300}"
