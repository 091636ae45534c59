/*
 * Calendar arithmetic for the metrics, in UTC and without the C
 * library's time zone state: ISO 8601 weeks and months, and the dates
 * --since and --until accept.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "banned.h"

#define DAY	86400

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* days since 1970-01-01 of a proleptic Gregorian date (m 1..12) */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

void
metrics_period_of(char name[32], int64_t *start, int64_t *end, int64_t t,
    enum metrics_by by)
{
	int64_t day = floor_div(t, DAY), y;
	int m, d;

	if (by == METRICS_BY_MONTH) {
		civil_from_days(day, &y, &m, &d);
		snprintf(name, 32, "%04lld-%02d", (long long)y, m);
		*start = days_from_civil(y, m, 1) * DAY;
		*end = (m == 12 ? days_from_civil(y + 1, 1, 1) :
		    days_from_civil(y, m + 1, 1)) * DAY;
	} else {
		/* 1970-01-01 was a Thursday; Monday is 0 */
		int64_t wd = day + 3 - floor_div(day + 3, 7) * 7;
		int64_t thursday = day - wd + 3, week;

		civil_from_days(thursday, &y, &m, &d);
		week = (thursday - days_from_civil(y, 1, 1)) / 7 + 1;
		snprintf(name, 32, "%04lld-W%02lld", (long long)y,
		    (long long)week);
		*start = (day - wd) * DAY;
		*end = *start + 7 * DAY;
	}
}

/* --- --since and --until --- */

static int
digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static int
days_in_month(int64_t y, int m)
{
	static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return n[m - 1];
}

/* YYYY-MM-DD[(T| )HH:MM[:SS][Z|(+|-)HH[:]MM]] */
static int
parse_iso(int64_t *out, const char *s, int end_of_day)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0, zh, zm, sign;
	int64_t t;

	if (digits(&p, 4, &y) < 0 || *p++ != '-' || digits(&p, 2, &mo) < 0 ||
	    *p++ != '-' || digits(&p, 2, &d) < 0)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return -1;
	t = days_from_civil(y, mo, d) * DAY;
	if (*p == '\0') {
		*out = end_of_day ? t + DAY : t;
		return 0;
	}
	if ((*p != 'T' && *p != ' ') || (p++, digits(&p, 2, &h) < 0) ||
	    *p++ != ':' || digits(&p, 2, &mi) < 0)
		return -1;
	if (*p == ':' && (p++, digits(&p, 2, &sec) < 0))
		return -1;
	if (h > 23 || mi > 59 || sec > 60)
		return -1;
	t += h * 3600 + mi * 60 + sec;
	if (*p == 'Z' && p[1] == '\0') {
		*out = t;
		return 0;
	}
	if (*p == '\0') {
		*out = t;
		return 0;
	}
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if (digits(&p, 2, &zh) < 0)
		return -1;
	if (*p == ':')
		p++;
	if (digits(&p, 2, &zm) < 0 || *p != '\0' || zh > 23 || zm > 59)
		return -1;
	*out = t - sign * (zh * 3600 + zm * 60);
	return 0;
}

/* <n>.<unit>.ago */
static int
parse_ago(int64_t *out, const char *s, int64_t now)
{
	static const struct { const char *name; int64_t s; } units[] = {
		{ "second", 1 }, { "minute", 60 }, { "hour", 3600 },
		{ "day", DAY }, { "week", 7 * DAY },
	};
	const char *dot, *errstr = NULL;
	char num[16];
	long long n;
	size_t i, len;

	dot = strchr(s, '.');
	if (dot == NULL || dot == s || (size_t)(dot - s) >= sizeof(num))
		return -1;
	memcpy(num, s, (size_t)(dot - s));
	num[dot - s] = '\0';
	if (strspn(num, "0123456789") != strlen(num))
		return -1;
	n = strtonum(num, 0, 100000, &errstr);
	if (errstr != NULL)
		return -1;
	s = dot + 1;
	len = strlen(s);
	if (len < 4 || strcmp(s + len - 4, ".ago") != 0)
		return -1;
	len -= 4;
	if (len > 0 && s[len - 1] == 's')
		len--;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i].name) == len &&
		    strncmp(units[i].name, s, len) == 0) {
			*out = now - (int64_t)n * units[i].s;
			return 0;
		}
	return -1;
}

int
metrics_parse_date(int64_t *out, const char *s, int64_t now, int end_of_day)
{
	const char *errstr = NULL;

	/* as a date without a time: the end of this second, for --until */
	if (strcmp(s, "now") == 0) {
		*out = end_of_day ? now + 1 : now;
		return 0;
	}
	if (s[0] == '@' && s[1] != '\0' &&
	    strspn(s + 1, "0123456789") == strlen(s + 1)) {
		*out = strtonum(s + 1, 0, INT64_C(253402300799), &errstr);
		if (errstr == NULL)
			return 0;
	} else if (parse_iso(out, s, end_of_day) == 0 ||
	    parse_ago(out, s, now) == 0)
		return 0;
	return error_fatal("'%s' is not a date: give 2026-10-01, "
	    "2026-10-01T12:00:00Z or 90.days.ago", s);
}
