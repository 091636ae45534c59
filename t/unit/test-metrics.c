/*
 * Unit tests for the delivery metrics (lib/metrics*.c): statistics,
 * calendar, dates, the classification of deploys and every figure of
 * hand-built logs, the output.  Expected values are computed by hand
 * in the comments.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/metrics.h"
#include "lib/tag.h"
#include "t/unit/tap.h"

#define H	3600
#define D	86400
/* 2026-09-28 00:00:00 UTC, a Monday: week 2026-W40 starts */
#define W40	INT64_C(1790553600)

static void
test_stats(void)
{
	int64_t a[] = { 30, 10, 20 }, b[] = { 40, 10, 30, 20 };
	int64_t c[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, one[] = { 7 };
	int64_t odd[] = { 1, 2 };
	struct metrics_value v;

	v = metrics_median(a, 3);
	is_int(v.v, 20, "median of 3: the middle one");
	v = metrics_median(b, 4);
	is_int(v.v, 25, "median of 4: the mean of the middle two");
	v = metrics_median(odd, 2);
	is_int(v.v, 1, "median rounded down (1.5 -> 1)");
	v = metrics_median(NULL, 0);
	ok(!v.has, "median of nothing: null");
	v = metrics_percentile(c, 10, 90);
	is_int(v.v, 9, "p90 of 1..10: rank 9");
	v = metrics_percentile(b, 4, 90);
	is_int(v.v, 40, "p90 of 4: rank ceil(3.6) = 4");
	v = metrics_percentile(one, 1, 90);
	is_int(v.v, 7, "p90 of one sample: that sample");
	v = metrics_max(b, 4);
	is_int(v.v, 40, "max");
	ok(!metrics_max(NULL, 0).has, "max of nothing: null");
}

static void
period(const char *want, int64_t t, enum metrics_by by, int64_t start,
    int64_t end)
{
	char name[32];
	int64_t s, e;

	metrics_period_of(name, &s, &e, t, by);
	is_str(name, want, want);
	is_int(s, start, "its start");
	is_int(e, end, "its end");
}

static void
test_periods(void)
{
	/* 2026-10-01 12:00 is a Thursday of W40 */
	period("2026-W40", W40 + 3 * D + 12 * H, METRICS_BY_WEEK, W40,
	    W40 + 7 * D);
	period("2026-W40", W40, METRICS_BY_WEEK, W40, W40 + 7 * D);
	period("2026-W39", W40 - 1, METRICS_BY_WEEK, W40 - 7 * D, W40);
	/* 2027-01-01, a Friday, is in 2026's week 53 (2026-12-28 Monday) */
	period("2026-W53", INT64_C(1798761600), METRICS_BY_WEEK,
	    INT64_C(1798416000), INT64_C(1799020800));
	/* 2021-01-03, a Sunday, is in 2020-W53 */
	period("2020-W53", INT64_C(1609632000), METRICS_BY_WEEK,
	    INT64_C(1609113600), INT64_C(1609718400));
	/* 2026-01-01, a Thursday, starts 2026-W01 on 2025-12-29 */
	period("2026-W01", INT64_C(1767225600), METRICS_BY_WEEK,
	    INT64_C(1766966400), INT64_C(1767571200));
	/* months: 2026-10 is 31 days, 2028-02 is 29 */
	period("2026-10", W40 + 3 * D, METRICS_BY_MONTH, INT64_C(1790812800),
	    INT64_C(1790812800) + 31 * D);
	period("2028-02", INT64_C(1832976000) + 5 * D, METRICS_BY_MONTH,
	    INT64_C(1832976000), INT64_C(1832976000) + 29 * D);
	period("2026-12", INT64_C(1798761599), METRICS_BY_MONTH,
	    INT64_C(1796083200), INT64_C(1798761600));
}

static void
date_ok(const char *s, int end_of_day, int64_t want)
{
	int64_t t = -1;

	ok(metrics_parse_date(&t, s, W40 + 12 * H, end_of_day) == 0, s);
	is_int(t, want, s);
}

static void
test_dates(void)
{
	static const char *const bad[] = {
		"2026-13-01", "2026-02-30", "2026-10-1", "yesterday",
		"2026-10-01T25:00", "2026-10-01T12:00:00+0", "3.fortnights.ago",
		"-1.days.ago", "2026-10-01Z", "@", "@12x", "", "90.days",
		"2026-10-01T12:00:00Zjunk",
	};
	size_t i;
	int64_t t;

	date_ok("2026-09-28", 0, W40);
	date_ok("2026-09-28", 1, W40 + D);
	date_ok("2026-09-28T12:30:00Z", 1, W40 + 12 * H + 1800);
	date_ok("2026-09-28 12:30", 0, W40 + 12 * H + 1800);
	date_ok("2026-09-28T12:30:15", 0, W40 + 12 * H + 1815);
	date_ok("2026-09-28T14:30:00+02:00", 0, W40 + 12 * H + 1800);
	date_ok("2026-09-28T10:00:00-0230", 0, W40 + 12 * H + 1800);
	date_ok("@1790553600", 0, W40);
	date_ok("now", 0, W40 + 12 * H);
	date_ok("now", 1, W40 + 12 * H + 1);
	date_ok("90.days.ago", 0, W40 + 12 * H - 90 * D);
	date_ok("1.day.ago", 0, W40 + 12 * H - D);
	date_ok("2.weeks.ago", 0, W40 + 12 * H - 14 * D);
	date_ok("3.hours.ago", 0, W40 + 9 * H);
	date_ok("2028-02-29", 0, INT64_C(1835395200));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[128];
		int rc;

		capture_stderr();
		rc = metrics_parse_date(&t, bad[i], 0, 0);
		snprintf(want, sizeof(want), "fatal: '%s' is not a date: give "
		    "2026-10-01, 2026-10-01T12:00:00Z or 90.days.ago\n",
		    bad[i]);
		is_str(captured_stderr(), want, "its message names it");
		ok(rc == E_FATAL, bad[i]);
	}
}

