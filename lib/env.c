/*
 * Which environments exist.  A name nobody configured and nobody ever
 * deployed to is a typo until proved otherwise: "git release deploy
 * v1.1.0 --env prodution" must not record a deployment that never
 * happened, so every --env is checked here, reads included, and a new
 * environment is declared explicitly (deploy --new-env).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "component.h"
#include "deploylog.h"
#include "env.h"
#include "hook.h"
#include "release.h"
#include "banned.h"

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* deploy_env_check() without a word: a bad key is no environment */
static int
env_valid(const char *env)
{
	char *ref;
	int valid = 0;

	if (*env == '\0' || *env == '-' || strchr(env, '/') != NULL)
		return 0;
	ref = xstrfmt(DEPLOY_LOG_PREFIX "%s", env);
	if (git_reference_name_is_valid(&valid, ref) < 0) {
		git_error_clear();
		valid = 0;
	}
	free(ref);
	return valid;
}

/* add env to out unless it is there or is no valid name */
static void
add_env(struct strlist *out, const char *env)
{
	if (env_valid(env) && !strlist_has(out, env))
		strlist_add(out, env);
}

/* the environments of the log refs directly under dir */
static int
add_logs(struct strlist *out, struct ctx *ctx, const char *dir)
{
	struct strlist refs = STRLIST_INIT;
	size_t i, len = strlen(dir);
	int rc;

	if ((rc = release_refs_under(&refs, ctx, dir)) < 0)
		return rc;
	for (i = 0; i < refs.nr; i++)
		add_env(out, refs.items[i] + len);
	strlist_release(&refs);
	return 0;
}

int
env_known(struct strlist *out, struct ctx *ctx)
{
	struct strlist subs = STRLIST_INIT;
	char *tracking;
	size_t i;
	int rc;

	add_env(out, DEFAULT_ENV);
	config_subsections(&subs, &ctx->cfg, "deploy");
	for (i = 0; i < subs.nr; i++)
		add_env(out, subs.items[i]);
	strlist_release(&subs);
	tracking = xstrfmt(DEPLOY_TRACKING_PREFIX "%s/log/", ctx->set.remote);
	rc = add_logs(out, ctx, DEPLOY_LOG_PREFIX);
	if (rc == 0)
		rc = add_logs(out, ctx, tracking);
	free(tracking);
	if (rc < 0)
		return rc;
	qsort(out->items, out->nr, sizeof(*out->items), name_cmp);
	return 0;
}

size_t
env_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d;
	size_t *row0, *row1, *row2, *t;

	/* three rows: the one before the previous for transpositions */
	row0 = xcalloc(lb + 1, sizeof(*row0));
	row1 = xcalloc(lb + 1, sizeof(*row1));
	row2 = xcalloc(lb + 1, sizeof(*row2));
	for (j = 0; j <= lb; j++)
		row1[j] = j;
	for (i = 1; i <= la; i++) {
		row2[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];

			d = row1[j - 1] + cost;
			if (row1[j] + 1 < d)
				d = row1[j] + 1;
			if (row2[j - 1] + 1 < d)
				d = row2[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && row0[j - 2] + 1 < d)
				d = row0[j - 2] + 1;
			row2[j] = d;
		}
		t = row0;
		row0 = row1;
		row1 = row2;
		row2 = t;
	}
	d = row1[lb];
	free(row0);
	free(row1);
	free(row2);
	return d;
}

/* the closest known name, when close enough to be the one meant */
static const char *
closest(const struct strlist *known, const char *env)
{
	const char *best = NULL;
	size_t i, bestd = (size_t)-1, len = strlen(env);
	/* as git's help.autocorrect: about a third of the word may differ */
	size_t limit = len < 4 ? 1 : len / 3 + 1;

	for (i = 0; i < known->nr; i++) {
		size_t d = env_distance(env, known->items[i]);

		if (d < bestd) {
			bestd = d;
			best = known->items[i];
		}
	}
	return bestd <= limit ? best : NULL;
}

