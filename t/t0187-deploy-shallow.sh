#!/bin/sh

test_description='a shallow clone: what needs history says so, what has it works'

. ./test-lib.sh

# the refs of the bare remote, "name id" a line
remote_refs () {
	git -C "$TRASH_DIRECTORY/remote.git" for-each-ref \
		--format="%(refname) %(objectname)"
}

# configure <clone>: the two components, production and staging with
# hooks that write what they saw to <clone>.hooks, one line a run
configure () {
	git -C "$1" config release.component.api.tagPrefix api/v &&
	git -C "$1" config release.component.api.path services/api &&
	git -C "$1" config release.component.web.tagPrefix web/v &&
	git -C "$1" config release.component.web.path services/web &&
	for env in production staging
	do
		git -C "$1" config deploy.$env.command \
			"echo \"\$DEPLOY_ENV \$DEPLOY_KIND \$RELEASE_TAG\" >>\"$TRASH_DIRECTORY/$1.hooks\"" ||
		return 1
	done &&
	printf "%s\n" err out expect actual entry notes.txt >"$1/.git/info/exclude"
}

test_expect_success 'setup: a remote with two components, a shallow clone of it' '
	git init -q --bare remote.git &&
	git clone -q remote.git a 2>/dev/null &&
	configure a &&
	(cd a &&
	 test_commit "feat: api" services/api/app.txt &&
	 git tag -a -m "Release api/v1.0.0" api/v1.0.0 &&
	 test_commit "feat: web" services/web/app.txt &&
	 git tag -a -m "Release web/v1.0.0" web/v1.0.0 &&
	 test_commit "fix: api timeout" services/api/app.txt v2 &&
	 git tag -a -m "Release api/v1.0.1" api/v1.0.1 &&
	 test_commit "feat: web banner" services/web/app.txt v2 &&
	 git tag -a -m "Release web/v1.1.0" web/v1.1.0 &&
	 test_commit "fix: api retry" services/api/app.txt v3 &&
	 git tag -a -m "Release api/v1.0.2" api/v1.0.2 &&
	 test_commit "feat: api search" services/api/search.txt &&
	 test_commit "docs: readme" README &&
	 git push -q origin main --tags &&
	 for t in api/v1.0.1 api/v1.0.2 web/v1.0.0 web/v1.1.0
	 do
		test_tick && git release deploy $t --push >/dev/null 2>&1 || return 1
	 done &&
	 test_tick && git release deploy api/v1.0.2 --env staging --push \
		>/dev/null 2>&1) &&
	git clone -q --depth 1 "file://$TRASH_DIRECTORY/remote.git" s &&
	configure s &&
	test -s s/.git/shallow &&
	test_must_fail git -C s rev-parse -q --verify refs/tags/api/v1.0.1 &&
	test_must_fail git -C s rev-parse -q --verify HEAD^
'

test_expect_success 'what runs is read: current, list, history, envs' '
	(cd s &&
	 git release current --component api >actual 2>err &&
	 echo api/v1.0.2 >expect &&
	 test_cmp expect actual &&
	 test_must_be_empty err &&
	 git release current --component web >actual &&
	 echo web/v1.1.0 >expect &&
	 test_cmp expect actual &&
	 git release current --env staging --component api >actual &&
	 echo api/v1.0.2 >expect &&
	 test_cmp expect actual &&
	 git release list --component api >out &&
	 grep "^api/v1.0.2 .*deployed: production, staging" out &&
	 grep "^api/v1.0.1" out &&
	 git release history >out &&
	 test_line_count = 5 out &&
	 git release envs >out 2>err &&
	 grep "^production  *api  *api/v1.0.2 " out &&
	 grep "^production  *web  *web/v1.1.0 " out &&
	 grep "^staging  *api  *api/v1.0.2 " out &&
	 ! grep shallow err)
'

test_expect_success 'rollback check works where the history it needs is here' '
	(cd s && git release current --component api >/dev/null &&
	 git rollback check --component api >out 2>err &&
	 grep "^running: api/v1.0.2 " out &&
	 grep "^target: api/v1.0.1 (deployed to production)" out &&
	 grep "fix: api retry" out &&
	 ! grep "feat: web banner" out &&
	 ! grep shallow err)
'

test_expect_success 'cut needs the history since the last release: 128, the fetch to run, nothing changed here or there' '
	before=$(remote_refs) &&
	(cd s && save_state &&
	 test_expect_code 128 git release cut --component api >out 2>err &&
	 test_must_be_empty out &&
	 grep "^fatal: this is a shallow clone: cannot walk the history of $(git rev-parse HEAD): [0-9a-f]* is beyond its depth\$" err &&
	 grep "^hint: git fetch --unshallow --tags\$" err &&
	 ! grep "object not found" err &&
	 test_expect_code 128 git release cut --component api --dry-run >out 2>err &&
	 grep "^fatal: this is a shallow clone" err &&
	 test_state_unchanged) &&
	test "$(remote_refs)" = "$before"
'

test_expect_success 'the running version from a branch needs its history: said, nothing changed' '
	(cd s && git config deploy.qa.branch main &&
	 save_state &&
	 test_expect_code 128 git release current --env qa --component web \
		--no-fetch >out 2>err &&
	 test_must_be_empty out &&
	 grep "^fatal: this is a shallow clone: " err &&
	 grep "^hint: git fetch --unshallow --tags\$" err &&
	 test_state_unchanged &&
	 git config --unset deploy.qa.branch)
'

