/*
 * Components: declared in config, chosen per command, and the two
 * questions every command asks of one: is this log entry yours, is this
 * commit (or file) yours.
 */
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "component.h"
#include "config.h"
#include "repo.h"
#include "semver.h"
#include "banned.h"

#define SECTION		"release.component."

static int
cmp_component(const void *a, const void *b)
{
	return strcmp(((const struct component *)a)->name,
	    ((const struct component *)b)->name);
}

/* "release.component.<name>.<var>": add <name> once */
static void
add_name(struct strlist *names, const char *key)
{
	const char *name, *dot = strrchr(key, '.');
	char *n;

	if (strncmp(key, SECTION, strlen(SECTION)) != 0)
		return;
	name = key + strlen(SECTION);
	if (dot < name)
		return;
	n = xstrndup(name, (size_t)(dot - name));
	if (strlist_has(names, n))
		free(n);
	else
		strlist_add_nodup(names, n);
}

static void
declared_names(struct strlist *out, const struct config *cfg)
{
	git_config_iterator *it = NULL;
	git_config_entry *e;
	size_t i;

	/* no regex iterator: libgit2 1.5's leaks its pcre2 match data */
	if (cfg->snap != NULL) {
		if (git_config_iterator_new(&it, cfg->snap) == 0)
			while (git_config_next(&e, it) == 0)
				add_name(out, e->name);
		git_config_iterator_free(it);
		git_error_clear();
	}
	for (i = 0; i < cfg->keys.nr; i++)
		add_name(out, cfg->keys.items[i]);
}

static int
valid_name(const char *name)
{
	return *name != '\0' && strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == strlen(name);
}

static void
add_path(struct strlist *paths, const char *p)
{
	size_t len;

	while (p[0] == '.' && p[1] == '/')
		p += 2;
	while (*p == '/')
		p++;
	len = strlen(p);
	while (len > 0 && p[len - 1] == '/')
		len--;
	if (len == 0 || (len == 1 && p[0] == '.'))
		return;
	strlist_add_nodup(paths, xstrndup(p, len));
}

int
component_set_load(struct component_set *out, const struct config *cfg)
{
	struct strlist names = STRLIST_INIT, raw = STRLIST_INIT;
	size_t i, j;
	int ret = E_FATAL;

	declared_names(&names, cfg);
	for (i = 0; i < names.nr; i++) {
		const char *name = names.items[i];
		char *key = xstrfmt(SECTION "%s.tagPrefix", name);
		const char *prefix = config_get(cfg, key);
		struct component *c;

		free(key);
		if (!valid_name(name)) {
			error_fatal("'%s' is not a valid component name",
			    name);
			goto out;
		}
		if (prefix == NULL || *prefix == '\0') {
			error_fatal("component '%s' has no tag prefix", name);
			hint("set it: git config " SECTION "%s.tagPrefix "
			    "%s/v", name, name);
			goto out;
		}
		ALLOC_GROW(out->items, out->nr, out->alloc);
		c = &out->items[out->nr++];
		memset(c, 0, sizeof(*c));
		c->name = xstrdup(name);
		c->tag_prefix = xstrdup(prefix);
		key = xstrfmt(SECTION "%s.path", name);
		config_get_all(&raw, cfg, key);
		free(key);
		for (j = 0; j < raw.nr; j++)
			add_path(&c->paths, raw.items[j]);
		strlist_release(&raw);
	}
	if (out->nr > 1)
		qsort(out->items, out->nr, sizeof(*out->items),
		    cmp_component);
	for (i = 0; i < out->nr; i++)
		for (j = i + 1; j < out->nr; j++)
			if (strcmp(out->items[i].tag_prefix,
			    out->items[j].tag_prefix) == 0) {
				error_fatal("components '%s' and '%s' share "
				    "the tag prefix '%s'", out->items[i].name,
				    out->items[j].name,
				    out->items[i].tag_prefix);
				goto out;
			}
	ret = 0;
out:
	strlist_release(&names);
	return ret;
}

