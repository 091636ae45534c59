/*
 * DORA's figures from the deployment log's events, pure: which deploys
 * failed and when each was recovered, decided per component over the
 * whole log; then per period the counts, medians and percentiles.
 */
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "banned.h"

/* at most this many periods in a range: 100 years by week */
#define METRICS_MAX_PERIODS	5300

void
metrics_events_add(struct metrics_events *ev, const struct metrics_event *e)
{
	struct metrics_event *n;

	ALLOC_GROW(ev->items, ev->nr, ev->alloc);
	n = &ev->items[ev->nr++];
	*n = *e;
	n->component = e->component ? xstrdup(e->component) : NULL;
	n->tag = xstrdup(e->tag ? e->tag : "");
	n->from = e->from ? xstrdup(e->from) : NULL;
	n->hotfix_base = e->hotfix_base ? xstrdup(e->hotfix_base) : NULL;
	n->lead = NULL;
	if (e->lead_nr) {
		n->lead = xreallocarray(NULL, e->lead_nr, sizeof(*n->lead));
		memcpy(n->lead, e->lead, e->lead_nr * sizeof(*n->lead));
	}
}

void
metrics_events_release(struct metrics_events *ev)
{
	size_t i;

	for (i = 0; i < ev->nr; i++) {
		free(ev->items[i].component);
		free(ev->items[i].tag);
		free(ev->items[i].from);
		free(ev->items[i].hotfix_base);
		free(ev->items[i].lead);
	}
	free(ev->items);
	ev->items = NULL;
	ev->nr = ev->alloc = 0;
}

/* --- statistics --- */

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

struct metrics_value
metrics_median(int64_t *v, size_t n)
{
	struct metrics_value r = { 0, 0 };
	int64_t a, b;

	if (n == 0)
		return r;
	qsort(v, n, sizeof(*v), cmp_i64);
	r.has = 1;
	if (n % 2) {
		r.v = v[n / 2];
		return r;
	}
	a = v[n / 2 - 1];
	b = v[n / 2];
	/* rounded down, for negative sums too */
	r.v = (a + b) / 2;
	if ((a + b) < 0 && (a + b) % 2 != 0)
		r.v--;
	return r;
}

struct metrics_value
metrics_percentile(int64_t *v, size_t n, int pct)
{
	struct metrics_value r = { 0, 0 };
	size_t rank;

	if (n == 0)
		return r;
	qsort(v, n, sizeof(*v), cmp_i64);
	rank = (n * (size_t)pct + 99) / 100;	/* ceil(n * pct / 100) */
	if (rank == 0)
		rank = 1;
	r.has = 1;
	r.v = v[rank - 1];
	return r;
}

struct metrics_value
metrics_max(const int64_t *v, size_t n)
{
	struct metrics_value r = { 0, 0 };
	size_t i;

	for (i = 0; i < n; i++)
		if (!r.has || v[i] > r.v) {
			r.has = 1;
			r.v = v[i];
		}
	return r;
}

double
metrics_change_fail_rate(const struct metrics_period *p)
{
	if (p->deployments == 0)
		return -1;
	return (double)p->failed_deployments / (double)p->deployments;
}

double
metrics_rework_rate(const struct metrics_period *p)
{
	size_t all = p->deployments + p->rollbacks;

	if (all == 0)
		return -1;
	return (double)(p->rollbacks + p->hotfix_deployments) / (double)all;
}

/* --- which entries failed, and what recovered them --- */

static int
same_component(const struct metrics_event *a, const struct metrics_event *b)
{
	if (a->component == NULL || b->component == NULL)
		return a->component == b->component;
	return strcmp(a->component, b->component) == 0;
}

/* is base (a Hotfix: trailer: a tag, or a commit id) the release of e? */
static int
hotfix_of(const char *base, const struct metrics_event *e)
{
	size_t n = strlen(base);

	if (strcmp(base, e->tag) == 0)
		return 1;
	return n >= 7 && n <= GIT_OID_HEXSZ &&
	    strspn(base, "0123456789abcdef") == n &&
	    strncmp(base, e->commit, n) == 0;
}

/*
 * next[i]: the next succeeded entry of i's component (SIZE_MAX: none);
 * failed[i]: entry i put a bad release in place: its tag is marked bad,
 * the next entry rolls back from it, or (a deploy) the next entry
 * deploys a hotfix of its release; good_after[i]: the first entry
 * after i that is not failed (SIZE_MAX: none yet).
 */
struct classes {
	size_t	*next;
	char	*failed;
	size_t	*good_after;
};

