#!/bin/sh

test_description='components: two services in one repository, two environments, a team'

. ./test-lib.sh

# the message of the newest entry of an environment's log
entry () {
	git log -1 --format=%B --invert-grep --grep="^Kind: hold\$" \
		--grep="^Kind: unhold\$" "refs/deploy/log/${1:-production}"
}

# the refs of the bare remote, "name id" a line
remote_refs () {
	git -C "$TRASH_DIRECTORY/remote.git" for-each-ref \
		--format="%(refname) %(objectname)"
}

declare_components () {
	git config release.component.api.tagPrefix api/v &&
	git config release.component.api.path services/api &&
	git config release.component.web.tagPrefix web/v &&
	git config --add release.component.web.path services/web &&
	git config --add release.component.web.path ./assets/
}

test_expect_success 'setup: a monorepo on a bare remote, two clones' '
	git init -q --bare remote.git &&
	git clone -q remote.git a 2>/dev/null &&
	(cd a &&
	 printf "%s\n" err out expect actual "*.rev" msg >.git/info/exclude &&
	 test_commit "feat: api" services/api/app.txt &&
	 git tag -a -m "Release api/v1.0.0" api/v1.0.0 &&
	 test_commit "feat: web" services/web/app.txt &&
	 git tag -a -m "Release web/v1.0.0" web/v1.0.0 &&
	 test_commit "fix: api timeout" services/api/app.txt v2 &&
	 git tag -a -m "Release api/v1.0.1" api/v1.0.1 &&
	 test_commit "feat: web banner" services/web/app.txt v2 &&
	 git tag -a -m "Release web/v3.0.0" web/v3.0.0 &&
	 git push -q origin main --tags) &&
	git clone -q remote.git b &&
	printf "%s\n" err out expect actual "*.rev" msg >b/.git/info/exclude
'

test_expect_success 'no components, release.tagPrefix per invocation: each prefix its own running version' '
	(cd a &&
	 test_tick &&
	 git -c release.tagPrefix=api/v release deploy 1.0.0 >out &&
	 test_tick &&
	 git -c release.tagPrefix=web/v release deploy web/v3.0.0 >out &&
	 git -c release.tagPrefix=api/v release current >actual &&
	 echo api/v1.0.0 >expect &&
	 test_cmp expect actual &&
	 git -c release.tagPrefix=web/v release current >actual &&
	 echo web/v3.0.0 >expect &&
	 test_cmp expect actual &&
	 entry >actual &&
	 ! grep "^Component:" actual &&
	 test_expect_code 1 git release current 2>err &&
	 grep "nothing is known to run on .production." err &&
	 git release envs --json --no-fetch >out &&
	 jq -c "[.env, .component, .tag, .version]" out >actual &&
	 cat >expect <<-\EOF &&
	["production",null,"api/v1.0.0","1.0.0"]
	["production",null,"web/v3.0.0","3.0.0"]
	EOF
	 test_cmp expect actual)
'

test_expect_success 'no components: --component is fatal (128) and changes nothing' '
	(cd a &&
	 save_state &&
	 test_expect_code 128 git release current --component api 2>err &&
	 grep "^fatal: unknown component .api.: no component is declared" err &&
	 grep "^hint: declare it: git config release.component.api.tagPrefix api/v" err &&
	 test_state_unchanged)
'

test_expect_success 'declare the components in both clones' '
	(cd a && declare_components) &&
	(cd b && declare_components) &&
	(cd a && git release list >actual) &&
	cat >expect <<-\EOF &&
	api/v1.0.1
	api/v1.0.0  deployed: production
	web/v3.0.0  deployed: production
	web/v1.0.0
	EOF
	test_cmp expect a/actual
'

test_expect_success 'the log written before the components still answers per component' '
	(cd a &&
	 git release current --component api >actual &&
	 echo api/v1.0.0 >expect &&
	 test_cmp expect actual &&
	 git release current --component web --json >actual &&
	 grep "^{\"schema\":1,\"env\":\"production\",\"component\":\"web\",\"tag\":\"web/v3.0.0\",\"version\":\"3.0.0\"," actual)
