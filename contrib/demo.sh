#!/bin/sh
# The whole workflow on a scratch repository, every command printed
# before it runs: cut releases, deploy to staging then production, an
# incident, the checklist, a rollback with a migration, a hotfix, a
# deploy that fails its health check and is rolled back by the tool,
# the history.
#
#	sh contrib/demo.sh [<dir>]	(default: a new temporary directory)

set -e
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top:$PATH
export PATH
dir=${1:-$(mktemp -d "${TMPDIR:-/tmp}/git-release-demo.XXXXXX")}
mkdir -p "$dir"
cd "$dir"

# a private identity and config, so the demo neither needs nor touches yours
HOME=$dir GIT_CONFIG_NOSYSTEM=1
GIT_AUTHOR_NAME="Dana Ops" GIT_AUTHOR_EMAIL=dana@example.com
GIT_COMMITTER_NAME="Dana Ops" GIT_COMMITTER_EMAIL=dana@example.com
export HOME GIT_CONFIG_NOSYSTEM GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL \
	GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
git config --global init.defaultBranch main
git config --global advice.detachedHead false

# bold headings on a terminal only (and not with NO_COLOR): a log of the
# demo holds no escape sequences
bold= plain=
if test -t 1 && test -z "${NO_COLOR-}"
then
	bold=$(printf '\033[1m') plain=$(printf '\033[0m')
fi
# the listings scroll by, as the rest of the demo does
GIT_PAGER=cat
export GIT_PAGER

step () {
	printf '\n%s== %s%s\n' "$bold" "$*" "$plain"
}

# print the command as one would type it, then run it
run () {
	line='$'
	for a
	do
		case $a in
		*[!A-Za-z0-9_./=:@+-]*) line="$line \"$a\"" ;;
		*) line="$line $a" ;;
		esac
	done
	printf '%s\n' "$line"
	"$@"
}

commit () {
	mkdir -p "$(dirname "$1")"
	printf '%s\n' "$3" >"$1"
	git add "$1"
	git commit -q -m "$2"
}

step "A shop's repository, with a remote everyone pushes to"
git init -q --bare origin.git
git clone -q origin.git shop 2>/dev/null
cd shop
commit app.py "feat: checkout page" "print('checkout v1')"
commit config/app.yml "chore: config" "timeout: 30"
git push -q origin main
run git release cut -m "First release"
commit app.py "feat: saved carts" "print('checkout v2')"
run git release cut
git push -q origin main v0.1.0 v0.2.0

step "Two environments, a hook each: staging first, then production"
git config deploy.staging.command \
	'echo "  [hook] helm upgrade shop-staging chart --set image.tag=$RELEASE_TAG ($DEPLOY_KIND)"'
git config deploy.production.command \
	'echo "  [hook] kubectl set image deploy/shop shop=registry/shop:$RELEASE_TAG ($DEPLOY_KIND)"'
git config rollback.migrateDownCommand \
	'echo "  [migrate] rails db:migrate:down VERSION=$MIGRATION_VERSION ($MIGRATION_ID)"'
run git release deploy v0.2.0 --env staging -m "weekly release" --push
run git release deploy v0.2.0 -m "weekly release" --push
git branch -f production v0.2.0
git push -q origin production
run git release envs

step "The next release adds a table and changes the config"
commit db/migrate/20240115120000_add_user_preferences.rb \
	"feat: user preferences" "class AddUserPreferences; end"
commit config/app.yml "fix: longer timeout" "timeout: 60"
run git release cut -m "Preferences"
run git release list
run git release deploy v0.3.0 --env staging -m "preferences rollout" --push
run git release deploy v0.3.0 -m "preferences rollout" --push
git branch -f production v0.3.0
git push -q origin production
run git release current

step "Incident: checkout fails for users with preferences"
run git rollback check || true
# v0.3.0 went out minutes ago and a hook redeploys: the check recommends
# rolling back the deployment only; follow it, with the reason
recommended=$(git rollback check --no-fetch | sed -n 's/^recommended: //p')
printf 'following the recommendation: %s\n' "$recommended"
# shellcheck disable=SC2086
run $recommended -m "checkout 500s for users with preferences" --push
run git release current
run git release list

step "Fixing forward from what runs in production"
run git hotfix start prefs-null
commit app.py "fix: handle missing preferences" "print('checkout v2, fixed')"
run git hotfix finish -m "Null preferences no longer crash checkout"
# staging still runs v0.3.0: going back to the v0.2 line is a rollback there
run git release deploy v0.2.1 --env staging --allow-downgrade --migrate -m "hotfix for the checkout incident"
run git release deploy v0.2.1 -m "hotfix for the checkout incident"

step "A deploy that fails its health check is rolled back by the tool"
# a stand-in health check: the new payments provider answers in staging,
# not in production
git config deploy.production.verifyCommand \
	'if test "$RELEASE_TAG" = v0.4.0; then echo "  [verify] GET /health: 502, payments provider unreachable"; exit 1; fi; echo "  [verify] GET /health: 200"'
git config deploy.production.verifyInterval 100ms
git config deploy.production.verifyTimeout 250ms
git config deploy.production.rollbackOnFailure true
# v0.4.0 carries the preferences migration, the hotfix line does not:
# the automatic rollback may run its down command
git config deploy.production.rollbackOnFailureMigrate true
commit app.py "feat: new payments provider" "print('checkout v3')"
run git release cut -m "Payments"
run git release deploy v0.4.0 --env staging --lift-hold -m "payments rollout"
run git release deploy v0.4.0 -m "payments rollout" || true
run git release history --env production -n 3
run git release list -n 2
run git release current
run git release hold --list
run git release envs

step "The record"
run git release history
run git tag -n1 --list 'deployed-*'

step "How delivery went: DORA's figures from the same record"
run git release metrics --since 1.week.ago
run git release history --format=cdevents -n 1
printf '\nThe scratch repository is in %s\n' "$dir"
