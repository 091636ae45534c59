/*
 * Migrations between two releases: merging files and trailers, ordering
 * them newest first, and running the down command for each.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>
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
		char *env[4];

		env[0] = xstrfmt("MIGRATION_ID=%s", m->id);
		env[1] = xstrfmt("MIGRATION_VERSION=%s", m->version);
		env[2] = xstrfmt("MIGRATION_TREE=%s", dir);
		env[3] = NULL;
		info("migrating down %s (%zu/%zu)", m->id, i + 1, l->nr);
		rc = run_shell(cmd, dir, (const char *const *)env);
		free(env[0]);
		free(env[1]);
		free(env[2]);
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

/* does this worktree's HEAD hold commit's tree? */
static int
head_holds(struct ctx *ctx, const git_oid *commit)
{
	git_commit *head = NULL, *c = NULL;
	git_oid id;
	int yes = 0;

	if (git_repository_is_bare(ctx->repo) ||
	    git_reference_name_to_id(&id, ctx->repo, "HEAD") < 0 ||
	    git_commit_lookup(&head, ctx->repo, &id) < 0 ||
	    git_commit_lookup(&c, ctx->repo, commit) < 0)
		git_error_clear();
	else
		yes = git_oid_equal(git_commit_tree_id(head),
		    git_commit_tree_id(c));
	git_commit_free(head);
	git_commit_free(c);
	return yes;
}

int
migration_tree_prepare(struct migration_tree *out, struct ctx *ctx,
    const git_oid *commit)
{
	const char *tmpdir = getenv("TMPDIR");
	char hex[GIT_OID_HEXSZ + 1];
	char *tmpl;
	size_t len;

	out->dir = out->tmp = NULL;
	if (head_holds(ctx, commit)) {
		out->dir = xstrdup(git_repository_workdir(ctx->repo));
		len = strlen(out->dir);
		if (len > 1 && out->dir[len - 1] == '/')
			out->dir[len - 1] = '\0';
		return 0;
	}
	if (tmpdir == NULL || *tmpdir == '\0')
		tmpdir = "/tmp";
	tmpl = xstrfmt("%s/git-rollback-XXXXXX", tmpdir);
	if (mkdtemp(tmpl) == NULL) {
		error("cannot make a temporary directory in '%s': %s", tmpdir,
		    strerror(errno));
		free(tmpl);
		return E_FATAL;
	}
	out->tmp = tmpl;
	out->dir = xstrfmt("%s/tree", tmpl);
	git_oid_tostr(hex, sizeof(hex), commit);
	{
		const char *args[] = { "worktree", "add", "--quiet",
		    "--detach", out->dir, hex, NULL };

		if (run_git(NULL, args) != 0) {
			error("cannot check %.7s out in a temporary worktree "
			    "for the down commands", hex);
			migration_tree_remove(out);
			return E_FATAL;
		}
	}
	info("down commands run in a temporary worktree of %.7s: %s", hex,
	    out->dir);
	return 0;
}

void
migration_tree_remove(struct migration_tree *t)
{
	if (t->tmp != NULL) {
		const char *rm[] = { "worktree", "remove", "--force", t->dir,
		    NULL };
		const char *prune[] = { "worktree", "prune", NULL };

		if (run_git(NULL, rm) != 0) {
			warning("cannot remove the temporary worktree '%s'",
			    t->dir);
			run_git_quiet(NULL, prune);
		}
		if (rmdir(t->tmp) < 0)
			warning("cannot remove '%s': %s", t->tmp,
			    strerror(errno));
	}
	free(t->dir);
	free(t->tmp);
	t->dir = t->tmp = NULL;
}
