/*
 * Migrations between two releases: merging files and trailers, ordering
 * them newest first, and running the down command for each.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "migrate.h"
#include "spawn.h"
#include "banned.h"

static void
migration_release(struct migration *m)
{
	free(m->id);
	free(m->version);
	free(m->path);
	free(m->release);
}

void
migration_list_release(struct migration_list *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		migration_release(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->nr = l->alloc = 0;
}

char *
migration_leading_version(const char *name)
{
	size_t n = 0;

	while (isdigit((unsigned char)name[n]))
		n++;
	return xstrndup(name, n);
}

static const char *
skip_space(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

static size_t
token_len(const char *s, const char *stop)
{
	size_t n = 0;

	while (s[n] != '\0' && !isspace((unsigned char)s[n]) &&
	    strchr(stop, s[n]) == NULL)
		n++;
	return n;
}

int
migration_parse_trailer(char **id, char **version, const char *value)
{
	const char *s = skip_space(value), *paren;
	size_t n;

	*id = *version = NULL;
	n = token_len(s, "(");
	if (n == 0)
		return E_FATAL;
	*id = xstrndup(s, n);
	/* the seed's free form: "name (timestamp: 20240115120000)" */
	paren = strchr(s + n, '(');
	if (paren != NULL) {
		const char *d = paren + 1;

		while (*d != '\0' && *d != ')' && !isdigit((unsigned char)*d))
			d++;
		if (isdigit((unsigned char)*d))
			*version = migration_leading_version(d);
	}
	if (*version == NULL)
		*version = migration_leading_version(*id);
	return 0;
}

static struct migration *
add(struct migration_list *l)
{
	struct migration *m;

	ALLOC_GROW(l->items, l->nr, l->alloc);
	m = &l->items[l->nr++];
	memset(m, 0, sizeof(*m));
	return m;
}

void
migrations_add_file(struct migration_list *l, const char *path,
    const char *id, size_t order)
{
	struct migration *m;
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (l->items[i].path != NULL &&
		    strcmp(l->items[i].path, path) == 0)
			return;
	m = add(l);
	m->path = xstrdup(path);
	m->id = xstrdup(id);
	m->version = migration_leading_version(id);
	m->order = order;
}

/* is the trailer (id, version) the migration m? */
static int
same_migration(const struct migration *m, const char *id,
    const char *version)
{
	if (strcmp(m->id, id) == 0)
		return 1;
	if (m->path == NULL)
		return 0;
	return strstr(m->path, id) != NULL ||
	    (*version != '\0' && strstr(m->path, version) != NULL);
}

void
migrations_add_trailer(struct migration_list *l, const char *value,
    const char *release, size_t order)
{
	struct migration *m = NULL;
	char *id, *version;
	size_t i;

	if (migration_parse_trailer(&id, &version, value) < 0)
		return;
	for (i = 0; i < l->nr; i++)
		if (same_migration(&l->items[i], id, version)) {
			m = &l->items[i];
			break;
		}
	if (m == NULL) {
		m = add(l);
		m->id = id;
		m->version = version;
		m->order = order;
		m->release = release ? xstrdup(release) : NULL;
		return;
	}
	/* the file's name wins; the trailer may know the version */
	if (*m->version == '\0' && *version != '\0') {
		free(m->version);
		m->version = version;
		version = NULL;
	}
	if (release != NULL && (m->release == NULL || order < m->order)) {
		free(m->release);
		m->release = xstrdup(release);
		m->order = order;
	}
	free(id);
	free(version);
}

/* numbers of any length: without leading zeros, longer is larger */
static int
version_cmp(const char *a, const char *b)
{
	size_t la, lb;

	if (*a == '\0' || *b == '\0')
		return (*a != '\0') - (*b != '\0');
	while (*a == '0' && a[1] != '\0')
		a++;
	while (*b == '0' && b[1] != '\0')
		b++;
	la = strlen(a);
	lb = strlen(b);
	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(a, b);
}

static int
newest_first(const void *va, const void *vb)
{
	const struct migration *a = va, *b = vb;
	int c;

	if ((c = version_cmp(a->version, b->version)) != 0)
		return -c;
	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	return -strcmp(a->id, b->id);
}

void
migrations_sort(struct migration_list *l)
{
	if (l->nr > 1)
		qsort(l->items, l->nr, sizeof(*l->items), newest_first);
}

static void
list_ids(struct strbuf *sb, const struct migration_list *l, size_t from,
    size_t to)
{
	size_t i;

	for (i = from; i < to; i++)
		strbuf_addf(sb, "%s%s", i > from ? ", " : "", l->items[i].id);
	if (from >= to)
		strbuf_addstr(sb, "none");
}

int
migrations_run_down(size_t *ran, const struct migration_list *l,
    const char *cmd, const char *dir)
{
	struct strbuf done = STRBUF_INIT, left = STRBUF_INIT;
	size_t i;
	int rc = 0;

	*ran = 0;
	for (i = 0; i < l->nr; i++) {
		const struct migration *m = &l->items[i];
		char *env[3];

		env[0] = xstrfmt("MIGRATION_ID=%s", m->id);
		env[1] = xstrfmt("MIGRATION_VERSION=%s", m->version);
		env[2] = NULL;
		info("migrating down %s (%zu/%zu)", m->id, i + 1, l->nr);
		rc = run_shell(cmd, dir, (const char *const *)env);
		free(env[0]);
		free(env[1]);
		if (rc != 0)
			break;
		(*ran)++;
	}
	if (rc == 0)
		return 0;
	list_ids(&done, l, 0, *ran);
	list_ids(&left, l, *ran, l->nr);
	if (rc > 0)
		error("migration down command failed for '%s' (exit %d)",
		    l->items[*ran].id, rc);
	else
		error("migration down command could not run for '%s'",
		    l->items[*ran].id);
	hint("migrations undone: %s", done.buf);
	hint("migrations not undone: %s", left.buf);
	strbuf_release(&done);
	strbuf_release(&left);
	return E_REFUSED;
}