/* --- logs built event by event --- */

static void
add(struct metrics_events *ev, int64_t t, enum deploy_kind kind,
    const char *tag, const char *from, const char *component)
{
	struct metrics_event e;

	memset(&e, 0, sizeof(e));
	e.time = t;
	e.kind = kind;
	e.tag = (char *)tag;
	e.from = (char *)from;
	e.component = (char *)component;
	memset(e.commit, 'a', GIT_OID_HEXSZ);
	metrics_events_add(ev, &e);
}

#define DEPLOY(t, tag)	add(&ev, (t), DEPLOY_KIND_DEPLOY, (tag), NULL, NULL)
#define ROLLBACK(t, to, from) \
	add(&ev, (t), DEPLOY_KIND_ROLLBACK, (to), (from), NULL)
#define LAST		(&ev.items[ev.nr - 1])

static void
set_lead(struct metrics_event *e, const int64_t *v, size_t n)
{
	e->lead = xreallocarray(NULL, n, sizeof(*v));
	memcpy(e->lead, v, n * sizeof(*v));
	e->lead_nr = n;
}

static void
compute(struct metrics_report *r, const struct metrics_events *ev,
    int64_t since, int64_t until, enum metrics_by by)
{
	struct metrics_opts o;

	o.since = since;
	o.until = until;
	o.by = by;
	if (metrics_compute(r, ev, &o) < 0)
		ok(0, "metrics_compute");
}

