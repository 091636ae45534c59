#!/bin/sh

test_description='git release metrics: DORA figures from a deployment log
written entry by entry in the documented format, with known times, and
from one the commands wrote under a fixed clock'

. ./test-lib.sh

skip_unless_jq

EMPTY_TREE=4b825dc642cb6eb9a060e54bf8d69288fbee4904
# Monday 2026-09-28 00:00 UTC: week 2026-W40 starts
W40=1790553600
H=3600
D=86400

iso () {
	date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ
}

# commit_at <seconds> <subject>: an empty commit with that committer date
commit_at () {
	GIT_COMMITTER_DATE="$1 +0000" GIT_AUTHOR_DATE="$1 +0000" \
		git commit -q --allow-empty -m "$2"
}

# entry <env> <seconds> <kind> <version> [<Key: value>...]: append one
# entry to refs/deploy/log/<env>, exactly as git-release(1) documents
entry () {
	_env=$1 _t=$2 _kind=$3 _v=$4
	shift 4
	{
		echo "$_kind $_v to $_env" &&
		echo &&
		echo "Version: $_v" &&
		echo "Commit: $(git rev-parse "$_v^{commit}")" &&
		echo "Environment: $_env" &&
		echo "Kind: $_kind" &&
		echo "Time: $(iso $_t)" &&
		echo "Operator: C O Mitter <committer@example.com>" &&
		for _kv
		do
			echo "$_kv" || return 1
		done
	} >entry.msg &&
	_parent=$(git rev-parse -q --verify "refs/deploy/log/$_env") ||
	_parent=
	_id=$(GIT_COMMITTER_DATE="$_t +0000" GIT_AUTHOR_DATE="$_t +0000" \
		git commit-tree $EMPTY_TREE ${_parent:+-p $_parent} <entry.msg) &&
	git update-ref "refs/deploy/log/$_env" "$_id"
}

# field <period> <name>: one field of one period of metrics.json
field () {
	jq -r "select(.period == \"$1\") | .$2" metrics.json
}

# fields <period> <name>...: "name=value" lines
fields () {
	_p=$1
	shift
	for _f
	do
		echo "$_f=$(field "$_p" "$_f")" || return 1
	done
}

ALL="deployments rollbacks failed_deployments hotfix_deployments
failed_attempts change_fail_rate lead_time_commits lead_time_median_s
lead_time_p90_s recovered unrecovered recovery_time_median_s
recovery_time_max_s rework_rate since until"

test_expect_success 'setup: four weeks of a log, entry by entry' '
	git init -q repo &&
	cd repo &&
	printf "%s\n" entry.msg metrics.json expect actual out err \
		>.git/info/exclude &&
	commit_at $(($W40 - 20 * $D)) "feat: first" &&
	git tag -a -m "Release v1.0.0" v1.0.0 &&
	entry production $(($W40 - 14 * $D)) deploy v1.0.0 &&

	# W39 is quiet.  W40: v1.1.0 brings two commits, rolled back
	# after 40 minutes
	commit_at $(($W40 + 1 * $H)) "feat: b" &&
	commit_at $(($W40 + 3 * $H)) "feat: c" &&
	git tag -a -m "Release v1.1.0" v1.1.0 &&
	entry production $(($W40 + 10 * $H)) deploy v1.1.0 &&
	entry production $(($W40 + 10 * $H + 2400)) rollback v1.0.0 \
		"Reason: checkout 500s" "From: v1.1.0" "To: v1.0.0" \
		"Strategy: deploy-only" &&

	# W41: v1.2.0 bad, fixed forward by its hotfix v1.2.1 three hours on
	W41=$(($W40 + 7 * $D)) &&
	commit_at $(($W41 + 1 * $H)) "feat: e" &&
	git tag -a -m "Release v1.2.0" v1.2.0 &&
	entry production $(($W41 + 2 * $H)) deploy v1.2.0 &&
	commit_at $(($W41 + 3 * $H)) "fix: f" &&
	git tag -a -F - v1.2.1 <<-\EOF &&
	Release v1.2.1

	- fix: f

	Hotfix: v1.2.0
	EOF
	entry production $(($W41 + 5 * $H)) deploy v1.2.1 &&

	# W42: v1.3.0 marked bad without a rollback, replaced two days on,
	# after a failed attempt
	W42=$(($W40 + 14 * $D)) &&
	commit_at $(($W42 + 0 * $H)) "feat: g" &&
	git tag -a -m "Release v1.3.0" v1.3.0 &&
	entry production $(($W42 + 1 * $H)) deploy v1.3.0 &&
	git release yank v1.3.0 -m "slow queries" &&
	commit_at $(($W42 + 2 * $D)) "feat: h" &&
	git tag -a -m "Release v1.4.0" v1.4.0 &&
	entry production $(($W42 + 2 * $D + 1800)) deploy v1.4.0 \
		"Status: failed" &&
	entry production $(($W42 + 2 * $D + $H)) deploy v1.4.0 &&

	# staging has its own log, which production figures ignore
	entry staging $(($W40 + 2 * $H)) deploy v1.1.0 &&
	entry staging $(($W40 + 3 * $H)) deploy v1.2.1
