#!/bin/sh

test_description='50 colleagues deploy with --push at once to one remote

Each push the remote rejects because a colleague moved the log, or held
its refs locked, is fetched, replayed and retried with jittered backoff
within release.pushTimeout: every deployer succeeds and every entry is
in the remote log once.  The budget is 600 s here, not the default 60:
on a small loaded machine 50 rounds of fetch, replay and push take
longer than a minute.'

. ./test-lib.sh

N=50

test_expect_success 'setup: a bare remote, two releases, 50 clones' '
	git init -q --bare remote.git &&
	git clone -q remote.git seed 2>/dev/null &&
	(cd seed &&
	 test_commit one &&
	 git tag -a -m "Release v1.0.0" v1.0.0 &&
	 test_commit two &&
	 git tag -a -m "Release v1.1.0" v1.1.0 &&
	 git push -q origin main v1.0.0 v1.1.0) &&
	i=1 &&
	while test $i -le $N
	do
		git clone -q remote.git c$i &&
		git -C c$i config deploy.production.command true &&
		git -C c$i config deploy.staging.command true &&
		git -C c$i config release.pushTimeout 600 &&
		i=$(($i + 1)) || return 1
	done
'

test_expect_success "$N concurrent deploy --push: all succeed, each entry once in the remote log" '
	start=$(date +%s) &&
	i=1 &&
	while test $i -le $N
	do
		if test $(($i % 2)) = 0
		then
			env=production
		else
			env=staging
		fi &&
		(cd c$i &&
		 timeout 600 git release deploy v1.1.0 --env $env \
			-m "deployer $i" --push >out 2>err
		 echo $? >rc) &
		i=$(($i + 1))
	done &&
	wait &&
	elapsed=$(($(date +%s) - $start)) &&
	failed=0 &&
	i=1 &&
	while test $i -le $N
	do
		if test "$(cat c$i/rc)" != 0
		then
			echo "deployer $i: exit $(cat c$i/rc)" &&
			cat c$i/err &&
			failed=$(($failed + 1))
		fi
		i=$(($i + 1))
	done &&
	test $failed = 0 &&
	retried=$(grep -l "attempt" c*/err | wc -l) &&
	most=$(sed -n "s/.*(attempt \([0-9]*\))\$/\1/p" c*/err | sort -n | tail -1) &&
	echo "# $N deployers in $elapsed s, $retried retried, at most ${most:-1} attempts" &&
	test $elapsed -lt 900 &&
	for env in production staging
	do
		git -C remote.git log --format=%B refs/deploy/log/$env |
			sed -n "s/^Reason: //p" || return 1
	done | sort >actual &&
	i=1 &&
	while test $i -le $N
	do
		echo "deployer $i" &&
		i=$(($i + 1)) || return 1
	done | sort >expect &&
	test_cmp expect actual &&
	git -C remote.git log --format=%B refs/deploy/log/production |
		grep -c "^Environment: production\$" >count &&
	echo $(($N / 2)) >expect &&
	test_cmp expect count
'

test_expect_success 'the remote log is a well-formed chain, fsck clean' '
	git -C remote.git fsck --strict 2>err &&
	test_must_be_empty err &&
	git -C remote.git rev-list --merges refs/deploy/log/production \
		refs/deploy/log/staging >merges &&
	test_must_be_empty merges
'

test_expect_success 'a remote whose log stays locked: retried, given up at release.pushTimeout' '
	: >remote.git/refs/deploy/log/staging.lock &&
	test_when_finished "rm -f remote.git/refs/deploy/log/staging.lock" &&
	git -C remote.git rev-parse refs/deploy/log/staging >before &&
	(cd c1 &&
	 start=$(date +%s) &&
	 test_expect_code 1 git -c release.pushTimeout=3 release deploy \
		v1.1.0 --env staging -m late --push >out 2>err &&
	 elapsed=$(($(date +%s) - $start)) &&
	 echo "# gave up after $elapsed s" &&
	 test $elapsed -ge 2 && test $elapsed -lt 60 &&
	 grep "^error: push to .origin. was rejected" err &&
	 grep "^hint: gave up after [0-9]* attempts in 3 s (release.pushTimeout)" err &&
	 grep "^hint: the entry is recorded locally" err &&
	 git log -1 --format=%B refs/deploy/log/staging >entry &&
	 grep "^Reason: late\$" entry) &&
	git -C remote.git rev-parse refs/deploy/log/staging >after &&
	test_cmp before after
'

test_expect_success 'a bad release.pushTimeout is fatal before anything' '
	(cd c2 &&
	 git rev-parse refs/deploy/log/production >../before &&
	 test_expect_code 128 git -c release.pushTimeout=soon release \
		deploy v1.1.0 -m x --push 2>err &&
	 grep "^fatal: bad release.pushTimeout .soon." err)
'

test_done