static void
test_rollback_after_40_minutes(void)
{
	struct metrics_events ev = METRICS_EVENTS_INIT;
	struct metrics_report r;
	int64_t l1[] = { 2 * H, 30 * 60, 5 * H }, l2[] = { 600 };

	/* W39 is quiet; W40: v1.1.0 Monday 10:00, rolled back at 10:40 */
	DEPLOY(W40 - 20 * D, "v1.0.0");
	DEPLOY(W40 + 10 * H, "v1.1.0");
	set_lead(LAST, l1, 3);
	LAST->bad = 1;			/* a rollback marks it */
	ROLLBACK(W40 + 10 * H + 40 * 60, "v1.0.0", "v1.1.0");
	/* W41: v1.1.1 on Tuesday, good */
	DEPLOY(W40 + 8 * D, "v1.1.1");
	set_lead(LAST, l2, 1);
	compute(&r, &ev, W40 - 7 * D, W40 + 14 * D, METRICS_BY_WEEK);

	is_int(r.nr, 3, "three weeks: W39, W40, W41");
	is_str(r.periods[0].name, "2026-W39", "first period");
	is_int(r.periods[0].deployments, 0, "W39 quiet: no deploy");
	ok(metrics_change_fail_rate(&r.periods[0]) < 0,
	    "W39: no change fail rate");
	ok(!r.periods[0].lead_median.has && !r.periods[0].recovery_max.has,
	    "W39: no lead or recovery time");
	is_int(r.periods[1].deployments, 1, "W40: one deploy");
	is_int(r.periods[1].rollbacks, 1, "W40: one rollback");
	is_int(r.periods[1].failed_deployments, 1, "W40: it failed");
	is_int(r.periods[1].recovered, 1, "W40: recovered");
	is_int(r.periods[1].recovery_median.v, 40 * 60, "recovery: 40 min");
	is_int(r.periods[1].recovery_max.v, 40 * 60, "worst: 40 min");
	/* lead sorted: 1800 7200 18000 -> median 7200, p90 rank 3 */
	is_int(r.periods[1].lead_time_commits, 3, "W40: three commits");
	is_int(r.periods[1].lead_median.v, 2 * H, "lead median 2h");
	is_int(r.periods[1].lead_p90.v, 5 * H, "lead p90 5h");
	ok(metrics_change_fail_rate(&r.periods[1]) == 1.0, "W40: cfr 1");
	/* rework: (1 rollback + 0 hotfix) / (1 deploy + 1 rollback) */
	ok(metrics_rework_rate(&r.periods[1]) == 0.5, "W40: rework 0.5");
	is_int(r.periods[2].deployments, 1, "W41: one deploy");
	is_int(r.periods[2].failed_deployments, 0, "W41: good");
	is_int(r.total.deployments, 2, "total: 2 deploys (v1.0.0 before)");
	is_int(r.total.failed_deployments, 1, "total: 1 failed");
	ok(metrics_change_fail_rate(&r.total) == 0.5, "total cfr 1/2");
	/* lead 1800 7200 18000 600: median (1800 + 7200) / 2 = 4500 */
	is_int(r.total.lead_median.v, 4500, "total lead median");
	is_int(r.total.lead_p90.v, 5 * H, "total p90: rank ceil(3.6) = 4");
	ok(metrics_rework_rate(&r.total) == 1.0 / 3, "total rework 1/3");
	is_int(r.total.since, W40 - 7 * D, "total since");
	is_int(r.total.until, W40 + 14 * D, "total until");
	metrics_report_release(&r);
	metrics_events_release(&ev);
}

static void
test_hotfix_after_bad_deploy(void)
{
	struct metrics_events ev = METRICS_EVENTS_INIT;
	struct metrics_report r;

	DEPLOY(W40 - 30 * D, "v2.0.0");
	DEPLOY(W40 + 9 * H, "v2.1.0");
	/* the hotfix of v2.1.0, two hours later: fix forward */
	DEPLOY(W40 + 11 * H, "v2.1.1");
	LAST->hotfix_base = xstrdup("v2.1.0");
	/* a hotfix named by the commit id of its base counts too */
	DEPLOY(W40 + 2 * D, "v2.2.0");
	memcpy(LAST->commit, "0123456789abcdef0123456789abcdef01234567", 40);
	DEPLOY(W40 + 2 * D + 30 * 60, "v2.2.1");
	LAST->hotfix_base = xstrdup("0123456789abcdef0123456789abcdef01234567");
	compute(&r, &ev, W40, W40 + 7 * D, METRICS_BY_WEEK);

	is_int(r.nr, 1, "one week");
	is_int(r.total.deployments, 4, "four deploys");
	is_int(r.total.hotfix_deployments, 2, "two of them hotfixes");
	is_int(r.total.failed_deployments, 2, "v2.1.0 and v2.2.0 failed");
	is_int(r.total.recovered, 2, "both recovered by their hotfix");
	/* 2h and 30m: median (1800 + 7200) / 2 */
	is_int(r.total.recovery_median.v, 4500, "recovery median");
	is_int(r.total.recovery_max.v, 2 * H, "worst recovery 2h");
	ok(metrics_rework_rate(&r.total) == 0.5, "rework: 2 hotfixes / 4");
	metrics_report_release(&r);
	metrics_events_release(&ev);
}

