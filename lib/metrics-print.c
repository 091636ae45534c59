/*
 * The metrics for scripts (one JSON object a line, a period each, then
 * the total) and for people (a table that fits 80 columns, then one
 * sparkline per figure, a character per period).
 */
#include <stdio.h>
#include <string.h>

#include "color.h"
#include "json.h"
#include "metrics.h"
#include "banned.h"

/* the widest chart, so that label, line and scale fit 80 columns */
#define CHART_WIDTH	52

void
metrics_duration(struct strbuf *out, int64_t s)
{
	long long v = s < 0 ? 0 : (long long)s;

	if (v < 60)
		strbuf_addf(out, "%llds", v);
	else if (v < 3600 && v % 60)
		strbuf_addf(out, "%lldm%02llds", v / 60, v % 60);
	else if (v < 3600)
		strbuf_addf(out, "%lldm", v / 60);
	else if (v < 86400)
		strbuf_addf(out, "%lldh%02lldm", v / 3600, v % 3600 / 60);
	else if (v < 10 * 86400)
		strbuf_addf(out, "%lldd%02lldh", v / 86400, v % 86400 / 3600);
	else
		strbuf_addf(out, "%lldd", v / 86400);
}

static void
add_value(struct json *j, const char *key, struct metrics_value v)
{
	if (v.has)
		json_int(j, key, (long long)v.v);
	else
		json_null(j, key);
}

static void
period_json(struct strbuf *out, const struct metrics_period *p,
    const struct metrics_scope *s)
{
	struct json j = JSON_INIT;

	json_begin(&j);
	json_str(&j, "period", p->name);
	json_time(&j, "since", p->since);
	json_time(&j, "until", p->until);
	json_str(&j, "env", s->env);
	json_str(&j, "component", s->component);
	json_int(&j, "deployments", (long long)p->deployments);
	json_int(&j, "rollbacks", (long long)p->rollbacks);
	json_int(&j, "failed_deployments", (long long)p->failed_deployments);
	json_int(&j, "hotfix_deployments", (long long)p->hotfix_deployments);
	json_int(&j, "failed_attempts", (long long)p->failed_attempts);
	json_fraction(&j, "change_fail_rate", metrics_change_fail_rate(p));
	json_int(&j, "lead_time_commits", (long long)p->lead_time_commits);
	add_value(&j, "lead_time_median_s", p->lead_median);
	add_value(&j, "lead_time_p90_s", p->lead_p90);
	json_int(&j, "recovered", (long long)p->recovered);
	json_int(&j, "unrecovered", (long long)p->unrecovered);
	add_value(&j, "recovery_time_median_s", p->recovery_median);
	add_value(&j, "recovery_time_max_s", p->recovery_max);
	json_fraction(&j, "rework_rate", metrics_rework_rate(p));
	json_end(&j);
	json_add_line(out, &j);
	json_release(&j);
}

void
metrics_format_json(struct strbuf *out, const struct metrics_report *r,
    const struct metrics_scope *s)
{
	size_t i;

	for (i = 0; i < r->nr; i++)
		period_json(out, &r->periods[i], s);
	period_json(out, &r->total, s);
}

/* --- the table --- */

static void
cell_value(struct strbuf *out, struct metrics_value v, int width)
{
	struct strbuf t = STRBUF_INIT;

	if (v.has)
		metrics_duration(&t, v.v);
	else
		strbuf_addch(&t, '-');
	strbuf_addf(out, " %*s", width, t.buf);
	strbuf_release(&t);
}

static void
cell_rate(struct strbuf *out, double f, int width)
{
	char buf[16];

	if (f < 0)
		snprintf(buf, sizeof(buf), "-");
	else
		snprintf(buf, sizeof(buf), "%d%%", (int)(f * 100 + 0.5));
	strbuf_addf(out, " %*s", width, buf);
}

static void
table_row(struct strbuf *out, const struct metrics_period *p, int color,
    int total)
{
	const char *on = color && total ? COLOR_BOLD : "";
	const char *red = color && p->failed_deployments ? COLOR_RED : "";
	const char *off = color ? COLOR_RESET : "";

	strbuf_addf(out, "%s%-8s %4zu %4zu %s%4zu%s%s %4zu %4zu", on, p->name,
	    p->deployments, p->rollbacks, red, p->failed_deployments,
	    *red ? off : "", *red ? on : "", p->hotfix_deployments,
	    p->failed_attempts);
	cell_rate(out, metrics_change_fail_rate(p), 5);
	strbuf_addf(out, " %4zu", p->lead_time_commits);
	cell_value(out, p->lead_median, 6);
	cell_value(out, p->lead_p90, 6);
	cell_value(out, p->recovery_median, 6);
	cell_value(out, p->recovery_max, 6);
	cell_rate(out, metrics_rework_rate(p), 6);
	strbuf_addf(out, "%s\n", *on ? off : "");
}

