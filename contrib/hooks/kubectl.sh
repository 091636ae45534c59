#!/bin/sh
# A deploy hook for Kubernetes: point a Deployment's container at the
# image built for the release and record why, in one change, so that the
# new ReplicaSet carries the right change-cause; then wait for the
# rollout, and undo it when it fails or times out.
#
#	git config deploy.production.command \
#		'sh /usr/local/share/git-release/hooks/kubectl.sh'
#
# With KUBE_MANIFESTS the release's own manifests are applied, read from
# RELEASE_COMMIT (never from the worktree): its Deployment, and its
# ConfigMaps and the rest with it, so a rollback brings the target's
# configuration back too.  Without, the live Deployment is changed.
#
# git release deploy and git rollback give it RELEASE_TAG, RELEASE_VERSION,
# RELEASE_COMMIT, DEPLOY_ENV, DEPLOY_KIND, DEPLOY_REASON (and
# ROLLBACK_FROM) in the environment.  Settings, from the environment too:
#	KUBE_IMAGE	the image repository (required), e.g. registry.example.com/shop
#	KUBE_MANIFESTS	a file or directory of the repository with the
#			manifests (optional; a kustomization is honoured)
#	KUBE_DEPLOYMENT	the Deployment (default: app)
#	KUBE_CONTAINER	its container (default: the Deployment's name)
#	KUBE_NAMESPACE	the namespace (default: DEPLOY_ENV)
#	KUBE_CONTEXT	the kubeconfig context (default: the current one)
#	KUBE_TIMEOUT	how long to wait for the rollout (default: 5m)
set -eu
: "${RELEASE_TAG:?run this as deploy.<env>.command}"
: "${RELEASE_COMMIT:?run this as deploy.<env>.command}"
: "${KUBE_IMAGE:?set KUBE_IMAGE to the image repository}"
deployment=${KUBE_DEPLOYMENT:-app}
container=${KUBE_CONTAINER:-$deployment}
namespace=${KUBE_NAMESPACE:-$DEPLOY_ENV}
# image tags allow neither "/" (api/v1.2.3) nor "+" (build metadata)
tag=$(printf '%s' "$RELEASE_TAG" | tr '/+' '-_')
image=$KUBE_IMAGE:$tag
cause="$DEPLOY_KIND $RELEASE_TAG${ROLLBACK_FROM:+ (from $ROLLBACK_FROM)}${DEPLOY_REASON:+: $DEPLOY_REASON}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kubectl-hook.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

kube () {
	kubectl ${KUBE_CONTEXT:+--context "$KUBE_CONTEXT"} \
		--namespace "$namespace" "$@"
}

# a JSON string for the kustomization we write
json () {
	printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"
}

# the release's manifests, their image made the release's (kustomize,
# offline): resources are the released files, or their kustomization
render_manifests () {
	p=${KUBE_MANIFESTS#./}
	p=${p%/}
	if ! git cat-file -e "$RELEASE_COMMIT:$p" 2>/dev/null
	then
		echo "error: $RELEASE_TAG has no '$p' (KUBE_MANIFESTS)" >&2
		exit 1
	fi
	mkdir "$tmp/src"
	git archive --format=tar "$RELEASE_COMMIT" -- "$p" | tar -xf - -C "$tmp/src"
	if test -f "$tmp/src/$p"
	then
		resources=$(json "src/$p")
	elif test -f "$tmp/src/$p/kustomization.yaml" ||
	    test -f "$tmp/src/$p/kustomization.yml" ||
	    test -f "$tmp/src/$p/Kustomization"
	then
		resources=$(json "src/$p")
	else
		resources=
		for f in $(cd "$tmp" && find "src/$p" -type f \
		    \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) | sort)
		do
			resources="$resources${resources:+,}$(json "$f")"
		done
	fi
	printf '{"apiVersion":"kustomize.config.k8s.io/v1beta1","kind":"Kustomization","resources":[%s],"images":[{"name":%s,"newTag":%s}]}\n' \
		"$resources" "$(json "$KUBE_IMAGE")" "$(json "$tag")" \
		>"$tmp/kustomization.yaml"
	kubectl kustomize "$tmp" >"$tmp/rendered.yaml"
}

if test -n "${KUBE_MANIFESTS:-}"
then
	render_manifests
else
	kube get "deployment/$deployment" -o yaml >"$tmp/live.yaml"
	kubectl set image --local -f "$tmp/live.yaml" -o yaml \
		"$container=$image" >"$tmp/rendered.yaml"
fi
if ! grep -qF "image: $image" "$tmp/rendered.yaml"
then
	echo "error: no container of $KUBE_IMAGE to set to $image" >&2
	exit 1
fi
# the cause on the same objects, so one change carries both
kubectl annotate --local -f "$tmp/rendered.yaml" -o yaml --overwrite \
	"kubernetes.io/change-cause=$cause" >"$tmp/change.yaml"
if test -n "${KUBE_MANIFESTS:-}"
then
	kube apply -f "$tmp/change.yaml"
else
	kube replace -f "$tmp/change.yaml"
fi
if ! kube rollout status "deployment/$deployment" \
	--timeout "${KUBE_TIMEOUT:-5m}"
then
	echo "error: the rollout of deployment/$deployment failed or timed out; undoing it" >&2
	kube rollout undo "deployment/$deployment" || :
	exit 1
fi
