#!/bin/sh
# A deploy hook for Kubernetes: point a Deployment's container at the
# image built for the release, record why, and wait for the rollout.
#
#	git config deploy.production.command 'sh contrib/hooks/kubectl.sh'
#
# git release deploy and git rollback give it RELEASE_TAG, DEPLOY_ENV,
# DEPLOY_KIND, DEPLOY_REASON (and ROLLBACK_FROM) in the environment.
# Settings, from the environment too:
#	KUBE_IMAGE	the image repository (required), e.g. registry.example.com/shop
#	KUBE_DEPLOYMENT	the Deployment (default: app)
#	KUBE_CONTAINER	its container (default: the Deployment's name)
#	KUBE_NAMESPACE	the namespace (default: DEPLOY_ENV)
#	KUBE_CONTEXT	the kubeconfig context (default: the current one)
#	KUBE_TIMEOUT	how long to wait for the rollout (default: 5m)
set -eu
: "${RELEASE_TAG:?run this as deploy.<env>.command}"
: "${KUBE_IMAGE:?set KUBE_IMAGE to the image repository}"
deployment=${KUBE_DEPLOYMENT:-app}
container=${KUBE_CONTAINER:-$deployment}
namespace=${KUBE_NAMESPACE:-$DEPLOY_ENV}
# image tags allow neither "/" (api/v1.2.3) nor "+" (build metadata)
tag=$(printf '%s' "$RELEASE_TAG" | tr '/+' '-_')

kube () {
	kubectl ${KUBE_CONTEXT:+--context "$KUBE_CONTEXT"} \
		--namespace "$namespace" "$@"
}

kube set image "deployment/$deployment" "$container=$KUBE_IMAGE:$tag"
kube annotate --overwrite "deployment/$deployment" \
	"kubernetes.io/change-cause=$DEPLOY_KIND $RELEASE_TAG${ROLLBACK_FROM:+ (from $ROLLBACK_FROM)}${DEPLOY_REASON:+: $DEPLOY_REASON}"
kube rollout status "deployment/$deployment" --timeout "${KUBE_TIMEOUT:-5m}"
