/*
 * Hotfix branches: naming, the recorded base, the version finish would
 * take, start and list.  Finishing is in hotfix-finish.c, the resumable
 * merge in hotfix-merge.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "component.h"
#include "deploylog.h"
#include "hotfix.h"
#include "plan.h"
#include "hotfix-merge.h"
#include "json.h"
#include "banned.h"

void
hotfix_release(struct hotfix *h)
{
	free(h->name);
	free(h->branch);
	free(h->ref);
	free(h->base);
	memset(h, 0, sizeof(*h));
}

int
hotfix_branch_name(struct strbuf *out, struct ctx *ctx, const char *name)
{
	const char *prefix = ctx->set.hotfix_prefix;
	char *ref;
	int valid = 0;

	strbuf_reset(out);
	if (strncmp(name, prefix, strlen(prefix)) == 0)
		name += strlen(prefix);
	if (*name == '\0' || *name == '-')
		goto bad;
	strbuf_addf(out, "%s%s", prefix, name);
	ref = xstrfmt("refs/heads/%s", out->buf);
	if (git_reference_name_is_valid(&valid, ref) < 0)
		valid = 0;
	free(ref);
	git_error_clear();
	if (valid)
		return 0;
bad:
	return error_fatal("'%s' is not a valid hotfix name", name);
}

/* the base a user typed or config holds: a release tag, else a commit */
static int
resolve_base(const struct release **rel, git_oid *commit, char **recorded,
    struct ctx *ctx, const struct release_list *l, const char *spec,
    int quiet)
{
	git_commit *c = NULL;
	git_object *obj = NULL;
	const struct release *r;
	int rc;

	*rel = NULL;
	if ((r = release_find(l, ctx, spec)) != NULL) {
		*rel = r;
		git_oid_cpy(commit, &r->commit);
		if (recorded != NULL)
			*recorded = xstrdup(r->tag);
		return 0;
	}
	if (git_revparse_single(&obj, ctx->repo, spec) < 0 ||
	    git_object_peel((git_object **)&c, obj, GIT_OBJECT_COMMIT) < 0) {
		git_object_free(obj);
		git_error_clear();
		if (quiet)
			return E_FATAL;
		return error_fatal("base '%s' is neither a release nor a "
		    "commit", spec);
	}
	git_oid_cpy(commit, git_commit_id(c));
	git_commit_free(c);
	git_object_free(obj);
	if (recorded != NULL)
		*recorded = xstrdup(git_oid_tostr_s(commit));
	/* a commit: its line is that of the newest release it contains */
	rc = release_latest_reachable(rel, ctx, l, commit, 0);
	return rc < 0 ? rc : 0;
}

int
hotfix_load(struct hotfix *out, struct ctx *ctx,
    const struct release_list *l, const char *name, int partial)
{
	struct strbuf branch = STRBUF_INIT;
	git_reference *ref = NULL;
	git_commit *tip = NULL;
	char *head = NULL, *key = NULL;
	const char *base;
	size_t behind;
	int ret = -1;

	if (name == NULL) {
		const char *p = ctx->set.hotfix_prefix;

		head = repo_head_branch(ctx);
		if (head == NULL || strncmp(head, "refs/heads/", 11) != 0 ||
		    strncmp(head + 11, p, strlen(p)) != 0) {
			ret = error("not on a hotfix branch (%s*)", p);
			hint("name the hotfix: git hotfix finish <name>");
			goto out;
		}
		name = head + 11;
	}
	if ((ret = hotfix_branch_name(&branch, ctx, name)) < 0)
		goto out;
	ret = -1;
	out->branch = strbuf_detach(&branch, NULL);
	out->name = xstrdup(out->branch + strlen(ctx->set.hotfix_prefix));
	out->ref = xstrfmt("refs/heads/%s", out->branch);
	if (git_reference_lookup(&ref, ctx->repo, out->ref) < 0) {
		git_error_clear();
		ret = error_fatal("hotfix branch '%s' not found", out->branch);
		goto out;
	}
	if (git_reference_peel((git_object **)&tip, ref,
	    GIT_OBJECT_COMMIT) < 0) {
		ret = error_git(E_FATAL, "cannot read '%s'", out->branch);
		goto out;
	}
	git_oid_cpy(&out->tip, git_commit_id(tip));

	key = xstrfmt("branch.%s.%s", out->branch, HOTFIX_BASE_KEY);
	if ((base = config_get(&ctx->cfg, key)) == NULL) {
		if (partial) {
			ret = 0;
			goto out;
		}
		ret = error("hotfix branch '%s' has no recorded base (%s)",
		    out->branch, key);
		hint("record it: git config %s <tag-or-commit>", key);
		goto out;
	}
	out->base = xstrdup(base);
	if ((ret = resolve_base(&out->base_release, &out->base_commit, NULL,
	    ctx, l, base, partial)) < 0) {
		if (partial) {
			out->base_release = NULL;
			ret = 0;
		}
		goto out;
	}
	ret = -1;
	if (git_graph_ahead_behind(&out->ahead, &behind, ctx->repo,
	    &out->tip, &out->base_commit) < 0) {
		ret = error_git(E_FATAL, "cannot compare '%s' with its base",
		    out->branch);
		goto out;
	}
	out->resolved = 1;
	ret = 0;
out:
	free(head);
	free(key);
	strbuf_release(&branch);
	git_commit_free(tip);
	git_reference_free(ref);
	return ret;
}

