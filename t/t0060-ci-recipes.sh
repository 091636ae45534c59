#!/bin/sh

test_description='contrib/ci: the GitHub and GitLab recipes, run line by line

Each recipe is read as its CI reads it (YAML) and run as its CI runs it:
the checkout with the fetch depth and tags the file asks for, then its
run:/script: lines in order, against a bare remote that a developer
pushes to.  The release and the deployment must land on the remote;
the deploy is "deploy --latest", so a held production refuses and a
re-run after a failed deploy deploys what the first run cut.'

. ./test-lib.sh

CI=$SHARNESS_BUILD_DIRECTORY/contrib/ci
if python3 -c "import yaml" 2>/dev/null
then
	test_set_prereq PYYAML
fi

run_ci () {
	rm -rf runner "$2" &&
	python3 "$SHARNESS_TEST_DIRECTORY/lib-ci-run.py" "$1" "$CI/$1-release.yml" \
		"$TRASH_DIRECTORY/remote.git" "$2" >"$2.log" 2>&1 ||
	{ cat "$2.log"; false; }
}

remote_tag () {
	git -C remote.git rev-parse --verify -q "refs/tags/$1^{commit}"
}

test_expect_success 'both recipes fetch the whole history and the tags' '
	grep -E "^ +fetch-depth: 0( |\$)" "$CI/github-release.yml" &&
	grep -E "^ +fetch-tags: true( |\$)" "$CI/github-release.yml" &&
	grep -E "^ +GIT_DEPTH: 0( |\$)" "$CI/gitlab-release.yml" &&
	grep -E "GIT_FETCH_EXTRA_FLAGS: .*--tags" "$CI/gitlab-release.yml"
'

test_expect_success 'both recipes deploy with --latest, never a computed tag' '
	for f in "$CI/github-release.yml" "$CI/gitlab-release.yml"
	do
		grep "git release deploy --latest --env production --push" "$f" &&
		! grep "git release deploy [^-]" "$f" || return 1
	done
'

test_expect_success 'setup: a remote with a release and a deploy script' '
	git init -q --bare remote.git &&
	git clone -q remote.git dev 2>/dev/null &&
	(cd dev &&
	 mkdir scripts &&
	 cat >scripts/deploy.sh <<-\EOF &&
	#!/bin/sh
	echo "$RELEASE_TAG $DEPLOY_ENV $DEPLOY_KIND $RELEASE_COMMIT" >>"$DEPLOY_RECORD"
	EOF
	 chmod +x scripts/deploy.sh &&
	 git add scripts && test_commit "feat: first" &&
	 git tag -a -m "Release v1.0.0" v1.0.0 &&
	 test_commit "fix: one" && test_commit "feat: search" &&
	 git push -q origin main --tags) &&
	DEPLOY_RECORD=$TRASH_DIRECTORY/deployed &&
	export DEPLOY_RECORD
'

test_expect_success PYYAML 'GitHub Actions: cut v1.1.0 on main, deploy it' '
	run_ci github gh &&
	git -C remote.git rev-parse main >expect &&
	remote_tag v1.1.0 >actual &&
	test_cmp expect actual &&
	test "$(git -C remote.git cat-file -t v1.1.0)" = tag &&
	git -C remote.git cat-file tag v1.1.0 >tag &&
	grep "Released by CI run 4242" tag &&
	echo "v1.1.0 production deploy $(cat expect)" >expect.rec &&
	test_cmp expect.rec deployed &&
	git -C remote.git log -1 --format=%B refs/deploy/log/production >entry &&
	grep "v1.1.0" entry &&
	grep -x "v1.1.0" gh.log
'

test_expect_success PYYAML 'GitLab CI: the next push cuts v1.1.1 and deploys it' '
	(cd dev && git pull -q --tags origin main 2>/dev/null &&
	 test_commit "fix: two" && git push -q origin main) &&
	run_ci gitlab gl &&
	git -C remote.git rev-parse main >expect &&
	remote_tag v1.1.1 >actual &&
	test_cmp expect actual &&
	git -C remote.git cat-file tag v1.1.1 >tag &&
	grep "Released by pipeline 777" tag &&
	tail -n 1 deployed >last &&
	echo "v1.1.1 production deploy $(cat expect)" >expect.rec &&
	test_cmp expect.rec last &&
	git -C remote.git log -2 --format=%B refs/deploy/log/production >entries &&
	grep "v1.1.1" entries && grep "v1.1.0" entries &&
	grep -x "v1.1.1" gl.log
'

test_expect_success PYYAML 'a run with nothing new cuts and deploys nothing, and succeeds' '
	git -C remote.git for-each-ref >before &&
	cp deployed deployed.before &&
	run_ci github gh2 &&
	grep "HEAD is already release v1.1.1" gh2.log &&
	grep "^nothing newer to deploy to production: v1.1.1 is the newest good release\$" gh2.log &&
	git -C remote.git for-each-ref >after &&
	test_cmp before after &&
	test_cmp deployed.before deployed
'

test_expect_success PYYAML 'production held: the release is cut, the deploy refused' '
	(cd dev && git pull -q --tags origin main 2>/dev/null &&
	 git release hold --env production -m "incident 9" --push >out &&
	 test_commit "fix: three" && git push -q origin main) &&
	git -C remote.git rev-parse refs/deploy/log/production >log.before &&
	cp deployed deployed.before &&
	test_must_fail run_ci gitlab gl2 &&
	grep "^error: .production. is held at v1.1.1: incident 9: --latest deploys nothing" gl2.log &&
	git -C remote.git rev-parse main >expect &&
	remote_tag v1.1.2 >actual &&
	test_cmp expect actual &&
	git -C remote.git rev-parse refs/deploy/log/production >log.after &&
	test_cmp log.before log.after &&
	test_cmp deployed.before deployed
'

test_expect_success PYYAML 'the hold lifted, a re-run cuts nothing and deploys v1.1.2' '
	(cd dev && git release hold --lift --env production -m "fixed" --push >out) &&
	git -C remote.git for-each-ref "refs/tags/v*" >tags.before &&
	run_ci gitlab gl3 &&
	grep "HEAD is already release v1.1.2" gl3.log &&
	git -C remote.git for-each-ref "refs/tags/v*" >tags.after &&
	test_cmp tags.before tags.after &&
	tail -n 1 deployed >last &&
	echo "v1.1.2 production deploy $(git -C remote.git rev-parse main)" >expect.rec &&
	test_cmp expect.rec last &&
	git -C remote.git log -1 --format=%B refs/deploy/log/production >entry &&
	grep "^Version: v1.1.2\$" entry &&
	grep -x "v1.1.2" gl3.log
'

test_expect_success 'what the depth is for: a shallow clone would cut the wrong version' '
	(cd dev && git pull -q origin main 2>/dev/null &&
	 test_commit "fix: four" && git push -q origin main) &&
	git clone -q --depth 1 --no-tags "file://$TRASH_DIRECTORY/remote.git" shallow &&
	(cd shallow && git release next) >actual &&
	echo v0.1.0 >expect && test_cmp expect actual &&
	git clone -q "file://$TRASH_DIRECTORY/remote.git" full &&
	(cd full && git release next) >actual &&
	echo v1.1.3 >expect && test_cmp expect actual
'

test_done