static void
test_marked_bad_without_rollback(void)
{
	struct metrics_events ev = METRICS_EVENTS_INIT;
	struct metrics_report r;

	DEPLOY(W40 + 1 * H, "v3.0.0");
	DEPLOY(W40 + 2 * H, "v3.1.0");
	LAST->bad = 1;			/* yanked, never rolled back */
	DEPLOY(W40 + D + 2 * H, "v3.2.0");
	DEPLOY(W40 + 2 * D, "v3.3.0");
	LAST->bad = 1;			/* yanked, nothing after it yet */
	compute(&r, &ev, W40, W40 + 7 * D, METRICS_BY_WEEK);

	is_int(r.total.failed_deployments, 2, "the two marked deploys");
	is_int(r.total.rollbacks, 0, "no rollback");
	is_int(r.total.recovered, 1, "v3.1.0 replaced by v3.2.0");
	is_int(r.total.unrecovered, 1, "v3.3.0 still running");
	is_int(r.total.recovery_median.v, D, "recovery: a day");
	is_int(r.total.recovery_max.v, D, "worst: a day");
	ok(metrics_change_fail_rate(&r.total) == 0.5, "cfr 2/4");
	ok(metrics_rework_rate(&r.total) == 0, "no rework");
	metrics_report_release(&r);
	metrics_events_release(&ev);
}

static void
test_components_and_attempts(void)
{
	struct metrics_events ev = METRICS_EVENTS_INIT;
	struct metrics_report r;

	add(&ev, W40 + 1 * H, DEPLOY_KIND_DEPLOY, "api/v1.0.0", NULL, "api");
	add(&ev, W40 + 2 * H, DEPLOY_KIND_DEPLOY, "web/v1.0.0", NULL, "web");
	add(&ev, W40 + 3 * H, DEPLOY_KIND_DEPLOY, "api/v1.1.0", NULL, "api");
	/* web's rollback does not name api's deploy, nor the reverse */
	add(&ev, W40 + 4 * H, DEPLOY_KIND_DEPLOY, "web/v1.1.0", NULL, "web");
	add(&ev, W40 + 5 * H, DEPLOY_KIND_ROLLBACK, "api/v1.0.0",
	    "api/v1.1.0", "api");
	/* a failed attempt is not a deployment, and changes nothing */
	add(&ev, W40 + 6 * H, DEPLOY_KIND_DEPLOY, "web/v1.2.0", NULL, "web");
	LAST->status = DEPLOY_STATUS_FAILED;
	add(&ev, W40 + 7 * H, DEPLOY_KIND_DEPLOY, "web/v1.2.0", NULL, "web");
	LAST->status = DEPLOY_STATUS_STARTED;
	add(&ev, W40 + 8 * H, DEPLOY_KIND_ROLLBACK, "web/v1.0.0",
	    "web/v1.1.0", "web");
	compute(&r, &ev, W40, W40 + 7 * D, METRICS_BY_WEEK);

	is_int(r.total.deployments, 4, "four deploys, both components");
	is_int(r.total.failed_attempts, 1, "one failed attempt");
	is_int(r.total.rollbacks, 2, "two rollbacks");
	is_int(r.total.failed_deployments, 2, "api/v1.1.0 and web/v1.1.0");
	/* api: 3h -> 5h = 2h; web: 4h -> 8h = 4h, over the attempts */
	is_int(r.total.recovery_median.v, 3 * H, "recovery median 3h");
	is_int(r.total.recovery_max.v, 4 * H, "worst 4h");
	metrics_report_release(&r);
	metrics_events_release(&ev);
}

