#!/bin/sh

test_description='contrib/ci: the GitHub and GitLab recipes, run line by line

Each recipe is read as its CI reads it (YAML) and run as its CI runs it:
the checkout with the fetch depth and tags the file asks for, then its
run:/script: lines in order, against a bare remote that a developer
pushes to.  The release and the deployment must land on the remote.'

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

test_expect_success PYYAML 'a run with nothing new refuses and changes nothing remotely' '
	git -C remote.git for-each-ref >before &&
	test_must_fail run_ci github gh2 &&
	grep "HEAD is already release v1.1.1" gh2.log &&
	git -C remote.git for-each-ref >after &&
	test_cmp before after
'

test_expect_success 'what the depth is for: a shallow clone would cut the wrong version' '
	(cd dev && test_commit "fix: three" && git push -q origin main) &&
	git clone -q --depth 1 --no-tags "file://$TRASH_DIRECTORY/remote.git" shallow &&
	(cd shallow && git release next) >actual &&
	echo v0.1.0 >expect && test_cmp expect actual &&
	git clone -q "file://$TRASH_DIRECTORY/remote.git" full &&
	(cd full && git release next) >actual &&
	echo v1.1.2 >expect && test_cmp expect actual
'

test_done
