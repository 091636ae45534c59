/*
 * The executor: run a journalled plan step by step, or undo what it
 * did newest first; and the built-in actions of the generic steps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "journal.h"
#include "plan.h"
#include "push.h"
#include "banned.h"


static char *
reflog_msg(const struct plan_exec *x, const struct plan_step *s, int undo)
{
	const char *r = plan_get(&s->attrs, "reflog");

	if (undo)
		return xstrfmt("%s --abort: %s", x->plan->op,
		    plan_get(&s->attrs, "ref"));
	return r ? xstrdup(r) : xstrfmt("%s: %s", x->plan->op,
	    plan_get(&s->attrs, "ref"));
}

/*
 * Move ref from "from" to "to" (each NULL: absent), compared: a ref at
 * "to" already is done; anywhere but "from" is refused.
 */
static int
ref_move(struct plan_exec *x, const struct plan_step *s, const git_oid *from,
    const git_oid *to, int undo)
{
	const char *ref = plan_get(&s->attrs, "ref");
	git_reference *r = NULL;
	git_oid now;
	char *msg = NULL;
	int found, rc;

	if (ref == NULL)
		return error_fatal("journal step %zu has no ref", x->index + 1);
	if ((rc = repo_ref_id(&now, &found, x->ctx, ref)) < 0)
		return rc;
	if (to == NULL ? !found : found && git_oid_equal(&now, to))
		return 0;
	if (from == NULL ? found : !found || !git_oid_equal(&now, from)) {
		error("'%s' moved: it is at %s, %s expected", ref,
		    found ? git_oid_tostr_s(&now) : "(none)",
		    from ? git_oid_tostr_s(from) : "(none)");
		if (undo)
			hint("someone changed it since; put it where it should "
			    "be, then run the abort again");
		return E_REFUSED;
	}
	msg = reflog_msg(x, s, undo);
	if (to == NULL) {
		if (git_reference_lookup(&r, x->ctx->repo, ref) < 0 ||
		    git_reference_delete(r) < 0)
			rc = error_git(E_REFUSED, "cannot delete '%s'", ref);
	} else {
		if (git_reference_ensure_log(x->ctx->repo, ref) < 0)
			git_error_clear();
		git_reference_free(r);
		r = NULL;
		if (git_reference_create_matching(&r, x->ctx->repo, ref, to,
		    from != NULL, from, msg) < 0)
			rc = error_git(E_REFUSED, "cannot update '%s'", ref);
	}
	git_reference_free(r);
	free(msg);
	return rc;
}

static int
get_pair(git_oid *old, git_oid *new, int *has_old, int *has_new,
    const struct plan_step *s)
{
	*has_old = plan_get_oid(old, &s->attrs, "old");
	*has_new = plan_get_oid(new, &s->attrs, "new");
	return 0;
}

/* --- push --- */

static void
push_release(struct push_ref *refs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free((char *)refs[i].src);
		free((char *)refs[i].dst);
	}
	free(refs);
}

/* the push step's refspecs and leases as push_refs wants them */
static size_t
push_parse(struct push_ref **out, const struct plan_step *s)
{
	struct strlist specs = STRLIST_INIT, leases = STRLIST_INIT;
	struct push_ref *refs;
	size_t i, k, n;

	plan_get_all(&specs, &s->attrs, "refspec");
	plan_get_all(&leases, &s->attrs, "lease");
	refs = xcalloc(specs.nr ? specs.nr : 1, sizeof(*refs));
	for (i = n = 0; i < specs.nr; i++) {
		char *colon = strchr(specs.items[i], ':');

		if (colon == NULL)
			continue;
		*colon = '\0';
		refs[n].src = *specs.items[i] ? xstrdup(specs.items[i]) : NULL;
		refs[n].dst = xstrdup(colon + 1);
		for (k = 0; k < leases.nr; k++) {
			char *lc = strrchr(leases.items[k], ':');

			if (lc == NULL || (size_t)(lc - leases.items[k]) !=
			    strlen(refs[n].dst) || strncmp(leases.items[k],
			    refs[n].dst, strlen(refs[n].dst)) != 0)
				continue;
			refs[n].lease = 1;
			if (lc[1] != '\0' && git_oid_fromstr(&refs[n].expect,
			    lc + 1) < 0)
				git_error_clear();
		}
		n++;
	}
	strlist_release(&specs);
	strlist_release(&leases);
	*out = refs;
	return n;
}

/* has the remote got every ref of the push already? (a resumed run) */
static int
push_landed(struct ctx *ctx, const char *remote, const struct push_ref *refs,
    size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		git_oid want, there;
		int found, has;

		if (remote_ref(&there, &found, ctx, remote, refs[i].dst) < 0) {
			git_error_clear();
			return 0;
		}
		has = refs[i].src != NULL && git_reference_name_to_id(&want,
		    ctx->repo, refs[i].src) == 0;
		git_error_clear();
		if (refs[i].src == NULL ? found : !has || !found ||
		    !git_oid_equal(&want, &there))
			return 0;
	}
	return 1;
}

