/* Unit tests for lib/semver.c: parsing, precedence, bumps. */
#include <stdlib.h>

#include "lib/semver.h"
#include "t/unit/tap.h"

static void
parses(const char *s, int want)
{
	struct semver v;
	char name[160];

	snprintf(name, sizeof(name), "%s '%s'", want ? "accepts" : "rejects",
	    s);
	ok((semver_parse(&v, s) == 0) == want, name);
}

static int
cmp(const char *a, const char *b)
{
	struct semver va, vb;

	if (semver_parse(&va, a) < 0 || semver_parse(&vb, b) < 0)
		return 99;
	return semver_cmp(&va, &vb);
}

static void
bumps(const char *from, enum semver_bump kind, const char *want)
{
	struct semver v, out;
	struct strbuf sb = STRBUF_INIT;
	char name[160];

	semver_parse(&v, from);
	semver_bump(&out, &v, kind);
	semver_format(&sb, &out);
	snprintf(name, sizeof(name), "bump %s (%d) is %s", from, kind, want);
	is_str(sb.buf, want, name);
	strbuf_release(&sb);
}

/* the number to raise is the largest: refused, never wrapped to 0 */
static void
no_bump(const char *from, enum semver_bump kind)
{
	struct semver v, out;
	char name[160];

	semver_parse(&v, from);
	snprintf(name, sizeof(name), "bump %s (%d) is refused", from, kind);
	ok(semver_bump(&out, &v, kind) < 0, name);
}

int
main(void)
{
	static const char *order[] = {	/* the spec's own example, ascending */
		"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
		"1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
		"1.0.0-rc.1", "1.0.0", "1.9.0", "1.10.0", "2.0.0-rc.1",
		"2.0.0-rc.2", "2.0.0", NULL
	};
	struct semver v;
	size_t i;

	parses("1.2.3", 1);
	parses("0.0.0", 1);
	parses("1.2.3-rc.1", 1);
	parses("1.2.3-0.3.7", 1);
	parses("1.2.3-x.7.z.92", 1);
	parses("1.2.3+20130313144700", 1);
	parses("1.2.3-beta+exp.sha.5114f85", 1);
	parses("1.2.3+001", 1);
	parses("1.2.3----RC-SNAPSHOT.12.9.1--.12+788", 1);
	parses("18446744073709551615.0.0", 1);
	parses("18446744073709551616.0.0", 0);
	parses("1.2", 0);
	parses("1.2.3.4", 0);
	parses("01.2.3", 0);
	parses("1.02.3", 0);
	parses("1.2.03", 0);
	parses("1.2.3-01", 0);
	parses("1.2.3-", 0);
	parses("1.2.3+", 0);
	parses("1.2.3-rc..1", 0);
	parses("1.2.3-rc_1", 0);
	parses("v1.2.3", 0);
	parses("1.2.3 ", 0);
	parses("", 0);
	parses("-1.2.3", 0);
	parses("1.2.-3", 0);
	parses("1.2.3-é", 0);

	for (i = 0; order[i + 1] != NULL; i++) {
		char name[160];

		snprintf(name, sizeof(name), "%s < %s", order[i], order[i + 1]);
		ok(cmp(order[i], order[i + 1]) < 0, name);
		snprintf(name, sizeof(name), "%s > %s", order[i + 1], order[i]);
		ok(cmp(order[i + 1], order[i]) > 0, name);
	}
	ok(cmp("1.0.0+a", "1.0.0+b") == 0, "build metadata is ignored");
	ok(cmp("1.0.0-rc.1+x", "1.0.0-rc.1") == 0, "build ignored on pre");
	ok(cmp("1.0.0-2", "1.0.0-10") < 0, "numeric identifiers numerically");
	ok(cmp("1.0.0-a10", "1.0.0-a2") < 0, "alphanumeric in ASCII order");
	ok(cmp("1.0.0-1", "1.0.0-a") < 0, "numeric below alphanumeric");
	ok(cmp("1.0.0-Z", "1.0.0-a") < 0, "ASCII: upper case first");
	ok(cmp("10.0.0", "9.99.99") > 0, "10 above 9");
	ok(cmp("1.0.0-99999999999999999999", "1.0.0-100") > 0,
	    "long numeric identifier");

	bumps("1.2.3", BUMP_PATCH, "1.2.4");
	bumps("1.2.3", BUMP_MINOR, "1.3.0");
	bumps("1.2.3", BUMP_MAJOR, "2.0.0");
	bumps("1.2.4-rc.1", BUMP_PATCH, "1.2.4");
	bumps("1.3.0-rc.1", BUMP_MINOR, "1.3.0");
	bumps("1.3.1-rc.1", BUMP_MINOR, "1.4.0");
	bumps("2.0.0-rc.2", BUMP_MAJOR, "2.0.0");
	bumps("2.1.0-rc.2", BUMP_MAJOR, "3.0.0");
	bumps("0.1.0", BUMP_NONE, "0.1.0");
	bumps("1.2.18446744073709551614", BUMP_PATCH,
	    "1.2.18446744073709551615");
	bumps("18446744073709551615.3.4", BUMP_MINOR,
	    "18446744073709551615.4.0");
	no_bump("1.2.18446744073709551615", BUMP_PATCH);
	no_bump("1.18446744073709551615.9", BUMP_MINOR);
	no_bump("18446744073709551615.0.0", BUMP_MAJOR);

	semver_parse(&v, "1.2.4-rc.7");
	is_int(semver_pre_number(&v, "rc"), 7, "pre number rc.7");
	is_int(semver_pre_number(&v, "beta"), -1, "pre number other id");
	semver_parse(&v, "1.2.4-rc");
	is_int(semver_pre_number(&v, "rc"), 0, "bare id counts as 0");
	semver_parse(&v, "1.2.4-rcx.1");
	is_int(semver_pre_number(&v, "rc"), -1, "prefix is not the id");
	semver_parse(&v, "1.2.4");
	is_int(semver_pre_number(&v, "rc"), -1, "stable has no number");
	ok(semver_is_stable(&v), "1.2.4 is stable");
	return done_testing();
}
