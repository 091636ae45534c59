# Stand-ins for the verified-deploy tests (t05xx): a deploy hook that
# logs every run, and a verify command made unhealthy per release by a
# marker file, or healthy only from the Nth attempt by a counter file.
#
#	$TRASH_DIRECTORY/hook.log	"<kind> <tag> <from>" per hook run
#	$TRASH_DIRECTORY/verify.log	"<tag> <attempt> <elapsed>" per attempt
#	$TRASH_DIRECTORY/unhealthy-<tag>	that release never verifies
#	$TRASH_DIRECTORY/pass-from	verify passes from that attempt on

. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh

# setup_verify [<env>]: the shop, its hook and verify command, fast timings
setup_verify () {
	setup_shop &&
	cat >"$TRASH_DIRECTORY/verify.sh" <<-\EOS &&
	#!/bin/sh
	echo "$RELEASE_TAG $VERIFY_ATTEMPT $VERIFY_ELAPSED" >>"$TRASH_DIRECTORY/verify.log"
	pwd >"$TRASH_DIRECTORY/verify.pwd"
	if test -f "$TRASH_DIRECTORY/unhealthy-$RELEASE_TAG"
	then
		echo "  health check: 503 Service Unavailable for $RELEASE_TAG"
		echo "second line"
		exit 1
	fi
	if test -f "$TRASH_DIRECTORY/pass-from" &&
		test "$VERIFY_ATTEMPT" -lt "$(cat "$TRASH_DIRECTORY/pass-from")"
	then
		echo "not ready yet ($VERIFY_ATTEMPT)" >&2
		exit 2
	fi
	echo "healthy: $RELEASE_TAG"
	EOS
	chmod +x "$TRASH_DIRECTORY/verify.sh" &&
	verify_config
}

# verify_config [<env>]: the stand-ins as <env>'s hook and verify command
verify_config () {
	git config deploy.${1:-production}.command \
		'echo "$DEPLOY_KIND $RELEASE_TAG $ROLLBACK_FROM" >>"$TRASH_DIRECTORY/hook.log"' &&
	git config deploy.${1:-production}.verifyCommand '"$TRASH_DIRECTORY/verify.sh"' &&
	git config deploy.${1:-production}.verifyInterval 10ms &&
	git config deploy.${1:-production}.verifyTimeout 1s
}

# hook_runs: how many times the hook ran
hook_runs () {
	if test -f "$TRASH_DIRECTORY/hook.log"
	then
		wc -l <"$TRASH_DIRECTORY/hook.log" | tr -d " "
	else
		echo 0
	fi
}

# reset_logs: forget the stand-ins' logs and markers, set them up again
reset_logs () {
	verify_config &&
	rm -f "$TRASH_DIRECTORY/hook.log" "$TRASH_DIRECTORY/verify.log" \
		"$TRASH_DIRECTORY"/unhealthy-* "$TRASH_DIRECTORY/pass-from"
}

# entry_field <n> <key> [<env>]: a field of the n-th newest log entry (0 first)
entry_field () {
	git log -1 --skip="$1" --format=%B "refs/deploy/log/${3:-production}" |
	sed -n "s/^$2: //p"
}

# deploy_field <n> <key> [<env>]: the same of the deployments, holds aside
deploy_field () {
	git log -1 --skip="$1" --format=%B --invert-grep \
		--grep="^Kind: hold\$" --grep="^Kind: unhold\$" \
		"refs/deploy/log/${3:-production}" |
	sed -n "s/^$2: //p"
}

# deploy_id <n> [<env>]: the id of the n-th newest deployment entry
deploy_id () {
	git log -1 --skip="$1" --format=%H --invert-grep \
		--grep="^Kind: hold\$" --grep="^Kind: unhold\$" \
		"refs/deploy/log/${2:-production}"
}
