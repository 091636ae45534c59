#!/bin/sh

test_description='one JSON contract: the --json outputs against their man pages

Every output that is JSON (release next, list, current, history, envs,
metrics, hold --list, verify, history --format=cdevents; rollback check,
the rollback, revert and restore; hotfix list, start and finish) is
parsed with a real JSON parser (python3), and its fields
(nested ones as object.field, those of a list of objects as
list[].field) must be those its man page lists under JSON OUTPUT: no
field that is not documented, and every documented one in the output
(a field under an empty list or a null object, or the detail of one kind
of plan step, may be absent from a line, but not from all of them).
Every object carries an integer schema (the
objects of the CDEvents specification excepted), tag is a tag name and
version its bare SemVer, times are ISO 8601 UTC, reason codes come from
the documented list, bytes that are not UTF-8 come back escaped.'

. ./test-lib.sh

if ! python3 -c 'import json' 2>/dev/null
then
	skip_all='python3 is needed to parse JSON'
	test_done
fi

MAN=$SHARNESS_BUILD_DIRECTORY/man

# check_json <page> <section> <file>...: the contract, for every line of
# the files together
check_json () {
	python3 - "$MAN/$1" "$2" "$@" <<-\EOF
	import json, re, subprocess, sys
	page, section, files = sys.argv[1], sys.argv[2], sys.argv[5:]
	doc, on, cur = {}, False, None
	for line in open(page, encoding="utf-8"):
	    line = line.rstrip("\n")
	    if line.startswith(".Sh "):
	        on = line == ".Sh JSON OUTPUT"
	    elif on and line.startswith(".Ss "):
	        cur = line[4:].strip()
	        doc[cur] = set()
	    elif on and cur and line.startswith(".It Li "):
	        doc[cur].add(line[7:].split()[0])
	want = doc.get(section)
	assert want, "no JSON OUTPUT section %r in %s" % (section, page)
	# the documented codes of a reason: the .Li words of its .It entry
	codes = {}
	text = open(page, encoding="utf-8").read()
	for m in re.finditer(r"^\.It Li (\S+\.code)\n((?:(?!\.It ).*\n)*)",
	        text, re.M):
	    codes[m.group(1)] = set(re.findall(r"^\.Li ([a-z-]+)",
	        m.group(2), re.M))
	cdevents = section == "cdevents"
	plain = {"", "context.", "subject.", "subject.content.",
	    "subject.content.environment."}
	iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
	tags = set(subprocess.run(["git", "tag", "-l"], capture_output=True,
	    text=True, check=True).stdout.split())
	# next and hotfix list name a tag still to be made
	future = section == "next" or page.endswith("git-hotfix.1")
	def walk(obj, prefix, seen, empty):
	    assert isinstance(obj, dict), obj
	    if cdevents and prefix in plain:
	        assert "schema" not in obj, (prefix, obj)
	    else:
	        assert type(obj.get("schema")) is int and \
	            obj["schema"] == 1, (prefix, obj)
	    for k, v in obj.items():
	        name = prefix + k
	        if k == "schema" and prefix:
	            continue
	        seen.add(name)
	        if v is None or v == []:
	            empty.add(name)
	        if isinstance(v, dict):
	            walk(v, name + ".", seen, empty)
	        elif isinstance(v, list) and v and isinstance(v[0], dict):
	            for item in v:
	                walk(item, name + "[].", seen, empty)
	        if k in ("time", "date", "since", "until", "timestamp") or \
	                k.endswith("_at"):
	            assert v is None or iso.match(v), (name, v)
	        if name in codes:
	            assert v in codes[name], (name, v, "undocumented code")
	    t = obj.get("tag")
	    if t is not None and not future:
	        assert t in tags, (t, "not a tag")
	    if t is not None and obj.get("version") is not None:
	        assert t.endswith(obj["version"]) and \
	            re.match(r"^\d+\.\d+\.\d+", obj["version"]), obj
	def parent(f):
	    return re.sub(r"(\[\])?\.[^.\[\]]+$", "", f)
	n, union = 0, set()
	for path in files:
	    for line in open(path, encoding="utf-8", errors="surrogateescape"):
	        obj = json.loads(line)
	        seen, empty = set(), set()
	        walk(obj, "", seen, empty)
	        assert seen <= want, "%s %s: undocumented %s" % (
	            page, section, sorted(seen - want))
	        # under an empty list or a null object: absent here; a
	        # plan's steps carry the details of their kind only
	        missing = {f for f in want - seen
	            if not any(parent(f) == e or parent(f).startswith(e + ".")
	                or parent(f).startswith(e + "[].") for e in empty)
	            and not (f.startswith("steps[].") and f not in
	                ("steps[].n", "steps[].kind", "steps[].status"))}
	        assert not missing, "%s %s: missing %s" % (
	            page, section, sorted(missing))
	        union |= seen
	        n += 1
	assert n > 0, "no output"
	assert union == want, "%s %s: never in the output %s" % (
	    page, section, sorted(want - union))
	for f in codes:
	    if f in want:
	        print("%s: %s" % (f, " ".join(sorted(codes[f]))))
	print("%d object(s) as documented" % n)
	EOF
}