'

test_expect_success '--json: a line per week, quiet ones too, then the total' '
	GIT_RELEASE_NOW=@$(($W40 + 30 * $D)) git release metrics --json \
		--since 2026-09-21 --until 2026-10-18 >metrics.json &&
	jq -r .period metrics.json >actual &&
	printf "%s\n" 2026-W39 2026-W40 2026-W41 2026-W42 total >expect &&
	test_cmp expect actual &&
	jq -c "select(.env != \"production\" or .component != null)" \
		metrics.json >out &&
	test_must_be_empty out
'

test_expect_success 'the quiet week: zeros and nulls' '
	fields 2026-W39 $ALL >actual &&
	cat >expect <<-EOF &&
	deployments=0
	rollbacks=0
	failed_deployments=0
	hotfix_deployments=0
	failed_attempts=0
	change_fail_rate=null
	lead_time_commits=0
	lead_time_median_s=null
	lead_time_p90_s=null
	recovered=0
	unrecovered=0
	recovery_time_median_s=null
	recovery_time_max_s=null
	rework_rate=null
	since=2026-09-21T00:00:00Z
	until=2026-09-28T00:00:00Z
	EOF
	test_cmp expect actual
'

test_expect_success 'W40: a deploy rolled back after 40 minutes' '
	# leads: c 10h-3h = 25200, b 10h-1h = 32400
	fields 2026-W40 $ALL >actual &&
	cat >expect <<-EOF &&
	deployments=1
	rollbacks=1
	failed_deployments=1
	hotfix_deployments=0
	failed_attempts=0
	change_fail_rate=1
	lead_time_commits=2
	lead_time_median_s=28800
	lead_time_p90_s=32400
	recovered=1
	unrecovered=0
	recovery_time_median_s=2400
	recovery_time_max_s=2400
	rework_rate=0.5
	since=2026-09-28T00:00:00Z
	until=2026-10-05T00:00:00Z
	EOF
	test_cmp expect actual
'

test_expect_success 'W41: a hotfix after a bad deploy' '
	# v1.2.0 brings e (1h); v1.2.1 brings f (2h), and replaces v1.2.0
	# three hours after it
	fields 2026-W41 $ALL >actual &&
	cat >expect <<-EOF &&
	deployments=2
	rollbacks=0
	failed_deployments=1
	hotfix_deployments=1
	failed_attempts=0
	change_fail_rate=0.5
	lead_time_commits=2
	lead_time_median_s=5400
	lead_time_p90_s=7200
	recovered=1
	unrecovered=0
	recovery_time_median_s=10800
	recovery_time_max_s=10800
	rework_rate=0.5
	since=2026-10-05T00:00:00Z
	until=2026-10-12T00:00:00Z
	EOF
	test_cmp expect actual
'

test_expect_success 'W42: a release marked bad without a rollback' '
	fields 2026-W42 $ALL >actual &&
	cat >expect <<-EOF &&
	deployments=2
	rollbacks=0
	failed_deployments=1
	hotfix_deployments=0
	failed_attempts=1
	change_fail_rate=0.5
	lead_time_commits=2
	lead_time_median_s=3600
	lead_time_p90_s=3600
	recovered=1
	unrecovered=0
	recovery_time_median_s=172800
	recovery_time_max_s=172800
	rework_rate=0
	since=2026-10-12T00:00:00Z
	until=2026-10-19T00:00:00Z
	EOF
	test_cmp expect actual
