/*
 * What changed between two commits that matters when releasing or
 * rolling back: migrations and configuration.  The changed paths first,
 * by a walk that skips every subtree both sides share (treediff.h), then
 * a tree-to-tree diff of the few that are migrations or configuration;
 * no worktree, no rename detection (a moved migration is a new one).
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "changes.h"
#include "component.h"
#include "treediff.h"
#include "banned.h"

/*
 * Does path lie under pattern?  A pattern is a directory with its
 * trailing slash, compared component by component; a component may hold
 * fnmatch wildcards, so "* /migrations/" (without the space) matches
 * "app/migrations/0001_initial.py" but not "a/b/migrations/x" nor
 * "migrations/x".
 */
static int
under_one(const char *path, const char *pattern)
{
	char comp[256], pcomp[256];

	while (*pattern != '\0') {
		const char *pe = strchr(pattern, '/');
		const char *se = strchr(path, '/');
		size_t pl, sl;

		if (pe == NULL)		/* a pattern without a final slash */
			pe = pattern + strlen(pattern);
		if (se == NULL)		/* the file itself: not a directory */
			return 0;
		pl = (size_t)(pe - pattern);
		sl = (size_t)(se - path);
		if (pl >= sizeof(pcomp) || sl >= sizeof(comp))
			return 0;
		memcpy(pcomp, pattern, pl);
		pcomp[pl] = '\0';
		memcpy(comp, path, sl);
		comp[sl] = '\0';
		if (fnmatch(pcomp, comp, FNM_PERIOD) != 0)
			return 0;
		path = se + 1;
		pattern = *pe == '/' ? pe + 1 : pe;
	}
	return *path != '\0';
}

int
path_under(const char *path, const struct strlist *patterns)
{
	size_t i;

	for (i = 0; i < patterns->nr; i++)
		if (under_one(path, patterns->items[i]))
			return 1;
	return 0;
}

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

static int
ends_with(const char *s, size_t len, const char *suffix)
{
	size_t sl = strlen(suffix);

	return len >= sl && memcmp(s + len - sl, suffix, sl) == 0;
}

/*
 * The file name without its extension.  Two layouts name the migration
 * elsewhere: golang-migrate's "<id>.up.sql" (the ".up" goes too) and
 * Prisma's "<id>/migration.sql" (the directory is the id).
 */
char *
migration_id(const char *path)
{
	const char *base = base_name(path), *dot = strrchr(base, '.');
	size_t len = dot != NULL && dot != base ? (size_t)(dot - base) :
	    strlen(base);

	if (len == 9 && strncmp(base, "migration", 9) == 0 && base != path) {
		const char *end = base - 1, *start = end;

		while (start > path && start[-1] != '/')
			start--;
		if (end > start)
			return xstrndup(start, (size_t)(end - start));
	}
	if (ends_with(base, len, ".up"))
		len -= 3;
	return xstrndup(base, len);
}

/*
 * Files that live beside migrations without being one: package markers,
 * lock files, dot files, the down half of an up/down pair.
 */
static int
is_migration_file(const char *path)
{
	const char *base = base_name(path);

	return base[0] != '.' && strcmp(base, "__init__.py") != 0 &&
	    strcmp(base, "migration_lock.toml") != 0 &&
	    strstr(path, "__pycache__/") == NULL &&
	    strstr(base, ".down.") == NULL;
}

/* "0001_initial", "20240115120000_users", Flyway's "V4__seed" */
static int
versioned_name(const char *path)
{
	char *id = migration_id(path);
	const char *p = id;
	int yes;

	if (*p == 'V')
		p++;
	yes = isdigit((unsigned char)*p);
	free(id);
	return yes;
}

/*
 * Is path a migration?  Under a configured directory, every file that
 * is not a marker is; under the default wildcard "* /migrations/" only
 * a file named like one (a version number first), because that pattern
 * also catches documentation such as docs/migrations/upgrading.md.
 */
static int
migration_path(const char *path, const struct settings *set)
{
	size_t i;

	if (!is_migration_file(path))
		return 0;
	for (i = 0; i < set->migration_paths.nr; i++) {
		const char *pat = set->migration_paths.items[i];

		if (!under_one(path, pat))
			continue;
		if (!set->migration_paths_default || strchr(pat, '*') == NULL ||
		    versioned_name(path))
			return 1;
	}
	return 0;
}

static char
status_letter(git_delta_t s)
{
	switch (s) {
	case GIT_DELTA_ADDED:		return 'A';
	case GIT_DELTA_DELETED:		return 'D';
	case GIT_DELTA_RENAMED:		return 'R';
	case GIT_DELTA_TYPECHANGE:	return 'T';
	default:			return 'M';
	}
}

