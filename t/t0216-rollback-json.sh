#!/bin/sh

test_description='git rollback, revert and restore --json: one object, the refs moved, an undo line sh can run

Every strategy against a bare remote and a second clone, a reason with
a command substitution in it: stdout is one JSON object (jq reads it),
its refs are the refs moved locally and on the remote, and its undo,
pasted into sh, runs nothing of the reason and puts everything back.'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-rollback.sh

skip_unless_jq

# state: every ref here and on the remote
state () {
	git for-each-ref --format="%(refname) %(objectname)" &&
	git --git-dir=../remote.git for-each-ref \
		--format="remote %(refname) %(objectname)"
}

REASON='login broken $(touch pwned) "quoted" ünïcode'

test_expect_success 'setup' '
	setup_shop &&
	git release deploy -q v1.2.3 -m first --push &&
	git release deploy -q v1.2.4 -m second --push &&
	cd .. &&
	git clone -q remote.git other &&
	cd work
'

test_expect_success '--json with --dry-run: the plan, one object, nothing changed' '
	state >before &&
	git rollback --reset --push -m "$REASON" --json --dry-run >out 2>err &&
	test_line_count = 1 out &&
	jq -r "[.op, .status, (.dry_run | tostring), (.steps | map(.kind) | join(\",\"))] | @tsv" \
		out >actual &&
	printf "rollback\tplanned\ttrue\tcheck,ref,push,hook,log,mark,log,push\n" >expect &&
	test_cmp expect actual &&
	jq -r ".steps[] | select(.kind == \"mark\") | .reason" out >actual &&
	printf "%s\n" "$REASON" >expect &&
	test_cmp expect actual &&
	jq -r .undo out >undo &&
	grep "^git branch -f production $(full v1.2.4) && git push --force-with-lease=refs/heads/production:$(full v1.2.3) origin $(full v1.2.4):refs/heads/production && git release deploy v1.2.4 --env production --force --lift-hold\$" undo &&
	git rollback revert HEAD --json -n >out 2>err &&
	jq -r "[.op, .status, .steps[0].kind, .steps[0].commit] | @tsv" out >actual &&
	printf "revert\tplanned\trevert\t%s\n" "$(git rev-parse HEAD)" >expect &&
	test_cmp expect actual &&
	state >after &&
	test_cmp before after &&
	test_path_is_missing pwned
'

test_expect_success '--reset --push --json: one object, the refs moved here and there' '
	old=$(full v1.2.4) new=$(full v1.2.3) &&
	git rollback --reset --push -m "$REASON" --json >reset.out 2>err &&
	test_line_count = 1 reset.out &&
	jq -r "[.op, .status, (.steps | map(.kind) | join(\",\"))] | @tsv" \
		reset.out >actual &&
	printf "rollback\tcomplete\tcheck,ref,push,hook,log,mark,log,push\n" >expect &&
	test_cmp expect actual &&
	jq -r ".refs[] | select(.ref == \"refs/heads/production\") | .old + \" \" + .new" \
		reset.out >actual &&
	echo "$old $new" >expect &&
	test_cmp expect actual &&
	jq -r ".steps[0].reason" reset.out >actual &&
	printf "%s\n" "$REASON" >expect &&
	test_cmp expect actual &&
	jq -r ".refs[] | select(.ref == \"refs/deploy/marks\") | .new" \
		reset.out >actual &&
	git rev-parse refs/deploy/marks >expect &&
	test_cmp expect actual &&
	test "$(remote_rev refs/heads/production)" = "$new" &&
	(cd ../other && git fetch -q origin &&
	 test "$(git rev-parse origin/production)" = "$new") &&
	test "$(held_at)" = v1.2.3 &&
	test_path_is_missing pwned
'

test_expect_success 'the undo of --reset, pasted into sh: back here and on the remote' '
	jq -r .undo reset.out >undo &&
	grep "^git branch -f production $old && git push --force-with-lease=" undo &&
	sh -c "$(cat undo)" >out 2>&1 &&
	test_path_is_missing pwned &&
	test_cmp_rev v1.2.4^{commit} production &&
	test "$(remote_rev refs/heads/production)" = "$old" &&
	test "$(git release current)" = v1.2.4 &&
	test -z "$(held_at)"
'

test_expect_success '--revert --push --json: the revert step, its range, the push' '
	old=$(full production) &&
	git rollback --revert --push -m "$REASON" --json >revert.out 2>err &&
	jq -r "[.status, (.steps | map(.kind) | join(\",\"))] | @tsv" \
		revert.out >actual &&
	printf "complete\tcheck,revert,push,hook,log,mark,log,push\n" >expect &&
	test_cmp expect actual &&
	new=$(full production) &&
	test "$new" != "$old" &&
	jq -r ".steps[1] | .ref + \" \" + .old + \" \" + .new + \" \" + .range" \
		revert.out >actual &&
	echo "refs/heads/production $old $new $(full v1.2.3)..$(full v1.2.4)" >expect &&
	test_cmp expect actual &&
	jq -r ".steps[2].pushed[0]" revert.out >actual &&
	echo "refs/heads/production $old $new" >expect &&
	test_cmp expect actual &&
	test "$(remote_rev refs/heads/production)" = "$new" &&
	test "$(git rev-parse production^{tree})" = "$(git rev-parse v1.2.3^{tree})"
'