int
env_require(struct ctx *ctx, const char *env, unsigned flags)
{
	struct strlist known = STRLIST_INIT;
	struct strbuf list = STRBUF_INIT;
	const char *near;
	size_t i;
	int rc;

	if ((rc = deploy_env_check(env)) < 0)
		return rc;
	if ((rc = env_known(&known, ctx)) < 0)
		goto out;
	if (strlist_has(&known, env) || (flags & ENV_ALLOW_NEW)) {
		rc = 0;
		goto out;
	}
	rc = error_fatal("unknown environment '%s'", env);
	if ((near = closest(&known, env)) != NULL)
		hint("did you mean '%s'?", near);
	for (i = 0; i < known.nr; i++)
		strbuf_addf(&list, "%s%s", i ? ", " : "", known.items[i]);
	hint("known environments: %s", list.buf);
	hint("declare a new one with \"git config deploy.%s.command "
	    "<hook>\" or by its first deployment with --new-env", env);
out:
	strbuf_release(&list);
	strlist_release(&known);
	return rc;
}

char *
env_branch_key(const char *env)
{
	return xstrfmt("deploy.%s.branch", env);
}

const char *
env_branch(struct ctx *ctx, const char *env)
{
	char *key = env_branch_key(env);
	const char *b = config_get(&ctx->cfg, key);

	free(key);
	if (b != NULL && *b == '\0')
		b = NULL;
	if (b == NULL && strcmp(env, DEFAULT_ENV) == 0)
		b = ctx->set.rollback_branch;
	return b;
}

/* --- git release envs --- */

/*
 * Rows are per component: the recorded one, else (components declared)
 * the one the tag names; entries of no component apart by tag prefix,
 * as release.tagPrefix given per invocation made them.
 */
static int
component_cmp(const struct deploy_entry *a, const struct deploy_entry *b)
{
	if (a->component == NULL && b->component == NULL) {
		size_t la = component_tag_prefix_len(a->tag);
		size_t lb = component_tag_prefix_len(b->tag);
		int c = memcmp(a->tag, b->tag, la < lb ? la : lb);

		return c != 0 ? c : (la > lb) - (la < lb);
	}
	if (a->component == NULL || b->component == NULL)
		return (a->component != NULL) - (b->component != NULL);
	return strcmp(a->component, b->component);
}

static struct env_row *
add_row(struct env_rows *out, struct ctx *ctx, const char *env)
{
	struct env_row *row;

	ALLOC_GROW(out->items, out->nr, out->alloc);
	row = &out->items[out->nr++];
	memset(row, 0, sizeof(*row));
	row->env = xstrdup(env);
	row->hook = hook_command(ctx, env);
	row->branch = env_branch(ctx, env);
	return row;
}

/* the release list of component c, loaded once per listing */
static int
component_list(const struct release_list **out, struct env_rows *rows,
    struct ctx *ctx, const struct component *c)
{
	const struct component *was = ctx->set.component;
	size_t i = (size_t)(c - ctx->set.components.items);
	int rc = 0;

	if (rows->lists == NULL) {
		rows->lists_nr = ctx->set.components.nr;
		rows->lists = xcalloc(rows->lists_nr, sizeof(*rows->lists));
		rows->loaded = xcalloc(rows->lists_nr, sizeof(*rows->loaded));
	}
	if (!rows->loaded[i]) {
		component_use(ctx, c);
		rc = release_list_load(&rows->lists[i], ctx);
		component_use(ctx, was);
		rows->loaded[i] = 1;
	}
	*out = &rows->lists[i];
	return rc;
}

/*
 * With components: each one the log has no entry of in env gets a row
 * of its own, what env's branch runs by that component's tags.
 */
