#!/bin/sh

test_description='git release next: the tag cut would create, alone on a line'

. ./test-lib.sh

# next_is_cut [<option>...]: next says a tag, cut with the same options
# then creates exactly that tag at HEAD, and next had changed nothing
next_is_cut () {
	save_state next &&
	git release next "$@" >next.out &&
	test_state_unchanged next &&
	test_line_count = 1 next.out &&
	git release cut -q "$@" >cut.out &&
	git rev-parse --verify "refs/tags/$(cat next.out)^{commit}" >actual &&
	git rev-parse HEAD >expect &&
	test_cmp expect actual &&
	grep "^created $(cat next.out) on" cut.out
}

test_expect_success 'setup: a bare remote, two clones, two components' '
	git init -q --bare remote.git &&
	git clone -q remote.git a 2>/dev/null &&
	git clone -q remote.git b 2>/dev/null &&
	for d in a b
	do
		printf "%s\n" err out expect actual "*.out" "*.rev" "*.json" \
			>$d/.git/info/exclude || return 1
	done
'

test_expect_success 'no commit yet: refused as cut refuses' '
	(cd a && test_expect_code 1 git release next 2>err &&
	 grep "there is no commit yet" err)
'

test_expect_success 'the first release is 0.1.0, as cut makes it' '
	(cd a && test_commit initial && test_commit "fix: first" &&
	 git release next >out && echo v0.1.0 >expect && test_cmp expect out &&
	 next_is_cut && git push -q origin main --tags)
'

test_expect_success 'HEAD already a release: exit 1, nothing changed' '
	(cd a && save_state &&
	 test_expect_code 1 git release next 2>err &&
	 grep "HEAD is already release v0.1.0" err &&
	 test_state_unchanged)
'

test_expect_success 'a fix, a feature, a breaking change' '
	(cd a &&
	 test_commit "fix: crash" && next_is_cut && test v0.1.1 = "$(cat next.out)" &&
	 test_commit "feat: export" && next_is_cut && test v0.2.0 = "$(cat next.out)" &&
	 test_commit "feat!: new API" && next_is_cut && test v1.0.0 = "$(cat next.out)" &&
	 git push -q origin main --tags)
'

test_expect_success 'the other clone, after a fetch, agrees' '
	(cd b && git pull -q --tags origin main 2>/dev/null &&
	 test_commit "feat: search" &&
	 git release next >out && echo v1.1.0 >expect && test_cmp expect out) &&
	(cd a && test_commit "feat: other" &&
	 git release next >out && echo v1.1.0 >expect && test_cmp expect out)
'

test_expect_success 'bump options, as cut takes them' '
	(cd a && git release next --patch >out && echo v1.0.1 >expect &&
	 test_cmp expect out &&
	 git release next --major >out && echo v2.0.0 >expect &&
	 test_cmp expect out &&
	 test_expect_code 129 git release next --major --minor 2>err &&
	 grep "cannot be used with" err)
'

test_expect_success '--pre: rc.1, then rc.2' '
	(cd a && next_is_cut --pre rc && test v1.1.0-rc.1 = "$(cat next.out)" &&
	 test_commit "fix: rc bug" &&
	 next_is_cut --pre rc && test v1.1.0-rc.2 = "$(cat next.out)" &&
	 test_commit "fix: another" &&
	 next_is_cut && test v1.1.0 = "$(cat next.out)")
'

test_expect_success 'a dirty tree: next answers (cut would refuse)' '
	(cd a && test_commit "fix: dirty" && echo edit >>initial.t &&
	 git release next >out && echo v1.1.1 >expect && test_cmp expect out &&
	 test_expect_code 1 git release cut 2>err &&
	 git checkout -q initial.t)
'

test_expect_success 'components: the component prefix and its own line' '
	(cd a &&
	 git config release.component.api.tagPrefix api/v &&
	 git config release.component.api.path services/api &&
	 git config release.component.web.tagPrefix web/v &&
	 git config release.component.web.path services/web &&
	 test_commit "feat: api" services/api/a.txt &&
	 git release next --component api >out &&
	 echo api/v0.1.0 >expect && test_cmp expect out &&
	 next_is_cut --component api &&
	 test_commit "fix: api" services/api/a.txt two &&
	 next_is_cut --component api && test api/v0.1.1 = "$(cat next.out)" &&
	 test_expect_code 1 git release next --component web 2>err &&
	 grep "no commit since the previous release of .web. changes its paths" err &&
	 git release next --component web --minor >out &&
	 echo web/v0.1.0 >expect && test_cmp expect out)
'

test_expect_success 'components declared: no --component is a usage error' '
	(cd a && test_expect_code 129 git release next 2>err &&
	 grep -i "component" err)
'

test_expect_success '--json: one object, exactly its documented fields' '
	(cd a && test_commit "feat: json" services/web/w.txt &&
	 git release next --component web --json >next.json &&
	 test_line_count = 1 next.json &&
	 python3 -c "
import json, sys
o = json.load(open(\"next.json\"))
assert sorted(o) == [\"commit\", \"component\", \"schema\", \"tag\", \"version\"], o
assert o[\"schema\"] == 1 and isinstance(o[\"schema\"], int)
assert o[\"tag\"] == \"web/v0.1.0\", o
assert o[\"version\"] == \"0.1.0\", o
assert o[\"component\"] == \"web\", o
" &&
	 jq -r .commit next.json >actual && git rev-parse HEAD >expect &&
	 test_cmp expect actual)
'

test_expect_success 'usage: arguments, a bad pre-release id' '
	(cd a && test_expect_code 129 git release next v9.9.9 2>err &&
	 grep "too many arguments" err &&
	 test_expect_code 128 git release next --component web --pre 01 2>err &&
	 grep "not a valid pre-release identifier" err &&
	 test_expect_code 129 git release next --bogus 2>err)
'

test_done