void
component_set_release(struct component_set *set)
{
	size_t i;

	for (i = 0; i < set->nr; i++) {
		free(set->items[i].name);
		free(set->items[i].tag_prefix);
		strlist_release(&set->items[i].paths);
	}
	free(set->items);
	set->items = NULL;
	set->nr = set->alloc = 0;
}

const struct component *
component_find(const struct component_set *set, const char *name)
{
	size_t i;

	for (i = 0; i < set->nr; i++)
		if (strcmp(set->items[i].name, name) == 0)
			return &set->items[i];
	return NULL;
}

static int
is_release_of(const char *tag, const char *prefix)
{
	struct semver v;
	size_t plen = strlen(prefix);

	return strncmp(tag, prefix, plen) == 0 &&
	    semver_parse(&v, tag + plen) == 0;
}

size_t
component_tag_prefix_len(const char *tag)
{
	struct semver v;
	size_t i, len = strlen(tag);

	for (i = 0; i < len; i++)
		if (semver_parse(&v, tag + i) == 0)
			return i;
	return len;
}

const struct component *
component_for_tag(const struct component_set *set, const char *tag)
{
	size_t i;

	if (strncmp(tag, "refs/tags/", 10) == 0)
		tag += 10;
	for (i = 0; i < set->nr; i++)
		if (is_release_of(tag, set->items[i].tag_prefix))
			return &set->items[i];
	return NULL;
}

const char *
component_tag_version(const struct ctx *ctx, const char *tag)
{
	const struct component *c;
	const char *p;

	if (tag == NULL)
		return NULL;
	c = component_for_tag(&ctx->set.components, tag);
	p = c != NULL ? c->tag_prefix : ctx->set.default_tag_prefix;
	if (p != NULL && strncmp(tag, p, strlen(p)) == 0)
		return tag + strlen(p);
	return tag;
}

const char *
component_tag_component(const struct ctx *ctx, const char *tag,
    const char *recorded)
{
	const struct component *c;

	if (recorded != NULL || tag == NULL)
		return recorded;
	c = component_for_tag(&ctx->set.components, tag);
	return c != NULL ? c->name : NULL;
}

void
component_use(struct ctx *ctx, const struct component *c)
{
	ctx->set.component = c;
	ctx->set.tag_prefix = c != NULL ? c->tag_prefix :
	    ctx->set.default_tag_prefix;
}

static void
list_components(const struct component_set *set)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < set->nr; i++)
		strbuf_addf(&sb, "%s%s (%s)", i ? ", " : "",
		    set->items[i].name, set->items[i].tag_prefix);
	hint("components: %s", sb.buf);
	strbuf_release(&sb);
}

int
component_select(struct ctx *ctx, const char *name, const char *tag,
    int flags)
{
	const struct component_set *set = &ctx->set.components;
	const struct component *named = NULL, *implied = NULL;

	if (set->nr == 0) {
		if (name == NULL)
			return 0;
		error_fatal("unknown component '%s': no component is "
		    "declared", name);
		hint("declare it: git config " SECTION "%s.tagPrefix %s/v",
		    name, name);
		return E_FATAL;
	}
	if (name != NULL && (named = component_find(set, name)) == NULL) {
		error_fatal("unknown component '%s'", name);
		list_components(set);
		return E_FATAL;
	}
	if (tag != NULL)
		implied = component_for_tag(set, tag);
	if (named != NULL && implied != NULL && named != implied) {
		error("'%s' is a release of component '%s', not '%s'", tag,
		    implied->name, named->name);
		return E_USAGE;
	}
	if (named == NULL)
		named = implied;
	if (named == NULL && (flags & COMPONENT_NEEDED)) {
		if (tag != NULL)
			error("'%s' is a release of no component: say which "
			    "with --component", tag);
		else
			error("which component? give --component <name>");
		list_components(set);
		return E_USAGE;
	}
	component_use(ctx, named);
	return 0;
}

