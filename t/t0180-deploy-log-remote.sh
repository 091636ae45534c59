#!/bin/sh

test_description='the deployment log through a real remote: push, fetch, races'

. ./test-lib.sh

# refs of a repository under a prefix, "name id" a line
refs_of () {
	git -C "$1" for-each-ref --format="%(refname) %(objectname)" "$2"
}

test_expect_success 'setup: a bare remote and two clones' '
	git init -q --bare remote.git &&
	git clone -q remote.git a 2>/dev/null &&
	(cd a &&
	 test_commit one &&
	 git tag -a -m "Release v1.0.0" v1.0.0 &&
	 test_commit two &&
	 git tag -a -m "Release v1.1.0" v1.1.0 &&
	 test_commit three &&
	 git tag -a -m "Release v1.2.0" v1.2.0 &&
	 git push -q origin main v1.0.0 v1.1.0 v1.2.0) &&
	git clone -q remote.git b &&
	printf "%s\n" err out expect actual >a/.git/info/exclude &&
	printf "%s\n" err out expect actual >b/.git/info/exclude
'

test_expect_success 'deploy --push pushes the log and the deployed-* tag' '
	(cd a && test_tick &&
	 git release deploy v1.0.0 -m "first" --push >out 2>err) &&
	test "$(git -C a rev-parse refs/deploy/log/production)" = \
		"$(git -C remote.git rev-parse refs/deploy/log/production)" &&
	test "$(git -C remote.git cat-file -t deployed-v1.0.0)" = tag &&
	test "$(git -C a rev-parse deployed-v1.0.0)" = \
		"$(git -C remote.git rev-parse deployed-v1.0.0)" &&
	grep "^pushed the deployment log to .origin.\$" a/err
'

test_expect_success 'only the refs of the deployment log and the tag reach the remote' '
	git -C remote.git for-each-ref --format="%(refname)" >actual &&
	cat >expect <<-EOF &&
	refs/deploy/log/production
	refs/heads/main
	refs/tags/deployed-v1.0.0
	refs/tags/v1.0.0
	refs/tags/v1.1.0
	refs/tags/v1.2.0
	EOF
	test_cmp expect actual
'

test_expect_success 'reading commands fetch the log first' '
	(cd b && git release current >out 2>err) &&
	echo v1.0.0 >expect &&
	test_cmp expect b/out &&
	test_must_be_empty b/err &&
	test "$(git -C b rev-parse refs/deploy/log/production)" = \
		"$(git -C remote.git rev-parse refs/deploy/log/production)" &&
	test "$(git -C b rev-parse deployed-v1.0.0)" = \
		"$(git -C remote.git rev-parse deployed-v1.0.0)"
'

test_expect_success 'the fetched log has a reflog entry naming the remote' '
	git -C b reflog show --format=%gs refs/deploy/log/production >actual &&
	echo "fetch: deployment log from origin" >expect &&
	test_cmp expect actual
'

test_expect_success '--no-fetch reads the local copy only' '
	git clone -q remote.git c &&
	(cd c && git release current --no-fetch >../out) &&
	echo v1.2.0 >expect &&
	test_cmp expect out &&
	refs_of c refs/deploy/ >actual &&
	test_must_be_empty actual
'

test_expect_success 'history fetches too' '
	(cd c && git release history >../out) &&
	grep "production  deploy    v1.0.0  C O Mitter <committer@example.com>  first\$" out
'

test_expect_success 'a plain git fetch of refs/deploy/* is enough to read the log' '
	git clone -q remote.git d &&
	(cd d &&
	 git fetch -q origin "refs/deploy/*:refs/deploy/*" &&
	 git release current --no-fetch >../out &&
	 git release history --no-fetch --json >../actual) &&
	echo v1.0.0 >expect &&
	test_cmp expect out &&
	grep "\"tag\":\"v1.0.0\",\"version\":\"1.0.0\"" actual &&
	grep "\"reason\":\"first\"" actual
'

test_expect_success 'a second deploy from the other clone fast-forwards the remote' '
	(cd b && test_tick && git release deploy v1.1.0 --push -m "from b" >../out) &&
	git -C remote.git log --format=%s refs/deploy/log/production >actual &&
	cat >expect <<-EOF &&
	deploy v1.1.0 to production
	deploy v1.0.0 to production
	EOF
	test_cmp expect actual
'

test_expect_success 'after a push, the undo line pushes too' '
	grep "^undo: git release deploy v1.0.0 --env production --allow-downgrade -m .undo the deploy of [^ ]*. --push\$" out
'

