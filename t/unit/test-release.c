/* Unit tests for lib/release.c: ordering, tag names, commit bumps. */
#include <stdlib.h>
#include <string.h>

#include "lib/release.h"
#include "t/unit/tap.h"

static void
sorts(const char **in, const char **want, size_t n, const char *name)
{
	struct release *r = calloc(n, sizeof(*r));
	size_t i;
	int good = 1;

	for (i = 0; i < n; i++) {
		r[i].tag = (char *)in[i];
		semver_parse(&r[i].v, in[i] + 1);
	}
	qsort(r, n, sizeof(*r), release_cmp_newest_first);
	for (i = 0; i < n; i++)
		if (strcmp(r[i].tag, want[i]) != 0) {
			printf("# at %zu: got %s, want %s\n", i, r[i].tag,
			    want[i]);
			good = 0;
		}
	ok(good, name);
	free(r);
}

static void
tag_name(const char *prefix, const char *in, const char *want)
{
	struct ctx ctx = CTX_INIT;
	struct strbuf sb = STRBUF_INIT;
	char name[200];
	int rc;

	ctx.set.tag_prefix = prefix;
	rc = release_tag_name(&sb, &ctx, in);
	snprintf(name, sizeof(name), "prefix '%s': '%s' is %s", prefix, in,
	    want ? want : "rejected");
	if (want == NULL)
		is_int(rc, E_FATAL, name);
	else
		is_str(rc == 0 ? sb.buf : NULL, want, name);
	strbuf_release(&sb);
}

static void
bump(const char *msg, enum semver_bump want)
{
	char name[200], *p;

	snprintf(name, sizeof(name), "bump for '%.60s'", msg);
	for (p = name; *p != '\0'; p++)
		if (*p == '\n')
			*p = ' ';
	is_int(release_bump_for_message(msg), want, name);
}

static void
finds(const struct release_list *l, const char *prefix, const char *in,
    const char *want)
{
	struct ctx ctx = CTX_INIT;
	const struct release *r;
	char name[200];

	ctx.set.tag_prefix = prefix;
	r = release_find(l, &ctx, in);
	snprintf(name, sizeof(name), "find '%s' is %s", in,
	    want ? want : "none");
	is_str(r ? r->tag : NULL, want, name);
}