'

test_expect_success 'the total: every sample of the range' '
	# leads 3600 3600 3600 7200 25200 32400: median 5400, p90 rank 6;
	# recoveries 2400 10800 172800
	fields total $ALL >actual &&
	cat >expect <<-EOF &&
	deployments=5
	rollbacks=1
	failed_deployments=3
	hotfix_deployments=1
	failed_attempts=1
	change_fail_rate=0.6
	lead_time_commits=6
	lead_time_median_s=5400
	lead_time_p90_s=32400
	recovered=3
	unrecovered=0
	recovery_time_median_s=10800
	recovery_time_max_s=172800
	rework_rate=0.333333
	since=2026-09-21T00:00:00Z
	until=2026-10-19T00:00:00Z
	EOF
	test_cmp expect actual
'

test_expect_success '--by month: the same entries in two months' '
	GIT_RELEASE_NOW=@$(($W40 + 30 * $D)) git release metrics --json \
		--by month --since 2026-09-21 --until 2026-10-18 >metrics.json &&
	jq -r .period metrics.json >actual &&
	printf "%s\n" 2026-09 2026-10 total >expect &&
	test_cmp expect actual &&
	fields 2026-09 deployments since until >actual &&
	printf "%s\n" deployments=1 since=2026-09-21T00:00:00Z \
		until=2026-10-01T00:00:00Z >expect &&
	test_cmp expect actual &&
	test "$(field 2026-10 deployments)" = 4 &&
	test "$(field total failed_deployments)" = 3
'

test_expect_success 'the default: production, the 90 days ending now, by week' '
	# now is 2026-10-18 23:59:59: its second is in the range
	GIT_RELEASE_NOW=2026-10-18T23:59:59Z git release metrics --json \
		>metrics.json &&
	test "$(field total since)" = 2026-07-21T00:00:00Z &&
	test "$(field total until)" = 2026-10-19T00:00:00Z &&
	# the v1.0.0 deploy of W38 is in range now: six deploys
	test "$(field total deployments)" = 6 &&
	jq -r .period metrics.json | sed -n "1p;\$p" >actual &&
	printf "%s\n" 2026-W30 total >expect &&
	test_cmp expect actual &&
	test $(wc -l <metrics.json) = 14 &&
	GIT_RELEASE_NOW=2026-10-18T23:59:59Z git release metrics --json \
		--since 90.days.ago --until now >out &&
	test "$(jq -r "select(.period == \"total\") | .since" out)" = \
		2026-07-20T23:59:59Z &&
	test "$(jq -r "select(.period == \"total\") | .until" out)" = \
		2026-10-19T00:00:00Z
'

test_expect_success 'the table and the charts fit 80 columns' '
	GIT_RELEASE_NOW=@$(($W40 + 30 * $D)) git release metrics \
		--since 2026-09-21 --until 2026-10-18 >out &&
	cat >expect <<-\EOF &&
	production, 2026-09-21 00:00 UTC to 2026-10-19 00:00 UTC, by week

	period    dep   rb fail   hf  att   cfr  chg lead50 lead90  rec50 recmax rework
	2026-W39    0    0    0    0    0     -    0      -      -      -      -      -
	2026-W40    1    1    1    0    0  100%    2  8h00m  9h00m    40m    40m    50%
	2026-W41    2    0    1    1    0   50%    2  1h30m  2h00m  3h00m  3h00m    50%
	2026-W42    2    0    1    0    1   50%    2  1h00m  1h00m  2d00h  2d00h     0%
	total       5    1    3    1    1   60%    6  1h30m  9h00m  3h00m  2d00h    33%
	EOF
	sed -n 1,8p out >actual &&
	test_cmp expect actual &&
	grep "^deploys       _=##  max 2\$" out &&
	grep "^change fail    #==  max 100%\$" out &&
	grep "^lead p50       #-.  max 8h00m\$" out &&
	grep "^recovery p50   ..#  max 2d00h\$" out &&
	grep "^rework         ##_  max 50%\$" out &&
	grep "2026-W39 to 2026-W42, a week a character" out &&
	awk "length > 80" out >long &&
	test_must_be_empty long
'

