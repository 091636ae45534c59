#!/bin/sh
# A verify command for Argo CD: the application is healthy, waiting for
# it at most one attempt's time.
#
#	git config deploy.production.verifyCommand 'sh contrib/verify/argocd.sh'
#
# Settings, from the environment:
#	ARGOCD_APP	the application (default: app-<DEPLOY_ENV>)
#	ARGOCD_VERIFY_TIMEOUT	one attempt's wait, in seconds (default: 30)
set -eu
: "${RELEASE_TAG:?run this as deploy.<env>.verifyCommand}"
app=${ARGOCD_APP:-app-$DEPLOY_ENV}

argocd app wait "$app" --health --timeout "${ARGOCD_VERIFY_TIMEOUT:-30}"
