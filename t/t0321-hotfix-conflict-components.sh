#!/bin/sh

test_description='git hotfix finish --continue and --abort in a repository of two components, on a shared remote'

. ./test-lib.sh

remote_refs () {
	git -C "$TRASH_DIRECTORY/remote.git" for-each-ref \
		--format="%(refname) %(objectname)"
}

# setup_clone <clone>: the components, two environments with hooks
setup_clone () {
	git -C "$1" config release.component.api.tagPrefix api/v &&
	git -C "$1" config release.component.api.path services/api &&
	git -C "$1" config release.component.web.tagPrefix web/v &&
	git -C "$1" config release.component.web.path services/web &&
	for env in production staging
	do
		git -C "$1" config deploy.$env.command \
			"echo \"\$DEPLOY_ENV \$RELEASE_TAG\" >>\"$TRASH_DIRECTORY/$1.hooks\"" ||
		return 1
	done &&
	printf "%s\n" err out expect actual "*.rev" >"$1/.git/info/exclude"
}

test_expect_success 'setup: two components deployed, main moved on in both' '
	git init -q --bare remote.git &&
	git clone -q remote.git a 2>/dev/null &&
	setup_clone a &&
	(cd a &&
	 test_commit "docs: readme" README "read me" &&
	 test_commit "feat: api" services/api/app.txt "api 1" &&
	 git tag -a -m "Release api/v1.0.0" api/v1.0.0 &&
	 test_commit "feat: web" services/web/app.txt "web 1" &&
	 git tag -a -m "Release web/v1.0.0" web/v1.0.0 &&
	 git push -q origin main --tags &&
	 test_tick && git release deploy api/v1.0.0 --push >/dev/null 2>&1 &&
	 test_tick && git release deploy web/v1.0.0 --push >/dev/null 2>&1 &&
	 test_commit "feat: api paging" services/api/app.txt "api 2" &&
	 test_commit "feat: web banner" services/web/app.txt "web 2" &&
	 git push -q origin main) &&
	git clone -q remote.git b &&
	setup_clone b &&
	rm -f a.hooks
'

test_expect_success 'a hotfix of api stops on a conflict in the merge-back: the tag is on the api line, nothing pushed' '
	(cd a && git hotfix start retry --component api >out 2>err &&
	 test "$(git rev-parse HEAD)" = "$(git rev-parse api/v1.0.0^{commit})" &&
	 test_commit "fix: api retry \$(touch pwned)" services/api/app.txt "api 1 retry" &&
	 git rev-parse HEAD >tip.rev && git rev-parse main >main.rev &&
	 before=$(remote_refs) &&
	 test_expect_code 1 git hotfix finish --push >out 2>err &&
	 grep "^tagged api/v1.0.1 on " out &&
	 grep "^error: merging hotfix/retry into main stopped: 1 conflict" err &&
	 grep "^	services/api/app.txt\$" err &&
	 test "$(git rev-parse api/v1.0.1^{commit})" = "$(cat tip.rev)" &&
	 test "$(cat .git/MERGE_HEAD)" = "$(cat tip.rev)" &&
	 test "$(git symbolic-ref HEAD)" = refs/heads/main &&
	 test "$(git rev-parse main)" = "$(cat main.rev)" &&
	 grep "^<<<<<<< " services/api/app.txt &&
	 echo "web 2" >expect && test_cmp expect services/web/app.txt &&
	 test_must_fail git rev-parse -q --verify refs/tags/v1.0.1 &&
	 test_must_fail git rev-parse -q --verify refs/tags/web/v1.0.1 &&
	 test "$(remote_refs)" = "$before" &&
	 test_path_is_missing pwned)
'

test_expect_success 'an unrelated edit made while stopped survives --abort; main, index and hotfix back' '
	(cd a && echo "my notes" >>README &&
	 before=$(remote_refs) &&
	 git hotfix finish --abort >out 2>err &&
	 test "$(git symbolic-ref HEAD)" = refs/heads/hotfix/retry &&
	 test "$(git rev-parse HEAD)" = "$(cat tip.rev)" &&
	 test "$(git rev-parse main)" = "$(cat main.rev)" &&
	 test_path_is_missing .git/MERGE_HEAD &&
	 test_path_is_missing .git/release-state/journal &&
	 printf "read me\nmy notes\n" >expect && test_cmp expect README &&
	 echo "api 1 retry" >expect && test_cmp expect services/api/app.txt &&
	 git diff --cached --quiet &&
	 git diff --name-only >actual &&
	 echo README >expect && test_cmp expect actual &&
	 test "$(git rev-parse api/v1.0.1^{commit})" = "$(cat tip.rev)" &&
	 test "$(remote_refs)" = "$before" &&
	 git fsck --no-progress 2>&1 | { ! grep -v "^dangling"; })
'