test_expect_success 'block characters in a UTF-8 locale, colour on demand' '
	GIT_RELEASE_NOW=@$(($W40 + 30 * $D)) LC_ALL=C.UTF-8 \
		git -c color.ui=always release metrics \
		--since 2026-09-21 --until 2026-10-18 >out &&
	grep "$(printf "\342\226\201\342\226\205\342\226\210\342\226\210")" out &&
	grep "$(printf "\033\\[31m")" out &&
	GIT_RELEASE_NOW=@$(($W40 + 30 * $D)) NO_COLOR=1 \
		git release metrics --since 2026-09-21 --until 2026-10-18 >out &&
	! grep "$(printf "\033")" out
'

test_expect_success 'an environment with no entries: every figure empty' '
	git config deploy.qa.command "echo deploying" &&
	GIT_RELEASE_NOW=@$(($W40 + 30 * $D)) git release metrics --json \
		--env qa --since 2026-09-28 --until 2026-10-04 >metrics.json &&
	fields total deployments rollbacks change_fail_rate \
		lead_time_median_s recovery_time_max_s rework_rate >actual &&
	printf "%s\n" deployments=0 rollbacks=0 change_fail_rate=null \
		lead_time_median_s=null recovery_time_max_s=null \
		rework_rate=null >expect &&
	test_cmp expect actual &&
	test $(wc -l <metrics.json) = 2
'

test_expect_success 'staging: its own log, its first deploy only a baseline' '
	GIT_RELEASE_NOW=@$(($W40 + 30 * $D)) git release metrics --json \
		--env staging --since 2026-09-28 --until 2026-10-04 >metrics.json &&
	# v1.2.1 brings e and f over v1.1.0, both committed after that
	# deploy by their dates (a clock off): a negative lead time is 0
	fields total deployments lead_time_commits lead_time_median_s \
		failed_deployments >actual &&
	printf "%s\n" deployments=2 lead_time_commits=2 lead_time_median_s=0 \
		failed_deployments=0 >expect &&
	test_cmp expect actual
'

test_expect_success 'refusals: exit codes, messages, nothing written' '
	git for-each-ref >refs.before &&
	test_expect_code 128 git release metrics --since 2026-13-01 2>err &&
	grep "fatal: .2026-13-01. is not a date" err &&
	test_expect_code 128 git release metrics --until yesterday 2>err &&
	grep "fatal: .yesterday. is not a date" err &&
	test_expect_code 128 git release metrics --since 2026-10-02 \
		--until 2026-10-01 2>err &&
	grep "fatal: --since .2026-10-02. is not before --until .2026-10-01." err &&
	test_expect_code 128 git release metrics --env "a b" 2>err &&
	grep "fatal: .a b. is not a valid environment name" err &&
	test_expect_code 128 git release metrics --env stagin 2>err &&
	grep "fatal: unknown environment .stagin." err &&
	test_expect_code 129 git release metrics --by year 2>err &&
	grep "week or month" err &&
	test_expect_code 129 git release metrics extra 2>err &&
	test_expect_code 128 git release metrics --component "" 2>err &&
	test_expect_code 128 env GIT_RELEASE_NOW=garbage git release metrics 2>err &&
	grep "fatal: .garbage. is not a date" err &&
	git for-each-ref >refs.after &&
	test_cmp refs.before refs.after &&
	rm refs.before refs.after
'

test_expect_success 'several components: each followed on its own' '
	git init -q ../mono &&
	cd ../mono &&
	git config release.component.api.tagPrefix api/v &&
	git config release.component.web.tagPrefix web/v &&
	commit_at $(($W40 - $D)) "base" &&
	git tag -a -m r api/v1.0.0 && git tag -a -m r web/v1.0.0 &&
	entry production $(($W40 + 1 * $H)) deploy api/v1.0.0 "Component: api" &&
	entry production $(($W40 + 2 * $H)) deploy web/v1.0.0 "Component: web" &&
	commit_at $(($W40 + 3 * $H)) "feat: api" &&
	git tag -a -m r api/v1.1.0 &&
	commit_at $(($W40 + 4 * $H)) "feat: web" &&
	git tag -a -m r web/v1.1.0 &&
	entry production $(($W40 + 5 * $H)) deploy api/v1.1.0 "Component: api" &&
	entry production $(($W40 + 6 * $H)) deploy web/v1.1.0 "Component: web" &&
	# web rolls back; api, deployed in between, is not its failure
	entry production $(($W40 + 7 * $H)) rollback web/v1.0.0 \
		"Component: web" "From: web/v1.1.0" "To: web/v1.0.0" \
		"Strategy: deploy-only" &&
	GIT_RELEASE_NOW=@$(($W40 + 7 * $D)) git release metrics --json \
		--since 2026-09-28 >metrics.json &&
	# api/v1.1.0 brings "feat: api" (2h); web/v1.1.0 brings "feat: web"
	# (2h) and "feat: api" (3h): web had never run it
	fields total deployments rollbacks failed_deployments \
		lead_time_commits lead_time_median_s recovery_time_max_s >actual &&
	printf "%s\n" deployments=4 rollbacks=1 failed_deployments=1 \
		lead_time_commits=3 lead_time_median_s=7200 \
		recovery_time_max_s=3600 >expect &&
	test_cmp expect actual &&
	GIT_RELEASE_NOW=@$(($W40 + 7 * $D)) git release metrics --json \
		--since 2026-09-28 --component api >metrics.json &&
	fields total deployments rollbacks failed_deployments \
		lead_time_commits change_fail_rate >actual &&
	printf "%s\n" deployments=2 rollbacks=0 failed_deployments=0 \
		lead_time_commits=1 change_fail_rate=0 >expect &&
	test_cmp expect actual &&
	test "$(jq -r .component metrics.json | sort -u)" = api &&
	test_expect_code 128 git release metrics --component db 2>err &&
	grep "unknown component .db." err
'

test_expect_success 'through the commands, with a fixed clock' '
	git init -q ../cmds &&
	cd ../cmds &&
	printf "%s\n" metrics.json expect actual out err >.git/info/exclude &&
	commit_at $(($W40 - 2 * $D)) "feat: one" &&
	GIT_COMMITTER_DATE="$(($W40 - 2 * $D)) +0000" git release cut -q 1.0.0 &&
	GIT_COMMITTER_DATE="$(($W40 + 9 * $H)) +0000" \
		git release deploy v1.0.0 --no-hook -q &&
	commit_at $(($W40 + 10 * $H)) "feat: two" &&
	GIT_COMMITTER_DATE="$(($W40 + 10 * $H)) +0000" git release cut -q 1.1.0 &&
	GIT_COMMITTER_DATE="$(($W40 + 11 * $H)) +0000" \
		git release deploy v1.1.0 --no-hook -q &&
	GIT_COMMITTER_DATE="$(($W40 + 11 * $H + 2400)) +0000" \
		git rollback -m "errors" --deploy-only --no-hook >out &&
	GIT_COMMITTER_DATE="$(($W40 + 12 * $H)) +0000" \
		git hotfix start fix >out &&
	commit_at $(($W40 + 13 * $H)) "fix: errors" &&
	GIT_COMMITTER_DATE="$(($W40 + 13 * $H)) +0000" \
		git hotfix finish -m "fixed" >out &&
	git cat-file tag v1.0.1 >out &&
	grep "^Hotfix: v1.0.0\$" out &&
	GIT_COMMITTER_DATE="$(($W40 + 14 * $H)) +0000" \
		git release deploy v1.0.1 --no-hook -q &&
	GIT_RELEASE_NOW=@$(($W40 + 7 * $D)) git release metrics --json \
		--since 2026-09-28 >metrics.json &&
	# v1.1.0: "feat: two" 1h; v1.0.1: "fix: errors" 1h.  v1.1.0 failed,
	# recovered by the rollback 40 minutes on; the hotfix replaced the
	# rollback entry, not a deploy: no second failure
	fields total deployments rollbacks failed_deployments \
		hotfix_deployments change_fail_rate lead_time_commits \
		lead_time_median_s recovery_time_median_s rework_rate >actual &&
	cat >expect <<-EOF &&
	deployments=3
	rollbacks=1
	failed_deployments=1
	hotfix_deployments=1
	change_fail_rate=0.333333
	lead_time_commits=2
	lead_time_median_s=3600
	recovery_time_median_s=2400
	rework_rate=0.5
	EOF
	test_cmp expect actual
'

test_done
