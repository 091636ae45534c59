/*
 * The running version, the target and what lies between: the refusals
 * every rollback and every checklist starts with.
 */
#include <stdlib.h>
#include <string.h>

#include "component.h"
#include "env.h"
#include "target.h"
#include "banned.h"

const struct release *
rollback_default_target(const struct release_list *l,
    const struct marks *marks, const struct release *running)
{
	size_t i;

	/* the list is newest first: the first match is the newest */
	for (i = 0; i < l->nr; i++) {
		const struct release *r = &l->items[i];

		if (!semver_is_stable(&r->v) ||
		    semver_cmp(&r->v, &running->v) >= 0)
			continue;
		if (marks_reason(marks, r->tag) == NULL)
			return r;
	}
	return NULL;
}

static int
find_target(struct rollback_range *r, struct ctx *ctx, const char *name,
    int flags)
{
	int rc, c;

	if (name == NULL) {
		r->target = rollback_default_target(&r->releases, &r->marks,
		    r->running);
		if (r->target == NULL) {
			error("no good release older than '%s' to roll back "
			    "to", r->running->tag);
			hint("releases marked bad are skipped; name a target "
			    "and add --force to use one anyway");
			repo_hint_shallow(ctx, "older releases");
			return E_REFUSED;
		}
		return 0;
	}
	if ((rc = release_lookup(&r->target, &r->releases, ctx, name)) < 0)
		return rc;
	c = semver_cmp(&r->target->v, &r->running->v);
	if (c == 0) {
		error("'%s' is the running version of '%s'", r->target->tag,
		    r->env);
		return E_REFUSED;
	}
	if (c > 0) {
		error("'%s' is newer than the running version '%s' of '%s'",
		    r->target->tag, r->running->tag, r->env);
		hint("to go forward, deploy it: git release deploy %s",
		    r->target->tag);
		return E_REFUSED;
	}
	r->target_bad = marks_reason(&r->marks, r->target->tag);
	if (r->target_bad != NULL && !(flags & RANGE_ALLOW_BAD)) {
		error("'%s' is marked bad: %s", r->target->tag, r->target_bad);
		hint("use --force to roll back to it anyway");
		return E_REFUSED;
	}
	return 0;
}

/*
 * target..running, newest first, as git log would list them: the
 * selected component's; the others are only counted.  *all gets every
 * one of them (owned by the caller).
 */
static int
walk_commits(struct rollback_range *r, git_oid **all, size_t *all_nr,
    struct ctx *ctx)
{
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	git_oid id;
	int mine;
	size_t alloc = 0, all_alloc = 0;
	int rc;

	if (git_revwalk_new(&walk, ctx->repo) < 0)
		return error_git(E_FATAL, "cannot walk the history");
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	if (git_revwalk_push(walk, &r->running->commit) < 0 ||
	    git_revwalk_hide(walk, &r->target->commit) < 0) {
		rc = error_git(E_FATAL, "cannot walk from '%s' to '%s'",
		    r->target->tag, r->running->tag);
		goto out;
	}
	while ((rc = git_revwalk_next(&id, walk)) == 0) {
		ALLOC_GROW(*all, *all_nr, all_alloc);
		(*all)[(*all_nr)++] = id;
		if (ctx->set.component != NULL) {
			if (git_commit_lookup(&c, ctx->repo, &id) < 0) {
				rc = error_git(E_FATAL, "cannot read commit %s",
				    git_oid_tostr_s(&id));
				goto out;
			}
			rc = component_touches(&mine, ctx, c);
			git_commit_free(c);
			c = NULL;
			if (rc < 0)
				goto out;
			if (!mine) {
				r->others_nr++;
				continue;
			}
		}
		ALLOC_GROW(r->commits, r->commits_nr, alloc);
		r->commits[r->commits_nr++] = id;
	}
	if (rc != GIT_ITEROVER) {
		rc = error_git(E_FATAL, "cannot walk from '%s' to '%s'",
		    r->target->tag, r->running->tag);
		goto out;
	}
	rc = 0;
out:
	git_revwalk_free(walk);
	return rc;
}