test_expect_success 'setup: a remote, releases, a deploy, a rollback, a hotfix' '
	git init -q --bare remote.git &&
	git clone -q remote.git repo 2>/dev/null &&
	cd repo &&
	printf "%s\n" err out "*.json" >.git/info/exclude &&
	test_commit one && git release cut -q &&
	test_commit "feat: prefs" db/migrate/20240115120000_add_prefs.rb &&
	git release cut -q -m "with a migration" &&
	test_commit "fix: crash" && git release cut -q &&
	git release deploy -q v0.1.0 -m first &&
	git release deploy -q v0.2.1 -m "second $(printf "\377\376") bytes" &&
	git config deploy.staging.command true &&
	git release deploy -q v0.2.0 --env staging &&
	git rollback -q -m "it broke" --deploy-only --ignore-migrations \
		--env staging v0.1.0 &&
	git hotfix start -q fix-login v0.2.1 &&
	test_commit "fix: login" &&
	git switch -q main &&
	test_commit "feat: next one"
'

test_expect_success 'release next --json' '
	git release next --json >next.json &&
	check_json git-release.1 next next.json
'

test_expect_success 'release list --json' '
	git release list --json --pre >list.json &&
	check_json git-release.1 list list.json &&
	grep "\"marks\":\[{\"schema\":1,\"env\":\"staging\"" list.json
'

test_expect_success 'release current --json, from the log and from the branch' '
	git release current --json >current.json &&
	git push -q origin main --tags &&
	git clone -q "$TRASH_DIRECTORY/remote.git" ../fresh 2>/dev/null &&
	(cd ../fresh && git release current --json) >>current.json &&
	check_json git-release.1 current current.json &&
	grep "\"source\":\"branch\"" current.json &&
	grep "\"source\":\"log\"" current.json
'

test_expect_success 'release history --json: deploys and a rollback' '
	git release history --json >history.json &&
	check_json git-release.1 history history.json &&
	grep "\"strategy\":\"deploy-only\"" history.json
'

test_expect_success 'release envs --json' '
	git release envs --json >envs.json &&
	check_json git-release.1 envs envs.json
'

test_expect_success 'hotfix list --json' '
	git hotfix list --json >hotfix.json &&
	check_json git-hotfix.1 list hotfix.json &&
	grep "\"tag\":\"v0.2.2\",\"version\":\"0.2.2\"" hotfix.json
'

test_expect_success 'a reason that is not UTF-8 comes back as its bytes' '
	git release history --json --env production >h.json &&
	python3 -c "
