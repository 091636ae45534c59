#!/bin/sh

test_description='one JSON contract: the --json outputs against their man pages

next, list, current, history, envs and hotfix list (rollback check and
metrics still write their own JSON).

Each output is parsed with a real JSON parser (python3), and its fields
(nested ones as array[].field) must be exactly those its man page lists
under JSON OUTPUT: every documented field appears, no other does.
Every object carries an integer schema, tag is a tag name and version
its bare SemVer, times are ISO 8601 UTC, bytes that are not UTF-8 come
back escaped.'

. ./test-lib.sh

if ! python3 -c 'import json' 2>/dev/null
then
	skip_all='python3 is needed to parse JSON'
	test_done
fi

MAN=$SHARNESS_BUILD_DIRECTORY/man

# check_json <page> <section> <file>: the contract, for every line of file
check_json () {
	python3 - "$MAN/$1" "$2" "$3" <<-\EOF
	import json, re, subprocess, sys
	page, section, path = sys.argv[1:4]
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
	iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
	tags = set(subprocess.run(["git", "tag", "-l"], capture_output=True,
	    text=True, check=True).stdout.split())
	def walk(obj, prefix, seen):
	    assert isinstance(obj, dict), obj
	    assert type(obj.get("schema")) is int and obj["schema"] == 1, obj
	    for k, v in obj.items():
	        name = prefix + k
	        seen.add(name)
	        if isinstance(v, list) and v and isinstance(v[0], dict):
	            seen.add(name)
	            for item in v:
	                walk(item, name + "[].", seen)
	        if k in ("time", "date") or k.endswith("_at"):
	            assert v is None or iso.match(v), (k, v)
	    t = obj.get("tag")
	    # next and hotfix list name a tag still to be made
	    future = section == "next" or page.endswith("git-hotfix.1")
	    if t is not None and not future:
	        assert t in tags, (t, "not a tag")
	    if t is not None and obj.get("version") is not None:
	        assert t.endswith(obj["version"]) and \
	            re.match(r"^\d+\.\d+\.\d+", obj["version"]), obj
	n = 0
	for line in open(path, encoding="utf-8", errors="surrogateescape"):
	    obj = json.loads(line)
	    seen = set()
	    walk(obj, "", seen)
	    # an empty array of objects documents its fields too
	    for f in want:
	        if "[]." in f and f.split("[].")[0] in seen:
	            seen.add(f) if obj.get(f.split("[].")[0]) == [] else None
	    assert seen == want, "%s %s: undocumented %s, missing %s" % (
	        page, section, sorted(seen - want), sorted(want - seen))
	    n += 1
	assert n > 0, "no output"
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
	check_json git-release.1 list list.json
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

test_done