'

test_expect_success 'with components, a command that needs one refuses (129) and lists them' '
	(cd a &&
	 save_state &&
	 test_expect_code 129 git release current 2>err &&
	 grep "^error: which component? give --component <name>" err &&
	 grep "^hint: components: api (api/v), web (web/v)\$" err &&
	 test_expect_code 129 git release deploy 1.0.1 --env staging 2>err &&
	 grep "^error: .1.0.1. is a release of no component" err &&
	 grep "^hint: components: api (api/v), web (web/v)\$" err &&
	 test_expect_code 129 git release yank 1.0.1 -m bad 2>err &&
	 test_expect_code 129 git release notes 2>err &&
	 test_expect_code 129 git release cut --patch 2>err &&
	 grep "^error: which component?" err &&
	 test_state_unchanged) &&
	remote_refs >before &&
	(cd a && test_expect_code 129 git release deploy 1.0.1 --push 2>err) &&
	remote_refs >after &&
	test_cmp before after
'

test_expect_success 'a tag of another component than --component is a usage error (129)' '
	(cd a &&
	 save_state &&
	 test_expect_code 129 git release deploy web/v1.0.0 --component api \
		--env staging 2>err &&
	 grep "^error: .web/v1.0.0. is a release of component .web., not .api." err &&
	 test_expect_code 129 git release yank web/v1.0.0 --component api \
		-m bad 2>err &&
	 test_expect_code 129 git release cut web/v9.0.0 --component api 2>err &&
	 test_state_unchanged)
'

test_expect_success 'an unknown component is fatal (128) and lists the known ones' '
	(cd a &&
	 save_state &&
	 test_expect_code 128 git release current --component apj 2>err &&
	 grep "^fatal: unknown component .apj." err &&
	 grep "^hint: components: api (api/v), web (web/v)\$" err &&
	 test_expect_code 128 git release deploy 1.0.0 --component apj 2>err &&
	 test_state_unchanged)
'

test_expect_success 'a component without a tag prefix is fatal (128)' '
	(cd a &&
	 save_state &&
	 test_expect_code 128 git -c release.component.db.path=db \
		release list 2>err &&
	 grep "^fatal: component .db. has no tag prefix" err &&
	 test_expect_code 128 git -c release.component.x.tagPrefix=api/v \
		release list 2>err &&
	 grep "^fatal: components .api. and .x. share the tag prefix .api/v." err &&
	 test_state_unchanged)
'

test_expect_success 'deploy: the tag names the component, the entry records it' '
	(cd a &&
	 git config deploy.staging.command \
		"echo \"\$DEPLOY_COMPONENT \$RELEASE_TAG\" >\"\$TRASH_DIRECTORY/hook.out\"" &&
	 test_tick &&
	 git release deploy api/v1.0.1 --env staging -m "api fix" >out &&
	 echo "api api/v1.0.1" >expect &&
	 test_cmp expect "$TRASH_DIRECTORY/hook.out" &&
	 git config --unset deploy.staging.command &&
	 entry staging >actual &&
	 grep "^Version: api/v1.0.1\$" actual &&
	 grep "^Component: api\$" actual &&
	 grep "^Environment: staging\$" actual &&
	 test_tick &&
	 git release deploy 1.0.0 --component web --env staging >out &&
	 entry staging >actual &&
	 grep "^Version: web/v1.0.0\$" actual &&
	 grep "^Component: web\$" actual &&
	 git log --format=%s refs/deploy/log/staging >actual &&
	 cat >expect <<-\EOF &&
	deploy web/v1.0.0 to staging
	deploy api/v1.0.1 to staging
	EOF
	 test_cmp expect actual)
'

