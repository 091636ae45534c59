/* Unit tests for the CDEvents form of log entries (lib/cdevents.c). */
#include <string.h>

#include "lib/cdevents.h"
#include "t/unit/tap.h"

static void
test_purl(void)
{
	struct strbuf sb = STRBUF_INIT;

	cdevents_purl_encode(&sb, "api/v1.2.3+build.7 $(x)~_-");
	is_str(sb.buf, "api%2Fv1.2.3%2Bbuild.7%20%24%28x%29~_-",
	    "every byte but unreserved ones percent-encoded");
	strbuf_reset(&sb);
	cdevents_purl_encode(&sb, "caf\xc3\xa9");
	is_str(sb.buf, "caf%C3%A9", "UTF-8 byte by byte, upper case hex");
	strbuf_release(&sb);
}

static void
test_entry(void)
{
	struct deploy_entry e;
	struct strbuf sb = STRBUF_INIT;

	memset(&e, 0, sizeof(e));
	e.env = "prod \"eu\"";
	e.tag = "v1.2.2";
	git_oid_fromstr(&e.commit, "0123456789abcdef0123456789abcdef01234567");
	git_oid_fromstr(&e.id, "89abcdef0123456789abcdef0123456789abcdef");
	e.kind = DEPLOY_KIND_ROLLBACK;
	e.time = 1705329000;
	e.operator = "Jane Ops <jane@example.com>";
	e.reason = "two\nlines";
	e.from = "v1.2.3";
	e.strategy = "branch";
	ok(cdevents_entry(&sb, &e, "shop", "1.2.2") == 0, "a rollback is an event");
	is_str(sb.buf,
	    "{\"context\":{\"version\":\"0.3.0\","
	    "\"id\":\"89abcdef0123456789abcdef0123456789abcdef\","
	    "\"source\":\"/refs/deploy/log/prod%20%22eu%22\","
	    "\"type\":\"dev.cdevents.service.rolledback.0.1.1\","
	    "\"timestamp\":\"2024-01-15T14:30:00Z\"},"
	    "\"subject\":{\"id\":\"shop\",\"type\":\"service\",\"content\":"
	    "{\"environment\":{\"id\":\"prod \\\"eu\\\"\"},"
	    "\"artifactId\":\"pkg:generic/shop@v1.2.2\"}},"
	    "\"customDataContentType\":\"application/json\","
	    "\"customData\":{\"schema\":1,\"tag\":\"v1.2.2\","
	    "\"version\":\"1.2.2\","
	    "\"commit\":\"0123456789abcdef0123456789abcdef01234567\","
	    "\"component\":null,\"kind\":\"rollback\","
	    "\"operator\":\"Jane Ops <jane@example.com>\","
	    "\"reason\":\"two\\nlines\",\"from\":\"v1.2.3\","
	    "\"strategy\":\"branch\"}}\n",
	    "every field, quoted");
	strbuf_reset(&sb);
	e.component = "api";
	e.kind = DEPLOY_KIND_DEPLOY;
	ok(cdevents_entry(&sb, &e, "shop", "1.2.2") == 0, "a deploy is an event");
	ok(strstr(sb.buf, "\"type\":\"dev.cdevents.service.deployed.0.1.1\"")
	    != NULL, "deployed type");
	ok(strstr(sb.buf, "\"subject\":{\"id\":\"api\"") != NULL,
	    "the component names the service");
	ok(strstr(sb.buf, "\"from\":null,\"strategy\":null") != NULL,
	    "a deploy has no from or strategy");
	strbuf_reset(&sb);
	e.status = DEPLOY_STATUS_FAILED;
	ok(cdevents_entry(&sb, &e, "shop", "1.2.2") == 1 && sb.len == 0,
	    "a failed attempt is no event");
	e.status = DEPLOY_STATUS_STARTED;
	ok(cdevents_entry(&sb, &e, "shop", "1.2.2") == 1 && sb.len == 0,
	    "nor a started one");
	strbuf_release(&sb);
}

int
main(void)
{
	test_purl();
	test_entry();
	return done_testing();
}
