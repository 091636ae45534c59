/*
 * The deployment log's entry format: the message of an entry commit,
 * "Key: value" lines after a subject, documented in git-release(1) for
 * other tools.  Pure string work, unit-tested in t/unit/test-deploylog.c.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <git2.h>

#include "deploylog.h"
#include "banned.h"

int
deploy_env_check(const char *env)
{
	char *ref;
	int valid = 0;

	/* no "/": one component; no leading "-": it could pass for an option */
	if (env == NULL || *env == '\0' || *env == '-' ||
	    strchr(env, '/') != NULL)
		goto bad;
	ref = xstrfmt(DEPLOY_LOG_PREFIX "%s", env);
	if (git_reference_name_is_valid(&valid, ref) < 0)
		valid = 0;
	free(ref);
	if (valid)
		return 0;
bad:
	return error_fatal("'%s' is not a valid environment name",
	    env ? env : "");
}

static const char *const kind_names[] = {
	[DEPLOY_KIND_DEPLOY] = "deploy",
	[DEPLOY_KIND_ROLLBACK] = "rollback",
	[DEPLOY_KIND_HOLD] = "hold",
	[DEPLOY_KIND_UNHOLD] = "unhold",
	[DEPLOY_KIND_VERIFY] = "verify",
};

const char *
deploy_kind_name(enum deploy_kind kind)
{
	return kind_names[kind];
}

int
deploy_entry_is_deployment(const struct deploy_entry *e)
{
	return e->kind == DEPLOY_KIND_DEPLOY || e->kind == DEPLOY_KIND_ROLLBACK;
}

int
deploy_entry_in_effect(const struct deploy_entry *e)
{
	return deploy_entry_is_deployment(e) &&
	    e->status == DEPLOY_STATUS_SUCCEEDED;
}

static const char *const status_names[] = {
	[DEPLOY_STATUS_SUCCEEDED] = "succeeded",
	[DEPLOY_STATUS_STARTED] = "started",
	[DEPLOY_STATUS_FAILED] = "failed",
};

const char *
deploy_status_name(enum deploy_status status)
{
	return status_names[status];
}

static int
status_parse(enum deploy_status *out, const char *s)
{
	size_t i;

	if (*s == '\0') {
		*out = DEPLOY_STATUS_SUCCEEDED;
		return 0;
	}
	for (i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum deploy_status)i;
			return 0;
		}
	return E_FATAL;
}

static void
utc_format(struct strbuf *out, int64_t t, const char *fmt)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[64];

	if (gmtime_r(&tt, &tm) == NULL)
		tt = 0, gmtime_r(&tt, &tm);
	if (strftime(buf, sizeof(buf), fmt, &tm) == 0)
		buf[0] = '\0';
	strbuf_addstr(out, buf);
}

void
deploy_time_format(struct strbuf *out, int64_t t)
{
	utc_format(out, t, "%Y-%m-%dT%H:%M:%SZ");
}

void
deploy_time_human(struct strbuf *out, int64_t t)
{
	utc_format(out, t, "%Y-%m-%d %H:%M UTC");
}

/*
 * The form deploy_time_format() writes, "2024-01-15T14:30:00Z", with
 * every field in range: read without strptime's and timegm's cost (a
 * whole record has one per entry).  0 when it is not quite that form.
 */
static int
time_parse_fast(int64_t *out, const char *s)
{
	static const char form[] = "dddd-dd-ddTdd:dd:ddZ";
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int64_t y, m, d, era, yoe, doy, doe;
	int hh, mm, ss, i;

	for (i = 0; form[i] != '\0'; i++)
		if (form[i] == 'd' ? (s[i] < '0' || s[i] > '9') :
		    s[i] != form[i])
			return 0;
	if (s[i] != '\0')
		return 0;
#define DIGITS2(p) (((p)[0] - '0') * 10 + ((p)[1] - '0'))
	y = DIGITS2(s) * 100 + DIGITS2(s + 2);
	m = DIGITS2(s + 5);
	d = DIGITS2(s + 8);
	hh = DIGITS2(s + 11);
	mm = DIGITS2(s + 14);
	ss = DIGITS2(s + 17);
#undef DIGITS2
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0))) || hh > 23 || mm > 59 || ss > 59)
		return 0;
	/* days from the civil date (H. Hinnant's algorithm) */
	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*out = ((era * 146097 + doe - 719468) * 24 + hh) * 3600 +
	    (int64_t)mm * 60 + ss;
	return 1;
}

int
deploy_time_parse(int64_t *out, const char *s)
{
	struct tm tm;
	const char *end;

	if (time_parse_fast(out, s))
		return 0;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (end == NULL || *end != '\0')
		return E_FATAL;
	*out = (int64_t)timegm(&tm);
	return 0;
}

