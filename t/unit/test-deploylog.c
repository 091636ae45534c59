/* Unit tests for the deployment log's entry format (lib/deploylog.c). */
#include <stdlib.h>
#include <string.h>

#include "lib/deploylog.h"
#include "t/unit/tap.h"

static const char *const hex = "0123456789abcdef0123456789abcdef01234567";

static void
sample(struct deploy_entry *e, enum deploy_kind kind)
{
	memset(e, 0, sizeof(*e));
	e->env = "production";
	e->tag = "v1.2.2";
	git_oid_fromstr(&e->commit, hex);
	e->kind = kind;
	e->time = 1705329000;		/* 2024-01-15 14:30:00 UTC */
	e->operator = "Jane Ops <jane@example.com>";
	if (kind == DEPLOY_KIND_ROLLBACK) {
		e->reason = "checkout fails";
		e->from = "v1.2.3";
		e->strategy = "branch";
	}
}

static void
test_format(void)
{
	struct deploy_entry e;
	struct strbuf sb = STRBUF_INIT;

	sample(&e, DEPLOY_KIND_DEPLOY);
	deploy_entry_format(&sb, &e);
	is_str(sb.buf,
	    "deploy v1.2.2 to production\n"
	    "\n"
	    "Version: v1.2.2\n"
	    "Commit: 0123456789abcdef0123456789abcdef01234567\n"
	    "Environment: production\n"
	    "Kind: deploy\n"
	    "Time: 2024-01-15T14:30:00Z\n"
	    "Operator: Jane Ops <jane@example.com>\n",
	    "a deploy: no Reason, From, To or Strategy lines");
	strbuf_reset(&sb);

	sample(&e, DEPLOY_KIND_ROLLBACK);
	deploy_entry_format(&sb, &e);
	is_str(sb.buf,
	    "rollback production from v1.2.3 to v1.2.2\n"
	    "\n"
	    "Version: v1.2.2\n"
	    "Commit: 0123456789abcdef0123456789abcdef01234567\n"
	    "Environment: production\n"
	    "Kind: rollback\n"
	    "Time: 2024-01-15T14:30:00Z\n"
	    "Operator: Jane Ops <jane@example.com>\n"
	    "Reason: checkout fails\n"
	    "From: v1.2.3\n"
	    "To: v1.2.2\n"
	    "Strategy: branch\n",
	    "a rollback: reason, from, to, strategy");
	strbuf_reset(&sb);

	e.reason = "two\nlines\n\nand a gap";
	deploy_entry_format(&sb, &e);
	ok(strstr(sb.buf, "Reason: two\n lines\n \n and a gap\n") != NULL,
	    "a multi-line reason continues on lines starting with a space");
	strbuf_release(&sb);
}

static void
roundtrip(enum deploy_kind kind, const char *reason, const char *name)
{
	struct deploy_entry e, back;
	struct strbuf sb = STRBUF_INIT;
	char buf[GIT_OID_HEXSZ + 1];

	sample(&e, kind);
	e.reason = (char *)reason;
	deploy_entry_format(&sb, &e);
	if (!ok(deploy_entry_parse(&back, sb.buf) == 0, name)) {
		strbuf_release(&sb);
		return;
	}
	is_str(back.tag, e.tag, "  version");
	is_str(back.env, e.env, "  environment");
	is_int(back.kind, kind, "  kind");
	is_int(back.time, e.time, "  time");
	git_oid_tostr(buf, sizeof(buf), &back.commit);
	is_str(buf, hex, "  commit");
	is_str(back.operator, e.operator, "  operator");
	is_str(back.reason, reason, "  reason");
	is_str(back.from, kind == DEPLOY_KIND_ROLLBACK ? "v1.2.3" : NULL,
	    "  from");
	is_str(back.strategy, kind == DEPLOY_KIND_ROLLBACK ? "branch" : NULL,
	    "  strategy");
	deploy_entry_release(&back);
	strbuf_release(&sb);
}