/* what the push is to make: "<dst> <lease or -> <ours or ->" lines */
static void
push_record(struct plan_step *s, struct ctx *ctx, const struct push_ref *refs,
    size_t n)
{
	size_t i;

	plan_set(&s->attrs, "pushed", NULL);
	for (i = 0; i < n; i++) {
		char old[GIT_OID_HEXSZ + 1] = "-";
		git_oid id;
		char *v;

		if (refs[i].lease && !git_oid_is_zero(&refs[i].expect))
			git_oid_tostr(old, sizeof(old), &refs[i].expect);
		if (refs[i].src == NULL ||
		    git_reference_name_to_id(&id, ctx->repo, refs[i].src) < 0) {
			git_error_clear();
			v = xstrfmt("%s %s -", refs[i].dst, old);
		} else {
			v = xstrfmt("%s %s %s", refs[i].dst, old,
			    git_oid_tostr_s(&id));
		}
		plan_add_attr(&s->attrs, "pushed", v);
		free(v);
	}
}

/*
 * A push is recorded as started, with what it is to make, before it
 * runs: killed while git push ran, the abort looks at the remote and
 * takes back what landed.
 */
int
plan_push_begin(struct plan_exec *x, struct plan_step *s)
{
	plan_set(&s->attrs, "started", "1");
	return journal_save(x->journal);
}

/* a push that failed made nothing: not started after all */
void
plan_push_failed(struct plan_step *s)
{
	plan_set(&s->attrs, "started", NULL);
	plan_set(&s->attrs, "pushed", NULL);
}

static int
push_run(struct plan_exec *x, struct plan_step *s)
{
	const char *remote = plan_get(&s->attrs, "remote");
	struct push_ref *refs = NULL;
	size_t n;
	int rc;

	if (remote == NULL)
		return error_fatal("journal step %zu has no remote",
		    x->index + 1);
	n = push_parse(&refs, s);
	push_record(s, x->ctx, refs, n);
	if ((x->flags & PLAN_EXEC_CONTINUE) &&
	    push_landed(x->ctx, remote, refs, n))
		rc = 0;
	else if ((rc = plan_push_begin(x, s)) == 0 &&
	    (rc = push_refs(x->ctx, remote, refs, n, 0, NULL)) < 0)
		plan_push_failed(s);
	push_release(refs, n);
	return rc;
}

/* put every pushed ref back on the remote, leased on what we pushed */
static int
push_undo(struct plan_exec *x, struct plan_step *s)
{
	struct strlist pushed = STRLIST_INIT;
	const char *remote = plan_get(&s->attrs, "remote");
	struct push_ref *refs;
	size_t i, n = 0;
	int rc = 0;

	plan_get_all(&pushed, &s->attrs, "pushed");
	refs = xcalloc(pushed.nr ? pushed.nr : 1, sizeof(*refs));
	for (i = 0; i < pushed.nr; i++) {
		char *dst = pushed.items[i], *old, *new;

		if ((old = strchr(dst, ' ')) == NULL ||
		    (new = strchr(old + 1, ' ')) == NULL)
			continue;
		*old++ = '\0';
		*new++ = '\0';
		/* a push killed before it landed: nothing to take back */
		if (s->status == PLAN_PENDING) {
			git_oid there, want;
			int found, same;

			if (remote == NULL || remote_ref(&there, &found,
			    x->ctx, remote, dst) < 0) {
				rc = error("cannot read '%s' on '%s'", dst,
				    remote ? remote : "the remote");
				break;
			}
			same = strcmp(new, "-") == 0 ? !found : found &&
			    git_oid_fromstr(&want, new) == 0 &&
			    git_oid_equal(&want, &there);
			git_error_clear();
			if (!same)
				continue;
		}
		refs[n].dst = xstrdup(dst);
		refs[n].src = strcmp(old, "-") ? xstrdup(old) : NULL;
		refs[n].lease = 1;
		if (strcmp(new, "-") && git_oid_fromstr(&refs[n].expect,
		    new) < 0)
			git_error_clear();
		n++;
	}
	if (rc == 0 && n > 0 && remote != NULL)
		rc = push_refs(x->ctx, remote, refs, n, 0, NULL);
	push_release(refs, n);
	strlist_release(&pushed);
	return rc;
}

/* --- the built-in actions --- */

int
plan_step_default_run(struct plan_exec *x, struct plan_step *s)
{
	git_oid old, new;
	int has_old, has_new;

	switch (s->kind) {
	case PLAN_CHECK:
		return 0;
	case PLAN_REF:
		get_pair(&old, &new, &has_old, &has_new, s);
		return ref_move(x, s, has_old ? &old : NULL,
		    has_new ? &new : NULL, 0);
	case PLAN_PUSH:
		return push_run(x, s);
	default:
		return error_fatal("%s: no built-in action for a %s step",
		    x->plan->op, plan_kind_name(s->kind));
	}
}

