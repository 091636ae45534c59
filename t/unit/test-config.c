/* Unit tests for lib/config.c: GIT_CONFIG_PARAMETERS and key names. */
#include <stdlib.h>

#include "lib/config.h"
#include "t/unit/tap.h"

static void
normalizes(const char *in, const char *want)
{
	char *k = config_normalize_key(in);

	is_str(k, want, in);
	free(k);
}

int
main(void)
{
	struct strlist k = STRLIST_INIT, v = STRLIST_INIT;

	ok(config_parse_parameters(&k, &v,
	    "'release.tagPrefix'='rel-' 'Core.Foo'='bar'") == 0,
	    "new format parses");
	is_int(k.nr, 2, "two entries");
	is_str(k.items[0], "release.tagprefix", "key lower-cased");
	is_str(v.items[0], "rel-", "value kept");
	is_str(k.items[1], "core.foo", "second key");
	strlist_release(&k);
	strlist_release(&v);

	ok(config_parse_parameters(&k, &v, "'a.b=c=d' 'x.y'") == 0,
	    "old format parses");
	is_str(k.items[0], "a.b", "old format key");
	is_str(v.items[0], "c=d", "value keeps later =");
	is_str(v.items[1], "true", "bare key is true");
	strlist_release(&k);
	strlist_release(&v);

	ok(config_parse_parameters(&k, &v, "'a.b'='it'\\''s'") == 0,
	    "quoted quote parses");
	is_str(v.items[0], "it's", "quote unescaped");
	strlist_release(&k);
	strlist_release(&v);

	ok(config_parse_parameters(&k, &v, "'a.b'='unterminated") < 0,
	    "unterminated quote rejected");
	strlist_release(&k);
	strlist_release(&v);

	normalizes("Deploy.Staging.Command", "deploy.Staging.command");
	normalizes("RELEASE.TagPrefix", "release.tagprefix");
	normalizes("a.B.c.D", "a.B.c.d");
	return done_testing();
}
