/*
 * The one JSON writer, after git's json-writer: every --json output is
 * built with it, so that every object opens with "schema" (an integer,
 * JSON_SCHEMA, raised when a field changes meaning or goes away), every
 * string is valid JSON whatever the bytes, every time is ISO 8601 UTC.
 *
 *	struct json j = JSON_INIT;
 *	json_begin(&j);				{"schema":1
 *	json_str(&j, "tag", "v1.2.3");		,"tag":"v1.2.3"
 *	json_array_begin(&j, "envs");		,"envs":[
 *	json_str(&j, NULL, "production");	"production"
 *	json_array_end(&j);			]
 *	json_end(&j);				}
 *	json_print(&j, stdout);			the line, "\n", and reset
 *	json_release(&j);
 *
 * A key is NULL inside an array.  The _plain openers leave "schema" out,
 * for the objects of a foreign format with a schema of its own
 * (CDEvents); json_reason() is the one shape of a blocker or a refusal.  Strings: a NULL value is null; a byte
 * that is not part of valid UTF-8 is written \udcXX (XX its value: the
 * surrogateescape convention, so a reader can recover the bytes).
 */
#ifndef LIB_JSON_H
#define LIB_JSON_H

#include <stdint.h>
#include <stdio.h>

#include "strbuf.h"

#define JSON_SCHEMA	1
#define JSON_MAX_DEPTH	16

struct json {
	struct strbuf	 buf;
	int		 depth;
	unsigned char	 comma[JSON_MAX_DEPTH];	/* a value came at this depth */
};
#define JSON_INIT { STRBUF_INIT, 0, { 0 } }

void	 json_begin(struct json *j);
void	 json_end(struct json *j);
void	 json_object_begin(struct json *j, const char *key);
void	 json_object_end(struct json *j);
void	 json_begin_plain(struct json *j);
void	 json_object_begin_plain(struct json *j, const char *key);
void	 json_array_begin(struct json *j, const char *key);
void	 json_array_end(struct json *j);
void	 json_str(struct json *j, const char *key, const char *value);
void	 json_int(struct json *j, const char *key, long long value);
void	 json_bool(struct json *j, const char *key, int value);
void	 json_null(struct json *j, const char *key);
/*
 * A tag's bare version: s when it is SemVer, else its SemVer part (a
 * tag of no known prefix), else null
 */
void	 json_version(struct json *j, const char *key, const char *s);
/* at most six decimals, trailing zeros dropped (0.25, 1, 0); <0: null */
void	 json_fraction(struct json *j, const char *key, double f);
/* seconds since the epoch as "2024-01-15T14:30:00Z"; <0: null */
void	 json_time(struct json *j, const char *key, int64_t t);
/* {"schema":1,"code":code,"message":message}: code from a fixed list */
void	 json_reason(struct json *j, const char *key, const char *code,
	    const char *message);
/* ["a","b"] */
void	 json_strlist(struct json *j, const char *key,
	    const struct strlist *l);
void	 json_print(struct json *j, FILE *fp);
/* the same into out */
void	 json_add_line(struct strbuf *out, struct json *j);
void	 json_release(struct json *j);

/* s as a JSON string, quotes included (NULL: null) */
void	 json_quote(struct strbuf *sb, const char *s);

#endif