test_expect_success 'current: per (environment, component)' '
	(cd a &&
	 for pair in "staging api api/v1.0.1" "staging web web/v1.0.0" \
		"production api api/v1.0.0" "production web web/v3.0.0"
	 do
		set -- $pair &&
		git release current --env $1 --component $2 >actual &&
		echo $3 >expect &&
		test_cmp expect actual || return 1
	 done)
'

test_expect_success 'the undo line of a deploy names the component release it replaces' '
	(cd a &&
	 test_tick &&
	 test_expect_code 1 git release deploy api/v1.0.0 --env staging 2>err &&
	 grep "^error: api/v1.0.0 is older than the running api/v1.0.1: that is a rollback; use git rollback\$" err &&
	 git release deploy api/v1.0.0 --env staging --allow-downgrade \
		-m "api back" >out 2>err &&
	 grep "^rolled back staging from api/v1.0.1 to api/v1.0.0 (deploy-only)\$" out &&
	 grep "^undo: git release deploy api/v1.0.1 --env staging --force --lift-hold\$" out &&
	 entry staging >actual &&
	 grep "^Kind: rollback\$" actual &&
	 grep "^Reason: api back\$" actual &&
	 grep "^Component: api\$" actual &&
	 git release hold -q --lift --env staging --component api -m over &&
	 git release yank -q --undo api/v1.0.1 &&
	 git release current --env staging --component web >actual &&
	 echo web/v1.0.0 >expect &&
	 test_cmp expect actual)
'

test_expect_success 'list shows every component, or one; history shows every entry, or one component' '
	(cd a &&
	 git release list >actual &&
	 cat >expect <<-\EOF &&
	api/v1.0.1
	api/v1.0.0  deployed: production, staging
	web/v3.0.0  deployed: production
	web/v1.0.0  deployed: staging
	EOF
	 test_cmp expect actual &&
	 git release list --component web --json >actual &&
	 test_line_count = 2 actual &&
	 grep "\"tag\":\"web/v3.0.0\".*\"component\":\"web\",\"deployed\":\[\"production\"\]" actual &&
	 git release history --no-fetch >actual &&
	 test_line_count = 5 actual &&
	 git release history --no-fetch --component api >actual &&
	 test_line_count = 3 actual &&
	 ! grep web/ actual &&
	 git release history --no-fetch --json --env staging >actual &&
	 head -n 1 actual >first &&
	 grep "^{\"schema\":1,\"env\":\"staging\",\"component\":\"api\"," first &&
	 git release envs --json --no-fetch >out &&
	 jq -c "[.env, .component, .tag, .source]" out >actual &&
	 cat >expect <<-\EOF &&
	["production","api","api/v1.0.0","log"]
	["production","web","web/v3.0.0","log"]
	["staging","api","api/v1.0.0","log"]
	["staging","web","web/v1.0.0","log"]
	EOF
	 test_cmp expect actual)
'

test_expect_success 'yank marks one component release; the others are untouched' '
	(cd a &&
	 git release yank api/v1.0.1 -m "leaks connections" >out &&
	 git show refs/deploy/marks:api/v1.0.1 >actual &&
	 echo "Reason: leaks connections" >expect &&
	 test_cmp expect actual &&
	 git release list --component api >actual &&
	 grep "^api/v1.0.1  bad: leaks connections\$" actual &&
	 git release list --component web >actual &&
	 ! grep bad actual &&
	 save_state &&
	 test_expect_code 1 git release deploy 1.0.1 --component api 2>err &&
	 grep "^error: release .api/v1.0.1. is marked bad" err &&
	 test_state_unchanged &&
	 git release yank --undo 1.0.1 --component api >out &&
	 test_must_fail git rev-parse -q --verify refs/deploy/marks:api/v1.0.1)
'