import json
reasons = [json.loads(l)[\"reason\"] for l in open(\"h.json\")]
raw = [r.encode(\"utf-8\", \"surrogateescape\") for r in reasons if r]
assert b\"second \\xff\\xfe bytes\" in raw, raw
" &&
	grep -F "\\udcff\\udcfe" h.json &&
	jq -r .reason h.json >/dev/null
'

test_expect_success 'release metrics --json' '
	GIT_RELEASE_NOW=2005-04-30 git release metrics --json \
		--since 2005-04-01 --until 2005-04-30 >metrics.json &&
	check_json git-release.1 metrics metrics.json &&
	test "$(jq -r "select(.period == \"total\") | .deployments" metrics.json)" = 2
'

test_expect_success 'release history --format=cdevents: customData' '
	git release history --format=cdevents >cdevents.json &&
	check_json git-release.1 cdevents cdevents.json &&
	jq -r ".customData | .tag + \" \" + .version" cdevents.json >actual &&
	printf "%s\n" "v0.1.0 0.1.0" "v0.2.0 0.2.0" "v0.2.1 0.2.1" \
		"v0.1.0 0.1.0" >expect &&
	sort expect >expect.sorted && sort actual >actual.sorted &&
	test_cmp expect.sorted actual.sorted
'

test_expect_success 'hold --list --json' '
	git release hold -q --env production -m "incident 7" &&
	test_when_finished "git release hold -q --lift --env production -m over" &&
	git release hold --list --json >hold.json &&
	check_json git-release.1 hold hold.json &&
	jq -r "[.env, .tag, .version, .reason] | @tsv" hold.json >actual &&
	printf "production\tv0.2.1\t0.2.1\tincident 7\nstaging\tv0.1.0\t0.1.0\trolled back from v0.2.0\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'release verify --json: verified and failed' '
	git -c deploy.production.verifyCommand=true release verify --json \
		--no-fetch >verify.json &&
	test_expect_code 1 git -c deploy.production.verifyCommand="echo 503; false" \
		-c deploy.production.verifyInterval=10ms \
		-c deploy.production.verifyTimeout=100ms \
		release verify --json --no-fetch >>verify.json &&
	check_json git-release.1 verify verify.json &&
	jq -r "[.tag, .version, .outcome, .verify_output] | @tsv" verify.json >actual &&
	printf "v0.2.1\t0.2.1\tverified\t\nv0.2.1\t0.2.1\tfailed\t503\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'setup: a production branch that moved on' '
	git branch production v0.2.1 &&
	git switch -q production &&
	test_commit "hot edit" fix__crash.t "edited on production" &&
	git switch -q main
'

test_expect_success 'rollback check --json: a bad target, a conflict, drops' '
	test_expect_code 1 git rollback check v0.2.0 --json >check-bad.json &&
	jq -e ".strategies.revert.conflicts.paths == [\"fix__crash.t\"] and (.strategies.reset.drops | length) == 1 and .target.bad == \"it broke (staging)\"" check-bad.json &&
	jq -r ".blockers[] | .code + \" \" + .message" check-bad.json >actual &&
	echo "target-bad \"v0.2.0\" is marked bad: it broke (staging)" |
	tr "\"" "\047" >expect &&
	test_cmp expect actual
'

test_expect_success 'rollback check --json: migrations in between' '
	test_expect_code 1 git -c rollback.migrateDownCommand=bin/down \
		rollback check v0.1.0 --json >check-migr.json &&
	jq -r ".blockers[].code, .migrations[].down_command" check-migr.json >actual &&
	printf "%s\n" migrations-between \
		"MIGRATION_ID=20240115120000_add_prefs MIGRATION_VERSION=20240115120000 sh -c bin/down" >expect &&
	test_cmp expect actual
'

test_expect_success 'rollback check --json: no blockers, exit 0; all as documented' '
	git release yank -q --undo v0.2.0 &&
	git rollback check --json >check-clean.json &&
	jq -e ".blockers == []" check-clean.json &&
	check_json git-rollback.1 check check-bad.json check-migr.json \
		check-clean.json
'

test_expect_success 'rollback --revert --json: stopped on a conflict' '
	git switch -q production &&
	test_expect_code 1 git rollback v0.2.0 --revert -m "revert it" \
		--json >rb-stopped.json 2>err &&
	test_line_count = 1 rb-stopped.json &&
	jq -r "[.status, .undo, (.steps[] | select(.kind == \"revert\") | .status)] | @tsv" \
		rb-stopped.json >actual &&
	printf "stopped\tgit rollback --abort\tstopped\n" >expect &&
	test_cmp expect actual &&
	jq -e ".refs == [] and (.steps[] | select(.kind == \"hook\") | .status) == \"pending\"" \
		rb-stopped.json &&
	git rollback --abort 2>err &&
	git switch -q main
'

test_expect_success 'rollback --deploy-only --json: hook, verification, deployed tag, hold' '
	git -c deploy.production.command=true \
		-c deploy.production.verifyCommand=true \
		rollback v0.2.0 --deploy-only -m "bad \$(touch pwned)" \
		--json >rb-deploy-only.json 2>err &&
	test_line_count = 1 rb-deploy-only.json &&
	jq -r "[.op, .status, (.steps | map(.kind) | join(\",\"))] | @tsv" \
		rb-deploy-only.json >actual &&
	printf "rollback\tcomplete\tcheck,hook,log,deployed-tag,mark,log\n" >expect &&
	test_cmp expect actual &&
	jq -e "(.steps[] | select(.kind == \"hook\") | .verify) == \"passed\"" \
		rb-deploy-only.json &&
	sh -c "$(jq -r .undo rb-deploy-only.json)" 2>err &&
	test_path_is_missing pwned &&
	test "$(git release current)" = v0.2.1
'

test_expect_success 'rollback --branch --migrate --push --json: migration and pushes' '
	git -c rollback.migrateDownCommand=true rollback v0.1.0 --branch \
		--migrate --push -m "down" --json >rb-branch.json 2>err &&
	jq -r "[.status, (.steps | map(.kind) | join(\",\"))] | @tsv" \
		rb-branch.json >actual &&
	printf "complete\tcheck,ref,push,migration,hook,log,mark,log,push\n" >expect &&
	test_cmp expect actual &&
	git ls-remote --exit-code ../remote.git refs/heads/rollback/v0.2.1 &&
	sh -c "$(jq -r .undo rb-branch.json)" 2>err &&
	test_must_fail git ls-remote --exit-code ../remote.git \
		refs/heads/rollback/v0.2.1 &&
	test_must_fail git rev-parse -q --verify rollback/v0.2.1
'

test_expect_success 'rollback --json: as documented' '
	check_json git-rollback.1 rollback rb-stopped.json rb-deploy-only.json \
		rb-branch.json
'

test_expect_success 'rollback revert and restore --json: as documented' '
	test_commit "feat: undo me" &&
	git rollback revert HEAD -m "no \$(touch pwned)" --json >rv.json 2>err &&
	git rollback restore HEAD --json >>rv.json 2>err &&
	check_json git-rollback.1 revert rv.json &&
	jq -r "[.op, .status, .steps[0].committed] | @tsv" rv.json >actual &&
	printf "revert\tcomplete\t1\nrestore\tcomplete\t1\n" >expect &&
	test_cmp expect actual &&
	test_path_is_missing pwned
'

test_expect_success 'hotfix start --json, planned and run' '
	git hotfix start late v0.2.1 --json --dry-run >hf-plan.json &&
	git hotfix start late v0.2.1 --json >hf-start.json 2>err &&
	jq -e ".status == \"complete\" and .undo == \"git switch main && git branch -D hotfix/late\"" \
		hf-start.json &&
	test_commit "fix: late" &&
	git tag -a -m "api" api/v0.1.0 v0.1.0 &&
	test_when_finished "git tag -d api/v0.1.0" &&
	git -c release.component.api.tagPrefix=api/v \
		-c release.component.api.path=api hotfix start api-fix \
		api/v0.1.0 --component api --json --dry-run >hf-component.json &&
	jq -e ".steps[0].component == \"api\"" hf-component.json
'

test_expect_success 'hotfix finish --push --json, and stopped on a conflict' '
	git hotfix finish late --push -m "late \$(touch pwned)" --json \
		>hf-finish.json 2>err &&
	jq -r "[.status, (.steps | map(.kind) | join(\",\"))] | @tsv" \
		hf-finish.json >actual &&
	printf "complete\tcheck,tag,merge,ref,push\n" >expect &&
	test_cmp expect actual &&
	git switch -q hotfix/fix-login &&
	test_commit "fix: login again" fix__login.t "hotfix side" &&
	git switch -q main &&
	test_commit "feat: login on main" fix__login.t "main side" &&
	git switch -q hotfix/fix-login &&
	test_expect_code 1 git hotfix finish --json >hf-stopped.json 2>err &&
	jq -e ".status == \"stopped\"" hf-stopped.json &&
	sh -c "$(jq -r .undo hf-stopped.json)" 2>err &&
	git switch -q main &&
	test_path_is_missing pwned
'

test_expect_success 'hotfix start and finish --json: as documented' '
	check_json git-hotfix.1 plans hf-plan.json hf-start.json \
		hf-component.json hf-finish.json hf-stopped.json
'

test_expect_success 'no plan writes a key twice: a step'"'"'s own kind is step_kind' '
	git release deploy v0.2.1 --env qa --new-env --force --dry-run --json \
		>deploy-plan.json &&
	jq -e "[.steps[] | select(.kind == \"hook\") | .step_kind] == [\"deploy\"]" \
		deploy-plan.json &&
	python3 - deploy-plan.json rb-*.json rv.json hf-*.json <<-\EOF
	import json, sys
	def once(pairs):
	    keys = [k for k, _ in pairs]
	    assert len(keys) == len(set(keys)), keys
	    return dict(pairs)
	for path in sys.argv[1:]:
	    for line in open(path, encoding="utf-8"):
	        json.loads(line, object_pairs_hook=once)
	EOF
'

test_expect_success 'no JSON is written by hand: every output through the writer' '
	(cd "$SHARNESS_BUILD_DIRECTORY" &&
	! grep -n "strbuf_add[a-z]*(.*\\\\\"[a-z_]*\\\\\":" \
		lib/cdevents.c lib/checklist.c lib/hold.c lib/impact.c \
		lib/metrics-print.c git-release.c git-rollback.c git-hotfix.c)
'

test_done
