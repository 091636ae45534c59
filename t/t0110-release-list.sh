#!/bin/sh

test_description='git release list: SemVer order, filters, JSON, tag storage'

. ./test-lib.sh

# the date list --json gives a tag: its tagger's, else its commit's
when () {
	_t=$(git for-each-ref --format="%(taggerdate:unix)" "refs/tags/$1")
	test -n "$_t" || _t=$(git log -1 --format=%ct "$1^{commit}")
	date -u -d "@$_t" +%Y-%m-%dT%H:%M:%SZ
}

test_expect_success 'setup: releases of every kind, and tags that are none' '
	git init -q repo &&
	cd repo &&
	printf "%s\n" out err expect actual "*.rev" >.git/info/exclude &&
	test_commit one && git tag c-one &&
	git tag -a -m "Release v1.9.0" v1.9.0 &&
	git tag -a -m "Release v2.0.0-rc.1" v2.0.0-rc.1 &&
	test_commit two && git tag c-two &&
	git tag v1.10.0 &&
	git tag -a -m "Release v2.0.0-rc.2" v2.0.0-rc.2 &&
	test_commit three && git tag c-three &&
	git tag -a -m "Release v2.0.0" v2.0.0 &&
	git tag -a -m "nested" v2.0.0-beta v2.0.0 &&
	git tag build-17 &&
	git tag vnext &&
	git tag v1.2 &&
	git tag v01.2.3 &&
	git tag v2.0.0.1 &&
	git tag -a -m "Deployed to production" deployed-v2.0.0 &&
	git tag v3.0.0-tree "HEAD^{tree}" &&
	git tag v3.0.1 "HEAD:three.t"
'

test_expect_success 'newest first by SemVer precedence, pre-releases hidden' '
	git release list >actual &&
	cat >expect <<-\EOF &&
	v2.0.0
	v1.10.0
	v1.9.0
	EOF
	test_cmp expect actual
'

test_expect_success '--pre shows pre-releases below their release' '
	git release list --pre >actual &&
	cat >expect <<-\EOF &&
	v2.0.0
	v2.0.0-rc.2
	v2.0.0-rc.1
	v2.0.0-beta
	v1.10.0
	v1.9.0
	EOF
	test_cmp expect actual
'

test_expect_success 'git itself ranks the rc above the release (why we sort)' '
	git tag -l "v2.0.0" "v2.0.0-rc*" --sort=-version:refname >actual &&
	head -n 1 actual >first &&
	echo v2.0.0-rc.2 >expect &&
	test_cmp expect first
'

test_expect_success '-n limits the count' '
	git release list -n 2 >actual &&
	printf "v2.0.0\nv1.10.0\n" >expect &&
	test_cmp expect actual &&
	git release list --pre -n 2 >actual &&
	printf "v2.0.0\nv2.0.0-rc.2\n" >expect &&
	test_cmp expect actual &&
	git release list -n 0 >actual &&
	test_must_be_empty actual
'

test_expect_success 'equal precedence is ordered by tag name' '
	git tag v2.0.0+b HEAD &&
	git tag v2.0.0+a HEAD &&
	git release list -n 3 >actual &&
	printf "v2.0.0\nv2.0.0+a\nv2.0.0+b\n" >expect &&
	test_cmp expect actual &&
	git tag -d v2.0.0+a v2.0.0+b >/dev/null
'

test_expect_success '--json: one object a line with the peeled commit' '
	git release list --json --pre >actual &&
	cat >expect <<-EOF &&
	{"schema":1,"tag":"v2.0.0","version":"2.0.0","date":"$(when v2.0.0)","commit":"$(git rev-parse c-three)","annotated":true,"prerelease":false,"bad":false,"reason":null,"marks":[],"component":null,"deployed":[]}
	{"schema":1,"tag":"v2.0.0-rc.2","version":"2.0.0-rc.2","date":"$(when v2.0.0-rc.2)","commit":"$(git rev-parse c-two)","annotated":true,"prerelease":true,"bad":false,"reason":null,"marks":[],"component":null,"deployed":[]}
	{"schema":1,"tag":"v2.0.0-rc.1","version":"2.0.0-rc.1","date":"$(when v2.0.0-rc.1)","commit":"$(git rev-parse c-one)","annotated":true,"prerelease":true,"bad":false,"reason":null,"marks":[],"component":null,"deployed":[]}
	{"schema":1,"tag":"v2.0.0-beta","version":"2.0.0-beta","date":"$(when v2.0.0-beta)","commit":"$(git rev-parse c-three)","annotated":true,"prerelease":true,"bad":false,"reason":null,"marks":[],"component":null,"deployed":[]}
	{"schema":1,"tag":"v1.10.0","version":"1.10.0","date":"$(when v1.10.0)","commit":"$(git rev-parse c-two)","annotated":false,"prerelease":false,"bad":false,"reason":null,"marks":[],"component":null,"deployed":[]}
	{"schema":1,"tag":"v1.9.0","version":"1.9.0","date":"$(when v1.9.0)","commit":"$(git rev-parse c-one)","annotated":true,"prerelease":false,"bad":false,"reason":null,"marks":[],"component":null,"deployed":[]}
	EOF
	test_cmp expect actual
