#!/bin/sh
# A verify command for Kubernetes: the Deployment has rolled out, and
# it runs the image built for the release being verified.
#
#	git config deploy.production.verifyCommand 'sh contrib/verify/kubectl.sh'
#
# git release deploy and git rollback give it RELEASE_TAG, DEPLOY_ENV,
# VERIFY_ATTEMPT and VERIFY_ELAPSED in the environment.  Settings, from
# the environment too:
#	KUBE_DEPLOYMENT	the Deployment (default: app)
#	KUBE_CONTAINER	its container (default: the Deployment's name)
#	KUBE_IMAGE	the image repository; when set, the container must
#			run KUBE_IMAGE:<tag> (the tag as contrib/hooks/kubectl.sh
#			makes it)
#	KUBE_NAMESPACE	the namespace (default: DEPLOY_ENV)
#	KUBE_CONTEXT	the kubeconfig context (default: the current one)
#	KUBE_VERIFY_TIMEOUT	one attempt's wait (default: 30s)
set -eu
: "${RELEASE_TAG:?run this as deploy.<env>.verifyCommand}"
deployment=${KUBE_DEPLOYMENT:-app}
container=${KUBE_CONTAINER:-$deployment}
namespace=${KUBE_NAMESPACE:-$DEPLOY_ENV}
tag=$(printf '%s' "$RELEASE_TAG" | tr '/+' '-_')

kube () {
	kubectl ${KUBE_CONTEXT:+--context "$KUBE_CONTEXT"} \
		--namespace "$namespace" "$@"
}

kube rollout status "deployment/$deployment" \
	--timeout "${KUBE_VERIFY_TIMEOUT:-30s}"
if test -n "${KUBE_IMAGE:-}"
then
	image=$(kube get "deployment/$deployment" -o \
		"jsonpath={.spec.template.spec.containers[?(@.name==\"$container\")].image}")
	if test "$image" != "$KUBE_IMAGE:$tag"
	then
		echo "deployment/$deployment runs '$image', not '$KUBE_IMAGE:$tag'"
		exit 1
	fi
fi