test_expect_success 'a stale clone fast-forwards on fetch' '
	(cd a && git release current >../out) &&
	echo v1.1.0 >expect &&
	test_cmp expect out &&
	test_cmp_rev a/.git/refs/deploy/log/production \
		"$(git -C remote.git rev-parse refs/deploy/log/production)" 2>/dev/null ||
	test "$(git -C a rev-parse refs/deploy/log/production)" = \
		"$(git -C remote.git rev-parse refs/deploy/log/production)"
'

# b deploys; its hook makes a deploy and push first, so b's push is
# rejected as non-fast-forward: b fetches, replays its entry, retries
test_expect_success 'concurrent deploys: the rejected push is replayed, nothing lost' '
	git -C b config deploy.production.command \
		"cd ../a && GIT_COMMITTER_DATE=\"1700000000 +0000\" git release deploy v1.2.0 --push -m \"from a, racing\" >/dev/null 2>&1" &&
	(cd b && test_tick &&
	 git release deploy v1.2.0 --push -m "from b, racing" >../out 2>../err) &&
	git -C remote.git log --format="%s|%(trailers:key=Reason,valueonly)" \
		refs/deploy/log/production >actual.raw &&
	git -C remote.git log --format=%B refs/deploy/log/production |
		sed -n "s/^Reason: //p" >actual &&
	cat >expect <<-EOF &&
	from b, racing
	from a, racing
	from b
	first
	EOF
	test_cmp expect actual &&
	test "$(git -C b rev-parse refs/deploy/log/production)" = \
		"$(git -C remote.git rev-parse refs/deploy/log/production)" &&
	grep "moved or was busy; fetching and replaying ours on top" err &&
	grep "^pushed the deployment log to .origin. (attempt 2)\$" err
'

test_expect_success 'the replay keeps the entry and says so in the reflog' '
	git -C b reflog show --format=%gs refs/deploy/log/production >actual &&
	head -n 2 actual >top &&
	cat >expect <<-EOF &&
	fetch: 1 entry replayed on top of origin
	deploy: v1.2.0 to production
	EOF
	test_cmp expect top &&
	git -C b log -1 --format=%B refs/deploy/log/production >actual &&
	grep "^Version: v1.2.0\$" actual &&
	grep "^Operator: C O Mitter <committer@example.com>\$" actual
'

test_expect_success 'both clones now agree, and current is the last entry' '
	(cd a && git release current >../out) &&
	echo v1.2.0 >expect &&
	test_cmp expect out &&
	test "$(git -C a rev-parse refs/deploy/log/production)" = \
		"$(git -C b rev-parse refs/deploy/log/production)"
'

test_expect_success 'diverged local entries are replayed on fetch, not lost' '
	git -C b config --unset deploy.production.command &&
	(cd a && test_tick && git release deploy v1.1.0 --env staging --new-env --push) &&
	(cd b && test_tick && git release deploy v1.0.0 --env staging --new-env -m local) &&
	(cd b && git release history --env staging >../out) &&
	cut -c23- out >actual &&
	cat >expect <<-EOF &&
	staging  deploy    v1.0.0  C O Mitter <committer@example.com>  local
	staging  deploy    v1.1.0  C O Mitter <committer@example.com>
	EOF
	test_cmp expect actual
'

test_expect_success 'marks travel: a yank in one clone refuses the deploy in the other' '
	(cd a && git release yank v1.1.0 -m "leaks memory" --push >../out) &&
	grep "^undo: git release yank --undo v1.1.0 -m .leaks memory. --push\$" out &&
	test "$(git -C remote.git rev-parse refs/deploy/marks)" = \
		"$(git -C a rev-parse refs/deploy/marks)" &&
	(cd b && test_expect_code 1 git release deploy v1.1.0 --push 2>../err) &&
	grep "^error: release .v1.1.0. is marked bad: leaks memory\$" err
'

test_expect_success 'diverged marks merge: both sides kept' '
	(cd b && git release yank v1.0.0 -m "old bug" &&
	 git release yank v1.2.0 -m "slow") &&
	(cd a && git release yank --undo v1.1.0 --push &&
	 git release yank v1.2.0 -m "slow, per a" --push) &&
	(cd b && git release history >/dev/null &&
	 git ls-tree -r refs/deploy/marks --name-only >../actual) &&
	cat >expect <<-EOF &&
	v1.0.0
	v1.2.0
	EOF
	test_cmp expect actual &&
	git -C b cat-file -p refs/deploy/marks:v1.2.0 >actual &&
	printf "Reason: slow, per a\n\nReason: slow\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'a yank --push from the diverged side reaches the remote' '
	(cd b && git release yank v1.2.0 -m "slow, confirmed" --push) &&
	git -C remote.git ls-tree -r --name-only refs/deploy/marks >actual &&
	cat >expect <<-EOF &&
	v1.0.0
	v1.2.0
	EOF
	test_cmp expect actual &&
	git -C remote.git log --format=%s refs/deploy/marks >actual &&
	grep "^unmark v1.1.0\$" actual &&
	grep "^mark v1.0.0 bad\$" actual