test_expect_success 'a team: a deploys a component with --push, b reads it' '
	(cd a &&
	 test_tick &&
	 git release deploy web/v3.0.0 --env staging --push >out 2>err) &&
	test "$(git -C a rev-parse refs/deploy/log/staging)" = \
		"$(git -C remote.git rev-parse refs/deploy/log/staging)" &&
	(cd b &&
	 git release current --env staging --component web >actual &&
	 echo web/v3.0.0 >expect &&
	 test_cmp expect actual &&
	 git release current --env staging --component api >actual &&
	 echo api/v1.0.0 >expect &&
	 test_cmp expect actual &&
	 test_tick &&
	 git release deploy api/v1.0.1 --env staging --push >out 2>err &&
	 entry staging >actual &&
	 grep "^Component: api\$" actual) &&
	(cd a &&
	 git release current --env staging --component api >actual &&
	 echo api/v1.0.1 >expect &&
	 test_cmp expect actual &&
	 git release current --env staging --component web >actual &&
	 echo web/v3.0.0 >expect &&
	 test_cmp expect actual)
'

test_expect_success 'cut --component: the bump, the commits and the trailers are the component'"'"'s' '
	(cd a &&
	 test_commit "feat: web login" services/web/login.txt &&
	 test_commit "add web migration" \
		services/web/db/migrate/20250102000000_web_sessions.sql &&
	 test_commit "chore: web config" services/web/config/web.yml &&
	 mkdir -p services/api/db/migrate services/api/config &&
	 echo up >services/api/db/migrate/20250101000000_add_retries.sql &&
	 echo "retries: 3" >services/api/config/app.yml &&
	 echo retry >services/api/retry.txt &&
	 git add services/api &&
	 test_tick &&
	 git commit -q -m "fix: api retry" &&
	 git release cut --component api -m "retries" >out &&
	 grep "^created api/v1.0.2 on " out &&
	 git tag -l "*/v*" --points-at HEAD >actual &&
	 echo api/v1.0.2 >expect &&
	 test_cmp expect actual &&
	 git cat-file tag api/v1.0.2 | sed "1,/^\$/d" >actual &&
	 cat >expect <<-EOF &&
	Release api/v1.0.2

	retries

	- fix: api retry ($(git rev-parse --short HEAD))

	Migration: 20250101000000_add_retries
	Config: services/api/config/app.yml
	EOF
	 test_cmp expect actual)
'

test_expect_success 'cut for the other component reads its own commits' '
	(cd a &&
	 git release cut --dry-run --component web >out &&
	 grep "^would tag .* as web/v3.1.0, annotated:" out &&
	 grep "^    - feat: web login" out &&
	 grep "^    Migration: 20250102000000_web_sessions\$" out &&
	 grep "^    Config: services/web/config/web.yml\$" out &&
	 ! grep "^    .*api" out &&
	 git release cut web/v3.1.0 >out &&
	 grep "^created web/v3.1.0 " out)
'

test_expect_success 'without components the same cut would read every commit (the minor)' '
	(git init -q flat &&
	 cd flat &&
	 printf "%s\n" err out >.git/info/exclude &&
	 test_commit "fix: api base" services/api/app.txt &&
	 git tag -a -m "Release api/v1.0.0" api/v1.0.0 &&
	 test_commit "feat: web" services/web/app.txt &&
	 test_commit "fix: api" services/api/app.txt v2 &&
	 git -c release.tagPrefix=api/v release cut --dry-run >out &&
	 grep "as api/v1.1.0" out &&
	 git config release.component.api.tagPrefix api/v &&
	 git config release.component.api.path services/api &&
	 git release cut --dry-run --component api >out &&
	 grep "as api/v1.0.1" out &&
	 grep "^    - fix: api (" out &&
	 ! grep "feat: web" out)
'

test_expect_success 'cut of a component none of whose commits came since: refused unless a bump is given' '
	(cd flat &&
	 git release cut --component api >out &&
	 grep "^created api/v1.0.1 " out &&
	 test_commit "feat: web more" services/web/more.txt &&
	 save_state &&
	 test_expect_code 1 git release cut --component api 2>err &&
	 grep "^error: no commit since the previous release of .api. changes its paths: nothing to release" err &&
	 grep "^hint: cut it anyway with --patch" err &&
	 test_state_unchanged &&
	 git release cut --component api --patch >out &&
	 grep "^created api/v1.0.2 " out)