/* the newest release on the tip, on the base's line, above the base */
static const struct release *
tagged_tip(const struct release_list *l, const struct hotfix *h)
{
	const struct semver *b = &h->base_release->v;
	size_t i;

	for (i = 0; i < l->nr; i++) {
		const struct release *r = &l->items[i];

		if (git_oid_equal(&r->commit, &h->tip) &&
		    r->v.major == b->major && r->v.minor == b->minor &&
		    semver_cmp(&r->v, b) > 0)
			return r;
	}
	return NULL;
}

int
hotfix_version(struct strbuf *tag, const struct release **tagged,
    struct ctx *ctx, const struct release_list *l, const struct hotfix *h)
{
	struct semver *vs, next;
	size_t i;
	int rc;

	strbuf_reset(tag);
	*tagged = NULL;
	if (h->base_release != NULL &&
	    (*tagged = tagged_tip(l, h)) != NULL) {
		strbuf_addstr(tag, (*tagged)->tag);
		return 0;
	}
	if (h->base_release == NULL) {
		error("no release at or below the base of '%s' (%s): cannot "
		    "tell its version line", h->branch, h->base);
		hint("give one: git hotfix finish --version <version>");
		return E_REFUSED;
	}
	vs = xreallocarray(NULL, l->nr ? l->nr : 1, sizeof(*vs));
	for (i = 0; i < l->nr; i++)
		vs[i] = l->items[i].v;
	rc = hotfix_next_patch(&next, &h->base_release->v, vs, l->nr);
	free(vs);
	if (rc < 0)
		return rc;
	strbuf_addstr(tag, ctx->set.tag_prefix);
	semver_format(tag, &next);
	return 0;
}

/* the base start uses when none is given */
static int
default_base(const struct release **out, const char **why, struct ctx *ctx,
    const struct release_list *l, const struct hotfix_start_opts *o)
{
	struct deploy_entry entry;
	int rc, logged;

	if (!o->no_fetch && !o->dry_run && (rc = deploylog_fetch(ctx)) < 0)
		return rc;
	if ((rc = deploy_running(out, ctx, l, DEFAULT_ENV, &entry)) < 0)
		return rc;
	logged = entry.tag != NULL;
	deploy_entry_release(&entry);
	if (*out != NULL) {
		/* without a log entry it is the production branch's release */
		*why = logged ? "running in " DEFAULT_ENV :
		    "the newest release on the production branch";
		return 0;
	}
	if ((*out = release_latest(l, 1)) != NULL) {
		*why = "the latest stable release";
		return 0;
	}
	error("no release to start the hotfix from");
	hint("name a base: git hotfix start <name> <tag-or-commit>");
	repo_hint_shallow(ctx, "releases");
	return E_REFUSED;
}

/* "main" for refs/heads/main, the commit id when HEAD is detached */
static char *
head_for_undo(struct ctx *ctx)
{
	char *head = repo_head_branch(ctx);
	git_oid id;

	if (head != NULL && strncmp(head, "refs/heads/", 11) == 0) {
		char *s = xstrdup(head + 11);

		free(head);
		return s;
	}
	free(head);
	if (git_reference_name_to_id(&id, ctx->repo, "HEAD") < 0) {
		git_error_clear();
		return NULL;
	}
	return xstrdup(git_oid_tostr_s(&id));
}

