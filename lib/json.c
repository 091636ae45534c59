/*
 * The JSON writer: a depth and a "comma needed" flag per depth over a
 * strbuf.  Nesting deeper than JSON_MAX_DEPTH is a bug in the caller.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "component.h"
#include "json.h"
#include "semver.h"
#include "banned.h"

/* the length of the valid UTF-8 sequence at p, or 0 */
static size_t
utf8_len(const unsigned char *p)
{
	size_t n, i;
	unsigned int c;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, c = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, c = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, c = p[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	/* overlong, surrogates, beyond U+10FFFF */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	return n;
}

void
json_quote(struct strbuf *sb, const char *s)
{
	const unsigned char *p;
	size_t n;

	if (s == NULL) {
		strbuf_addstr(sb, "null");
		return;
	}
	strbuf_addch(sb, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p += n) {
		n = utf8_len(p);
		if (n == 0) {
			strbuf_addf(sb, "\\udc%02x", *p);
			n = 1;
			continue;
		}
		if (n > 1) {
			strbuf_add(sb, p, n);
			continue;
		}
		switch (*p) {
		case '"':
			strbuf_addstr(sb, "\\\"");
			break;
		case '\\':
			strbuf_addstr(sb, "\\\\");
			break;
		case '\n':
			strbuf_addstr(sb, "\\n");
			break;
		case '\t':
			strbuf_addstr(sb, "\\t");
			break;
		case '\r':
			strbuf_addstr(sb, "\\r");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				strbuf_addf(sb, "\\u%04x", *p);
			else
				strbuf_addch(sb, *p);
		}
	}
	strbuf_addch(sb, '"');
}

/* a comma when needed, then "key": */
static void
member(struct json *j, const char *key)
{
	if (j->comma[j->depth])
		strbuf_addch(&j->buf, ',');
	j->comma[j->depth] = 1;
	if (key != NULL) {
		json_quote(&j->buf, key);
		strbuf_addch(&j->buf, ':');
	}
}

static void
open_(struct json *j, const char *key, int c)
{
	if (j->depth + 1 >= JSON_MAX_DEPTH)
		abort();
	member(j, key);
	strbuf_addch(&j->buf, c);
	j->comma[++j->depth] = 0;
}

static void
close_(struct json *j, int c)
{
	if (j->depth == 0)
		abort();
	strbuf_addch(&j->buf, c);
	j->depth--;
}

void
json_begin(struct json *j)
{
	json_object_begin(j, NULL);
}

void
json_begin_plain(struct json *j)
{
	json_object_begin_plain(j, NULL);
}

void
json_end(struct json *j)
{
	close_(j, '}');
}

void
json_object_begin(struct json *j, const char *key)
{
	open_(j, key, '{');
	json_int(j, "schema", JSON_SCHEMA);
}

void
json_object_begin_plain(struct json *j, const char *key)
{
	open_(j, key, '{');
}

void
json_object_end(struct json *j)
{
	close_(j, '}');
}

void
json_array_begin(struct json *j, const char *key)
{
	open_(j, key, '[');
}

void
json_array_end(struct json *j)
{
	close_(j, ']');
}

void
json_str(struct json *j, const char *key, const char *value)
{
	member(j, key);
	json_quote(&j->buf, value);
}

void
json_int(struct json *j, const char *key, long long value)
{
	member(j, key);
	strbuf_addf(&j->buf, "%lld", value);
}

void
json_bool(struct json *j, const char *key, int value)
{
	member(j, key);
	strbuf_addstr(&j->buf, value ? "true" : "false");
}

void
json_null(struct json *j, const char *key)
{
	member(j, key);
	strbuf_addstr(&j->buf, "null");
}

void
json_version(struct json *j, const char *key, const char *s)
{
	struct semver v;

	/* a tag of no known prefix ("api/v1.2.3"): its SemVer part */
	if (s != NULL && semver_parse(&v, s) != 0)
		s += component_tag_prefix_len(s);
	json_str(j, key, s != NULL && *s != '\0' ? s : NULL);
}

void
json_fraction(struct json *j, const char *key, double f)
{
	char s[32];
	size_t n;

	if (f < 0) {
		json_null(j, key);
		return;
	}
	snprintf(s, sizeof(s), "%.6f", f);
	n = strlen(s);
	while (n > 1 && s[n - 1] == '0')
		n--;
	if (s[n - 1] == '.')
		n--;
	member(j, key);
	strbuf_add(&j->buf, s, n);
}

void
json_time(struct json *j, const char *key, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[32];

	if (t < 0 || gmtime_r(&tt, &tm) == NULL ||
	    strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		json_null(j, key);
		return;
	}
	json_str(j, key, s);
}

void
json_reason(struct json *j, const char *key, const char *code,
    const char *message)
{
	json_object_begin(j, key);
	json_str(j, "code", code);
	json_str(j, "message", message);
	json_object_end(j);
}

void
json_strlist(struct json *j, const char *key, const struct strlist *l)
{
	size_t i;

	json_array_begin(j, key);
	for (i = 0; i < l->nr; i++)
		json_str(j, NULL, l->items[i]);
	json_array_end(j);
}

void
json_print(struct json *j, FILE *fp)
{
	fprintf(fp, "%s\n", j->buf.buf);
	strbuf_reset(&j->buf);
	memset(j->comma, 0, sizeof(j->comma));
	j->depth = 0;
}

void
json_add_line(struct strbuf *out, struct json *j)
{
	strbuf_add(out, j->buf.buf, j->buf.len);
	strbuf_addch(out, '\n');
	strbuf_reset(&j->buf);
	memset(j->comma, 0, sizeof(j->comma));
	j->depth = 0;
}

void
json_release(struct json *j)
{
	strbuf_release(&j->buf);
}