void
deploy_tag_message(struct strbuf *out, const char *env, int64_t t)
{
	strbuf_addf(out, "Deployed to %s at ", env);
	deploy_time_human(out, t);
	strbuf_addch(out, '\n');
}

/* "Key: value"; a multi-line value continues on lines starting with a space */
static void
add_field(struct strbuf *out, const char *key, const char *value)
{
	const char *p;

	if (value == NULL)
		return;
	strbuf_addf(out, "%s: ", key);
	for (p = value; *p != '\0'; p++) {
		strbuf_addch(out, *p);
		if (*p == '\n')
			strbuf_addch(out, ' ');
	}
	strbuf_addch(out, '\n');
}

/* the subject, for git log readers: what happened, and how it ended */
static void
add_subject(struct strbuf *out, const struct deploy_entry *e)
{
	switch (e->kind) {
	case DEPLOY_KIND_ROLLBACK:
		strbuf_addf(out, "rollback %s from %s to %s", e->env,
		    e->from ? e->from : "?", e->tag);
		break;
	case DEPLOY_KIND_HOLD:
		strbuf_addf(out, "hold %s at %s", e->env, e->tag);
		break;
	case DEPLOY_KIND_UNHOLD:
		strbuf_addf(out, "lift the hold on %s at %s", e->env, e->tag);
		break;
	case DEPLOY_KIND_VERIFY:
		strbuf_addf(out, "verify %s on %s", e->tag, e->env);
		break;
	default:
		strbuf_addf(out, "deploy %s to %s", e->tag, e->env);
		break;
	}
	if (e->status != DEPLOY_STATUS_SUCCEEDED)
		strbuf_addf(out, " (%s)", deploy_status_name(e->status));
	strbuf_addstr(out, "\n\n");
}

static void
add_number(struct strbuf *out, const char *key, int64_t n, const char *unit)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld%s", (long long)n, unit);
	add_field(out, key, buf);
}

void
deploy_entry_format(struct strbuf *out, const struct deploy_entry *e)
{
	struct strbuf t = STRBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	int rb = e->kind == DEPLOY_KIND_ROLLBACK;

	add_subject(out, e);
	git_oid_tostr(hex, sizeof(hex), &e->commit);
	deploy_time_format(&t, e->time);
	add_field(out, "Version", e->tag);
	add_field(out, "Commit", hex);
	add_field(out, "Environment", e->env);
	add_field(out, "Component", e->component);
	add_field(out, "Kind", deploy_kind_name(e->kind));
	/* succeeded is the default: old readers see the same entry */
	if (e->status != DEPLOY_STATUS_SUCCEEDED)
		add_field(out, "Status", deploy_status_name(e->status));
	add_field(out, "Time", t.buf);
	add_field(out, "Operator", e->operator);
	if (e->reason != NULL && *e->reason != '\0')
		add_field(out, "Reason", e->reason);
	if (rb) {
		add_field(out, "From", e->from);
		add_field(out, "To", e->tag);
		add_field(out, "Strategy", e->strategy);
	}
	add_field(out, "Trigger", e->trigger);
	if (e->verify != NULL) {
		add_field(out, "Verify", e->verify);
		add_field(out, "Verify-Output", e->verify_output);
		if (e->verify_attempts > 0) {
			add_number(out, "Verify-Attempts", e->verify_attempts,
			    "");
			add_number(out, "Verify-Duration", e->verify_ms, "ms");
		}
	}
	strbuf_release(&t);
}

/* "123" or "123ms"; a malformed optional number is left at 0 */
static int64_t
number_parse(const char *s, const char *unit)
{
	size_t n = strspn(s, "0123456789");
	const char *errstr = NULL;
	long long v;
	char *digits;

	if (n == 0 || n > 15 || strcmp(s + n, unit) != 0)
		return 0;
	digits = xstrndup(s, n);
	v = strtonum(digits, 0, 999999999999999LL, &errstr);
	free(digits);
	return errstr ? 0 : (int64_t)v;
}

static char **
field_slot(struct deploy_entry *e, const char *key, size_t len)
{
	static const struct {
		const char *key;
		size_t off;
	} fields[] = {
		{ "Version", offsetof(struct deploy_entry, tag) },
		{ "Environment", offsetof(struct deploy_entry, env) },
		{ "Operator", offsetof(struct deploy_entry, operator) },
		{ "Reason", offsetof(struct deploy_entry, reason) },
		{ "From", offsetof(struct deploy_entry, from) },
		{ "Strategy", offsetof(struct deploy_entry, strategy) },
		{ "Component", offsetof(struct deploy_entry, component) },
		{ "Trigger", offsetof(struct deploy_entry, trigger) },
		{ "Verify", offsetof(struct deploy_entry, verify) },
		{ "Verify-Output", offsetof(struct deploy_entry,
		    verify_output) },
	};
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strlen(fields[i].key) == len &&
		    strncmp(fields[i].key, key, len) == 0)
			return (char **)((char *)e + fields[i].off);
	return NULL;
}