test_expect_success 'the undo of --revert, pasted into sh: the revert reverted and pushed' '
	sh -c "$(jq -r .undo revert.out)" >out 2>&1 &&
	test_path_is_missing pwned &&
	test "$(git rev-parse production^{tree})" = "$(git rev-parse v1.2.4^{tree})" &&
	test "$(remote_rev refs/heads/production)" = "$(full production)" &&
	test "$(git release current)" = v1.2.4 &&
	git switch -q main
'

test_expect_success '--deploy-only --json: what the hook prints goes to stderr' '
	test_config deploy.production.command "echo hook-said-this" &&
	state >before &&
	git rollback --deploy-only -m "$REASON" --json >deploy-only.out 2>err &&
	test_line_count = 1 deploy-only.out &&
	grep "^hook-said-this\$" err &&
	jq -e "(.steps | map(.kind)) == [\"check\",\"hook\",\"log\",\"mark\",\"log\"] and
		(.steps[1].command == \"echo hook-said-this\") and
		(.steps[1].previous == \"v1.2.4\")" deploy-only.out &&
	jq -r ".refs[].ref" deploy-only.out >actual &&
	printf "%s\n" refs/deploy/log/production refs/deploy/marks \
		refs/deploy/log/production >expect &&
	test_cmp expect actual &&
	sh -c "$(jq -r .undo deploy-only.out)" >out 2>&1 &&
	test_path_is_missing pwned &&
	test "$(git release current)" = v1.2.4
'

test_expect_success '--branch --json: the branch made, old null; its undo removes it' '
	git rollback --branch -m "$REASON" --json >branch.out 2>err &&
	jq -r ".refs[0] | [.ref, (.old == null), .new] | @tsv" branch.out >actual &&
	printf "refs/heads/rollback/v1.2.4\ttrue\t%s\n" "$(full v1.2.3)" >expect &&
	test_cmp expect actual &&
	sh -c "$(jq -r .undo branch.out)" >out 2>&1 &&
	test_must_fail git rev-parse -q --verify refs/heads/rollback/v1.2.4 &&
	test_path_is_missing pwned &&
	test "$(git release current)" = v1.2.4
'

test_expect_success 'deploy --allow-downgrade --json: the rollback it is, one object' '
	state >before &&
	test_expect_code 129 git release deploy v1.2.3 --allow-downgrade \
		-m "$REASON" --json --dry-run >out 2>err &&
	test_must_be_empty out &&
	grep "text only; drop --json" err &&
	state >after &&
	test_cmp before after &&
	git release deploy v1.2.3 --allow-downgrade -m "$REASON" --json \
		>downgrade.out 2>err &&
	test_line_count = 1 downgrade.out &&
	jq -r "[.op, .status, .steps[0].strategy, .steps[0].to] | @tsv" \
		downgrade.out >actual &&
	printf "rollback\tcomplete\tdeploy-only\tv1.2.3\n" >expect &&
	test_cmp expect actual &&
	test "$(git release current)" = v1.2.3 &&
	sh -c "$(jq -r .undo downgrade.out)" >out 2>&1 &&
	test "$(git release current)" = v1.2.4 &&
	test_path_is_missing pwned
'

test_expect_success 'rollback revert --json and restore --json; their undo lines' '
	echo "edit" >unrelated.txt &&
	test_commit "feat: risky" risky.txt &&
	before=$(full HEAD) &&
	git rollback revert HEAD -m "$REASON" --json >rv.out 2>err &&
	test_line_count = 1 rv.out &&
	grep "undo with: git reset --keep $before" err &&
	jq -r "[.op, .status, .steps[0].committed, .steps[0].reason, .refs[0].old, .refs[0].new, .undo] | @tsv" \
		rv.out >actual &&
	printf "revert\tcomplete\t1\t%s\t%s\t%s\tgit reset --keep %s\n" \
		"$REASON" "$before" "$(full HEAD)" "$before" >expect &&
	test_cmp expect actual &&
	reverted=$(full HEAD) &&
	git rollback restore HEAD --json >rs.out 2>err &&
	jq -r "[.op, .refs[0].old, .undo] | @tsv" rs.out >actual &&
	printf "restore\t%s\tgit reset --keep %s\n" "$reverted" "$reverted" >expect &&
	test_cmp expect actual &&
	sh -c "$(jq -r .undo rs.out)" &&
	test "$(full HEAD)" = "$reverted" &&
	sh -c "$(jq -r .undo rv.out)" &&
	test "$(full HEAD)" = "$before" &&
	test "$(cat unrelated.txt)" = edit &&
	test_path_is_missing pwned
'

test_expect_success 'rollback revert --json stopped on a conflict: status stopped, the undo aborts' '
	test_commit "feat: base" shared.txt "one" &&
	test_commit "feat: change" shared.txt "two" &&
	test_commit "fix: on top" shared.txt "three" &&
	before=$(full HEAD) &&
	test_expect_code 1 git rollback revert HEAD~1 --json >stop.out 2>err &&
	jq -r "[.status, .steps[0].status, .steps[0].old, (.steps[0].new == null), (.refs == []), .undo] | @tsv" \
		stop.out >actual &&
	printf "stopped\tstopped\t%s\ttrue\ttrue\tgit rollback --abort\n" "$before" >expect &&
	test_cmp expect actual &&
	sh -c "$(jq -r .undo stop.out)" >out 2>&1 &&
	test "$(full HEAD)" = "$before" &&
	test "$(cat shared.txt)" = three &&
	test "$(cat unrelated.txt)" = edit
'

test_done