int
hotfix_select_component(struct ctx *ctx, const char *name,
    const char *option, int flags)
{
	struct strbuf branch = STRBUF_INIT;
	const char *recorded = NULL, *base = NULL;
	char *head = NULL, *key = NULL;
	int rc;

	if (ctx->set.components.nr == 0)
		return component_select(ctx, option, NULL, flags);
	if (name == NULL) {
		head = repo_head_branch(ctx);
		if (head != NULL && strncmp(head, "refs/heads/", 11) == 0)
			name = head + 11;
	}
	/* a bad or missing branch is for hotfix_load to report */
	if (name != NULL && hotfix_branch_name(&branch, ctx, name) == 0) {
		key = xstrfmt("branch.%s.%s", branch.buf,
		    HOTFIX_COMPONENT_KEY);
		recorded = config_get(&ctx->cfg, key);
		free(key);
		key = xstrfmt("branch.%s.%s", branch.buf, HOTFIX_BASE_KEY);
		base = config_get(&ctx->cfg, key);
	}
	git_error_clear();
	if (option != NULL && recorded != NULL &&
	    strcmp(option, recorded) != 0) {
		rc = error("'%s' was started for component '%s', not '%s'",
		    branch.buf, recorded, option);
		rc = E_USAGE;
		goto out;
	}
	rc = component_select(ctx, option ? option : recorded, base, flags);
out:
	free(head);
	free(key);
	strbuf_release(&branch);
	return rc;
}

int
hotfix_start(struct ctx *ctx, const struct hotfix_start_opts *o)
{
	struct release_list l = RELEASE_LIST_INIT;
	struct strbuf branch = STRBUF_INIT, undo = STRBUF_INIT;
	const struct release *rel = NULL;
	struct plan plan = PLAN_INIT;
	FILE *fp = NULL;
	git_reference *ref = NULL;
	git_commit *commit = NULL;
	char *recorded = NULL, *refname = NULL, *prev = NULL;
	const char *why = NULL;
	git_oid base, head;
	int ret = -1;

	/* arguments first (128), the repository's state after (1) */
	if ((ret = hotfix_branch_name(&branch, ctx, o->name)) < 0)
		goto out;
	if ((ret = release_list_load(&l, ctx)) < 0)
		goto out;
	if (o->base != NULL)
		ret = resolve_base(&rel, &base, &recorded, ctx, &l, o->base,
		    0);
	else if ((ret = default_base(&rel, &why, ctx, &l, o)) == 0) {
		git_oid_cpy(&base, &rel->commit);
		recorded = xstrdup(rel->tag);
	}
	if (ret < 0)
		goto out;
	ret = -1;
	refname = xstrfmt("refs/heads/%s", branch.buf);

	if ((ret = repo_require_worktree(ctx, "start a hotfix")) < 0 ||
	    (ret = repo_lock(ctx)) < 0 ||
	    (ret = repo_require_no_operation(ctx, "start a hotfix")) < 0 ||
	    (ret = repo_require_clean(ctx, "start a hotfix")) < 0)
		goto out;
	ret = -1;
	if (git_reference_lookup(&ref, ctx->repo, refname) == 0) {
		ret = error("branch '%s' already exists", branch.buf);
		hint("finish it (git hotfix finish %s) or pick another name",
		    branch.buf + strlen(ctx->set.hotfix_prefix));
		goto out;
	}
	git_error_clear();
	if (git_commit_lookup(&commit, ctx->repo, &base) < 0) {
		ret = error_git(E_FATAL, "cannot read the base commit");
		goto out;
	}
	if (why != NULL)
		info("base: %s (%s)", recorded, why);

	if (o->dry_run && o->json) {
		/* the plan the run would journal, as planned */
		if (git_reference_name_to_id(&head, ctx->repo, "HEAD") < 0) {
			ret = error_git(E_FATAL, "cannot read HEAD");
			goto out;
		}
		hotfix_start_plan(&plan, ctx, refname, &base, recorded, &head);
		plan_print_json(stdout, &plan, 1);
		ret = 0;
		goto out;
	}
	if (o->dry_run) {
		printf("would create branch %s at %s (%s)\n", branch.buf,
		    git_oid_tostr_s(&base), recorded);
		printf("would set branch.%s.%s = %s\n", branch.buf,
		    HOTFIX_BASE_KEY, recorded);
		if (ctx->set.component != NULL)
			printf("would set branch.%s.%s = %s\n", branch.buf,
			    HOTFIX_COMPONENT_KEY, ctx->set.component->name);
		printf("would check out %s\n", branch.buf);
		ret = 0;
		goto out;
	}

	prev = head_for_undo(ctx);
	if (git_reference_name_to_id(&head, ctx->repo, "HEAD") < 0) {
		ret = error_git(E_FATAL, "cannot read HEAD");
		goto out;
	}
	/* a file in the way stops us before any change */
	if ((ret = hotfix_checkout_check(ctx, &head, &base)) < 0)
		goto out;
	/* the branch, its base, the checkout: one plan, journalled */
	hotfix_start_plan(&plan, ctx, refname, &base, recorded, &head);
	if (o->json)
		fp = plan_json_stdout();
	if ((ret = hotfix_start_execute(ctx, &plan)) < 0)
		goto out;
	ret = -1;
	printf("switched to a new branch '%s' at %s (%.7s)\n", branch.buf,
	    recorded, git_oid_tostr_s(&base));
	printf("next: fix, commit, then: git hotfix finish\n");
	if (prev != NULL) {
		strbuf_addf(&undo, "git switch %s",
		    strlen(prev) == GIT_OID_HEXSZ ? "--detach " : "");
		strbuf_add_shquoted(&undo, prev);
		strbuf_addstr(&undo, " && git branch -D ");
		strbuf_add_shquoted(&undo, branch.buf);
		printf("undo: %s\n", undo.buf);
	}
	if (fp != NULL) {
		/* the same undo line; the journal's plan, as it ran */
		plan_set(&plan.attrs, "undo", undo.buf);
		plan_print_json(fp, &plan, 0);
	}
	ret = 0;
out:
	if (fp != NULL)
		plan_json_stdout_close(fp);
	strbuf_release(&undo);
	free(recorded);
	free(refname);
	free(prev);
	plan_release(&plan);
	git_commit_free(commit);
	git_reference_free(ref);
	strbuf_release(&branch);
	release_list_release(&l);
	return ret;
}