void
metrics_format_table(struct strbuf *out, const struct metrics_report *r,
    const struct metrics_scope *s, int color)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	size_t i;

	deploy_time_human(&a, r->since);
	deploy_time_human(&b, r->until);
	strbuf_addf(out, "%s%s%s%s, %s to %s, by %s%s\n\n",
	    color ? COLOR_BOLD : "", s->env,
	    s->component ? ", component " : "",
	    s->component ? s->component : "", a.buf, b.buf,
	    r->by == METRICS_BY_MONTH ? "month" : "week",
	    color ? COLOR_RESET : "");
	strbuf_addf(out, "%s%-8s %4s %4s %4s %4s %4s %5s %4s %6s %6s %6s %6s "
	    "%6s%s\n", color ? COLOR_BOLD : "", "period", "dep", "rb",
	    "fail", "hf", "att", "cfr", "chg", "lead50", "lead90", "rec50",
	    "recmax", "rework", color ? COLOR_RESET : "");
	for (i = 0; i < r->nr; i++)
		table_row(out, &r->periods[i], color, 0);
	table_row(out, &r->total, color, 1);
	strbuf_addstr(out,
	    "\ndep deploys, rb rollbacks, fail failed deploys, hf hotfix "
	    "deploys, att failed\nattempts, cfr change fail rate (fail/dep), "
	    "chg commits brought, lead50 lead90\nchange lead time median and "
	    "90th percentile, rec50 recmax recovery time median\nand worst, "
	    "rework (rb+hf)/(dep+rb)\n");
	strbuf_release(&a);
	strbuf_release(&b);
}

/* --- the charts --- */

enum figure { F_DEPLOYS, F_CFR, F_LEAD, F_RECOVERY, F_REWORK, F_NR };

static const char *const figure_names[F_NR] = {
	"deploys", "change fail", "lead p50", "recovery p50", "rework",
};

/* the figure of a period, scaled by 1000 for rates; -1: none */
static double
figure(const struct metrics_period *p, enum figure f)
{
	switch (f) {
	case F_DEPLOYS:
		return (double)p->deployments;
	case F_CFR:
		return metrics_change_fail_rate(p);
	case F_LEAD:
		return p->lead_median.has ? (double)p->lead_median.v : -1;
	case F_RECOVERY:
		return p->recovery_median.has ?
		    (double)p->recovery_median.v : -1;
	default:
		return metrics_rework_rate(p);
	}
}

static void
scale_label(struct strbuf *out, enum figure f, double max)
{
	switch (f) {
	case F_DEPLOYS:
		strbuf_addf(out, "max %.0f", max);
		break;
	case F_LEAD:
	case F_RECOVERY:
		strbuf_addstr(out, "max ");
		metrics_duration(out, (int64_t)max);
		break;
	default:
		strbuf_addf(out, "max %d%%", (int)(max * 100 + 0.5));
	}
}

void
metrics_format_charts(struct strbuf *out, const struct metrics_report *r,
    int color, int utf8)
{
	static const char *const blocks[8] = {
		"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
		"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
	};
	static const char ascii[] = "_.-:=+*#";
	size_t first = r->nr > CHART_WIDTH ? r->nr - CHART_WIDTH : 0, i;
	int f;

	strbuf_addch(out, '\n');
	for (f = 0; f < F_NR; f++) {
		double max = 0;

		for (i = first; i < r->nr; i++)
			if (figure(&r->periods[i], f) > max)
				max = figure(&r->periods[i], f);
		strbuf_addf(out, "%-13s %s", figure_names[f],
		    color ? COLOR_GREEN : "");
		for (i = first; i < r->nr; i++) {
			double v = figure(&r->periods[i], f);
			int level;

			if (v < 0) {
				strbuf_addch(out, ' ');
				continue;
			}
			level = v <= 0 || max <= 0 ? 0 :
			    1 + (int)(v * 6.999 / max);
			if (level > 7)
				level = 7;
			if (utf8)
				strbuf_addstr(out, blocks[level]);
			else
				strbuf_addch(out, ascii[level]);
		}
		strbuf_addf(out, "%s  ", color ? COLOR_RESET : "");
		scale_label(out, f, max);
		strbuf_addch(out, '\n');
	}
	if (r->nr > 0)
		strbuf_addf(out, "%-13s %s to %s, a %s a character%s\n", "",
		    r->periods[first].name, r->periods[r->nr - 1].name,
		    r->by == METRICS_BY_MONTH ? "month" : "week",
		    first ? " (the latest only)" : "");
}
