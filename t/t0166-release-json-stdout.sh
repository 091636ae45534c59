#!/bin/sh

test_description='cut, yank, yank --undo and deploy --json: stdout is one JSON document

With --json, with and without --push, stdout holds exactly one JSON
object (jq -e reads it, one line) and the text of the run ("created
...", "marked ...", what the hook prints) is on stderr.  The object
says what moved, here and on the remote.'

. ./test-lib.sh

skip_unless_jq

# one JSON document on stdout, one line
one_object () {
	test_line_count = 1 "$1" &&
	jq -e . "$1" >/dev/null &&
	test "$(jq -s length "$1")" = 1
}

remote_rev () {
	git -C ../remote.git rev-parse -q --verify "$1"
}

test_expect_success 'setup: a remote, two releases, a hook that prints on stdout' '
	git init -q --bare remote.git &&
	git clone -q remote.git work 2>/dev/null &&
	cd work &&
	printf "%s\n" "*.json" err out expect actual >.git/info/exclude &&
	test_commit one && git tag -a -m r v1.0.0 &&
	test_commit "fix: two" && git tag -a -m r v1.1.0 &&
	git push -q origin HEAD:refs/heads/main --tags &&
	git config deploy.production.command \
		"echo \"hook on stdout: \$RELEASE_TAG\"; echo \"\$RELEASE_TAG\" >>../hook.log"
'

test_expect_success 'cut --json: one object, "created" on stderr, the tag made' '
	test_commit "fix: three" &&
	git release cut --json >cut.json 2>err &&
	one_object cut.json &&
	grep "^created v1.1.1 on " err &&
	test "$(jq -r "[.op, .status] | @tsv" cut.json)" = "$(printf "cut\tcomplete")" &&
	test "$(jq -r ".refs[0].ref" cut.json)" = refs/tags/v1.1.1 &&
	test "$(jq -r ".refs[0].new" cut.json)" = "$(git rev-parse refs/tags/v1.1.1)" &&
	test "$(git rev-parse v1.1.1^{commit})" = "$(git rev-parse HEAD)" &&
	test_must_fail remote_rev refs/tags/v1.1.1
'

test_expect_success 'cut --push --json: one object, the tag here and on the remote' '
	test_commit "fix: four" &&
	git release cut --push --json >cut.json 2>err &&
	one_object cut.json &&
	grep "^created v1.1.2 on " err &&
	jq -r "[.status, (.steps | map(.kind + \"=\" + .status) | join(\",\"))] | @tsv" cut.json >actual &&
	printf "complete\tcheck=done,tag=done,push=done\n" >expect &&
	test_cmp expect actual &&
	test "$(remote_rev refs/tags/v1.1.2)" = "$(git rev-parse refs/tags/v1.1.2)"
'

test_expect_success 'cut --push --json whose push is refused: one object, aborted, the tag deleted again' '
	test_commit "fix: five" &&
	printf "#!/bin/sh\nexit 1\n" >../remote.git/hooks/pre-receive &&
	chmod +x ../remote.git/hooks/pre-receive &&
	test_expect_code 1 git release cut --push --json >cut.json 2>err &&
	rm ../remote.git/hooks/pre-receive &&
	one_object cut.json &&
	test "$(jq -r .status cut.json)" = aborted &&
	grep "v1.1.3 was not pushed, so it was deleted again" err &&
	test_must_fail git rev-parse -q --verify refs/tags/v1.1.3 &&
	test_must_fail remote_rev refs/tags/v1.1.3 &&
	git reset -q --hard HEAD~1
'

test_expect_success 'deploy --json: one object, the hook'"'"'s stdout on stderr' '
	: >../hook.log &&
	git release deploy v1.1.1 -m first --json >deploy.json 2>err &&
	one_object deploy.json &&
	grep "^hook on stdout: v1.1.1\$" err &&
	echo v1.1.1 >expect && test_cmp expect ../hook.log &&
	test "$(jq -r "[.outcome, .version, .status] | @tsv" deploy.json)" = \
		"$(printf "deployed\tv1.1.1\tcomplete")" &&
	test "$(jq -r .entry deploy.json)" = "$(git rev-parse refs/deploy/log/production)" &&
	test_must_fail remote_rev refs/deploy/log/production
'

test_expect_success 'deploy --push --json: one object, the log here and on the remote' '
	git release deploy v1.1.2 -m next --push --json >deploy.json 2>err &&
	one_object deploy.json &&
	grep "^hook on stdout: v1.1.2\$" err &&
	grep "^pushed the deployment log to .origin." err &&
	test "$(jq -r ".steps[-1] | .kind + \"=\" + .status" deploy.json)" = push=done &&
	test "$(remote_rev refs/deploy/log/production)" = "$(git rev-parse refs/deploy/log/production)" &&
	test "$(remote_rev refs/tags/deployed-v1.1.2)" = "$(git rev-parse refs/tags/deployed-v1.1.2)" &&
	test "$(git release current --no-fetch)" = v1.1.2
'

