#!/bin/sh

test_description='git hotfix start and finish --json: the run as a plan, the refs moved, an undo line sh can run

A bare remote and two clones; a tag message with a command substitution
in it.  stdout is one JSON object (jq reads it), its refs are the refs
moved, and its undo, pasted into sh, runs nothing and puts the refs back.'

. ./test-lib.sh

skip_unless_jq

release () {
	test_commit "release $1" "rel.t" "$1" &&
	git tag -a -m "Release v$1" "v$1"
}

state () {
	git for-each-ref --format="%(refname) %(objectname)" &&
	git symbolic-ref -q HEAD &&
	git -C ../remote.git for-each-ref \
		--format="remote %(refname) %(objectname)"
}

test_expect_success 'setup: a bare remote with the releases, a second clone' '
	git init -q --bare remote.git &&
	git init -q repo &&
	cd repo &&
	printf "%s\n" err out expect actual before after "*.out" >.git/info/exclude &&
	git remote add origin ../remote.git &&
	release 1.2.2 &&
	release 1.2.3 &&
	git push -q origin main v1.2.2 v1.2.3 &&
	git clone -q ../remote.git ../other &&
	echo "mine" >notes.txt
'

test_expect_success 'start --json --dry-run: the plan, planned; nothing changed' '
	state >before &&
	git hotfix start login v1.2.2 --json --dry-run >plan.out 2>err &&
	test_line_count = 1 plan.out &&
	jq -r "[.op, .status, .dry_run, (.steps | map(.kind + \"=\" + .status) | join(\",\"))] | @tsv" \
		plan.out >actual &&
	printf "hotfix-start\tplanned\ttrue\tref=pending,checkout=pending\n" >expect &&
	test_cmp expect actual &&
	jq -r ".refs[0] | [.ref, (.old == null), .new] | @tsv" plan.out >actual &&
	printf "refs/heads/hotfix/login\ttrue\t%s\n" "$(git rev-parse v1.2.2^{commit})" >expect &&
	test_cmp expect actual &&
	state >after &&
	test_cmp before after
'

test_expect_success 'start --json: one object, the branch made, text on stderr' '
	git hotfix start login v1.2.2 --json >start.out 2>err &&
	test_line_count = 1 start.out &&
	grep "^switched to a new branch .hotfix/login." err &&
	jq -r "[.status, (.steps | map(.kind + \"=\" + .status) | join(\",\")), .undo] | @tsv" \
		start.out >actual &&
	printf "complete\tref=done,checkout=done\tgit switch main && git branch -D hotfix/login\n" >expect &&
	test_cmp expect actual &&
	test "$(git symbolic-ref HEAD)" = refs/heads/hotfix/login &&
	test "$(cat notes.txt)" = mine
'

test_expect_success 'the undo of start, pasted into sh, puts HEAD and the refs back' '
	sh -c "$(jq -r .undo start.out)" >out 2>&1 &&
	state >after &&
	test_cmp before after &&
	git hotfix start login v1.2.2 -q
'

test_expect_success 'finish --dry-run --json: the plan, planned; --continue --json with nothing stopped: refused (1)' '
	test_commit "fix: login" login.t &&
	state >before &&
	git hotfix finish --push --dry-run --json >out 2>err &&
	test_line_count = 1 out &&
	jq -r "[.op, .status, .dry_run, (.steps | map(.kind + \"=\" + .status) | join(\",\"))] | @tsv" \
		out >actual &&
	printf "hotfix-finish\tplanned\ttrue\tcheck=pending,tag=pending,merge=pending,ref=pending,push=pending\n" >expect &&
	test_cmp expect actual &&
	jq -r ".steps[-1].lease | join(\" \")" out >actual &&
	echo "refs/tags/v1.2.4: refs/heads/main:$(git rev-parse main)" >expect &&
	test_cmp expect actual &&
	test_expect_code 1 git hotfix finish --continue --json >out 2>err &&
	test_must_be_empty out &&
	grep "^error: no hotfix finish is in progress" err &&
	state >after &&
	test_cmp before after
'

test_expect_success 'finish --push --json: tag, merge, branch deleted, push; the remote moved' '
	tip=$(git rev-parse HEAD) main_before=$(git rev-parse main) &&
	git hotfix finish --push -m "fix \$(touch pwned) \"now\"" --json >finish.out 2>err &&
	test_line_count = 1 finish.out &&
	grep "^next: git release deploy v1.2.4" err &&
	jq -r "[.op, .status, (.steps | map(.kind + \"=\" + .status) | join(\",\"))] | @tsv" \
		finish.out >actual &&
	printf "hotfix-finish\tcomplete\tcheck=done,tag=done,merge=done,ref=done,push=done\n" >expect &&
	test_cmp expect actual &&
	jq -r ".refs[] | [.ref, .old // \"-\", .new // \"-\"] | @tsv" finish.out >actual &&
	printf "%s\t%s\t%s\n" refs/tags/v1.2.4 - "$(git rev-parse v1.2.4)" \
		refs/heads/main "$main_before" "$(git rev-parse main)" \
		refs/heads/hotfix/login "$tip" - >expect &&
	test_cmp expect actual &&
	test "$(git -C ../remote.git rev-parse v1.2.4)" = "$(git rev-parse v1.2.4)" &&
	test "$(git -C ../remote.git rev-parse main)" = "$(git rev-parse main)" &&
	(cd ../other && git fetch -q origin --tags &&
	 test "$(git rev-parse v1.2.4^{commit})" = "$tip") &&
	test_path_is_missing pwned