'

test_expect_success 'notes --component: only the component'"'"'s commits' '
	(cd a &&
	 git release notes api/v1.0.1..api/v1.0.2 >actual &&
	 echo "- fix: api retry ($(git rev-parse --short "api/v1.0.2^{commit}"))" >expect &&
	 test_cmp expect actual &&
	 git release notes --component web 3.0.0..3.1.0 >actual &&
	 cat >expect <<-EOF &&
	- chore: web config ($(git rev-parse --short web/v3.1.0~1))
	- add web migration ($(git rev-parse --short web/v3.1.0~2))
	- feat: web login ($(git rev-parse --short web/v3.1.0~3))
	EOF
	 test_cmp expect actual &&
	 save_state &&
	 test_expect_code 129 git release notes --component api web/v1.0.0..web/v3.0.0 2>err &&
	 test_state_unchanged)
'

test_expect_success 'setup: both components run their newest release in production, shared' '
	(cd a &&
	 git push -q origin main api/v1.0.2 web/v3.1.0 &&
	 test_tick &&
	 git release deploy api/v1.0.2 --push >out 2>err &&
	 test_tick &&
	 git release deploy web/v3.1.0 --push >out 2>err) &&
	(cd b && git pull -q --ff-only origin main 2>/dev/null && git fetch -q --tags origin &&
	 git release current --component api >actual &&
	 echo api/v1.0.2 >expect &&
	 test_cmp expect actual)
'

test_expect_success 'rollback check needs a component (129); with one, only its commits and migrations' '
	(cd b &&
	 save_state &&
	 test_expect_code 129 git rollback check 2>err &&
	 grep "^hint: components: api (api/v), web (web/v)\$" err &&
	 test_expect_code 129 git rollback check web/v3.0.0 --component api 2>err &&
	 test_expect_code 129 git rollback -m x --component api web/v3.0.0 2>err &&
	 test_state_unchanged &&
	 test_expect_code 1 git rollback check --component api --json >out &&
	 grep "\"running\":{\"schema\":1,\"tag\":\"api/v1.0.2\"" out &&
	 grep "\"target\":{\"schema\":1,\"tag\":\"api/v1.0.1\"" out &&
	 grep "\"commits\":\[{\"schema\":1,\"commit\":\"$(git rev-parse api/v1.0.2^{commit})\",\"subject\":\"fix: api retry\"}\]" out &&
	 grep "\"migrations\":\[{\"schema\":1,\"id\":\"20250101000000_add_retries\"" out &&
	 ! grep web_sessions out &&
	 grep "\"config_changed\":\[\"services/api/config/app.yml\"\]" out)
'

test_expect_success 'rollback of one component (b, pushed): its entry, its mark, the other untouched' '
	remote_refs >before &&
	(cd b &&
	 test_tick &&
	 git rollback --component api -m "retry storm" --deploy-only \
		--ignore-migrations --push >out 2>err &&
	 grep "^rolled back production from api/v1.0.2 to api/v1.0.1" out &&
	 entry >actual &&
	 grep "^Kind: rollback\$" actual &&
	 grep "^Version: api/v1.0.1\$" actual &&
	 grep "^From: api/v1.0.2\$" actual &&
	 grep "^Component: api\$" actual &&
	 git log -1 --format=%B refs/deploy/log/production >actual &&
	 grep "^Kind: hold\$" actual &&
	 grep "^Version: api/v1.0.1\$" actual &&
	 grep "^Component: api\$" actual &&
	 git release hold --list --component api >actual &&
	 grep "^production  api/v1.0.1  " actual &&
	 git release hold --list --component web >actual &&
	 test_must_be_empty actual &&
	 git show refs/deploy/marks:api/v1.0.2 >actual &&
	 printf "Environment: production\nReason: retry storm\n" >expect &&
	 test_cmp expect actual) &&
	remote_refs >after &&
	! test_cmp before after >/dev/null &&
	test "$(git -C b rev-parse refs/deploy/log/production)" = \
		"$(git -C remote.git rev-parse refs/deploy/log/production)" &&
	(cd a &&
	 git release current --component api >actual &&
	 echo api/v1.0.1 >expect &&
	 test_cmp expect actual &&
	 git release current --component web >actual &&
	 echo web/v3.1.0 >expect &&
	 test_cmp expect actual &&
	 git release list --component api >actual &&
	 grep "^api/v1.0.2  bad: retry storm (production)\$" actual &&
	 test_expect_code 1 git rollback check --component web --json >out &&
	 grep "\"running\":{\"schema\":1,\"tag\":\"web/v3.1.0\"" out &&
	 grep "\"target\":{\"schema\":1,\"tag\":\"web/v3.0.0\"" out)
