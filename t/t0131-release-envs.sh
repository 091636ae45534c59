#!/bin/sh

test_description='known environments: refusals of unknown ones, --new-env, git release envs, no-hook warnings'

. ./test-lib.sh

refs_of () {
	git -C "$1" for-each-ref --format="%(refname) %(objectname)" "$2"
}

test_expect_success 'setup: two environments, a bare remote, two clones' '
	git init -q --bare remote.git &&
	git clone -q remote.git a 2>/dev/null &&
	(cd a &&
	 printf "%s\n" err out expect actual "*.before" "*.after" >.git/info/exclude &&
	 test_commit one &&
	 git tag -a -m "Release v1.0.0" v1.0.0 &&
	 test_commit two &&
	 git tag -a -m "Release v1.1.0" v1.1.0 &&
	 test_commit three &&
	 git tag -a -m "Release v1.2.0" v1.2.0 &&
	 git branch production v1.1.0 &&
	 git push -q origin main production v1.0.0 v1.1.0 v1.2.0 &&
	 git config deploy.staging.command "echo \"\$DEPLOY_ENV \$RELEASE_TAG\" >>\"\$TRASH_DIRECTORY/hook.log\"") &&
	git clone -q remote.git b &&
	printf "%s\n" err out expect actual >b/.git/info/exclude
'

test_expect_success 'production is always known; a configured environment is known' '
	(cd a && git release current >../out &&
	 test_expect_code 1 git release current --env staging 2>../err) &&
	echo v1.1.0 >expect &&
	test_cmp expect out &&
	grep "^error: nothing is known to run on .staging." err
'

test_expect_success 'deploy to a misspelt environment: 128, nothing recorded, nothing run, nothing pushed' '
	before=$(refs_of remote.git refs/) &&
	(cd a && save_state &&
	 test_expect_code 128 git release deploy v1.1.0 --env prodution \
		>../out 2>../err &&
	 test_expect_code 128 git release deploy v1.1.0 --env prodution \
		--push >>../out 2>>../err &&
	 test_state_unchanged) &&
	test "$(refs_of remote.git refs/)" = "$before" &&
	test_must_be_empty out &&
	test_path_is_missing hook.log &&
	head -n 3 err >actual &&
	cat >expect <<-\EOF &&
	fatal: unknown environment '"'prodution'"'
	hint: did you mean '"'production'"'?
	hint: known environments: production, staging
	EOF
	test_cmp expect actual
'

test_expect_success 'every command with --env refuses it, reads included, and changes nothing' '
	(cd a && save_state &&
	 for cmd in "release current" "release current --json" \
		"release history" "rollback check" \
		"rollback -m why --deploy-only" "rollback -m why --reset" \
		"release deploy v1.0.0 --dry-run"
	 do
		test_expect_code 128 git $cmd --env stagign >out 2>err &&
		test_must_be_empty out &&
		grep "^fatal: unknown environment .stagign.\$" err &&
		grep "^hint: did you mean .staging.?\$" err || return 1
	 done &&
	 test_state_unchanged)
'

test_expect_success 'a name close to none: no guess, the known ones listed' '
	(cd a && test_expect_code 128 git release current --env zzzzzz 2>../err) &&
	! grep "did you mean" err &&
	grep "^hint: known environments: production, staging\$" err
'

test_expect_success 'a bad environment name stays "not a valid environment name"' '
	(cd a && test_expect_code 128 git release current --env "a..b" 2>../err) &&
	grep "^fatal: .a\.\.b. is not a valid environment name" err
'

test_expect_success '--new-env needs --env (129)' '
	(cd a && save_state &&
	 test_expect_code 129 git release deploy v1.0.0 --new-env 2>../err &&
	 test_state_unchanged) &&
	grep "new-env needs --env" err
'

test_expect_success '--new-env declares an environment by its first entry' '
	(cd a && test_tick &&
	 git release deploy v1.0.0 --env qa --new-env -m "first qa" >../out 2>../err) &&
	grep "^deployed v1.0.0 to qa " out &&
	echo "warning: no deploy hook for '"'qa'"' (deploy.qa.command): recorded only, nothing deployed" >expect &&
	test_cmp expect err &&
	git -C a log -1 --format=%B refs/deploy/log/qa >actual &&
	grep "^Environment: qa\$" actual &&
	grep "^Reason: first qa\$" actual &&
	(cd a && git release current --env qa >../out) &&
	echo v1.0.0 >expect &&
	test_cmp expect out
'

test_expect_success 'a deploy with a hook runs it and does not warn' '
	(cd a && test_tick && git release deploy v1.2.0 --env staging 2>../err) &&
	! grep "^warning" err &&
	echo "staging v1.2.0" >expect &&
	test_cmp expect hook.log