test_expect_success 'finish again: the tag reused, resolved, an unrelated edit kept, --continue merges and pushes' '
	(cd a && git checkout -q README &&
	 test_expect_code 1 git hotfix finish --push >out 2>err &&
	 grep "^reusing tag api/v1.0.1" out &&
	 echo "my notes" >>README &&
	 echo "api 2 retry" >services/api/app.txt &&
	 git add services/api/app.txt &&
	 git hotfix finish --continue >out 2>err &&
	 test "$(git symbolic-ref HEAD)" = refs/heads/main &&
	 test "$(git rev-parse main^1)" = "$(cat main.rev)" &&
	 test "$(git rev-parse main^2)" = "$(cat tip.rev)" &&
	 echo "api 2 retry" >expect &&
	 git show main:services/api/app.txt >actual && test_cmp expect actual &&
	 echo "read me" >expect &&
	 git show main:README >actual && test_cmp expect actual &&
	 printf "read me\nmy notes\n" >expect && test_cmp expect README &&
	 test_must_fail git rev-parse -q --verify refs/heads/hotfix/retry &&
	 test_path_is_missing .git/release-state/journal &&
	 grep "git release deploy api/v1.0.1" out err) &&
	test "$(git -C remote.git rev-parse main)" = "$(git -C a rev-parse main)" &&
	test "$(git -C remote.git rev-parse api/v1.0.1)" = "$(git -C a rev-parse api/v1.0.1)" &&
	test_must_fail git -C remote.git rev-parse -q --verify refs/tags/web/v1.0.1 &&
	test_path_is_missing a.hooks
'

test_expect_success 'the colleague deploys the api hotfix; web runs as it was, on both sides' '
	(cd b && git pull -q --ff-only origin main &&
	 git fetch -q --tags &&
	 test "$(git rev-parse main)" = "$(git -C ../a rev-parse main)" &&
	 test_tick && git release deploy api/v1.0.1 --push >out 2>&1 &&
	 echo "production api/v1.0.1" >expect && test_cmp expect ../b.hooks &&
	 git release list --component web >out &&
	 ! grep "web/v1.0.1" out) &&
	(cd a && git release current --component api >actual &&
	 echo api/v1.0.1 >expect && test_cmp expect actual &&
	 git release current --component web >actual &&
	 echo web/v1.0.0 >expect && test_cmp expect actual)
'

test_expect_success 'a web hotfix stopped, then --abort --drop-tag: only its tag goes, api untouched' '
	(cd a && git checkout -q README &&
	 git hotfix start banner --component web >/dev/null 2>&1 &&
	 test "$(git rev-parse HEAD)" = "$(git rev-parse web/v1.0.0^{commit})" &&
	 test_commit "fix: web banner" services/web/app.txt "web 1 fixed" &&
	 tip=$(git rev-parse HEAD) &&
	 main=$(git rev-parse main) &&
	 before=$(remote_refs) &&
	 test_expect_code 1 git hotfix finish --push >out 2>err &&
	 grep "^tagged web/v1.0.1 on " out &&
	 echo "unrelated" >>README &&
	 git hotfix finish --abort --drop-tag >out 2>err &&
	 test_must_fail git rev-parse -q --verify refs/tags/web/v1.0.1 &&
	 test "$(git rev-parse api/v1.0.1^{commit})" = "$(cat tip.rev)" &&
	 test "$(git rev-parse main)" = "$main" &&
	 test "$(git rev-parse HEAD)" = "$tip" &&
	 printf "read me\nunrelated\n" >expect && test_cmp expect README &&
	 test "$(remote_refs)" = "$before")
'

test_expect_success 'kill -9 during the push of --continue: the next --continue pushes' '
	printf "#!/bin/sh\n: >\"%s/pushing\"\nsleep 5\n" "$TRASH_DIRECTORY" \
		>remote.git/hooks/pre-receive &&
	chmod +x remote.git/hooks/pre-receive &&
	before=$(remote_refs) &&
	(cd a && git checkout -q README &&
	 test_expect_code 1 git hotfix finish --push >out 2>err &&
	 grep "^tagged web/v1.0.1 on " out &&
	 echo "web 2 fixed" >services/web/app.txt &&
	 git add services/web/app.txt || exit 1
	 setsid git-hotfix finish --continue >out 2>err &
	 pid=$! &&
	 i=0 &&
	 while ! test -f ../pushing
	 do
		i=$(($i + 1)) && test $i -lt 300 && sleep 0.1 || exit 1
	 done &&
	 kill -9 -$pid &&
	 { wait $pid; true; } &&
	 flock -x "$(lock_file)" true &&
	 rm ../remote.git/hooks/pre-receive &&
	 test "$(remote_refs)" = "$before" &&
	 git hotfix finish --continue >out 2>err) &&
	test "$(git -C remote.git rev-parse main)" = "$(git -C a rev-parse main)" &&
	test "$(git -C remote.git rev-parse web/v1.0.1)" = "$(git -C a rev-parse web/v1.0.1)"
'

test_done
