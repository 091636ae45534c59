/*
 * Unit tests for the verify family's pure parts (lib/verify.c): the
 * durations, and the verification fields of a log entry.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/deploylog.h"
#include "lib/verify.h"
#include "t/unit/tap.h"

static void
test_durations(void)
{
	static const struct {
		const char *in;
		long long ms;
	} good[] = {
		{ "0ms", 0 }, { "250ms", 250 }, { "10s", 10000 },
		{ "5m", 300000 }, { "1h", 3600000 }, { "90s", 90000 },
		{ "8784h", 8784LL * 3600000 },
	};
	static const char *const bad[] = {
		"", "10", "s", "1.5s", "-1s", "+1s", " 1s", "1s ", "1S",
		"1d", "1sec", "1m30s", "8785h", "9999999999999ms", "0x10s",
	};
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int64_t ms;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ms = -1;
		is_int(verify_duration_parse(&ms, good[i].in), 0, good[i].in);
		is_int(ms, good[i].ms, good[i].in);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(verify_duration_parse(&ms, bad[i]) < 0, bad[i]);
	ok(verify_duration_parse(&ms, NULL) < 0, "NULL");
	verify_duration_format(&sb, 250);
	is_str(sb.buf, "250ms", "format ms");
	strbuf_reset(&sb);
	verify_duration_format(&sb, 1500);
	is_str(sb.buf, "1.5s", "format s");
	strbuf_reset(&sb);
	verify_duration_format(&sb, 150000);
	is_str(sb.buf, "2m30s", "format m");
	strbuf_release(&sb);
}

static void
sample(struct deploy_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->env = "production";
	e->tag = "v1.2.4";
	git_oid_fromstr(&e->commit, "0123456789abcdef0123456789abcdef01234567");
	e->kind = DEPLOY_KIND_DEPLOY;
	e->time = 1705329000;
	e->operator = "Jane Ops <jane@example.com>";
}

static void
test_entry_fields(void)
{
	struct deploy_entry e, back;
	struct strbuf sb = STRBUF_INIT;

	sample(&e);
	e.status = DEPLOY_STATUS_FAILED;
	e.verify = "failed";
	e.verify_output = "health check: 503";
	e.verify_attempts = 12;
	e.verify_ms = 61250;
	deploy_entry_format(&sb, &e);
	is_str(sb.buf,
	    "deploy v1.2.4 to production (failed)\n\n"
	    "Version: v1.2.4\n"
	    "Commit: 0123456789abcdef0123456789abcdef01234567\n"
	    "Environment: production\n"
	    "Kind: deploy\n"
	    "Status: failed\n"
	    "Time: 2024-01-15T14:30:00Z\n"
	    "Operator: Jane Ops <jane@example.com>\n"
	    "Verify: failed\n"
	    "Verify-Output: health check: 503\n"
	    "Verify-Attempts: 12\n"
	    "Verify-Duration: 61250ms\n", "a failed deploy's fields");
	is_int(deploy_entry_parse(&back, sb.buf), 0, "parses");
	is_int(back.status, DEPLOY_STATUS_FAILED, "status back");
	is_str(back.verify, "failed", "verify back");
	is_str(back.verify_output, "health check: 503", "output back");
	is_int(back.verify_attempts, 12, "attempts back");
	is_int(back.verify_ms, 61250, "duration back");
	ok(!deploy_entry_in_effect(&back), "a failed entry is not in effect");
	deploy_entry_release(&back);

	/* a malformed optional number does not lose the entry */
	is_int(deploy_entry_parse(&back, "deploy\n\nVersion: v1\nCommit: "
	    "0123456789abcdef0123456789abcdef01234567\nEnvironment: p\n"
	    "Kind: deploy\nTime: 2024-01-15T14:30:00Z\n"
	    "Verify-Attempts: many\nVerify-Duration: 5s\n"), 0,
	    "malformed optional numbers");
	is_int(back.verify_attempts, 0, "attempts left at 0");
	is_int(back.verify_ms, 0, "duration left at 0");
	ok(deploy_entry_in_effect(&back), "no status: in effect");
	deploy_entry_release(&back);

	/* a hold: its own kind and subject, never in effect */
	strbuf_reset(&sb);
	sample(&e);
	e.kind = DEPLOY_KIND_HOLD;
	e.reason = "rolled back: login broken";
	deploy_entry_format(&sb, &e);
	ok(strncmp(sb.buf, "hold production at v1.2.4\n\n", 27) == 0,
	    "hold subject");
	ok(strstr(sb.buf, "\nKind: hold\n") != NULL, "Kind: hold");
	is_int(deploy_entry_parse(&back, sb.buf), 0, "a hold parses");
	is_int(back.kind, DEPLOY_KIND_HOLD, "kind back");
	ok(!deploy_entry_in_effect(&back), "a hold is not in effect");
	deploy_entry_release(&back);

	/* an automatic rollback names its trigger */
	strbuf_reset(&sb);
	sample(&e);
	e.kind = DEPLOY_KIND_ROLLBACK;
	e.from = "v1.2.5";
	e.strategy = "deploy-only";
	e.trigger = "89abcdef0123456789abcdef0123456789abcdef";
	deploy_entry_format(&sb, &e);
	is_int(deploy_entry_parse(&back, sb.buf), 0, "a rollback parses");
	is_str(back.trigger, e.trigger, "trigger back");
	ok(deploy_entry_in_effect(&back), "a rollback is in effect");
	deploy_entry_release(&back);

	is_int(deploy_entry_parse(&back, "deploy\n\nVersion: v1\nCommit: "
	    "0123456789abcdef0123456789abcdef01234567\nEnvironment: p\n"
	    "Kind: promote\nTime: 2024-01-15T14:30:00Z\n"), E_FATAL,
	    "an unknown kind is refused");
	strbuf_release(&sb);
}

int
main(void)
{
	git_libgit2_init();
	test_durations();
	test_entry_fields();
	return done_testing();
}