'

test_expect_success 'the next rollback target of a component skips its own bad release only' '
	(cd a &&
	 git rollback check --component api --json >out &&
	 grep "\"running\":{\"schema\":1,\"tag\":\"api/v1.0.1\"" out &&
	 grep "\"target\":{\"schema\":1,\"tag\":\"api/v1.0.0\"" out &&
	 test_expect_code 1 git rollback check --component web --json >out &&
	 grep "\"target\":{\"schema\":1,\"tag\":\"web/v3.0.0\"" out)
'

test_expect_success '--reset of one component is refused when others have commits in between' '
	(cd a &&
	 git branch production web/v3.1.0 &&
	 save_state &&
	 test_expect_code 1 git rollback --component web -m x --reset \
		--ignore-migrations 2>err &&
	 grep "^error: --reset would take back 1 commit of other components than .web. between web/v3.0.0 and web/v3.1.0" err &&
	 grep "^hint: use --revert" err &&
	 test_state_unchanged)
'

test_expect_success '--revert of one component reverts its commits only' '
	(cd a &&
	 test_tick &&
	 git rollback --component web -m "banner broke" --revert \
		--ignore-migrations >out 2>err &&
	 git log --format=%s web/v3.1.0..production >actual &&
	 cat >expect <<-\EOF &&
	Revert "feat: web login"
	Revert "add web migration"
	Revert "chore: web config"
	EOF
	 test_cmp expect actual &&
	 test "$(git rev-parse production:services/web)" = \
		"$(git rev-parse web/v3.0.0:services/web)" &&
	 test "$(git rev-parse production:services/api)" = \
		"$(git rev-parse api/v1.0.2:services/api)" &&
	 entry >actual &&
	 grep "^Component: web\$" actual &&
	 grep "^Strategy: revert\$" actual &&
	 git release current --component web >actual &&
	 echo web/v3.0.0 >expect &&
	 test_cmp expect actual &&
	 git release current --component api >actual &&
	 echo api/v1.0.1 >expect &&
	 test_cmp expect actual)
'

test_expect_success 'hotfix start: the base is the component'"'"'s running version' '
	(cd a &&
	 save_state &&
	 test_expect_code 129 git hotfix start oops 2>err &&
	 grep "^error: which component?" err &&
	 test_state_unchanged &&
	 git hotfix start retry --component api >out 2>err &&
	 grep "base: api/v1.0.1 (running in production)" err &&
	 test "$(git config branch.hotfix/retry.hotfixBase)" = api/v1.0.1 &&
	 test "$(git config branch.hotfix/retry.hotfixComponent)" = api &&
	 test_cmp_rev HEAD api/v1.0.1^{commit} &&
	 test_commit "fix: api retry backoff" services/api/backoff.txt &&
	 git hotfix list --json >actual &&
	 grep "\"branch\":\"hotfix/retry\".*\"component\":\"api\".*\"tag\":\"api/v1.0.3\",\"version\":\"1.0.3\"" actual &&
	 save_state &&
	 test_expect_code 129 git hotfix finish --component web 2>err &&
	 grep "^error: .hotfix/retry. was started for component .api., not .web." err &&
	 test_state_unchanged &&
	 git hotfix finish -y >out 2>err &&
	 git cat-file tag api/v1.0.3 >actual &&
	 grep "^- fix: api retry backoff" actual &&
	 test_cmp_rev "api/v1.0.3^{commit}" main^2 &&
	 ! git rev-parse -q --verify web/v3.0.1)