test_expect_success 'deploy --latest --json with nothing newer: one object, outcome nothing-newer, nothing moved' '
	git for-each-ref >before &&
	git release deploy --latest --json >deploy.json 2>err &&
	one_object deploy.json &&
	grep "^nothing newer to deploy to production: v1.1.2 is the newest good release" err &&
	test "$(jq -r "[.outcome, (.version // \"-\"), .status, (.refs | length)] | @tsv" deploy.json)" = \
		"$(printf "nothing-newer\t-\tcomplete\t0")" &&
	git for-each-ref >after &&
	test_cmp before after
'

test_expect_success 'yank --json: one object, "marked" on stderr, the mark made' '
	git release yank v1.1.1 -m "broken login" --json >yank.json 2>err &&
	one_object yank.json &&
	grep "^marked v1.1.1 bad: broken login" err &&
	test "$(jq -r "[.op, .status] | @tsv" yank.json)" = "$(printf "yank\tcomplete")" &&
	test "$(jq -r ".refs[0].new" yank.json)" = "$(git rev-parse refs/deploy/marks)" &&
	git release list >out &&
	grep "^v1.1.1  bad: broken login" out &&
	test_must_fail remote_rev refs/deploy/marks
'

test_expect_success 'yank --json of a mark already there: one object, nothing moved' '
	git for-each-ref >before &&
	git release yank v1.1.1 -m "broken login" --json >yank.json 2>err &&
	one_object yank.json &&
	grep "^v1.1.1 is already marked bad: broken login" err &&
	test "$(jq -r "[.status, (.steps | map(.kind + \"=\" + .status) | join(\",\")), (.refs | length)] | @tsv" yank.json)" = \
		"$(printf "complete\tcheck=done\t0")" &&
	git for-each-ref >after &&
	test_cmp before after &&
	git release yank v1.1.1 -m "broken login" >out 2>err &&
	grep "^v1.1.1 is already marked bad: broken login" out
'

test_expect_success 'yank --push --json: one object, the mark here and on the remote' '
	git release yank v1.1.2 -m "slow" --push --json >yank.json 2>err &&
	one_object yank.json &&
	grep "^marked v1.1.2 bad: slow" err &&
	test "$(jq -r ".steps | map(.kind + \"=\" + .status) | join(\",\")" yank.json)" = \
		check=done,mark=done,push=done &&
	test "$(remote_rev refs/deploy/marks)" = "$(git rev-parse refs/deploy/marks)"
'

test_expect_success 'yank --undo --json: one object, "lifted" on stderr, the mark gone' '
	git release yank --undo v1.1.1 --json >undo.json 2>err &&
	one_object undo.json &&
	grep "^lifted the bad mark on v1.1.1: broken login" err &&
	test "$(jq -r ".steps | map(.kind + \"=\" + .status) | join(\",\")" undo.json)" = \
		check=done,mark=done &&
	git release list >out &&
	! grep "^v1.1.1 .*bad" out
'

test_expect_success 'yank --undo --push --json: one object, the mark lifted on the remote too' '
	git release yank --undo v1.1.2 --push --json >undo.json 2>err &&
	one_object undo.json &&
	grep "^lifted the bad mark on v1.1.2: slow" err &&
	test "$(jq -r .status undo.json)" = complete &&
	test "$(remote_rev refs/deploy/marks)" = "$(git rev-parse refs/deploy/marks)" &&
	git clone -q ../remote.git ../other 2>/dev/null &&
	(cd ../other && git release list >../out) &&
	! grep bad ../out
'

test_expect_success 'yank --push --json whose push is refused: one object, the mark kept here' '
	printf "#!/bin/sh\nexit 1\n" >../remote.git/hooks/pre-receive &&
	chmod +x ../remote.git/hooks/pre-receive &&
	remote=$(remote_rev refs/deploy/marks) &&
	test_expect_code 1 git release yank v1.1.2 -m "again" --push --json >yank.json 2>err &&
	rm ../remote.git/hooks/pre-receive &&
	one_object yank.json &&
	test "$(jq -r ".steps | map(.kind + \"=\" + .status) | join(\",\")" yank.json)" = \
		check=done,mark=done,push=pending &&
	test "$(remote_rev refs/deploy/marks)" = "$remote" &&
	git release list >out &&
	grep "^v1.1.2  .*bad: again" out
'

test_expect_success 'deploy --push --json whose log push is refused: one object, recorded here, not there' '
	test_commit "fix: six" && git release cut -q >/dev/null 2>&1 &&
	git push -q origin v1.1.3 &&
	remote=$(remote_rev refs/deploy/log/production) &&
	printf "#!/bin/sh\nexit 1\n" >../remote.git/hooks/pre-receive &&
	chmod +x ../remote.git/hooks/pre-receive &&
	test_expect_code 1 git release deploy v1.1.3 -m next --push --json >deploy.json 2>err &&
	rm ../remote.git/hooks/pre-receive &&
	one_object deploy.json &&
	grep "^hook on stdout: v1.1.3\$" err &&
	test "$(jq -r ".steps | map(.kind + \"=\" + .status) | join(\",\")" deploy.json)" = \
		check=done,hook=done,log=done,deployed-tag=done,push=pending &&
	test "$(jq -r .entry deploy.json)" = "$(git rev-parse refs/deploy/log/production)" &&
	test "$(remote_rev refs/deploy/log/production)" = "$remote" &&
	test_path_is_missing .git/release-state/journal &&
	test "$(git release current --no-fetch)" = v1.1.3
'

test_done