int
plan_step_default_undo(struct plan_exec *x, struct plan_step *s)
{
	git_oid old, new;
	int has_old, has_new;

	get_pair(&old, &new, &has_old, &has_new, s);
	switch (s->kind) {
	case PLAN_CHECK:
		return 0;
	case PLAN_REF:
	case PLAN_LOG:
	case PLAN_MARK:
	case PLAN_MERGE:
	case PLAN_REVERT:
		if (!has_new && !has_old)
			return 0;
		return ref_move(x, s, has_new ? &new : NULL,
		    has_old ? &old : NULL, 1);
	case PLAN_TAG:
	case PLAN_DEPLOYED_TAG:
		/* not made yet: nothing to take back */
		if (!has_new)
			return 0;
		return ref_move(x, s, &new, NULL, 1);
	case PLAN_PUSH:
		return push_undo(x, s);
	case PLAN_HOOK:
		if (plan_get(&s->attrs, "skip") == NULL)
			warning("the deploy hook ran for %s on '%s': the abort "
			    "cannot take that back", plan_get(&s->attrs, "tag"),
			    plan_get(&s->attrs, "env"));
		return 0;
	case PLAN_MIGRATION:
		warning("migration %s ran its down command: the abort cannot "
		    "take that back", plan_get(&s->attrs, "id"));
		return 0;
	default:
		return error_fatal("%s: no built-in undo for a %s step",
		    x->plan->op, plan_kind_name(s->kind));
	}
}

/* --- the executor --- */

static void
hint_finish(const struct plan *p)
{
	const char *finish = journal_finish_command(p->op);

	hint("the rest of the plan is kept: fix the cause and run \"%s "
	    "--continue\", or undo what was done with \"%s --abort\"",
	    finish, finish);
}

int
plan_execute(struct ctx *ctx, struct journal *j, const struct plan_ops *ops,
    void *payload, unsigned flags)
{
	struct plan *p = j->plan;
	struct plan_exec x;
	size_t i;
	int rc;

	memset(&x, 0, sizeof(x));
	x.ctx = ctx;
	x.plan = p;
	x.journal = j;
	x.flags = flags;
	x.payload = payload;
	if (plan_count(p, PLAN_UNDONE) > 0) {
		error("an abort of %s was interrupted", p->cmdline ?
		    p->cmdline : p->op);
		hint("run \"%s --abort\" again to finish it",
		    journal_finish_command(p->op));
		return E_REFUSED;
	}
	for (i = 0; i < p->nr; i++) {
		struct plan_step *s = &p->steps[i];

		if (s->status == PLAN_DONE)
			continue;
		x.index = i;
		rc = ops->run ? ops->run(&x, s) : PLAN_DEFAULT;
		if (rc == PLAN_DEFAULT)
			rc = plan_step_default_run(&x, s);
		if (rc == PLAN_STOP) {
			if ((rc = journal_mark(j, i, PLAN_STOPPED)) < 0)
				return rc;
			if (!(flags & PLAN_EXEC_NO_HINT))
				hint_finish(p);
			return E_REFUSED;
		}
		if (rc < 0) {
			/* what the step recorded of itself is kept */
			if (journal_save(j) == 0 && !(flags & PLAN_EXEC_NO_HINT))
				hint_finish(p);
			return rc;
		}
		if ((rc = journal_mark(j, i, PLAN_DONE)) < 0)
			return rc;
	}
	journal_remove(j);
	return 0;
}

int
plan_abort(struct ctx *ctx, struct journal *j, const struct plan_ops *ops,
    void *payload)
{
	struct plan *p = j->plan;
	struct plan_exec x;
	size_t i;
	int rc;

	memset(&x, 0, sizeof(x));
	x.ctx = ctx;
	x.plan = p;
	x.journal = j;
	x.payload = payload;
	for (i = p->nr; i-- > 0;) {
		struct plan_step *s = &p->steps[i];

		if (s->status != PLAN_DONE && s->status != PLAN_STOPPED &&
		    plan_get(&s->attrs, "started") == NULL)
			continue;
		/*
		 * A hook killed while it ran (or its verification) may have
		 * deployed: its started record stays, for the next deploy to
		 * record as failed, and nothing is run to take it back.
		 */
		if (s->status == PLAN_PENDING && s->kind == PLAN_HOOK)
			continue;
		x.index = i;
		rc = ops->undo ? ops->undo(&x, s) : PLAN_DEFAULT;
		if (rc == PLAN_DEFAULT)
			rc = plan_step_default_undo(&x, s);
		if (rc < 0) {
			hint("nothing more was undone; once that is sorted "
			    "out, run \"%s --abort\" again",
			    journal_finish_command(p->op));
			return rc;
		}
		if ((rc = journal_mark(j, i, PLAN_UNDONE)) < 0)
			return rc;
	}
	journal_remove(j);
	return 0;
}
