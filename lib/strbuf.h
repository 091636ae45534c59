/*
 * A growable string.  buf is never NULL and always NUL-terminated, so a
 * fresh STRBUF_INIT can be printed at once.
 */
#ifndef LIB_STRBUF_H
#define LIB_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "err.h"

struct strbuf {
	char	*buf;
	size_t	 len;
	size_t	 alloc;
};

extern char strbuf_empty[];
#define STRBUF_INIT { strbuf_empty, 0, 0 }

void	 strbuf_init(struct strbuf *sb);
void	 strbuf_release(struct strbuf *sb);
char	*strbuf_detach(struct strbuf *sb, size_t *len);
void	 strbuf_grow(struct strbuf *sb, size_t extra);
void	 strbuf_setlen(struct strbuf *sb, size_t len);
#define	 strbuf_reset(sb) strbuf_setlen((sb), 0)
void	 strbuf_add(struct strbuf *sb, const void *data, size_t len);
void	 strbuf_addstr(struct strbuf *sb, const char *s);
void	 strbuf_addch(struct strbuf *sb, int c);
void	 strbuf_addf(struct strbuf *sb, const char *fmt, ...) PRINTF_LIKE(2, 3);
void	 strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
void	 strbuf_rtrim(struct strbuf *sb);
int	 strbuf_read_fd(struct strbuf *sb, int fd);
/* 1 when s is empty or only white space (a reason that says nothing) */
int	 str_blank(const char *s);
/* s as one word for sh: as is when plainly safe, else single-quoted */
void	 strbuf_add_shquoted(struct strbuf *sb, const char *s);
/*
 * s as a JSON string, quotes included; NULL is added as null.  Always
 * valid JSON and UTF-8: each byte that is not part of a well-formed
 * UTF-8 sequence is written as \udcXX (XX its value), as json_quote does.
 */
void	 strbuf_add_json(struct strbuf *sb, const char *s);
int	 strbuf_read_file(struct strbuf *sb, const char *path);
/*
 * Write path whole or not at all, against a killed process and a crash
 * of the machine: a fresh temporary file beside it (mkstemp, so two
 * writers never share one), its data fsync'ed, then renamed over path.
 * A killed writer may leave "<path>.XXXXXX" behind, never a short path.
 * E_FATAL, said, on error.
 */
int	 write_file_atomic(const char *path, const char *text, size_t len);
/*
 * A cache beside the record, whole or not at all as write_file_atomic
 * but neither fsync'ed nor said: a cache that cannot be written (a
 * read-only repository) only makes the next command slower.  0 or -1.
 */
int	 write_cache_file(const char *path, const char *text, size_t len);

/* NULL-terminated list of owned strings */
struct strlist {
	char	**items;
	size_t	  nr;
	size_t	  alloc;
};
#define STRLIST_INIT { NULL, 0, 0 }

void	 strlist_add(struct strlist *l, const char *s);
void	 strlist_add_nodup(struct strlist *l, char *s);
int	 strlist_has(const struct strlist *l, const char *s);
void	 strlist_release(struct strlist *l);

/*
 * The state files' "key value" lines: split the next line of the
 * mutable text at *cursor in place; lines without a space are skipped.
 * 1 with *key and *value set, 0 at the end.
 */
int	 kv_next(char **cursor, char **key, char **value);

/* ["a","b"] */
void	 strbuf_add_json_list(struct strbuf *sb, const struct strlist *l);

/* xmalloc and friends: out of memory is the one place lib/ may exit */
void	*xmalloc(size_t n);
void	*xcalloc(size_t nmemb, size_t n);
void	*xreallocarray(void *p, size_t nmemb, size_t n);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);
char	*xstrfmt(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* grow an array of *nr elements to hold one more */
#define ALLOC_GROW(p, nr, alloc) do {					\
	if ((nr) >= (alloc)) {						\
		(alloc) = (alloc) ? (alloc) * 2 : 16;			\
		(p) = xreallocarray((p), (alloc), sizeof(*(p)));	\
	}								\
} while (0)

#endif