int
main(void)
{
	const char *in1[] = { "v2.0.0-rc.1", "v1.9.0", "v2.0.0", "v1.10.0",
	    "v2.0.0-rc.2", "v0.1.0", "v2.0.0-rc.10" };
	const char *want1[] = { "v2.0.0", "v2.0.0-rc.10", "v2.0.0-rc.2",
	    "v2.0.0-rc.1", "v1.10.0", "v1.9.0", "v0.1.0" };
	const char *in2[] = { "v1.0.0+b", "v1.0.0+a", "v1.0.0" };
	const char *want2[] = { "v1.0.0", "v1.0.0+a", "v1.0.0+b" };
	const char *in3[] = { "v1.0.0-beta", "v1.0.0-alpha.1",
	    "v1.0.0-alpha", "v1.0.0-beta.11", "v1.0.0-beta.2",
	    "v1.0.0-alpha.beta", "v1.0.0-rc.1", "v1.0.0" };
	const char *want3[] = { "v1.0.0", "v1.0.0-rc.1", "v1.0.0-beta.11",
	    "v1.0.0-beta.2", "v1.0.0-beta", "v1.0.0-alpha.beta",
	    "v1.0.0-alpha.1", "v1.0.0-alpha" };
	struct release items[3];
	struct release_list l = { items, 3, 3 };
	const char *tags[] = { "v1.2.3", "v1.2.3-rc.1", "v1.0.0" };
	size_t i;

	/* the rejections print their fatal: lines; TAP needs none */
	if (freopen("/dev/null", "w", stderr) == NULL)
		return 1;
	sorts(in1, want1, 7, "newest first: rc below release, 10 above 9");
	sorts(in2, want2, 3, "equal precedence in tag-name byte order");
	sorts(in3, want3, 8, "the SemVer spec's example order, reversed");

	tag_name("v", "1.2.3", "v1.2.3");
	tag_name("v", "v1.2.3", "v1.2.3");
	tag_name("v", "refs/tags/v1.2.3", "v1.2.3");
	tag_name("v", "1.2.3-rc.1", "v1.2.3-rc.1");
	tag_name("v", "1.2", NULL);
	tag_name("v", "v01.2.3", NULL);
	tag_name("v", "vv1.2.3", NULL);
	tag_name("v", "1.2.3.4", NULL);
	tag_name("v", "", NULL);
	tag_name("v", "99999999999999999999.0.0", NULL);
	tag_name("api/v", "1.2.3", "api/v1.2.3");
	tag_name("api/v", "v1.2.3", "api/v1.2.3");
	tag_name("api/v", "api/v1.2.3", "api/v1.2.3");
	tag_name("api/v", "web/v1.2.3", NULL);
	tag_name("", "1.2.3", "1.2.3");
	tag_name("release-", "release-2.0.0", "release-2.0.0");

	for (i = 0; i < 3; i++) {
		memset(&items[i], 0, sizeof(items[i]));
		items[i].tag = (char *)tags[i];
		semver_parse(&items[i].v, tags[i] + 1);
	}
	finds(&l, "v", "1.2.3", "v1.2.3");
	finds(&l, "v", "v1.2.3-rc.1", "v1.2.3-rc.1");
	finds(&l, "v", "v9.9.9", NULL);
	finds(&l, "v", "garbage", NULL);
	is_str(release_latest(&l, 0)->tag, "v1.2.3", "latest");
	is_str(release_previous_stable(&l, &items[0])->tag, "v1.0.0",
	    "previous stable skips the rc");
	ok(release_previous_stable(&l, &items[2]) == NULL,
	    "no stable before the first");

	is_str(release_by_tag(&l, "v1.2.3-rc.1")->tag, "v1.2.3-rc.1",
	    "by exact tag");
	ok(release_by_tag(&l, "1.2.3") == NULL, "by tag wants the prefix");

	ok(release_valid_pre_id("rc"), "pre id rc");
	ok(release_valid_pre_id("beta-2"), "pre id with a hyphen");
	ok(release_valid_pre_id("0a"), "pre id starting with a digit");
	ok(!release_valid_pre_id("1"), "pre id that is a number");
	ok(!release_valid_pre_id("rc.1"), "pre id with a dot");
	ok(!release_valid_pre_id("r c"), "pre id with a space");
	ok(!release_valid_pre_id(""), "empty pre id");
	ok(!release_valid_pre_id("rc+b"), "pre id with build metadata");

	bump("fix: a bug", BUMP_PATCH);
	bump("feat: a thing", BUMP_MINOR);
	bump("feat(api): a thing", BUMP_MINOR);
	bump("FEAT: shouting", BUMP_MINOR);
	bump("feat!: breaking", BUMP_MAJOR);
	bump("fix(db)!: breaking fix", BUMP_MAJOR);
	bump("refactor!: drop the old API", BUMP_MAJOR);
	bump("fix: x\n\nBREAKING CHANGE: the config moved", BUMP_MAJOR);
	bump("fix: x\n\nBREAKING-CHANGE: the config moved", BUMP_MAJOR);
	bump("fix: x\n\nsee BREAKING CHANGE: not a footer", BUMP_PATCH);
	bump("feature: not the feat type", BUMP_PATCH);
	bump("feat add thing without colon", BUMP_PATCH);
	bump("Merge branch 'feat'", BUMP_PATCH);
	bump("feat(scope: unclosed", BUMP_PATCH);
	bump("!: nothing", BUMP_PATCH);
	bump("", BUMP_PATCH);
	return done_testing();
}
