/*
 * Delivery metrics from the deployment log: DORA's five figures
 * (deployment frequency, change lead time, change fail rate, failed
 * deployment recovery time, deployment rework rate) per week or month,
 * with the counts each is made of.  Definitions in git-release(1).
 *
 *	metrics_load()		the one repository part: the log of one
 *				environment read once, the marks, the
 *				Hotfix: trailer of each release deployed,
 *				and the commits each deploy brought first
 *	metrics_compute()	pure: classify the events, bucket them,
 *				take medians and percentiles
 *	metrics_format_*()	pure: JSON lines, the table and the charts
 *	metrics_parse_date()	pure: --since and --until
 */
#ifndef LIB_METRICS_H
#define LIB_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "deploylog.h"
#include "repo.h"
#include "strbuf.h"

/* one log entry as the computation sees it; arrays are oldest first */
struct metrics_event {
	int64_t		 time;
	enum deploy_kind kind;
	enum deploy_status status;
	char		*component;	/* NULL: the default component */
	char		*tag;
	char		*from;		/* rollbacks: the tag rolled back from */
	char		 commit[GIT_OID_HEXSZ + 1];
	int		 bad;		/* the tag is marked bad */
	char		*hotfix_base;	/* the tag's "Hotfix:" trailer, or NULL */
	int64_t		*lead;		/* seconds, per commit first brought */
	size_t		 lead_nr;
};

struct metrics_events {
	struct metrics_event	*items;
	size_t			 nr;
	size_t			 alloc;
};
#define METRICS_EVENTS_INIT { NULL, 0, 0 }

void	 metrics_events_release(struct metrics_events *ev);

/*
 * Append one event (strings copied; lead copied, may be NULL with
 * lead_nr 0).  Events must come oldest first.
 */
void	 metrics_events_add(struct metrics_events *ev,
	    const struct metrics_event *e);

enum metrics_by { METRICS_BY_WEEK, METRICS_BY_MONTH };

/* a figure that may not exist (no sample): has 0 means null */
struct metrics_value {
	int	has;
	int64_t	v;
};

struct metrics_period {
	char		 name[32];	/* "2026-W40", "2026-10", "total" */
	int64_t		 since, until;	/* [since, until), clipped to the range */
	size_t		 deployments;	/* succeeded deploy entries */
	size_t		 rollbacks;	/* succeeded rollback entries */
	size_t		 failed_deployments; /* of those deploys, failed */
	size_t		 hotfix_deployments;
	size_t		 failed_attempts; /* entries with Status: failed */
	size_t		 lead_time_commits;
	struct metrics_value lead_median, lead_p90;
	size_t		 recovered, unrecovered;
	struct metrics_value recovery_median, recovery_max;
	/* the samples, kept for the figures */
	int64_t		*lead;
	size_t		 lead_nr, lead_alloc;
	int64_t		*recovery;
	size_t		 recovery_nr, recovery_alloc;
};

struct metrics_opts {
	int64_t		 since, until;	/* [since, until) */
	enum metrics_by	 by;
};

struct metrics_report {
	struct metrics_period	*periods;	/* oldest first */
	size_t			 nr;
	struct metrics_period	 total;
	int64_t			 since, until;
	enum metrics_by		 by;
};
#define METRICS_REPORT_INIT { NULL, 0, { { 0 } }, 0, 0, METRICS_BY_WEEK }

/*
 * The figures of the events in [o->since, o->until), each period of
 * the range listed, quiet ones included.  Whether a deploy failed and
 * when it was recovered is decided from the whole log, entries after
 * the range included.  E_FATAL (said) when since >= until or the range
 * has too many periods.
 */
int	 metrics_compute(struct metrics_report *out,
	    const struct metrics_events *ev, const struct metrics_opts *o);
void	 metrics_report_release(struct metrics_report *r);

/* the fraction of rates, NaN-free: -1 when the denominator is 0 */
double	 metrics_change_fail_rate(const struct metrics_period *p);
double	 metrics_rework_rate(const struct metrics_period *p);

/*
 * Median (the mean of the two middle values, rounded down, for an even
 * count), the nearest-rank percentile (the smallest sample with at
 * least pct percent of the samples at or below it) and the maximum of
 * n samples; v sorted in place.
 */
struct metrics_value metrics_median(int64_t *v, size_t n);
struct metrics_value metrics_percentile(int64_t *v, size_t n, int pct);
struct metrics_value metrics_max(const int64_t *v, size_t n);

/* periods: the name of the one holding t, and its bounds */
void	 metrics_period_of(char name[32], int64_t *start, int64_t *end,
	    int64_t t, enum metrics_by by);

/*
 * --since/--until: "2026-10-01", "2026-10-01T12:30:00Z" (also with a
 * space, without seconds, with +hh:mm or -hhmm, without a zone: UTC),
 * "@<seconds>", "now", "<n>.<unit>.ago" (seconds, minutes, hours, days,
 * weeks; singular too).  A date alone is its day's start, or, with
 * end_of_day, the next day's start (--until 2026-10-31 includes the
 * 31st), and "now" then the next second's (an entry just written is
 * in).  E_FATAL, said, when malformed.
 */
int	 metrics_parse_date(int64_t *out, const char *s, int64_t now,
	    int end_of_day);

/* output: a JSON object a line, the table, the charts */
struct metrics_scope {
	const char	*env;
	const char	*component;	/* NULL: every component */
};
void	 metrics_format_json(struct strbuf *out, const struct metrics_report *r,
	    const struct metrics_scope *s);
void	 metrics_format_table(struct strbuf *out,
	    const struct metrics_report *r, const struct metrics_scope *s,
	    int color);
/* one sparkline per figure; utf8: block characters, else ASCII */
void	 metrics_format_charts(struct strbuf *out,
	    const struct metrics_report *r, int color, int utf8);
/* "45s", "40m", "2h05m", "3d04h", "12d": at most 6 columns */
void	 metrics_duration(struct strbuf *out, int64_t seconds);

/*
 * Read the log of env once (the selected component's entries when
 * component_select() chose one, every component's otherwise, each
 * followed on its own), with the marks, each deployed tag's Hotfix:
 * trailer and, per deploy, the lead time of every commit it brought to
 * env first.  The first entry of each component only sets where the
 * environment stands: the log does not say when older commits arrived.
 */
int	 metrics_load(struct metrics_events *out, struct ctx *ctx,
	    const char *env);

#endif