'

test_expect_success 'git -c deploy.<env>.* makes an environment known' '
	(cd a && test_expect_code 1 git -c deploy.perf.branch= \
		release current --env perf 2>../err) &&
	grep "^error: nothing is known to run on .perf." err
'

test_expect_success 'a rollback with no hook says it deployed nothing' '
	(cd a && test_tick &&
	 git release deploy v1.1.0 --env qa --no-hook 2>../err &&
	 test_must_be_empty ../err &&
	 test_tick &&
	 git rollback -m "qa broken" --deploy-only --env qa >../out 2>../err) &&
	grep "^warning: no deploy hook for .qa. (deploy.qa.command): recorded only, nothing deployed\$" err &&
	git -C a log -1 --format=%B refs/deploy/log/qa~1 >actual &&
	grep "^Kind: rollback\$" actual &&
	grep "^Version: v1.0.0\$" actual &&
	git -C a log -1 --format=%B refs/deploy/log/qa >actual &&
	grep "^Kind: hold\$" actual &&
	grep "^Version: v1.0.0\$" actual
'

# the qa rollback marked v1.1.0 bad: production's branch answers v1.0.0
test_expect_success 'envs lists each known environment: version, when, who, hook, branch' '
	(cd a && git release envs --no-fetch >../out) &&
	cat >expect <<-EOF &&
	production  v1.0.0  (from branch production)  hook: none  branch: production
	qa          v1.0.0  $(git -C a log -1 --format=%cd --date=format-local:"%Y-%m-%d %H:%M UTC" refs/deploy/log/qa)  C O Mitter <committer@example.com>  hook: none  branch: none
	staging     v1.2.0  $(git -C a log -1 --format=%cd --date=format-local:"%Y-%m-%d %H:%M UTC" refs/deploy/log/staging)  C O Mitter <committer@example.com>  hook: echo "\$DEPLOY_ENV \$RELEASE_TAG" >>"\$TRASH_DIRECTORY/hook.log"  branch: none
	EOF
	test_cmp expect out
'

test_expect_success 'envs --json: one object an environment' '
	(cd a && git -c deploy.staging.branch=main release envs --json --no-fetch >../out) &&
	test_line_count = 3 out &&
	jq -c "[.env, .component, .tag, .source, .kind, .branch, (.hook != null)]" out >actual &&
	cat >expect <<-\EOF &&
	["production",null,"v1.0.0","branch",null,"production",false]
	["qa",null,"v1.0.0","log","rollback",null,false]
	["staging",null,"v1.2.0","log","deploy","main",true]
	EOF
	test_cmp expect actual &&
	jq -r "select(.env == \"qa\") | .time, .operator" out >actual &&
	git -C a log -1 --format="%cd%n%cn <%ce>" --date=format-local:%Y-%m-%dT%H:%M:%SZ refs/deploy/log/qa >expect &&
	test_cmp expect actual
'

test_expect_success 'envs: one row per component the log names' '
	git init -q comp &&
	(cd comp && test_commit c1 && git tag -a -m r v1.0.0 &&
	 git release deploy v1.0.0 --no-hook >/dev/null &&
	 msg=$(git log -1 --format=%B refs/deploy/log/production | sed "s/^Version: .*/&\\nComponent: api/") &&
	 c=$(printf "%s\n" "$msg" | git commit-tree -p refs/deploy/log/production $(git hash-object -t tree /dev/null)) &&
	 git update-ref refs/deploy/log/production $c &&
	 git release envs --json --no-fetch >../out) &&
	jq -c "[.env, .component, .tag]" out >actual &&
	cat >expect <<-\EOF &&
	["production",null,"v1.0.0"]
	["production","api","v1.0.0"]
	EOF
	test_cmp expect actual
'

test_expect_success 'an environment a colleague pushed is known after the fetch' '
	(cd a && git release deploy v1.2.0 --env canary --new-env --push \
		>/dev/null 2>&1) &&
	(cd b && git release current --env canary >../out) &&
	echo v1.2.0 >expect &&
	test_cmp expect out &&
	(cd b && git release current --env canary --no-fetch >../out) &&
	test_cmp expect out &&
	git -C b for-each-ref --format="%(refname)" refs/deploy-remotes/origin/log/ >actual &&
	grep "^refs/deploy-remotes/origin/log/canary\$" actual
'

