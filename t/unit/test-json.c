/* Unit tests for the JSON writer (lib/json.c). */
#include <string.h>

#include "lib/json.h"
#include "t/unit/tap.h"

static void
test_nesting(void)
{
	struct json j = JSON_INIT;
	struct strlist l = STRLIST_INIT;
	struct strbuf out = STRBUF_INIT;

	strlist_add(&l, "a");
	strlist_add(&l, "b\"c");
	json_begin(&j);
	json_str(&j, "tag", "v1.2.3");
	json_object_begin(&j, "running");
	json_int(&j, "n", -3);
	json_bool(&j, "ok", 1);
	json_null(&j, "none");
	json_object_end(&j);
	json_array_begin(&j, "commits");
	json_object_begin(&j, NULL);
	json_str(&j, "subject", NULL);
	json_object_end(&j);
	json_object_begin(&j, NULL);
	json_object_end(&j);
	json_array_end(&j);
	json_strlist(&j, "paths", &l);
	json_array_begin(&j, "empty");
	json_array_end(&j);
	json_end(&j);
	json_add_line(&out, &j);
	is_str(out.buf, "{\"schema\":1,\"tag\":\"v1.2.3\",\"running\":"
	    "{\"schema\":1,\"n\":-3,\"ok\":true,\"none\":null},\"commits\":"
	    "[{\"schema\":1,\"subject\":null},{\"schema\":1}],\"paths\":"
	    "[\"a\",\"b\\\"c\"],\"empty\":[]}\n",
	    "schema opens every object, commas between members only");

	json_begin(&j);
	json_end(&j);
	json_add_line(&out, &j);
	like(out.buf, "}\n{\"schema\":1}\n",
	    "the writer starts afresh after a line");
	strbuf_release(&out);
	strlist_release(&l);
	json_release(&j);
}

static void
test_plain_and_reason(void)
{
	struct json j = JSON_INIT;
	struct strbuf out = STRBUF_INIT;

	json_begin_plain(&j);
	json_object_begin_plain(&j, "context");
	json_str(&j, "id", "x");
	json_object_end(&j);
	json_object_begin(&j, "customData");
	json_object_end(&j);
	json_end(&j);
	json_add_line(&out, &j);
	is_str(out.buf, "{\"context\":{\"id\":\"x\"},\"customData\":"
	    "{\"schema\":1}}\n", "plain objects have no schema, ours do");
	strbuf_reset(&out);

	json_begin(&j);
	json_array_begin(&j, "blockers");
	json_reason(&j, NULL, "target-bad", "'v1' is marked bad");
	json_array_end(&j);
	json_reason(&j, "why", "hook", "redeploys");
	json_end(&j);
	json_add_line(&out, &j);
	is_str(out.buf, "{\"schema\":1,\"blockers\":[{\"schema\":1,\"code\":"
	    "\"target-bad\",\"message\":\"'v1' is marked bad\"}],\"why\":"
	    "{\"schema\":1,\"code\":\"hook\",\"message\":\"redeploys\"}}\n",
	    "a reason: code and message");
	strbuf_release(&out);
	json_release(&j);
}

static void
test_values(void)
{
	struct json j = JSON_INIT;
	struct strbuf out = STRBUF_INIT;

	json_begin(&j);
	json_fraction(&j, "a", 1.0 / 3);
	json_fraction(&j, "b", 0.5);
	json_fraction(&j, "c", 1);
	json_fraction(&j, "d", 0);
	json_fraction(&j, "e", -1);
	json_version(&j, "v1", "1.2.3-rc.1+b.7");
	json_version(&j, "v2", "api/v2.0.0");
	json_version(&j, "v5", "api/v2.0.0+$(x)");
	json_version(&j, "v3", "1.2");
	json_version(&j, "v4", NULL);
	json_time(&j, "t1", 1705329000);
	json_time(&j, "t2", 0);
	json_time(&j, "t3", -1);
	json_str(&j, "bytes", "caf\xe9");
	json_end(&j);
	json_add_line(&out, &j);
	is_str(out.buf, "{\"schema\":1,\"a\":0.333333,\"b\":0.5,\"c\":1,"
	    "\"d\":0,\"e\":null,\"v1\":\"1.2.3-rc.1+b.7\",\"v2\":\"2.0.0\","
	    "\"v5\":null,\"v3\":null,\"v4\":null,\"t1\":\"2024-01-15T14:30:00Z\","
	    "\"t2\":\"1970-01-01T00:00:00Z\",\"t3\":null,"
	    "\"bytes\":\"caf\\udce9\"}\n",
	    "fractions, SemVer (the part after an unknown prefix) or null, "
	    "ISO 8601 UTC, bytes escaped");
	strbuf_release(&out);
	json_release(&j);
}

int
main(void)
{
	test_nesting();
	test_plain_and_reason();
	test_values();
	return done_testing();
}