static void
rejects(const char *msg, const char *name)
{
	struct deploy_entry e;

	ok(deploy_entry_parse(&e, msg) < 0, name);
	ok(e.tag == NULL && e.env == NULL, "  and leaves nothing allocated");
}

static void
test_component_status(void)
{
	struct deploy_entry e, back;
	struct strbuf sb = STRBUF_INIT;

	sample(&e, DEPLOY_KIND_DEPLOY);
	e.component = "api";
	e.status = DEPLOY_STATUS_FAILED;
	deploy_entry_format(&sb, &e);
	ok(strstr(sb.buf, "Environment: production\nComponent: api\n"
	    "Kind: deploy\nStatus: failed\n") != NULL,
	    "Component and Status are written when set");
	ok(deploy_entry_parse(&back, sb.buf) == 0, "and read back");
	is_str(back.component, "api", "  component");
	is_int(back.status, DEPLOY_STATUS_FAILED, "  status");
	deploy_entry_release(&back);

	strbuf_reset(&sb);
	sample(&e, DEPLOY_KIND_DEPLOY);
	deploy_entry_format(&sb, &e);
	ok(strstr(sb.buf, "Component") == NULL && strstr(sb.buf, "Status")
	    == NULL, "the default component and succeeded are not written");
	ok(deploy_entry_parse(&back, sb.buf) == 0 && back.component == NULL &&
	    back.status == DEPLOY_STATUS_SUCCEEDED,
	    "  and read back as the default component, succeeded");
	deploy_entry_release(&back);

	strbuf_addstr(&sb, "Status: started\n");
	ok(deploy_entry_parse(&back, sb.buf) == 0 &&
	    back.status == DEPLOY_STATUS_STARTED, "a started entry");
	deploy_entry_release(&back);
	strbuf_reset(&sb);
	sample(&e, DEPLOY_KIND_DEPLOY);
	deploy_entry_format(&sb, &e);
	strbuf_addstr(&sb, "Status: maybe\n");
	rejects(sb.buf, "an unknown Status is rejected");
	strbuf_release(&sb);
}

static void
test_parse(void)
{
	struct deploy_entry e;
	const char *other =
	    "whatever subject a tool wrote\n\n"
	    "Environment: staging\n"
	    "Kind: deploy\n"
	    "Version: api/v2.0.0-rc.1\n"
	    "X-Ticket: OPS-12\n"
	    "Time: 2024-02-29T23:59:59Z\n"
	    "Commit: 0123456789abcdef0123456789abcdef01234567\n";

	roundtrip(DEPLOY_KIND_DEPLOY, NULL, "a deploy reads back");
	roundtrip(DEPLOY_KIND_ROLLBACK, "checkout fails",
	    "a rollback reads back");
	roundtrip(DEPLOY_KIND_DEPLOY, "two\nlines\n\nand a gap",
	    "a multi-line reason reads back");
	roundtrip(DEPLOY_KIND_DEPLOY, "Version: v9.9.9",
	    "a reason that looks like a key reads back");

	ok(deploy_entry_parse(&e, other) == 0,
	    "keys in any order, unknown keys ignored, no operator");
	is_str(e.tag, "api/v2.0.0-rc.1", "  version with a prefix");
	is_str(e.env, "staging", "  environment");
	is_int(e.time, 1709251199, "  leap day time");
	ok(e.operator == NULL, "  operator absent");
	deploy_entry_release(&e);

	rejects("deploy\n\nEnvironment: production\nKind: deploy\n"
	    "Time: 2024-01-15T14:30:00Z\n"
	    "Commit: 0123456789abcdef0123456789abcdef01234567\n",
	    "no Version: rejected");
	rejects("deploy\n\nVersion: v1\nEnvironment: production\n"
	    "Kind: deploy\nTime: 2024-01-15T14:30:00Z\n"
	    "Commit: 0123456789abcdef\n", "a short Commit: rejected");
	rejects("deploy\n\nVersion: v1\nEnvironment: production\n"
	    "Kind: redeploy\nTime: 2024-01-15T14:30:00Z\n"
	    "Commit: 0123456789abcdef0123456789abcdef01234567\n",
	    "an unknown Kind: rejected");
	rejects("deploy\n\nVersion: v1\nEnvironment: production\n"
	    "Kind: deploy\nTime: 2024-01-15 14:30\n"
	    "Commit: 0123456789abcdef0123456789abcdef01234567\n",
	    "a Time: that is not ISO 8601 UTC rejected");
	rejects("", "an empty message rejected");
}