/* " M config/app.yml | 3 +-", the graph cut to 40 columns as git does */
static int
stat_line(struct strbuf *out, git_diff *diff, size_t idx,
    const git_diff_delta *d, const char *path)
{
	git_patch *patch = NULL;
	size_t adds = 0, dels = 0, total, width, i;
	size_t plus, minus;

	if (git_patch_from_diff(&patch, diff, idx) < 0)
		return error_git(E_FATAL, "cannot diff '%s'", path);
	strbuf_addf(out, " %c %s | ", status_letter(d->status), path);
	if (patch != NULL && (git_patch_get_delta(patch)->flags &
	    GIT_DIFF_FLAG_BINARY)) {
		strbuf_addstr(out, "Bin");
		git_patch_free(patch);
		return 0;
	}
	if (patch != NULL)
		git_patch_line_stats(NULL, &adds, &dels, patch);
	git_patch_free(patch);
	total = adds + dels;
	strbuf_addf(out, "%zu", total);
	width = total > 40 ? 40 : total;
	plus = total ? adds * width / total : 0;
	minus = total ? width - plus : 0;
	if (adds && !plus)
		plus = 1, minus = width > 1 ? width - 1 : 0;
	if (dels && !minus && width > 1)
		minus = 1, plus = width - 1;
	if (total)
		strbuf_addch(out, ' ');
	for (i = 0; i < plus; i++)
		strbuf_addch(out, '+');
	for (i = 0; i < minus; i++)
		strbuf_addch(out, '-');
	return 0;
}

static int
tree_of(git_tree **out, git_repository *repo, const git_oid *commit)
{
	git_commit *c = NULL;
	int rc;

	*out = NULL;
	if (commit == NULL)
		return 0;
	if ((rc = git_commit_lookup(&c, repo, commit)) == 0)
		rc = git_commit_tree(out, c);
	git_commit_free(c);
	if (rc < 0)
		return error_git(E_FATAL, "cannot read commit %s",
		    git_oid_tostr_s(commit));
	return 0;
}

/* a changed path the trailers look at: a migration or a config file */
static int
interesting(struct ctx *ctx, const char *path)
{
	const char *rel;

	if (!component_has_path(ctx, path, &rel))
		return 0;
	return migration_path(path, &ctx->set) ||
	    migration_path(rel, &ctx->set) ||
	    path_under(path, &ctx->set.config_paths) ||
	    path_under(rel, &ctx->set.config_paths);
}

/* the deltas of the paths in wanted alone, a stat line per config file */
static int
classify(struct changes *out, struct ctx *ctx, git_tree *a, git_tree *b,
    const struct strlist *wanted)
{
	git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
	git_diff *diff = NULL;
	struct strbuf line = STRBUF_INIT;
	size_t i, n;
	int ret = E_FATAL;

	opts.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	opts.pathspec.strings = wanted->items;
	opts.pathspec.count = wanted->nr;
	if (git_diff_tree_to_tree(&diff, ctx->repo, a, b, &opts) < 0) {
		error_git(E_FATAL, "cannot diff the trees");
		goto out;
	}
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *path = d->status == GIT_DELTA_DELETED ?
		    d->old_file.path : d->new_file.path, *rel;

		/*
		 * A component's files only; its migrations and config may
		 * sit under the paths from the top or from its directory.
		 */
		if (!component_has_path(ctx, path, &rel))
			continue;
		if (migration_path(path, &ctx->set) ||
		    migration_path(rel, &ctx->set)) {
			if (d->status == GIT_DELTA_ADDED)
				strlist_add(&out->migrations_added, path);
			else if (d->status == GIT_DELTA_MODIFIED)
				strlist_add(&out->migrations_modified, path);
		}
		if (path_under(path, &ctx->set.config_paths) ||
		    path_under(rel, &ctx->set.config_paths)) {
			strlist_add(&out->config_changed, path);
			strbuf_reset(&line);
			if (stat_line(&line, diff, i, d, path) < 0)
				goto out;
			strlist_add(&out->config_stat, line.buf);
		}
	}
	ret = 0;
out:
	strbuf_release(&line);
	git_diff_free(diff);
	return ret;
}

int
changes_between(struct changes *out, struct ctx *ctx, const git_oid *from,
    const git_oid *to)
{
	git_tree *a = NULL, *b = NULL;
	struct strlist changed = STRLIST_INIT, wanted = STRLIST_INIT;
	size_t i;
	int ret = E_FATAL;

	if (tree_of(&a, ctx->repo, from) < 0 || tree_of(&b, ctx->repo, to) < 0)
		goto out;
	if (tree_changed_paths(&changed, ctx->repo,
	    a != NULL ? git_tree_id(a) : NULL,
	    b != NULL ? git_tree_id(b) : NULL) < 0) {
		error_git(E_FATAL, "cannot diff the trees");
		goto out;
	}
	for (i = 0; i < changed.nr; i++)
		if (interesting(ctx, changed.items[i]))
			strlist_add(&wanted, changed.items[i]);
	ret = wanted.nr > 0 ? classify(out, ctx, a, b, &wanted) : 0;
out:
	strlist_release(&changed);
	strlist_release(&wanted);
	git_tree_free(a);
	git_tree_free(b);
	return ret;
}

void
changes_release(struct changes *c)
{
	strlist_release(&c->migrations_added);
	strlist_release(&c->migrations_modified);
	strlist_release(&c->config_changed);
	strlist_release(&c->config_stat);
}