'

test_expect_success 'the undo of finish, pasted into sh, puts the local refs back' '
	jq -r .undo finish.out >undo &&
	grep "^git push --atomic --force-with-lease=refs/tags/v1.2.4:$(git rev-parse v1.2.4) --force-with-lease=refs/heads/main:$(git rev-parse main) origin :refs/tags/v1.2.4 $main_before:refs/heads/main && git update-ref refs/heads/hotfix/login $tip && git config branch.hotfix/login.hotfixBase v1.2.2 && git reset --keep $main_before && git switch hotfix/login && git tag -d v1.2.4\$" undo &&
	sh -c "$(cat undo)" >out 2>&1 &&
	test "$(git -C ../remote.git rev-parse main)" = "$main_before" &&
	test_must_fail git -C ../remote.git rev-parse -q --verify refs/tags/v1.2.4 &&
	git -C ../remote.git tag v1.2.4 v1.2.3 &&
	test_path_is_missing pwned &&
	test "$(git rev-parse main)" = "$main_before" &&
	test_must_fail git rev-parse -q --verify refs/tags/v1.2.4 &&
	test "$(git rev-parse hotfix/login)" = "$tip" &&
	test "$(git config branch.hotfix/login.hotfixbase)" = v1.2.2 &&
	test "$(git symbolic-ref HEAD)" = refs/heads/hotfix/login
'

test_expect_success 'finish --json stopped on a merge conflict: status stopped, the undo aborts' '
	git -C ../remote.git tag -d v1.2.4 >/dev/null &&
	git switch -q main &&
	test_commit "feat: on main" login.t "main side" &&
	git switch -q hotfix/login &&
	main_before=$(git rev-parse main) &&
	test_expect_code 1 git hotfix finish --json >stop.out 2>err &&
	jq -r "[.status, (.steps | map(.kind + \"=\" + .status) | join(\",\")), (.refs | map(.ref) | join(\",\")), .undo] | @tsv" \
		stop.out >actual &&
	printf "stopped\tcheck=done,tag=done,merge=stopped,ref=pending\trefs/tags/v1.2.4\tgit hotfix finish --abort --drop-tag\n" >expect &&
	test_cmp expect actual &&
	test "$(jq -r .undo stop.out)" = "git hotfix finish --abort --drop-tag" &&
	git hotfix finish --abort --drop-tag --json >abort.out 2>err &&
	test_line_count = 1 abort.out &&
	grep "^aborted the merge of hotfix/login" err &&
	jq -r "[.op, .status, (.steps | map(.kind + \"=\" + .status) | join(\",\"))] | @tsv" \
		abort.out >actual &&
	printf "hotfix-finish\taborted\tcheck=undone,tag=undone,merge=undone,ref=pending\n" >expect &&
	test_cmp expect actual &&
	test "$(git symbolic-ref HEAD)" = refs/heads/hotfix/login &&
	test "$(git rev-parse main)" = "$main_before" &&
	test_must_fail git rev-parse -q --verify refs/tags/v1.2.4 &&
	test "$(cat notes.txt)" = mine
'

test_expect_success 'finish --continue --json after resolving: the plan complete, the merge and the branch' '
	test_expect_code 1 git hotfix finish --json >stop.out 2>err &&
	echo "resolved" >login.t && git add login.t &&
	git hotfix finish --continue --json >cont.out 2>err &&
	test_line_count = 1 cont.out &&
	grep "^next: git release deploy v1.2.4" err &&
	jq -r "[.op, .status, (.steps | map(.kind + \"=\" + .status) | join(\",\"))] | @tsv" \
		cont.out >actual &&
	printf "hotfix-finish\tcomplete\tcheck=done,tag=done,merge=done,ref=done\n" >expect &&
	test_cmp expect actual &&
	jq -r ".refs[] | select(.ref == \"refs/heads/main\") | .new" cont.out >actual &&
	git rev-parse main >expect &&
	test_cmp expect actual &&
	test "$(git show main:login.t)" = resolved &&
	test_path_is_missing .git/release-state/journal &&
	test "$(cat notes.txt)" = mine
'

test_done