test_expect_success 'a deploy-only rollback to a release that is here works, pushed; the colleague reads it' '
	cp a.hooks a.hooks.before &&
	(cd s && echo draft >notes.txt &&
	 test_tick &&
	 git rollback --component api --deploy-only -m "slow \$(touch pwned)" \
		--push >out 2>err &&
	 grep "^rolled back production from api/v1.0.2 to api/v1.0.1 (deploy-only)" out &&
	 echo "production rollback api/v1.0.1" >expect &&
	 test_cmp expect ../s.hooks &&
	 test "$(git rev-parse refs/deploy/log/production)" = \
		"$(git -C ../remote.git rev-parse refs/deploy/log/production)" &&
	 git log -1 --format=%B refs/deploy/log/production~1 >entry &&
	 grep "^Component: api\$" entry &&
	 grep "^To: api/v1.0.1\$" entry &&
	 git log -1 --format=%B refs/deploy/log/production >entry &&
	 grep "^Kind: hold\$" entry &&
	 grep "^Version: api/v1.0.1\$" entry &&
	 grep "^Component: api\$" entry &&
	 echo draft >expect && test_cmp expect notes.txt &&
	 test_path_is_missing pwned) &&
	(cd a && git release current --component api >actual &&
	 echo api/v1.0.1 >expect &&
	 test_cmp expect actual &&
	 git release current --component web >actual &&
	 echo web/v1.1.0 >expect &&
	 test_cmp expect actual &&
	 git release list --component api >out &&
	 grep "^api/v1.0.2 .*bad" out) &&
	test_cmp a.hooks.before a.hooks
'

test_expect_success 'no older release here: the refusal says the clone is shallow' '
	(cd s && save_state &&
	 test_expect_code 1 git rollback --component api --deploy-only \
		-m again --no-fetch >out 2>err &&
	 grep "^error: no good release older than .api/v1.0.1." err &&
	 grep "^hint: this is a shallow clone: older releases beyond its depth are not here\$" err &&
	 grep "^hint: git fetch --unshallow --tags\$" err &&
	 test_state_unchanged) &&
	(cd a && git rollback --component api --deploy-only -m again \
		--dry-run >out 2>err &&
	 grep "^rollback production: api/v1.0.1 -> api/v1.0.0 (deploy-only)\$" out &&
	 ! grep shallow err)
'

test_expect_success 'hotfix start works; finish refuses before the tag, nothing changed here or there' '
	(cd s && git hotfix start retry --component api >out 2>err &&
	 test "$(git rev-parse HEAD)" = "$(git rev-parse api/v1.0.1^{commit})" &&
	 test_commit "fix: api retry again" services/api/retry.txt v4 &&
	 before=$(remote_refs) &&
	 save_state &&
	 test_expect_code 128 git hotfix finish --dry-run >out 2>err &&
	 grep "^fatal: this is a shallow clone: cannot merge .hotfix/retry. into .main.: [0-9a-f]* is beyond its depth\$" err &&
	 test_expect_code 128 git hotfix finish --push >out 2>err &&
	 grep "^fatal: this is a shallow clone: cannot merge" err &&
	 grep "^hint: git fetch --unshallow --tags\$" err &&
	 test_state_unchanged &&
	 test_must_fail git rev-parse -q --verify refs/tags/api/v1.0.3 &&
	 test "$(remote_refs)" = "$before" &&
	 echo draft >expect && test_cmp expect notes.txt)
'

test_expect_success 'after git fetch --unshallow --tags the hotfix finishes and is pushed' '
	(cd s && git fetch -q --unshallow --tags &&
	 test_path_is_missing .git/shallow &&
	 git hotfix finish --push >out 2>err &&
	 grep "^tagged api/v1.0.3 " out &&
	 test "$(git rev-parse api/v1.0.3^{commit})" = "$(git rev-parse main^2)" &&
	 git symbolic-ref HEAD >actual &&
	 echo refs/heads/main >expect &&
	 test_cmp expect actual &&
	 test_must_fail git rev-parse -q --verify refs/heads/hotfix/retry &&
	 echo draft >expect && test_cmp expect notes.txt &&
	 test "$(git rev-parse main)" = "$(git -C ../remote.git rev-parse main)" &&
	 test "$(git rev-parse api/v1.0.3)" = \
		"$(git -C ../remote.git rev-parse api/v1.0.3)" &&
	 git release cut --component api --dry-run >out 2>err &&
	 ! grep shallow err) &&
	(cd a && git pull -q --ff-only origin main &&
	 git fetch -q --tags &&
	 git release list --component api >out &&
	 grep "^api/v1.0.3" out)
'

test_expect_success 'a --revert rollback in a shallow clone of the production branch: done and pushed where the history is there' '
	(cd a && git branch -f production api/v1.0.2 &&
	 git push -q origin production) &&
	git clone -q --depth 1 --no-single-branch "file://$TRASH_DIRECTORY/remote.git" s2 &&
	configure s2 &&
	test -s s2/.git/shallow &&
	(cd s2 && git branch -q production origin/production &&
	 git release current --component web >actual &&
	 echo web/v1.1.0 >expect && test_cmp expect actual &&
	 test_tick &&
	 git rollback --component web --revert -m "banner broke" --push >out 2>err &&
	 grep "^rolled back production from web/v1.1.0 to web/v1.0.0 (revert)" out &&
	 git show production:services/web/app.txt >actual &&
	 echo "feat: web" >expect && test_cmp expect actual &&
	 git show production:services/api/app.txt >actual &&
	 echo v3 >expect && test_cmp expect actual &&
	 test "$(git rev-parse production)" = "$(git -C ../remote.git rev-parse production)" &&
	 echo "production rollback web/v1.0.0" >expect && test_cmp expect ../s2.hooks) &&
	(cd a && git release current --component web >actual &&
	 echo web/v1.0.0 >expect && test_cmp expect actual)
'

test_done
