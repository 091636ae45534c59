/* Progress as git shows it: see progress.h. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "progress.h"
#include "banned.h"

static double
elapsed(const struct progress *p)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - p->start.tv_sec) +
	    (double)(now.tv_nsec - p->start.tv_nsec) / 1e9;
}

void
progress_start(struct progress *p, const char *title, uint64_t total,
    int enabled)
{
	const char *d = getenv("GIT_PROGRESS_DELAY");
	char *end;
	double v;

	p->title = title;
	p->total = total;
	p->n = 0;
	p->shown = 0;
	p->last_pct = -1;
	p->enabled = enabled && isatty(2);
	p->delay = 2.0;
	if (d != NULL && *d != '\0') {
		v = strtod(d, &end);
		if (*end == '\0' && v >= 0)
			p->delay = v;
	}
	clock_gettime(CLOCK_MONOTONIC, &p->start);
}

static void
draw(struct progress *p, const char *end)
{
	int pct = p->total ? (int)(p->n * 100 / p->total) : 100;

	fprintf(stderr, "%s: %3d%% (%llu/%llu)%s", p->title, pct,
	    (unsigned long long)p->n, (unsigned long long)p->total, end);
	fflush(stderr);
	p->last_pct = pct;
	p->shown = 1;
}

void
progress_update(struct progress *p, uint64_t n)
{
	int pct;

	p->n = n;
	if (!p->enabled)
		return;
	pct = p->total ? (int)(n * 100 / p->total) : 100;
	if (!p->shown && elapsed(p) < p->delay)
		return;
	if (pct != p->last_pct)
		draw(p, "\r");
}

void
progress_stop(struct progress *p)
{
	if (p->enabled && p->shown)
		draw(p, ", done.\n");
	p->enabled = 0;
}