static int
oid_cmp(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

/*
 * The releases between: above the target, not above the running
 * version, and made on a commit between the two (a maintenance line's
 * releases elsewhere never ran here).
 */
static void
find_between(struct rollback_range *r, git_oid *sorted, size_t nr)
{
	size_t i, alloc = 0;

	if (nr == 0)
		return;
	qsort(sorted, nr, sizeof(*sorted), oid_cmp);
	for (i = 0; i < r->releases.nr; i++) {
		const struct release *rel = &r->releases.items[i];

		if (semver_cmp(&rel->v, &r->target->v) <= 0 ||
		    semver_cmp(&rel->v, &r->running->v) > 0)
			continue;
		if (bsearch(&rel->commit, sorted, nr, sizeof(*sorted),
		    oid_cmp) == NULL)
			continue;
		ALLOC_GROW(r->between, r->between_nr, alloc);
		r->between[r->between_nr++] = rel;
	}
}

int
rollback_range_load(struct rollback_range *out, struct ctx *ctx,
    const char *env, const char *target, int flags)
{
	struct deploy_entry entry;
	git_oid *all = NULL;
	size_t all_nr = 0;
	int rc;

	memset(&entry, 0, sizeof(entry));
	out->env = env;
	if ((rc = env_require(ctx, env, 0)) < 0)
		return rc;
	if ((rc = release_list_load(&out->releases, ctx)) < 0 ||
	    (rc = marks_load(&out->marks, ctx)) < 0)
		goto out;
	if (out->from != NULL) {
		if ((rc = release_lookup(&out->running, &out->releases, ctx,
		    out->from)) < 0)
			goto out;
	} else if ((rc = deploy_running(&out->running, ctx, &out->releases,
	    env, &entry)) < 0)
		goto out;
	if (out->running == NULL) {
		const char *b = env_branch(ctx, env);

		if (b != NULL)
			rc = error("nothing runs in '%s': no deployment "
			    "recorded and no release on '%s'", env, b);
		else
			rc = error("nothing runs in '%s': no deployment "
			    "recorded, and it has no branch", env);
		goto out;
	}
	if (entry.tag != NULL) {
		out->running_logged = 1;
		out->running_time = entry.time;
	}
	if ((rc = find_target(out, ctx, target, flags)) < 0 ||
	    (rc = deploy_ever_deployed(&out->target_deployed, ctx, env,
	    out->target->tag)) < 0 ||
	    (rc = walk_commits(out, &all, &all_nr, ctx)) < 0)
		goto out;
	find_between(out, all, all_nr);
	rc = 0;
out:
	free(all);
	deploy_entry_release(&entry);
	return rc;
}

void
rollback_range_release(struct rollback_range *r)
{
	release_list_release(&r->releases);
	marks_release(&r->marks);
	free(r->commits);
	free(r->between);
	r->commits = NULL;
	r->between = NULL;
	r->commits_nr = r->between_nr = r->others_nr = 0;
	r->running = r->target = NULL;
}

const char *
rollback_env_branch(struct ctx *ctx, const char *env)
{
	return env_branch(ctx, env);
}

/* running..tip: what the branch has that the running release has not */
static int
walk_drops(struct target_branch *b, struct ctx *ctx, const git_oid *running)
{
	git_revwalk *walk = NULL;
	git_oid id;
	size_t alloc = 0;
	int rc;

	if (git_revwalk_new(&walk, ctx->repo) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL |
	    GIT_SORT_TIME) < 0 ||
	    git_revwalk_push(walk, &b->tip) < 0 ||
	    git_revwalk_hide(walk, running) < 0) {
		rc = error_git(E_FATAL, "cannot walk '%s'", b->name);
		goto out;
	}
	while ((rc = git_revwalk_next(&id, walk)) == 0) {
		ALLOC_GROW(b->drops, b->drops_nr, alloc);
		b->drops[b->drops_nr++] = id;
	}
	if (rc != GIT_ITEROVER) {
		rc = error_git(E_FATAL, "cannot walk '%s'", b->name);
		goto out;
	}
	git_error_clear();
	rc = 0;
out:
	git_revwalk_free(walk);
	return rc;
}

int
target_branch_load(struct target_branch *out, struct ctx *ctx, const char *env,
    const struct release *running)
{
	int rc;

	out->name = rollback_env_branch(ctx, env);
	if (out->name == NULL)
		return 0;
	out->refname = xstrfmt("refs/heads/%s", out->name);
	if (git_reference_name_to_id(&out->tip, ctx->repo,
	    out->refname) < 0) {
		git_error_clear();
		return 0;
	}
	out->exists = 1;
	if (git_oid_equal(&out->tip, &running->commit))
		out->contains_running = 1;
	else {
		rc = git_graph_descendant_of(ctx->repo, &out->tip,
		    &running->commit);
		if (rc < 0)
			return error_git(E_FATAL, "cannot compare '%s' with "
			    "'%s'", out->name, running->tag);
		out->contains_running = rc;
	}
	return walk_drops(out, ctx, &running->commit);
}

void
target_branch_release(struct target_branch *b)
{
	free(b->refname);
	free(b->drops);
	*b = (struct target_branch)TARGET_BRANCH_INIT;
}
