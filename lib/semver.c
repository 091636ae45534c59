/*
 * SemVer 2.0.0 (https://semver.org), strictly: three numeric parts
 * without leading zeros that fit 64 bits, dot-separated pre-release and
 * build identifiers of [0-9A-Za-z-], numeric pre-release identifiers
 * without leading zeros.
 */
#include <ctype.h>
#include <string.h>

#include "semver.h"
#include "banned.h"

static int
ident_char(int c)
{
	return isascii(c) && (isalnum(c) || c == '-');
}

static int
all_digits(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* a numeric part: digits, no leading zero, fits 64 bits */
static const char *
parse_number(uint64_t *out, const char *p, const char *end)
{
	uint64_t v = 0;
	const char *start = p;

	while (p < end && isdigit((unsigned char)*p)) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return NULL;
		v = v * 10 + d;
		p++;
	}
	if (p == start || (*start == '0' && p - start > 1))
		return NULL;
	*out = v;
	return p;
}

/* dot-separated non-empty identifiers; numeric ones checked if strict */
static int
valid_idents(const char *s, size_t len, int strict_numeric)
{
	size_t i = 0, start;

	if (len == 0)
		return 0;
	while (i <= len) {
		start = i;
		while (i < len && s[i] != '.') {
			if (!ident_char((unsigned char)s[i]))
				return 0;
			i++;
		}
		if (i == start)
			return 0;
		if (strict_numeric && all_digits(s + start, i - start) &&
		    s[start] == '0' && i - start > 1)
			return 0;
		i++;
	}
	return 1;
}

int
semver_parse_len(struct semver *out, const char *s, size_t len)
{
	const char *p = s, *end = s + len, *plus, *dash;

	memset(out, 0, sizeof(*out));
	if ((p = parse_number(&out->major, p, end)) == NULL || p >= end ||
	    *p++ != '.')
		return E_FATAL;
	if ((p = parse_number(&out->minor, p, end)) == NULL || p >= end ||
	    *p++ != '.')
		return E_FATAL;
	if ((p = parse_number(&out->patch, p, end)) == NULL)
		return E_FATAL;
	if (p == end)
		return 0;
	plus = memchr(p, '+', (size_t)(end - p));
	dash = *p == '-' ? p : NULL;
	if (dash == NULL && plus != p)
		return E_FATAL;
	if (dash != NULL) {
		const char *pend = plus ? plus : end;

		out->pre = dash + 1;
		out->pre_len = (size_t)(pend - out->pre);
		if (!valid_idents(out->pre, out->pre_len, 1))
			return E_FATAL;
	}
	if (plus != NULL) {
		out->build = plus + 1;
		out->build_len = (size_t)(end - out->build);
		if (!valid_idents(out->build, out->build_len, 0))
			return E_FATAL;
	}
	return 0;
}

int
semver_parse(struct semver *out, const char *s)
{
	return semver_parse_len(out, s, strlen(s));
}

static int
cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/* one pre-release identifier against another, as the spec orders them */
static int
cmp_ident(const char *a, size_t alen, const char *b, size_t blen)
{
	int an = all_digits(a, alen), bn = all_digits(b, blen);
	size_t n = alen < blen ? alen : blen;
	int c;

	if (an && bn) {
		/* no leading zeros: the longer number is larger */
		if (alen != blen)
			return alen < blen ? -1 : 1;
		return memcmp(a, b, alen) < 0 ? -1 : memcmp(a, b, alen) > 0;
	}
	if (an != bn)
		return an ? -1 : 1;
	if ((c = memcmp(a, b, n)) != 0)
		return c < 0 ? -1 : 1;
	return cmp_u64(alen, blen);
}

int
semver_cmp(const struct semver *a, const struct semver *b)
{
	size_t i = 0, j = 0;
	int c;

	if ((c = cmp_u64(a->major, b->major)) != 0 ||
	    (c = cmp_u64(a->minor, b->minor)) != 0 ||
	    (c = cmp_u64(a->patch, b->patch)) != 0)
		return c;
	if (a->pre == NULL || b->pre == NULL)
		return a->pre == b->pre ? 0 : a->pre == NULL ? 1 : -1;
	for (;;) {
		size_t ai = i, bj = j;

		if (i >= a->pre_len || j >= b->pre_len)
			return i >= a->pre_len ? (j >= b->pre_len ? 0 : -1) : 1;
		while (i < a->pre_len && a->pre[i] != '.')
			i++;
		while (j < b->pre_len && b->pre[j] != '.')
			j++;
		if ((c = cmp_ident(a->pre + ai, i - ai, b->pre + bj,
		    j - bj)) != 0)
			return c;
		i++;
		j++;
	}
}

void
semver_format(struct strbuf *out, const struct semver *v)
{
	strbuf_addf(out, "%llu.%llu.%llu", (unsigned long long)v->major,
	    (unsigned long long)v->minor, (unsigned long long)v->patch);
	if (v->pre != NULL)
		strbuf_addf(out, "-%.*s", (int)v->pre_len, v->pre);
	if (v->build != NULL)
		strbuf_addf(out, "+%.*s", (int)v->build_len, v->build);
}

int
semver_bump(struct semver *out, const struct semver *v, enum semver_bump kind)
{
	memset(out, 0, sizeof(*out));
	out->major = v->major;
	out->minor = v->minor;
	out->patch = v->patch;
	switch (kind) {
	case BUMP_MAJOR:
		if (v->pre == NULL || v->minor != 0 || v->patch != 0) {
			if (out->major == UINT64_MAX)
				return E_REFUSED;
			out->major++;
			out->minor = out->patch = 0;
		}
		break;
	case BUMP_MINOR:
		if (v->pre == NULL || v->patch != 0) {
			if (out->minor == UINT64_MAX)
				return E_REFUSED;
			out->minor++;
			out->patch = 0;
		}
		break;
	case BUMP_PATCH:
		if (v->pre == NULL) {
			if (out->patch == UINT64_MAX)
				return E_REFUSED;
			out->patch++;
		}
		break;
	case BUMP_NONE:
		break;
	}
	return 0;
}

long long
semver_pre_number(const struct semver *v, const char *id)
{
	size_t idlen = strlen(id);
	long long n = 0;
	size_t i;

	if (v->pre == NULL || v->pre_len < idlen ||
	    memcmp(v->pre, id, idlen) != 0)
		return -1;
	if (v->pre_len == idlen)
		return 0;
	if (v->pre[idlen] != '.' || v->pre_len == idlen + 1 ||
	    !all_digits(v->pre + idlen + 1, v->pre_len - idlen - 1) ||
	    v->pre_len - idlen - 1 > 15)
		return -1;
	for (i = idlen + 1; i < v->pre_len; i++)
		n = n * 10 + (v->pre[i] - '0');
	return n;
}

int
semver_is_stable(const struct semver *v)
{
	return v->pre == NULL;
}

int
semver_same_core(const struct semver *a, const struct semver *b)
{
	return a->major == b->major && a->minor == b->minor &&
	    a->patch == b->patch;
}