static void
test_chained_failures_and_range(void)
{
	struct metrics_events ev = METRICS_EVENTS_INIT;
	struct metrics_report r;
	struct metrics_opts o = { W40 + D, W40, METRICS_BY_WEEK };

	DEPLOY(W40 + 1 * H, "v1.0.0");
	DEPLOY(W40 + 2 * H, "v1.1.0");	/* good: replaced by a new release */
	DEPLOY(W40 + 3 * H, "v1.2.0");	/* rolled back from */
	LAST->bad = 1;
	ROLLBACK(W40 + 4 * H, "v1.1.0", "v1.2.0");
	/* the next week, v1.3.0 is rolled back an hour after its deploy */
	DEPLOY(W40 + 8 * D, "v1.3.0");
	ROLLBACK(W40 + 8 * D + H, "v1.1.0", "v1.3.0");
	compute(&r, &ev, W40, W40 + 7 * D, METRICS_BY_WEEK);
	is_int(r.total.failed_deployments, 1, "v1.2.0 only");
	is_int(r.total.recovery_max.v, H, "recovered by the rollback");
	metrics_report_release(&r);

	/* the range ends before the rollback: still a failure */
	compute(&r, &ev, W40 + 7 * D + H, W40 + 8 * D + 30 * 60,
	    METRICS_BY_WEEK);
	is_int(r.total.deployments, 1, "v1.3.0 in range");
	is_int(r.total.rollbacks, 0, "its rollback after the range");
	is_int(r.total.failed_deployments, 1, "failed all the same");
	is_int(r.total.recovery_max.v, H, "recovery measured after it");
	metrics_report_release(&r);

	capture_stderr();
	ok(metrics_compute(&r, &ev, &o) == E_FATAL, "an empty range");
	is_str(captured_stderr(), "fatal: the range is empty: --since is not "
	    "before --until\n", "an empty range: said");
	metrics_events_release(&ev);
}

static void
test_output(void)
{
	struct metrics_events ev = METRICS_EVENTS_INIT;
	struct metrics_report r;
	struct metrics_scope s = { "production", NULL };
	struct strbuf sb = STRBUF_INIT;
	int64_t l[] = { 3 * H };

	DEPLOY(W40 - 8 * D, "v1.0.0");
	DEPLOY(W40 + 10 * H, "v1.1.0");
	set_lead(LAST, l, 1);
	LAST->bad = 1;
	ROLLBACK(W40 + 10 * H + 40 * 60, "v1.0.0", "v1.1.0");
	DEPLOY(W40 + 11 * H, "v1.1.1");
	compute(&r, &ev, W40 - 7 * D + 12 * H, W40 + 7 * D,
	    METRICS_BY_WEEK);
	metrics_format_json(&sb, &r, &s);
	is_str(sb.buf,
	    "{\"schema\":1,\"period\":\"2026-W39\",\"since\":\"2026-09-21T12:00:00Z\","
	    "\"until\":\"2026-09-28T00:00:00Z\",\"env\":\"production\","
	    "\"component\":null,\"deployments\":0,\"rollbacks\":0,"
	    "\"failed_deployments\":0,\"hotfix_deployments\":0,"
	    "\"failed_attempts\":0,\"change_fail_rate\":null,"
	    "\"lead_time_commits\":0,\"lead_time_median_s\":null,"
	    "\"lead_time_p90_s\":null,\"recovered\":0,\"unrecovered\":0,"
	    "\"recovery_time_median_s\":null,\"recovery_time_max_s\":null,"
	    "\"rework_rate\":null}\n"
	    "{\"schema\":1,\"period\":\"2026-W40\",\"since\":\"2026-09-28T00:00:00Z\","
	    "\"until\":\"2026-10-05T00:00:00Z\",\"env\":\"production\","
	    "\"component\":null,\"deployments\":2,\"rollbacks\":1,"
	    "\"failed_deployments\":1,\"hotfix_deployments\":0,"
	    "\"failed_attempts\":0,\"change_fail_rate\":0.5,"
	    "\"lead_time_commits\":1,\"lead_time_median_s\":10800,"
	    "\"lead_time_p90_s\":10800,\"recovered\":1,\"unrecovered\":0,"
	    "\"recovery_time_median_s\":2400,\"recovery_time_max_s\":2400,"
	    "\"rework_rate\":0.333333}\n"
	    "{\"schema\":1,\"period\":\"total\",\"since\":\"2026-09-21T12:00:00Z\","
	    "\"until\":\"2026-10-05T00:00:00Z\",\"env\":\"production\","
	    "\"component\":null,\"deployments\":2,\"rollbacks\":1,"
	    "\"failed_deployments\":1,\"hotfix_deployments\":0,"
	    "\"failed_attempts\":0,\"change_fail_rate\":0.5,"
	    "\"lead_time_commits\":1,\"lead_time_median_s\":10800,"
	    "\"lead_time_p90_s\":10800,\"recovered\":1,\"unrecovered\":0,"
	    "\"recovery_time_median_s\":2400,\"recovery_time_max_s\":2400,"
	    "\"rework_rate\":0.333333}\n",
	    "JSON: a line per week, the quiet one with nulls, then the total");

	strbuf_reset(&sb);
	metrics_format_table(&sb, &r, &s, 0);
	ok(strstr(sb.buf, "\n2026-W39    0    0    0    0    0     -    0"
	    "      -      -      -      -      -\n") != NULL,
	    "table: the quiet week");
	ok(strstr(sb.buf, "\n2026-W40    2    1    1    0    0   50%    1"
	    "  3h00m  3h00m    40m    40m    33%\n") != NULL,
	    "table: the week with the rollback");
	ok(strstr(sb.buf, "\ntotal       2    1    1") != NULL,
	    "table: the total");
	strbuf_reset(&sb);
	metrics_format_charts(&sb, &r, 0, 0);
	ok(strstr(sb.buf, "\ndeploys       _#  max 2\n") != NULL,
	    "chart: deploys, ASCII");
	ok(strstr(sb.buf, "\nchange fail    #  max 50%\n") != NULL,
	    "chart: no figure in a quiet week is a blank");
	strbuf_reset(&sb);
	metrics_format_charts(&sb, &r, 0, 1);
	ok(strstr(sb.buf, "\ndeploys       \xe2\x96\x81\xe2\x96\x88  max 2\n")
	    != NULL, "chart: deploys, block characters");
	strbuf_release(&sb);
	metrics_report_release(&r);
	metrics_events_release(&ev);
}