test_expect_success 'the fallback needs a branch: deploy.<env>.branch' '
	(cd b && test_expect_code 1 git -c deploy.perf.command=true \
		release current --env perf --no-fetch 2>../err &&
	 git -c deploy.perf.branch=main release current --env perf \
		--no-fetch >../out 2>>../err) &&
	grep "^error: nothing is known to run on .perf." err &&
	echo v1.2.0 >expect &&
	test_cmp expect out
'

# v1.1.0 is marked bad already (the qa rollback, fetched with the log)
test_expect_success 'the fallback never yields a release marked bad' '
	(cd b && git release yank v1.2.0 -m "drops orders" >/dev/null &&
	 git -c deploy.perf.branch=main release current --env perf \
		--no-fetch >../out &&
	 git release yank --undo v1.2.0 >/dev/null &&
	 git release list >../actual) &&
	echo v1.0.0 >expect &&
	test_cmp expect out &&
	grep "^v1.1.0  bad: qa broken (qa)\$" actual
'

test_expect_success 'setup: two components on a bare remote, two clones, staging with a branch' '
	git init -q --bare mono.git &&
	git clone -q mono.git m1 2>/dev/null &&
	(cd m1 &&
	 printf "%s\n" out err expect actual notes.txt >.git/info/exclude &&
	 test_commit "feat: api" services/api/app.txt &&
	 git tag -a -m r api/v1.0.0 &&
	 test_commit "feat: web" services/web/app.txt &&
	 git tag -a -m r web/v2.0.0 &&
	 git branch production &&
	 git branch staging &&
	 test_commit "feat: web banner" services/web/app.txt v2 &&
	 git tag -a -m r web/v2.1.0 &&
	 git tag -a -m r v9.9.9 &&
	 git push -q origin main production staging --tags) &&
	git clone -q mono.git m2 &&
	printf "%s\n" out err expect actual >m2/.git/info/exclude &&
	for m in m1 m2
	do
		git -C $m config release.component.api.tagPrefix api/v &&
		git -C $m config release.component.api.path services/api &&
		git -C $m config release.component.web.tagPrefix web/v &&
		git -C $m config release.component.web.path services/web &&
		git -C $m config deploy.staging.branch staging &&
		git -C $m config deploy.staging.command \
			"echo \"\$RELEASE_TAG\" >>\"$TRASH_DIRECTORY/$m.hooks\"" ||
		return 1
	done
'

test_expect_success 'envs: a component without an entry is read from the branch by its own prefix' '
	(cd m1 && git release envs --json --no-fetch >../out) &&
	jq -c "[.env, .component, .tag, .source]" out >actual &&
	cat >expect <<-\EOF &&
	["production","api","api/v1.0.0","branch"]
	["production","web","web/v2.0.0","branch"]
	["staging","api","api/v1.0.0","branch"]
	["staging","web","web/v2.0.0","branch"]
	EOF
	test_cmp expect actual &&
	(cd m1 && git release envs --no-fetch >../out) &&
	grep "^production api  *api/v1.0.0  (from branch production)  hook: none  branch: production\$" out &&
	grep "^staging web  *web/v2.0.0  (from branch staging)  hook: " out &&
	! grep v9.9.9 out
'

test_expect_success 'envs after one component is deployed: its entry, the other still from the branch, on both clones' '
	(cd m1 && echo draft >notes.txt &&
	 test_tick && git release deploy web/v2.1.0 --env staging --push >/dev/null 2>&1) &&
	echo web/v2.1.0 >expect && test_cmp expect m1.hooks &&
	test "$(git -C mono.git rev-parse refs/deploy/log/staging)" = \
		"$(git -C m1 rev-parse refs/deploy/log/staging)" &&
	(cd m2 && git release envs --json >../out 2>../err) &&
	test_must_be_empty err &&
	jq -c "[.env, .component, .tag, .source]" out >actual &&
	cat >expect <<-\EOF &&
	["production","api","api/v1.0.0","branch"]
	["production","web","web/v2.0.0","branch"]
	["staging","api","api/v1.0.0","branch"]
	["staging","web","web/v2.1.0","log"]
	EOF
	test_cmp expect actual &&
	test_path_is_missing m2.hooks &&
	echo draft >expect && test_cmp expect m1/notes.txt
'

test_expect_success 'envs with a component the branch has no release of: nothing, by that component' '
	(cd m2 && git config release.component.cli.tagPrefix cli/v &&
	 git release envs --json --no-fetch >../out &&
	 git config --remove-section release.component.cli) &&
	jq -c "select(.component == \"cli\") | [.env, .tag, .source]" out >actual &&
	cat >expect <<-\EOF &&
	["production",null,null]
	["staging",null,null]
	EOF
	test_cmp expect actual
'

test_done