static void
classify(struct classes *c, const struct metrics_events *ev)
{
	size_t *last = NULL, nlast = 0, i, k;

	c->next = xreallocarray(NULL, ev->nr ? ev->nr : 1, sizeof(size_t));
	c->good_after = xreallocarray(NULL, ev->nr ? ev->nr : 1,
	    sizeof(size_t));
	c->failed = xcalloc(ev->nr ? ev->nr : 1, 1);
	last = xreallocarray(NULL, ev->nr ? ev->nr : 1, sizeof(size_t));
	/* backwards: last[k] is the newest succeeded entry seen per component */
	for (i = ev->nr; i-- > 0;) {
		const struct metrics_event *e = &ev->items[i];

		c->next[i] = SIZE_MAX;
		c->good_after[i] = SIZE_MAX;
		if (e->status != DEPLOY_STATUS_SUCCEEDED)
			continue;
		for (k = 0; k < nlast; k++)
			if (same_component(&ev->items[last[k]], e))
				break;
		if (k < nlast) {
			c->next[i] = last[k];
			last[k] = i;
		} else
			last[nlast++] = i;
	}
	for (i = 0; i < ev->nr; i++) {
		const struct metrics_event *e = &ev->items[i], *n;

		if (e->status != DEPLOY_STATUS_SUCCEEDED)
			continue;
		c->failed[i] = e->bad != 0;
		if (c->next[i] == SIZE_MAX)
			continue;
		n = &ev->items[c->next[i]];
		if (n->kind == DEPLOY_KIND_ROLLBACK && n->from != NULL &&
		    strcmp(n->from, e->tag) == 0)
			c->failed[i] = 1;
		if (e->kind == DEPLOY_KIND_DEPLOY &&
		    n->kind == DEPLOY_KIND_DEPLOY && n->hotfix_base != NULL &&
		    hotfix_of(n->hotfix_base, e))
			c->failed[i] = 1;
	}
	for (i = ev->nr; i-- > 0;) {
		size_t n = c->next[i];

		if (n == SIZE_MAX)
			continue;
		c->good_after[i] = c->failed[n] ? c->good_after[n] : n;
	}
	free(last);
}

static void
classes_release(struct classes *c)
{
	free(c->next);
	free(c->failed);
	free(c->good_after);
}

/* --- periods --- */

static void
add_sample(int64_t **v, size_t *nr, size_t *alloc, int64_t x)
{
	ALLOC_GROW(*v, *nr, *alloc);
	(*v)[(*nr)++] = x;
}

static void
period_count(struct metrics_period *p, const struct metrics_events *ev,
    const struct classes *c, size_t i)
{
	const struct metrics_event *e = &ev->items[i];
	size_t k;

	if (e->status == DEPLOY_STATUS_FAILED) {
		p->failed_attempts++;
		return;
	}
	if (e->status != DEPLOY_STATUS_SUCCEEDED)
		return;
	if (e->kind == DEPLOY_KIND_ROLLBACK) {
		p->rollbacks++;
		return;
	}
	p->deployments++;
	if (e->hotfix_base != NULL)
		p->hotfix_deployments++;
	for (k = 0; k < e->lead_nr; k++)
		add_sample(&p->lead, &p->lead_nr, &p->lead_alloc,
		    e->lead[k] > 0 ? e->lead[k] : 0);
	p->lead_time_commits += e->lead_nr;
	if (!c->failed[i])
		return;
	p->failed_deployments++;
	if (c->good_after[i] == SIZE_MAX) {
		p->unrecovered++;
		return;
	}
	p->recovered++;
	k = c->good_after[i];
	add_sample(&p->recovery, &p->recovery_nr, &p->recovery_alloc,
	    ev->items[k].time > e->time ? ev->items[k].time - e->time : 0);
}

static void
period_figures(struct metrics_period *p)
{
	p->lead_median = metrics_median(p->lead, p->lead_nr);
	p->lead_p90 = metrics_percentile(p->lead, p->lead_nr, 90);
	p->recovery_median = metrics_median(p->recovery, p->recovery_nr);
	p->recovery_max = metrics_max(p->recovery, p->recovery_nr);
}

static void
period_release(struct metrics_period *p)
{
	free(p->lead);
	free(p->recovery);
	p->lead = p->recovery = NULL;
	p->lead_nr = p->lead_alloc = p->recovery_nr = p->recovery_alloc = 0;
}

void
metrics_report_release(struct metrics_report *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++)
		period_release(&r->periods[i]);
	free(r->periods);
	period_release(&r->total);
	r->periods = NULL;
	r->nr = 0;
}

/* the period holding t: the last one starting at or before it */
static size_t
period_index(const struct metrics_report *r, int64_t t)
{
	size_t lo = 0, hi = r->nr;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->periods[mid].since <= t)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

int
metrics_compute(struct metrics_report *out, const struct metrics_events *ev,
    const struct metrics_opts *o)
{
	struct classes c;
	int64_t t, start, end;
	size_t i, alloc = 0;

	memset(out, 0, sizeof(*out));
	if (o->since >= o->until)
		return error_fatal("the range is empty: --since is not before "
		    "--until");
	out->since = o->since;
	out->until = o->until;
	out->by = o->by;
	for (t = o->since; t < o->until; t = end) {
		struct metrics_period *p;

		if (out->nr == METRICS_MAX_PERIODS) {
			metrics_report_release(out);
			return error_fatal("the range has more than %d "
			    "periods", METRICS_MAX_PERIODS);
		}
		ALLOC_GROW(out->periods, out->nr, alloc);
		p = &out->periods[out->nr++];
		memset(p, 0, sizeof(*p));
		metrics_period_of(p->name, &start, &end, t, o->by);
		p->since = t;
		p->until = end < o->until ? end : o->until;
	}
	strlcpy(out->total.name, "total", sizeof(out->total.name));
	out->total.since = o->since;
	out->total.until = o->until;

	classify(&c, ev);
	for (i = 0; i < ev->nr; i++) {
		t = ev->items[i].time;
		if (t < o->since || t >= o->until)
			continue;
		period_count(&out->periods[period_index(out, t)], ev, &c, i);
		period_count(&out->total, ev, &c, i);
	}
	classes_release(&c);
	for (i = 0; i < out->nr; i++)
		period_figures(&out->periods[i]);
	period_figures(&out->total);
	return 0;
}
