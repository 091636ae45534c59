/*
 * The strbuf and the few allocation wrappers every file uses.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "strbuf.h"
#include "banned.h"

char strbuf_empty[1];

static void
oom(void)
{
	fputs("fatal: out of memory\n", stderr);
	exit(128);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t nmemb, size_t n)
{
	void *p = calloc(nmemb ? nmemb : 1, n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xreallocarray(void *p, size_t nmemb, size_t n)
{
	p = reallocarray(p, nmemb ? nmemb : 1, n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		oom();
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (p == NULL)
		oom();
	return p;
}

char *
xstrfmt(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	return strbuf_detach(&sb, NULL);
}

void
strbuf_init(struct strbuf *sb)
{
	sb->buf = strbuf_empty;
	sb->len = sb->alloc = 0;
}

void
strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb);
}

char *
strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *p;

	if (len != NULL)
		*len = sb->len;
	p = sb->alloc ? sb->buf : xstrdup("");
	strbuf_init(sb);
	return p;
}

void
strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t want = sb->len + extra + 1;

	if (want <= sb->alloc)
		return;
	if (want < sb->alloc * 2)
		want = sb->alloc * 2;
	if (want < 64)
		want = 64;
	if (sb->alloc == 0) {
		sb->buf = xmalloc(want);
		sb->buf[0] = '\0';
	} else
		sb->buf = xreallocarray(sb->buf, want, 1);
	sb->alloc = want;
}

void
strbuf_setlen(struct strbuf *sb, size_t len)
{
	if (sb->alloc == 0)
		return;
	sb->len = len;
	sb->buf[len] = '\0';
}

void
strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	if (len == 0)
		return;
	strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void
strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void
strbuf_addch(struct strbuf *sb, int c)
{
	char ch = (char)c;

	strbuf_add(sb, &ch, 1);
}

void
strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	/* once into the room there is; again only when it was too small */
	strbuf_grow(sb, 64);
	va_copy(cp, ap);
	n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, cp);
	va_end(cp);
	if (n < 0) {
		sb->buf[sb->len] = '\0';
		return;
	}
	if ((size_t)n >= sb->alloc - sb->len) {
		strbuf_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	}
	sb->len += (size_t)n;
}

void
strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

void
strbuf_rtrim(struct strbuf *sb)
{
	while (sb->len > 0 && (sb->buf[sb->len - 1] == '\n' ||
	    sb->buf[sb->len - 1] == ' ' || sb->buf[sb->len - 1] == '\t' ||
	    sb->buf[sb->len - 1] == '\r'))
		sb->len--;
	if (sb->alloc)
		sb->buf[sb->len] = '\0';
}

int
strbuf_read_fd(struct strbuf *sb, int fd)
{
	char tmp[8192];
	ssize_t n;

	for (;;) {
		n = read(fd, tmp, sizeof(tmp));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		strbuf_add(sb, tmp, (size_t)n);
	}
}

int
strbuf_read_file(struct strbuf *sb, const char *path)
{
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	rc = strbuf_read_fd(sb, fd);
	close(fd);
	return rc;
}

/*
 * text into a new temporary file beside path, fsync'ed when durable,
 * renamed over path; 0, or -1 with errno set and nothing left behind
 */
static int
replace_file(const char *path, const char *text, size_t len, int durable)
{
	char *tmp = xstrfmt("%s.XXXXXX", path);
	size_t done = 0;
	ssize_t n;
	int fd, rc = 0, err = 0;

	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		err = errno;
		free(tmp);
		errno = err;
		return -1;
	}
	while (rc == 0 && done < len) {
		n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = errno, rc = -1;
		else
			done += (size_t)n;
	}
	/* mkstemp makes 0600; state files are read like git's, 0644 */
	if (rc == 0 && fchmod(fd, 0644) < 0)
		err = errno, rc = -1;
	if (rc == 0 && durable && fsync(fd) < 0)
		err = errno, rc = -1;
	if (close(fd) < 0 && rc == 0)
		err = errno, rc = -1;
	if (rc == 0 && rename(tmp, path) < 0)
		err = errno, rc = -1;
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	errno = err;
	return rc;
}

int
write_file_atomic(const char *path, const char *text, size_t len)
{
	if (replace_file(path, text, len, 1) < 0)
		return error_fatal("cannot write '%s': %s", path,
		    strerror(errno));
	return 0;
}

int
write_cache_file(const char *path, const char *text, size_t len)
{
	return replace_file(path, text, len, 0);
}

int
str_blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

void
strbuf_add_shquoted(struct strbuf *sb, const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) &&
		    strchr("_-./:=@%+,", *p) == NULL)
			break;
	if (*s != '\0' && *p == '\0') {
		strbuf_addstr(sb, s);
		return;
	}
	strbuf_addch(sb, '\'');
	for (p = s; *p != '\0'; p++)
		if (*p == '\'')
			strbuf_addstr(sb, "'\\''");
		else
			strbuf_addch(sb, *p);
	strbuf_addch(sb, '\'');
}

void
strbuf_add_json(struct strbuf *sb, const char *s)
{
	json_quote(sb, s);
}

void
strlist_add_nodup(struct strlist *l, char *s)
{
	if (l->nr + 1 >= l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 8;
		l->items = xreallocarray(l->items, l->alloc, sizeof(*l->items));
	}
	l->items[l->nr++] = s;
	l->items[l->nr] = NULL;
}

void
strlist_add(struct strlist *l, const char *s)
{
	strlist_add_nodup(l, xstrdup(s));
}

int
strlist_has(const struct strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (strcmp(l->items[i], s) == 0)
			return 1;
	return 0;
}

void
strlist_release(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->nr = l->alloc = 0;
}

void
strbuf_add_json_list(struct strbuf *sb, const struct strlist *l)
{
	size_t i;

	strbuf_addch(sb, '[');
	for (i = 0; i < l->nr; i++) {
		if (i > 0)
			strbuf_addch(sb, ',');
		strbuf_add_json(sb, l->items[i]);
	}
	strbuf_addch(sb, ']');
}

int
kv_next(char **cursor, char **key, char **value)
{
	char *line, *next, *sp;

	for (line = *cursor; *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if ((sp = strchr(line, ' ')) == NULL)
			continue;
		*sp = '\0';
		*key = line;
		*value = sp + 1;
		*cursor = next;
		return 1;
	}
	*cursor = line;
	return 0;
}