static int
component_fallbacks(struct env_rows *out, struct ctx *ctx, const char *env,
    size_t first)
{
	const struct component_set *set = &ctx->set.components;
	const struct component *was = ctx->set.component;
	size_t i, j;
	int rc = 0;

	for (i = 0; i < set->nr && rc == 0; i++) {
		const struct component *c = &set->items[i];
		const struct release_list *cl;
		struct env_row *row;

		for (j = first; j < out->nr; j++)
			if (out->items[j].entry.component != NULL &&
			    strcmp(out->items[j].entry.component,
			    c->name) == 0)
				break;
		if (j < out->nr)
			continue;
		if ((rc = component_list(&cl, out, ctx, c)) < 0)
			break;
		row = add_row(out, ctx, env);
		row->entry.component = xstrdup(c->name);
		component_use(ctx, c);
		rc = deploy_running(&row->running, ctx, cl, env, NULL);
		component_use(ctx, was);
		/* in component order among the rows of env */
		for (j = out->nr - 1; j > first &&
		    component_cmp(&out->items[j - 1].entry,
		    &out->items[j].entry) > 0; j--) {
			struct env_row t = out->items[j];

			out->items[j] = out->items[j - 1];
			out->items[j - 1] = t;
		}
	}
	return rc;
}

/* the newest succeeded entry of each component, in component order */
static int
env_components(struct env_rows *out, struct ctx *ctx,
    const struct release_list *l, const char *env)
{
	struct deploy_log log = DEPLOY_LOG_INIT;
	const struct component *c;
	size_t i, j, first = out->nr;
	int rc;

	/* every component's entries: envs shows them all */
	if ((rc = deploylog_read_all(&log, ctx, env, 0)) < 0)
		return rc;
	for (i = 0; i < log.nr; i++) {
		struct deploy_entry *e = &log.items[i];
		struct env_row *row;

		if (!deploy_entry_in_effect(e))
			continue;
		if (e->component == NULL && (c = component_for_tag(
		    &ctx->set.components, e->tag)) != NULL)
			e->component = xstrdup(c->name);
		for (j = first; j < out->nr; j++)
			if (component_cmp(&out->items[j].entry, e) == 0)
				break;
		if (j < out->nr)
			continue;
		/* insertion in component order: a handful of rows */
		row = add_row(out, ctx, env);
		row->entry = *e;
		memset(e, 0, sizeof(*e));
		row->running = release_by_tag(l, row->entry.tag);
		for (j = out->nr - 1; j > first &&
		    component_cmp(&out->items[j - 1].entry,
		    &out->items[j].entry) > 0; j--) {
			struct env_row t = out->items[j];

			out->items[j] = out->items[j - 1];
			out->items[j - 1] = t;
		}
	}
	deploylog_release(&log);
	if (ctx->set.components.nr > 0)
		return component_fallbacks(out, ctx, env, first);
	if (out->nr == first) {
		struct env_row *row = add_row(out, ctx, env);

		/* no entry: what its branch runs, if it has one */
		rc = deploy_running(&row->running, ctx, l, env, NULL);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int
env_rows_load(struct env_rows *out, struct ctx *ctx,
    const struct release_list *l)
{
	struct strlist known = STRLIST_INIT;
	size_t i;
	int rc;

	if ((rc = env_known(&known, ctx)) < 0)
		goto out;
	for (i = 0; i < known.nr; i++)
		if ((rc = env_components(out, ctx, l, known.items[i])) < 0)
			goto out;
	rc = 0;
out:
	strlist_release(&known);
	return rc;
}

void
env_rows_release(struct env_rows *rows)
{
	size_t i;

	for (i = 0; i < rows->nr; i++) {
		free(rows->items[i].env);
		deploy_entry_release(&rows->items[i].entry);
	}
	free(rows->items);
	for (i = 0; i < rows->lists_nr; i++)
		release_list_release(&rows->lists[i]);
	free(rows->lists);
	free(rows->loaded);
	rows->items = NULL;
	rows->lists = NULL;
	rows->loaded = NULL;
	rows->nr = rows->alloc = rows->lists_nr = 0;
}
