#!/bin/sh
# A verify command for Helm: the release's last revision is deployed
# (not failed, pending or superseded).
#
#	git config deploy.production.verifyCommand 'sh contrib/verify/helm.sh'
#
# Settings, from the environment:
#	HELM_RELEASE	the Helm release (default: app)
#	HELM_NAMESPACE	the namespace (default: DEPLOY_ENV)
#	HELM_KUBE_CONTEXT	the kubeconfig context (default: the current one)
set -eu
: "${RELEASE_TAG:?run this as deploy.<env>.verifyCommand}"
release=${HELM_RELEASE:-app}
namespace=${HELM_NAMESPACE:-$DEPLOY_ENV}

status=$(helm status "$release" --namespace "$namespace" \
	${HELM_KUBE_CONTEXT:+--kube-context "$HELM_KUBE_CONTEXT"} \
	--output json)
# the release's status, without needing jq: "info":{..."status":"deployed"
state=$(printf '%s' "$status" | tr -d ' \n' |
	sed -n 's/.*"info":{[^}]*"status":"\([a-z-]*\)".*/\1/p')
if test "$state" != deployed
then
	echo "helm release '$release' is '${state:-unknown}', not deployed"
	exit 1
fi