'

test_expect_success 'a symbolic ref under refs/tags is followed' '
	git symbolic-ref refs/tags/v7.0.0 refs/tags/v1.9.0 &&
	git release list --json -n 1 >actual &&
	grep "^{\"schema\":1,\"tag\":\"v7.0.0\",.*\"commit\":\"$(git rev-parse c-one)\"" actual &&
	git update-ref --no-deref -d refs/tags/v7.0.0
'

test_expect_success 'a loose tag of a tree or a blob is no release' '
	git release list --pre >actual &&
	! grep v3.0 actual
'

test_expect_success 'tags whose objects are packed list as loose ones' '
	git tag -a -m "of a tree" v3.0.2 "HEAD^{tree}" &&
	git release list --pre --json >unpacked &&
	test_path_is_file .git/refs/tags/v2.0.0 &&
	test_path_is_file .git/objects/$(git rev-parse v2.0.0 | sed "s|^..|&/|") &&
	git repack -adq && git prune-packed &&
	test_path_is_missing .git/objects/$(git rev-parse v2.0.0 | sed "s|^..|&/|") &&
	git release list --pre --json >packed &&
	test_cmp unpacked packed &&
	grep "\"tag\":\"v2.0.0\",.*\"commit\":\"$(git rev-parse c-three)\",\"annotated\":true" packed &&
	grep "\"tag\":\"v2.0.0-beta\",.*\"commit\":\"$(git rev-parse c-three)\"" packed &&
	! grep v3.0 packed &&
	git tag -d v3.0.2 >/dev/null
'

test_expect_success '--json dates: the tagger date, else the commit date' '
	test_tick &&
	git tag -a -m "late" v0.9.0 c-one &&
	git tag v0.8.0 c-one &&
	git release list --json >actual &&
	grep "\"tag\":\"v0.9.0\",\"version\":\"0.9.0\",\"date\":\"$(date -u -d @$test_tick +%Y-%m-%dT%H:%M:%SZ)\"" actual &&
	grep "\"tag\":\"v0.8.0\",\"version\":\"0.8.0\",\"date\":\"$(date -u -d @$(git log -1 --format=%ct c-one) +%Y-%m-%dT%H:%M:%SZ)\"" actual &&
	git tag -d v0.9.0 v0.8.0 >/dev/null
'

test_expect_success 'packed refs list exactly as loose ones' '
	git tag -d v3.0.0-tree v3.0.1 >/dev/null &&
	git release list --pre --json >loose &&
	git pack-refs --all &&
	test_path_is_missing .git/refs/tags/v2.0.0 &&
	git release list --pre --json >packed &&
	test_cmp loose packed
'

test_expect_success 'a loose ref wins over its packed copy' '
	git tag -f v1.10.0 c-one >/dev/null &&
	git release list --json >actual &&
	grep "\"tag\":\"v1.10.0\",.*,\"commit\":\"$(git rev-parse c-one)\"" actual
'

test_expect_success 'a deleted packed tag is gone' '
	git tag -d v1.9.0 >/dev/null &&
	git release list >actual &&
	! grep v1.9.0 actual
'

test_expect_success 'packed-refs without peeled lines: tags are read to peel' '
	cp .git/packed-refs packed.bak &&
	grep -v "^[#^]" packed.bak >.git/packed-refs &&
	git release list --pre --json >actual &&
	grep "\"tag\":\"v2.0.0-beta\",.*,\"commit\":\"$(git rev-parse c-three)\",\"annotated\":true" actual &&
	grep "\"tag\":\"v2.0.0\",.*\"annotated\":true" actual &&
	mv packed.bak .git/packed-refs
'

test_expect_success 'a release marked bad shows the marker and the reason' '
	git release yank v1.10.0 -m "leaks memory
under load" &&
	git release list >actual &&
	cat >expect <<-\EOF &&
	v2.0.0
	v1.10.0  bad: leaks memory
	EOF
	test_cmp expect actual &&
	git release list --json -n 2 >actual &&
	grep -F "\"annotated\":false,\"prerelease\":false,\"bad\":true,\"reason\":\"leaks memory\\nunder load\",\"marks\":[{\"schema\":1,\"env\":null,\"reason\":\"leaks memory\\nunder load\"}],\"component\":null,\"deployed\":[]}" actual
'