'

test_expect_success 'a refused rollback --push of a component changes nothing, here or on the remote' '
	remote_refs >before &&
	(cd b &&
	 git fetch -q origin &&
	 save_state &&
	 test_expect_code 129 git rollback -m x --push --deploy-only 2>err &&
	 test_expect_code 129 git rollback web/v3.0.0 --component api -m x \
		--push --deploy-only 2>err &&
	 test_expect_code 128 git rollback --component apj -m x --push \
		--deploy-only 2>err &&
	 test_state_unchanged) &&
	remote_refs >after &&
	test_cmp before after
'

test_expect_success 'rollback --branch of a component: rollback/<component tag>, its entry' '
	(cd b &&
	 git release deploy api/v1.0.2 --env staging --force --no-hook >out 2>err &&
	 test_tick &&
	 git rollback --component api --env staging -m "again" --branch \
		--ignore-migrations api/v1.0.1 >out 2>err &&
	 test_cmp_rev rollback/staging/api/v1.0.2 "api/v1.0.1^{commit}" &&
	 entry staging >actual &&
	 grep "^Strategy: branch\$" actual &&
	 grep "^Component: api\$" actual &&
	 git release current --env staging --component api >actual &&
	 echo api/v1.0.1 >expect &&
	 test_cmp expect actual &&
	 git release current --env staging --component web >actual &&
	 echo web/v3.0.0 >expect &&
	 test_cmp expect actual)
'

test_expect_success 'a component'"'"'s --revert stopped by a conflict: --continue finishes it for that component' '
	git init -q c &&
	(cd c &&
	 printf "%s\n" err out expect actual msg >.git/info/exclude &&
	 git config release.component.api.tagPrefix api/v &&
	 git config release.component.api.path services/api &&
	 git config release.component.web.tagPrefix web/v &&
	 git config release.component.web.path services/web &&
	 test_commit "base api" services/api/f.txt 1 &&
	 test_commit "base web" services/web/f.txt 1 &&
	 git tag -a -m x api/v1.0.0 && git tag -a -m x web/v1.0.0 &&
	 test_commit "fix: api two" services/api/f.txt 2 &&
	 test_commit "feat: web two" services/web/f.txt 2 &&
	 git tag -a -m x api/v1.1.0 &&
	 git release deploy api/v1.0.0 --no-hook >out &&
	 git release deploy api/v1.1.0 --no-hook >out &&
	 git checkout -q -b production &&
	 test_commit "hot patch" services/api/f.txt 3 &&
	 test_expect_code 1 git rollback --component api -m "two broke" \
		--revert >out 2>err &&
	 git ls-files -u >unmerged &&
	 grep "	services/api/f.txt\$" unmerged &&
	 entry >actual &&
	 grep "^Version: api/v1.1.0\$" actual &&
	 echo 1 >services/api/f.txt &&
	 git add services/api/f.txt &&
	 git rollback --continue >out 2>err &&
	 grep "^rolled back production from api/v1.1.0 to api/v1.0.0 (revert)" out &&
	 entry >actual &&
	 grep "^Component: api\$" actual &&
	 grep "^Version: api/v1.0.0\$" actual &&
	 git show refs/deploy/marks:api/v1.1.0 >actual &&
	 printf "Environment: production\nReason: two broke\n" >expect &&
	 test_cmp expect actual &&
	 echo 2 >expect &&
	 git show production:services/web/f.txt >actual &&
	 test_cmp expect actual &&
	 git log --format=%s -1 production >actual &&
	 echo "Revert \"fix: api two\"" >expect &&
	 test_cmp expect actual)
'

test_done