int
deploy_entry_parse(struct deploy_entry *out, const char *msg)
{
	struct strbuf commit = STRBUF_INIT, kind = STRBUF_INIT,
	    when = STRBUF_INIT, status = STRBUF_INIT, attempts = STRBUF_INIT,
	    took = STRBUF_INIT;
	struct strbuf *cur = NULL;
	char **slot = NULL;
	const char *p;
	size_t i;
	int ret = E_FATAL;

	memset(out, 0, sizeof(*out));
	/* the subject is for people; the fields follow the first blank line */
	p = strstr(msg, "\n\n");
	p = p ? p + 2 : msg;
	while (*p != '\0') {
		const char *eol = strchrnul(p, '\n');
		const char *colon;
		size_t klen;

		if (*p == ' ' && (slot != NULL || cur != NULL)) {
			/* continuation of the previous value */
			if (slot != NULL) {
				char *v = xstrfmt("%s\n%.*s", *slot,
				    (int)(eol - p - 1), p + 1);

				free(*slot);
				*slot = v;
			}
			p = *eol ? eol + 1 : eol;
			continue;
		}
		slot = NULL;
		cur = NULL;
		colon = memchr(p, ':', (size_t)(eol - p));
		if (colon == NULL || colon[1] != ' ') {
			p = *eol ? eol + 1 : eol;
			continue;
		}
		klen = (size_t)(colon - p);
		if (klen == 6 && strncmp(p, "Commit", 6) == 0)
			cur = &commit;
		else if (klen == 4 && strncmp(p, "Kind", 4) == 0)
			cur = &kind;
		else if (klen == 4 && strncmp(p, "Time", 4) == 0)
			cur = &when;
		else if (klen == 6 && strncmp(p, "Status", 6) == 0)
			cur = &status;
		else if (klen == 15 && strncmp(p, "Verify-Attempts", 15) == 0)
			cur = &attempts;
		else if (klen == 15 && strncmp(p, "Verify-Duration", 15) == 0)
			cur = &took;
		else
			slot = field_slot(out, p, klen);
		if (cur != NULL) {
			strbuf_reset(cur);
			strbuf_add(cur, colon + 2, (size_t)(eol - colon - 2));
		} else if (slot != NULL) {
			free(*slot);
			*slot = xstrndup(colon + 2, (size_t)(eol - colon - 2));
		}
		p = *eol ? eol + 1 : eol;
	}
	if (out->tag == NULL || out->env == NULL || *out->tag == '\0' ||
	    *out->env == '\0')
		goto out;
	if (commit.len != GIT_OID_HEXSZ ||
	    git_oid_fromstr(&out->commit, commit.buf) < 0)
		goto out;
	for (i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (strcmp(kind.buf, kind_names[i]) == 0)
			break;
	if (i == sizeof(kind_names) / sizeof(kind_names[0]))
		goto out;
	out->kind = (enum deploy_kind)i;
	out->verify_attempts = number_parse(attempts.buf, "");
	out->verify_ms = number_parse(took.buf, "ms");
	if (deploy_time_parse(&out->time, when.buf) < 0)
		goto out;
	if (status_parse(&out->status, status.buf) < 0)
		goto out;
	/* an empty Component is the default one */
	if (out->component != NULL && *out->component == '\0') {
		free(out->component);
		out->component = NULL;
	}
	ret = 0;
out:
	if (ret < 0)
		deploy_entry_release(out);
	git_error_clear();
	strbuf_release(&commit);
	strbuf_release(&kind);
	strbuf_release(&when);
	strbuf_release(&status);
	strbuf_release(&attempts);
	strbuf_release(&took);
	return ret;
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void
deploy_entry_copy(struct deploy_entry *out, const struct deploy_entry *src)
{
	*out = *src;
	out->env = dup_or_null(src->env);
	out->tag = dup_or_null(src->tag);
	out->operator = dup_or_null(src->operator);
	out->reason = dup_or_null(src->reason);
	out->from = dup_or_null(src->from);
	out->strategy = dup_or_null(src->strategy);
	out->component = dup_or_null(src->component);
	out->verify = dup_or_null(src->verify);
	out->verify_output = dup_or_null(src->verify_output);
	out->trigger = dup_or_null(src->trigger);
}

void
deploy_entry_release(struct deploy_entry *e)
{
	free(e->env);
	free(e->tag);
	free(e->operator);
	free(e->reason);
	free(e->from);
	free(e->strategy);
	free(e->component);
	free(e->verify);
	free(e->verify_output);
	free(e->trigger);
	memset(e, 0, sizeof(*e));
}

