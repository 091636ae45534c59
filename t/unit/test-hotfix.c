/* Unit tests for lib/hotfix-version.c: the next free patch of a line. */
#include <stdio.h>
#include <stdlib.h>

#include "lib/hotfix.h"
#include "t/unit/tap.h"

/*
 * next(base, "v1 v2 ...") formats the hotfix version of base with the
 * space-separated versions existing; "error" when refused.
 */
static void
next(const char *base, const char *existing, const char *want)
{
	struct semver b, vs[32], out;
	struct strbuf sb = STRBUF_INIT;
	const char *err;
	char *copy = xstrdup(existing), *p, *save = NULL;
	char name[256];
	size_t n = 0;

	if (semver_parse(&b, base) < 0) {
		ok(0, "bad base in test");
		free(copy);
		return;
	}
	for (p = strtok_r(copy, " ", &save); p != NULL && n < 32;
	    p = strtok_r(NULL, " ", &save))
		if (semver_parse(&vs[n], p) == 0)
			n++;
	/* a refusal says why on stderr: captured and checked */
	capture_stderr();
	if (hotfix_next_patch(&out, &b, vs, n) < 0)
		strbuf_addstr(&sb, "error");
	else
		semver_format(&sb, &out);
	err = captured_stderr();
	snprintf(name, sizeof(name), "base %s with [%s] takes %s", base,
	    existing, want);
	is_str(sb.buf, want, name);
	if (strcmp(want, "error") == 0)
		like(err, "error: no patch version is left", "and says so");
	else
		is_str(err, "", "and says nothing");
	strbuf_release(&sb);
	free(copy);
}

int
main(void)
{
	/* the example */
	next("1.2.2", "1.2.0 1.2.1 1.2.2 1.2.3", "1.2.4");
	next("1.2.2", "1.2.2", "1.2.3");
	next("1.2.2", "", "1.2.3");
	/* several releases back on the line */
	next("1.2.0", "1.2.0 1.2.1 1.2.2 1.2.3 1.3.0", "1.2.4");
	/* gaps are not filled: the hotfix is the newest of its line */
	next("1.2.2", "1.2.2 1.2.3 1.2.5", "1.2.6");
	next("1.2.0", "1.2.0 1.2.7", "1.2.8");
	/* other lines do not count */
	next("1.2.2", "1.2.2 1.3.0 1.3.1 2.2.5 0.2.9", "1.2.3");
	next("1.2.2", "1.2.2 1.20.3 11.2.3", "1.2.3");
	/* pre-releases do not reserve a number */
	next("1.2.2", "1.2.2 1.2.3-rc.1", "1.2.3");
	next("1.2.2", "1.2.2 1.2.3 1.2.4-rc.1 1.2.4-rc.2", "1.2.4");
	next("1.2.2", "1.2.2 1.2.5-beta", "1.2.3");
	/* but their stable version does */
	next("1.2.2", "1.2.3-rc.1 1.2.3", "1.2.4");
	/* build metadata: same precedence, the number is taken */
	next("1.2.2", "1.2.3+build.7", "1.2.4");
	/* a pre-release base: its own version is above it */
	next("1.3.0-rc.1", "1.3.0-rc.1", "1.3.0");
	next("1.3.0-rc.1", "1.3.0-rc.1 1.3.0", "1.3.1");
	next("1.2.4-rc.2", "1.2.3 1.2.4-rc.2", "1.2.4");
	/* never below the base, even when the base is not in the list */
	next("1.2.9", "1.2.3", "1.2.10");
	/* numbers are numbers */
	next("1.2.9", "1.2.9 1.2.10 1.2.11", "1.2.12");
	next("0.0.0", "", "0.0.1");
	/* order of the input does not matter */
	next("1.2.2", "1.2.6 1.2.3 1.2.4 1.2.2", "1.2.7");
	/* the patch number cannot overflow */
	next("1.2.18446744073709551615", "", "error");
	next("1.2.3", "1.2.18446744073709551615", "error");
	next("1.2.18446744073709551614", "", "1.2.18446744073709551615");
	return done_testing();
}
