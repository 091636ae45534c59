/* Unit tests for lib/marks.c: the file format of one tag's marks. */
#include <string.h>

#include "lib/marks.h"
#include "t/unit/tap.h"

static void
round_trip(const char *text, const char *name)
{
	struct mark_list l = MARK_LIST_INIT;
	struct strbuf sb = STRBUF_INIT;

	mark_list_parse(&l, text, strlen(text));
	mark_list_format(&sb, &l);
	is_str(sb.buf, text, name);
	strbuf_release(&sb);
	mark_list_release(&l);
}

int
main(void)
{
	struct mark_list l = MARK_LIST_INIT;
	struct strbuf sb = STRBUF_INIT;
	const char *old = "drops orders\nsee the incident\n";
	const char *two = "Environment: production\nReason: login broken\n"
	    "\nEnvironment: staging\nReason: prefs broken\n second line\n";

	mark_list_parse(&l, old, strlen(old));
	is_int(l.nr, 1, "an old file is one mark");
	ok(l.items[0].env == NULL, "without an environment");
	is_str(l.items[0].reason, "drops orders\nsee the incident",
	    "all of it is the reason");
	mark_list_format(&sb, &l);
	is_str(sb.buf, "Reason: drops orders\n see the incident\n",
	    "rewritten in the new form");
	strbuf_release(&sb);
	mark_list_release(&l);

	mark_list_parse(&l, two, strlen(two));
	is_int(l.nr, 2, "two marks");
	is_str(l.items[0].env, "production", "first environment");
	is_str(l.items[0].reason, "login broken", "first reason");
	is_str(l.items[1].env, "staging", "second environment");
	is_str(l.items[1].reason, "prefs broken\nsecond line",
	    "continuation lines");
	is_int(mark_list_find(&l, "staging", "prefs broken\nsecond line"), 1,
	    "found by environment and reason");
	is_int(mark_list_find(&l, NULL, "login broken"), -1,
	    "the environment counts");
	mark_list_release(&l);

	round_trip(two, "two marks round-trip");
	round_trip("Reason: no env\n\nEnvironment: qa\nReason: qa\n",
	    "a mark without an environment round-trips");
	round_trip("Environment: qa\nReason: a\n \n b\n",
	    "an empty line inside a reason");

	mark_list_parse(&l, "Reason: a\nReason: b\n", 20);
	is_int(l.nr, 2, "two reasons without a blank line are two marks");
	mark_list_release(&l);
	mark_list_parse(&l, "", 0);
	is_int(l.nr, 0, "an empty file marks nothing");
	mark_list_release(&l);
	return done_testing();
}