static void
test_duration(void)
{
	static const struct { int64_t s; const char *want; } c[] = {
		{ 0, "0s" }, { 45, "45s" }, { 60, "1m" }, { 2400, "40m" },
		{ 2405, "40m05s" }, { 3600, "1h00m" }, { 7500, "2h05m" },
		{ 86400 + 4 * 3600 + 59, "1d04h" }, { 12 * 86400 + 5, "12d" },
		{ -5, "0s" },
	};
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		strbuf_reset(&sb);
		metrics_duration(&sb, c[i].s);
		is_str(sb.buf, c[i].want, c[i].want);
	}
	strbuf_release(&sb);
}

static void
test_trailer(void)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "Release v1.2.4\n\n- fix: a (abc1234)\n");
	tag_add_trailer(&sb, "Hotfix", "v1.2.3");
	is_str(sb.buf, "Release v1.2.4\n\n- fix: a (abc1234)\n\n"
	    "Hotfix: v1.2.3\n", "a new trailer paragraph");
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "Release v1.2.4\n\n- fix: a (abc1234)\n\n"
	    "Migration: 1_x\nConfig: config/a.yml\n");
	tag_add_trailer(&sb, "Hotfix", "v1.2.3");
	is_str(sb.buf, "Release v1.2.4\n\n- fix: a (abc1234)\n\n"
	    "Migration: 1_x\nConfig: config/a.yml\nHotfix: v1.2.3\n",
	    "joins the trailers there are");
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "Release v1.2.4\n");
	tag_add_trailer(&sb, "Hotfix", "v1.2.3");
	is_str(sb.buf, "Release v1.2.4\n\nHotfix: v1.2.3\n",
	    "after a subject alone");
	strbuf_release(&sb);
}

int
main(void)
{
	test_stats();
	test_periods();
	test_dates();
	test_rollback_after_40_minutes();
	test_hotfix_after_bad_deploy();
	test_marked_bad_without_rollback();
	test_components_and_attempts();
	test_chained_failures_and_range();
	test_output();
	test_duration();
	test_trailer();
	return done_testing();
}