static void
list_one(struct ctx *ctx, const struct release_list *l, const char *name,
    int json)
{
	struct hotfix h = HOTFIX_INIT;
	struct strbuf version = STRBUF_INIT, line = STRBUF_INIT;
	struct json j = JSON_INIT;
	const struct release *tagged;
	int loaded;

	/* a branch whose base is missing or gone is listed with what is known */
	loaded = hotfix_load(&h, ctx, l, name, 1) == 0 && h.resolved;
	if (loaded && h.base_release != NULL &&
	    hotfix_version(&version, &tagged, ctx, l, &h) < 0)
		strbuf_reset(&version);
	if (!json) {
		printf("%-24s base %-12s %4zu ahead  finish: %s\n",
		    h.branch ? h.branch : name, h.base ? h.base : "?",
		    h.ahead, version.len ? version.buf : "?");
		goto out;
	}
	json_begin(&j);
	json_str(&j, "branch", h.branch ? h.branch : name);
	/* a branch that could not be read at all still has a string name */
	json_str(&j, "name", h.name ? h.name : "");
	json_str(&j, "component", ctx->set.component ?
	    ctx->set.component->name : NULL);
	json_str(&j, "base", h.base);
	json_str(&j, "base_commit", loaded ?
	    git_oid_tostr_s(&h.base_commit) : NULL);
	json_str(&j, "tip", loaded ? git_oid_tostr_s(&h.tip) : NULL);
	json_int(&j, "ahead", (long long)h.ahead);
	json_str(&j, "tag", version.len ? version.buf : NULL);
	json_version(&j, "version", version.len ?
	    component_tag_version(ctx, version.buf) : NULL);
	json_end(&j);
	json_add_line(&line, &j);
	fputs(line.buf, stdout);
out:
	git_error_clear();
	json_release(&j);
	strbuf_release(&version);
	strbuf_release(&line);
	hotfix_release(&h);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
hotfix_list(struct ctx *ctx, int json)
{
	struct release_list l = RELEASE_LIST_INIT;
	git_reference_iterator *it = NULL;
	struct strlist names = STRLIST_INIT;
	const char *refname;
	char *glob = NULL;
	size_t i;
	int ret = -1, rc;

	if ((ret = release_list_load(&l, ctx)) < 0)
		goto out;
	ret = -1;
	glob = xstrfmt("refs/heads/%s*", ctx->set.hotfix_prefix);
	if (git_reference_iterator_glob_new(&it, ctx->repo, glob) < 0) {
		ret = error_git(E_FATAL, "cannot list branches");
		goto out;
	}
	while ((rc = git_reference_next_name(&refname, it)) == 0)
		strlist_add(&names, refname + 11);
	if (rc != GIT_ITEROVER) {
		ret = error_git(E_FATAL, "cannot list branches");
		goto out;
	}
	git_error_clear();
	/* loose refs come before packed ones: sort for a stable listing */
	if (names.nr > 1)
		qsort(names.items, names.nr, sizeof(*names.items), cmp_str);
	for (i = 0; i < names.nr; i++) {
		/* each hotfix is of its own component's releases */
		if (ctx->set.components.nr > 0) {
			release_list_release(&l);
			if ((ret = hotfix_select_component(ctx,
			    names.items[i], NULL, 0)) < 0 ||
			    (ret = release_list_load(&l, ctx)) < 0)
				goto out;
		}
		list_one(ctx, &l, names.items[i], json);
	}
	ret = 0;
out:
	free(glob);
	strlist_release(&names);
	git_reference_iterator_free(it);
	release_list_release(&l);
	return ret;
}