/* every day from 1970 to 2100 at its last second reads back as written */
static void
test_time_every_day(struct strbuf *sb)
{
	int64_t day, t, back;
	int bad = 0;

	for (day = 0; day < 47847; day++) {
		t = day * 86400 + 86399 - day % 3600;
		strbuf_reset(sb);
		deploy_time_format(sb, t);
		if (deploy_time_parse(&back, sb->buf) != 0 || back != t)
			bad++;
	}
	is_int(bad, 0, "1970-01-01 to 2100-12-31: each day reads back");
}

static void
test_time(void)
{
	struct strbuf sb = STRBUF_INIT;
	int64_t t = -1;

	deploy_time_format(&sb, 0);
	is_str(sb.buf, "1970-01-01T00:00:00Z", "the epoch");
	strbuf_reset(&sb);
	deploy_time_format(&sb, 1705329000);
	is_str(sb.buf, "2024-01-15T14:30:00Z", "a time in 2024");
	ok(deploy_time_parse(&t, sb.buf) == 0 && t == 1705329000,
	    "parses back");
	ok(deploy_time_parse(&t, "2024-01-15T14:30:00+01:00") < 0,
	    "an offset is rejected: UTC only");
	ok(deploy_time_parse(&t, "2024-01-15T14:30:00Zjunk") < 0,
	    "trailing junk is rejected");
	test_time_every_day(&sb);
	/* not quite the written form: read as strptime(3) and timegm(3) do */
	ok(deploy_time_parse(&t, "2024-02-30T00:00:00Z") == 0 &&
	    t == 1709251200, "February 30th is March 1st, as timegm says");
	ok(deploy_time_parse(&t, "2024-1-05T00:00:00Z") == 0 &&
	    t == 1704412800, "a one-digit month");
	ok(deploy_time_parse(&t, "1969-12-31T23:59:59Z") == 0 && t == -1,
	    "before the epoch");
	ok(deploy_time_parse(&t, "2024-13-01T00:00:00Z") < 0,
	    "month 13 is rejected");
	strbuf_reset(&sb);
	deploy_tag_message(&sb, "production", 1705329000);
	is_str(sb.buf, "Deployed to production at 2024-01-15 14:30 UTC\n",
	    "the deployed-* tag message");
	is_str(deploy_kind_name(DEPLOY_KIND_DEPLOY), "deploy", "kind deploy");
	is_str(deploy_kind_name(DEPLOY_KIND_ROLLBACK), "rollback",
	    "kind rollback");
	strbuf_release(&sb);
}

static void
test_env(void)
{
	static const char *good[] = { "production", "staging", "eu-west-1",
	    "qa_2", "Prod.EU", NULL };
	static const char *bad[] = { "", "a/b", "a..b", "-x", ".hidden",
	    "x.lock", "sp ace", "a~b", "a:b", "a^b", "a?b", "a*b", "a[b",
	    "a\\b", "a@{b", NULL };
	size_t i;

	for (i = 0; good[i] != NULL; i++)
		ok(deploy_env_check(good[i]) == 0, good[i]);
	for (i = 0; bad[i] != NULL; i++) {
		char want[64];

		capture_stderr();
		ok(deploy_env_check(bad[i]) == E_FATAL, bad[i]);
		snprintf(want, sizeof(want),
		    "fatal: '%s' is not a valid environment name\n", bad[i]);
		is_str(captured_stderr(), want, "and says so");
	}
}

int
main(void)
{
	git_libgit2_init();
	test_format();
	test_parse();
	test_component_status();
	test_time();
	test_env();
	git_libgit2_shutdown();
	return done_testing();
}