test_expect_success 'list shows where each release runs now' '
	git release deploy v2.0.0 --env staging --new-env >/dev/null &&
	git release deploy v2.0.0 >/dev/null &&
	git release deploy v1.10.0 --env qa --new-env --force >/dev/null &&
	git release list >actual &&
	cat >expect <<-\EOF &&
	v2.0.0  deployed: production, staging
	v1.10.0  deployed: qa  bad: leaks memory
	EOF
	test_cmp expect actual &&
	git release list --json -n 1 >actual &&
	grep "\"deployed\":\[\"production\",\"staging\"\]}\$" actual
'

test_expect_success 'only the newest deployment of an environment counts' '
	git release deploy v2.0.0 --env qa >/dev/null &&
	git release list >actual &&
	cat >expect <<-\EOF &&
	v2.0.0  deployed: production, qa, staging
	v1.10.0  bad: leaks memory
	EOF
	test_cmp expect actual
'

test_expect_success 'color.ui=always colours the markers; never and pipes do not' '
	git -c color.ui=always release list >actual &&
	esc=$(printf "\033") &&
	grep "^v2.0.0  ${esc}\[32mdeployed: production, qa, staging${esc}\[m\$" actual &&
	grep "^v1.10.0  ${esc}\[31mbad: leaks memory${esc}\[m\$" actual &&
	NO_COLOR=1 git -c color.ui=always release list >actual &&
	grep "${esc}\[31mbad" actual &&
	git -c color.ui=never release list >actual &&
	test_cmp expect actual &&
	git -c color.ui=auto release list >actual &&
	test_cmp expect actual &&
	git -c color.ui=always release list --json >actual &&
	! grep "$esc" actual
'

command -v script >/dev/null && test_set_prereq TTY

test_expect_success TTY 'on a terminal: colour by default, none with NO_COLOR' '
	esc=$(printf "\033") &&
	script -qc "git release list" /dev/null >actual &&
	grep "${esc}\[31mbad: leaks memory" actual &&
	NO_COLOR=1 script -qc "git release list" /dev/null >actual &&
	! grep "$esc" actual &&
	script -qc "git -c color.ui=never release list" /dev/null >actual &&
	! grep "$esc" actual
'

test_expect_success 'markers survive packing the refs' '
	git pack-refs --all &&
	git release list >actual &&
	test_cmp expect actual
'

test_expect_success 'list changes nothing' '
	save_state &&
	git release list --pre --json >/dev/null &&
	git release list -n 1 >/dev/null &&
	test_state_unchanged
'

test_expect_success 'works from a subdirectory and a linked worktree' '
	mkdir -p sub &&
	(cd sub && git release list >../actual) &&
	git release list >expect &&
	test_cmp expect actual &&
	git worktree add -q ../wt HEAD &&
	(cd ../wt && git release list >../repo/actual) &&
	test_cmp expect actual
'

test_expect_success 'release.tagPrefix: a monorepo lists its own prefix' '
	git tag -a -m "api" api/v1.0.0 c-one &&
	git tag api/v1.1.0 c-two &&
	git tag -a -m "web" web/v9.0.0 c-one &&
	git tag api/v2.0.0-rc.1 c-three &&
	git -c release.tagPrefix=api/v release list >actual &&
	printf "api/v1.1.0\napi/v1.0.0\n" >expect &&
	test_cmp expect actual &&
	git pack-refs --all &&
	git -c release.tagPrefix=api/v release list --pre >actual &&
	printf "api/v2.0.0-rc.1\napi/v1.1.0\napi/v1.0.0\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'release.tagPrefix from the config file' '
	git config release.tagPrefix api/v &&
	git release list -n 1 >actual &&
	echo api/v1.1.0 >expect &&
	test_cmp expect actual &&
	git config --unset release.tagPrefix
'

test_expect_success 'an empty prefix: bare versions' '
	git tag 5.0.0 c-three &&
	git -c release.tagPrefix= release list >actual &&
	echo 5.0.0 >expect &&
	test_cmp expect actual
'

test_expect_success 'no release at all: empty output, success' '
	git init -q ../bare-history &&
	(cd ../bare-history && test_commit x && git tag not-a-release &&
	 git release list >../repo/actual) &&
	test_must_be_empty actual
'

test_expect_success 'usage errors (129) and outside a repository (128)' '
	test_expect_code 129 git release list extra 2>err &&
	grep "too many arguments" err &&
	test_expect_code 129 git release list -n 2>err &&
	test_expect_code 129 git release list --bogus 2>err &&
	test_expect_code 129 git release list -h >out &&
	grep "^usage: git release list \[-n <count>\] \[--pre\] \[--component <name>\] \[--json\]" out &&
	(GIT_CEILING_DIRECTORIES=$(cd .. && pwd) && export GIT_CEILING_DIRECTORIES &&
	 mkdir -p ../none && cd ../none &&
	 test_expect_code 128 git release list 2>err &&
	 grep "^fatal: not a git repository" err)
'

test_done