'

test_expect_success 'a remote deployed-* tag wins over our own, with a warning' '
	git init -q --bare remote2.git &&
	git -C a push -q ../remote2.git main v1.0.0 v1.1.0 v1.2.0 &&
	git clone -q remote2.git e &&
	git clone -q remote2.git f &&
	git -C f config deploy.production.command \
		"cd ../e && GIT_COMMITTER_DATE=\"1600000000 +0000\" git release deploy v1.0.0 --push >/dev/null 2>&1" &&
	(cd f && test_tick && git release deploy v1.0.0 --push >../out 2>../err) &&
	grep "^warning: .deployed-v1.0.0. already exists on .origin. with another value" err &&
	test "$(git -C remote2.git rev-parse deployed-v1.0.0)" = \
		"$(git -C e rev-parse deployed-v1.0.0)" &&
	git -C remote2.git log --format=%s refs/deploy/log/production >actual &&
	test $(wc -l <actual) = 2
'

test_expect_success 'a remote that cannot be reached: reading warns and goes on' '
	git -C d remote set-url origin "$TRASH_DIRECTORY/nowhere.git" &&
	(cd d && git release current >../out 2>../err) &&
	echo v1.0.0 >expect &&
	test_cmp expect out &&
	grep "^warning: cannot fetch the deployment log from .origin.; using the local copy\$" err
'

test_expect_success 'a remote that cannot be reached: deploy --push fails (1) but keeps the entry' '
	(cd d && test_tick &&
	 test_expect_code 1 git release deploy v1.1.0 --env qa --new-env --push >../out 2>../err) &&
	git -C d log -1 --format=%s refs/deploy/log/qa >actual &&
	echo "deploy v1.1.0 to qa" >expect &&
	test_cmp expect actual &&
	grep "^hint: the entry is recorded locally; push it later" err
'

test_expect_success 'a push the remote declines is not retried' '
	mkdir -p remote.git/hooks &&
	printf "#!/bin/sh\necho no deploys today >&2\nexit 1\n" >remote.git/hooks/pre-receive &&
	chmod +x remote.git/hooks/pre-receive &&
	test_when_finished "rm -f remote.git/hooks/pre-receive" &&
	before=$(git -C remote.git rev-parse refs/deploy/log/production) &&
	(cd a && test_tick &&
	 test_expect_code 1 git release deploy v1.2.0 --force --push >../out 2>../err) &&
	test "$(git -C remote.git rev-parse refs/deploy/log/production)" = "$before" &&
	grep "pre-receive hook declined" err &&
	! grep "replaying ours" err || { cat err; false; }
'

test_expect_success 'no remote at all: reading is silent' '
	git init -q solo &&
	(cd solo && test_commit x && git tag -a -m r v0.1.0 &&
	 git release current >../out 2>../err) &&
	echo v0.1.0 >expect &&
	test_cmp expect out &&
	test_must_be_empty err
'

test_expect_success 'release.remote names the remote to share with' '
	git -C b remote add upstream "$TRASH_DIRECTORY/remote2.git" &&
	(cd b && git -c release.remote=upstream release current --env staging >../out 2>../err) &&
	test_must_be_empty err &&
	git -C b for-each-ref --format="%(refname)" "refs/deploy-remotes/upstream/" >actual &&
	grep "^refs/deploy-remotes/upstream/log/production\$" actual
'

test_expect_success '--dry-run --push prints the push and touches no remote' '
	before=$(refs_of remote.git refs/) &&
	(cd a && save_state &&
	 git release deploy v1.2.0 --force --dry-run --push >../out &&
	 test_state_unchanged) &&
	test "$(refs_of remote.git refs/)" = "$before" &&
	grep "^would run: git push --porcelain --atomic --end-of-options origin refs/deploy/log/production:refs/deploy/log/production .*refs/tags/deployed-v1.2.0:refs/tags/deployed-v1.2.0" out
'

test_expect_success 'every repository is fsck-clean' '
	for r in a b c d e f remote.git remote2.git
	do
		git -C $r fsck --strict 2>err &&
		test_must_be_empty err || return 1
	done
'

test_done