int
component_owns_entry(const struct ctx *ctx, const char *tag,
    const char *component)
{
	const struct component *c = ctx->set.component;

	if (!is_release_of(tag, ctx->set.tag_prefix))
		return 0;
	return component == NULL || c == NULL ||
	    strcmp(component, c->name) == 0;
}

/* the id of what lies at path in tree, or zero when nothing does */
static void
entry_at(git_oid *out, git_tree *tree, const char *path)
{
	git_tree_entry *te = NULL;

	memset(out, 0, sizeof(*out));
	if (tree != NULL && git_tree_entry_bypath(&te, tree, path) == 0)
		git_oid_cpy(out, git_tree_entry_id(te));
	else
		git_error_clear();
	git_tree_entry_free(te);
}

int
component_touches(int *out, struct ctx *ctx, git_commit *commit)
{
	const struct component *c = ctx->set.component;
	git_tree *tree = NULL, *ptree = NULL;
	git_commit *parent = NULL;
	size_t i;
	int ret = E_FATAL;

	*out = 1;
	if (c == NULL || c->paths.nr == 0)
		return 0;
	*out = 0;
	if (git_commit_tree(&tree, commit) < 0 ||
	    (git_commit_parentcount(commit) > 0 &&
	    (git_commit_parent(&parent, commit, 0) < 0 ||
	    git_commit_tree(&ptree, parent) < 0))) {
		error_git(E_FATAL, "cannot read commit %s",
		    git_oid_tostr_s(git_commit_id(commit)));
		goto out;
	}
	for (i = 0; i < c->paths.nr && !*out; i++) {
		git_oid a, b;

		entry_at(&a, tree, c->paths.items[i]);
		entry_at(&b, ptree, c->paths.items[i]);
		*out = !git_oid_equal(&a, &b);
	}
	ret = 0;
out:
	git_tree_free(tree);
	git_tree_free(ptree);
	git_commit_free(parent);
	return ret;
}

int
component_any_commit(int *out, struct ctx *ctx, const git_oid *from,
    const git_oid *to)
{
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	git_oid id;
	int ret = E_FATAL, rc = 0;

	*out = 0;
	if (git_revwalk_new(&walk, ctx->repo) < 0 ||
	    git_revwalk_push(walk, to) < 0 ||
	    (from != NULL && git_revwalk_hide(walk, from) < 0)) {
		error_git(E_FATAL, "cannot walk the history");
		goto out;
	}
	while (!*out && (rc = git_revwalk_next(&id, walk)) == 0) {
		if (git_commit_lookup(&c, ctx->repo, &id) < 0) {
			error_git(E_FATAL, "cannot read commit %s",
			    git_oid_tostr_s(&id));
			goto out;
		}
		rc = component_touches(out, ctx, c);
		git_commit_free(c);
		c = NULL;
		if (rc < 0)
			goto out;
	}
	if (rc < 0 && rc != GIT_ITEROVER) {
		error_git(E_FATAL, "cannot walk the history");
		goto out;
	}
	git_error_clear();
	ret = 0;
out:
	git_revwalk_free(walk);
	return ret;
}

int
component_has_path(const struct ctx *ctx, const char *path, const char **rel)
{
	const struct component *c = ctx->set.component;
	size_t i;

	*rel = path;
	if (c == NULL || c->paths.nr == 0)
		return 1;
	for (i = 0; i < c->paths.nr; i++) {
		const char *p = c->paths.items[i];
		size_t len = strlen(p);

		if (strncmp(path, p, len) != 0)
			continue;
		if (path[len] == '\0')
			return 1;	/* the path is a file */
		if (path[len] == '/') {
			*rel = path + len + 1;
			return 1;
		}
	}
	return 0;
}
