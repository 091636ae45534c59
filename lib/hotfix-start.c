/*
 * git hotfix start as a journalled plan (plan.h): the branch with its
 * recorded base, then the checkout of it, written down before the first
 * of them, so that a kill anywhere is finished by "git hotfix finish
 * --continue" and undone by "git hotfix finish --abort" (the journal's
 * finish command for every hotfix operation).
 *
 *	step 1	ref	 "ref" the new branch, "new" the base, "reflog",
 *			 "base" and "component" its branch config
 *	step 2	checkout "ref" the branch, "old" HEAD before (a ref name or
 *			 a commit id), "from" HEAD's commit, "to" the base
 *
 * Each step marks itself stopped before its first effect: killed in the
 * middle or before the journal says it is done, it is run again
 * (--continue) or undone (--abort), the checkout over what it half
 * wrote, forced on the paths it changes only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "hotfix.h"
#include "hotfix-merge.h"
#include "journal.h"
#include "plan.h"
#include "banned.h"

#define OP	"hotfix-start"

static const char *
short_ref(const char *ref)
{
	return strncmp(ref, "refs/heads/", 11) == 0 ? ref + 11 : ref;
}

static int
set_config(struct ctx *ctx, const char *branch, const char *var,
    const char *value)
{
	git_config *cfg = NULL;
	char *key = xstrfmt("branch.%s.%s", branch, var);
	int rc = 0;

	if (git_repository_config(&cfg, ctx->repo) < 0 ||
	    git_config_set_string(cfg, key, value) < 0)
		rc = error_git(E_FATAL, "cannot set %s", key);
	git_config_free(cfg);
	free(key);
	return rc;
}

static int
run_ref(struct plan_exec *x, struct plan_step *s)
{
	const char *branch = short_ref(plan_get(&s->attrs, "ref"));
	const char *base = plan_get(&s->attrs, "base");
	const char *component = plan_get(&s->attrs, "component");
	int rc;

	/* begun: a kill after the ref is made leaves it to undo */
	if ((rc = journal_mark(x->journal, x->index, PLAN_STOPPED)) < 0 ||
	    (rc = plan_step_default_run(x, s)) < 0 ||
	    (rc = set_config(x->ctx, branch, HOTFIX_BASE_KEY, base)) < 0)
		return rc;
	if (component != NULL)
		rc = set_config(x->ctx, branch, HOTFIX_COMPONENT_KEY,
		    component);
	return rc;
}

static int
head_is(struct ctx *ctx, const char *ref)
{
	char *head = repo_head_branch(ctx);
	int rc = head != NULL && strcmp(head, ref) == 0;

	free(head);
	return rc;
}

int
hotfix_checkout_step_run(struct plan_exec *x, struct plan_step *s)
{
	const char *ref = plan_get(&s->attrs, "ref");
	git_oid from, to;
	int resumed = s->status == PLAN_STOPPED, rc;

	if (!plan_get_oid(&from, &s->attrs, "from") ||
	    !plan_get_oid(&to, &s->attrs, "to"))
		return error_fatal("the journal's checkout step is damaged");
	if (head_is(x->ctx, ref))
		return 0;
	/* begun: from here on a kill leaves it to redo or undo */
	if ((rc = journal_mark(x->journal, x->index, PLAN_STOPPED)) < 0)
		return rc;
	if (resumed)
		rc = hotfix_checkout_forced(x->ctx, &from, &to);
	else if ((rc = hotfix_checkout(x->ctx, &from, &to)) < 0) {
		/* refused before writing a file: not begun after all */
		s->status = PLAN_PENDING;
		return rc;
	}
	if (rc < 0)
		return rc;
	if (git_repository_set_head(x->ctx->repo, ref) < 0)
		return error_git(E_FATAL, "cannot switch to '%s'",
		    short_ref(ref));
	return 0;
}

static int
start_run(struct plan_exec *x, struct plan_step *s)
{
	switch (s->kind) {
	case PLAN_REF:
		return run_ref(x, s);
	case PLAN_CHECKOUT:
		return hotfix_checkout_step_run(x, s);
	default:
		return PLAN_DEFAULT;
	}
}

/*
 * HEAD back where the step found it, the worktree with it: a done
 * checkout puts back only the paths it changed, refused when one of
 * them has edits it did not make; a stopped one (killed half way) is
 * forced over what it half wrote.
 */
int
hotfix_checkout_step_undo(struct plan_exec *x, struct plan_step *s)
{
	const char *ref = plan_get(&s->attrs, "ref");
	const char *old = plan_get(&s->attrs, "old");
	git_oid from, to, id;
	int detached = old != NULL && strncmp(old, "refs/", 5) != 0, rc;

	if (old == NULL || !plan_get_oid(&from, &s->attrs, "from") ||
	    !plan_get_oid(&to, &s->attrs, "to"))
		return error_fatal("the journal's checkout step is damaged");
	if ((rc = hotfix_checkout_back(x->ctx, &to, &from,
	    s->status == PLAN_DONE, "git hotfix finish --abort")) < 0)
		return rc;
	if (!head_is(x->ctx, ref))
		return 0;
	if (detached ? git_oid_fromstr(&id, old) < 0 ||
	    git_repository_set_head_detached(x->ctx->repo, &id) < 0 :
	    git_repository_set_head(x->ctx->repo, old) < 0)
		return error_git(E_REFUSED, "cannot check out '%s' again",
		    short_ref(old));
	return 0;
}

static int
start_undo(struct plan_exec *x, struct plan_step *s)
{
	int rc;

	switch (s->kind) {
	case PLAN_REF:
		if ((rc = hotfix_branch_config_remove(x->ctx,
		    short_ref(plan_get(&s->attrs, "ref")))) < 0)
			return rc;
		return PLAN_DEFAULT;
	case PLAN_CHECKOUT:
		return hotfix_checkout_step_undo(x, s);
	default:
		return PLAN_DEFAULT;
	}
}

static const struct plan_ops start_ops = {
	OP, start_run, start_undo, "git hotfix finish"
};

void
hotfix_start_plan(struct plan *p, struct ctx *ctx, const char *refname,
    const git_oid *base, const char *recorded, const git_oid *head)
{
	struct plan_step *s;
	char *old = repo_head_branch(ctx);

	plan_begin(p, OP, ctx->cmdline);
	s = plan_add(p, PLAN_REF);
	plan_set(&s->attrs, "ref", refname);
	plan_set_oid(&s->attrs, "new", base);
	plan_setf(&s->attrs, "reflog", "hotfix start: %s at %s",
	    short_ref(refname), recorded);
	plan_set(&s->attrs, "base", recorded);
	if (ctx->set.component != NULL)
		plan_set(&s->attrs, "component", ctx->set.component->name);
	s = plan_add(p, PLAN_CHECKOUT);
	plan_set(&s->attrs, "ref", refname);
	if (old != NULL)
		plan_set(&s->attrs, "old", old);
	else
		plan_set_oid(&s->attrs, "old", head);
	plan_set_oid(&s->attrs, "from", head);
	plan_set_oid(&s->attrs, "to", base);
	free(old);
}

int
hotfix_start_execute(struct ctx *ctx, struct plan *p)
{
	struct journal j = JOURNAL_INIT;
	int rc;

	if ((rc = journal_begin(&j, ctx, p)) < 0)
		return rc;
	if ((rc = plan_execute(ctx, &j, &start_ops, NULL, 0)) < 0)
		repo_hint_index_lock(ctx);
	journal_release(&j);
	return rc;
}

int
hotfix_journal_is(struct ctx *ctx, const char *op)
{
	struct journal j = JOURNAL_INIT;
	int rc;

	if (!journal_exists(ctx))
		return 0;
	if (journal_load(&j, ctx) < 0) {
		git_error_clear();
		return 0;
	}
	rc = j.plan->op != NULL && strcmp(j.plan->op, op) == 0;
	journal_release(&j);
	return rc;
}

/* --continue | --abort of a start: the rest of its plan, or its undo */
int
hotfix_start_resume(struct ctx *ctx, int abort)
{
	struct journal j = JOURNAL_INIT;
	const char *ref;
	int rc;

	if ((rc = repo_require_worktree(ctx, abort ? "abort" : "continue")) < 0 ||
	    (rc = repo_lock(ctx)) < 0 ||
	    (rc = journal_load(&j, ctx)) < 0)
		goto out;
	ref = plan_get(&j.plan->steps[0].attrs, "ref");
	if (abort) {
		if ((rc = plan_abort(ctx, &j, &start_ops, NULL)) == 0)
			printf("aborted the start of %s\n", short_ref(ref));
	} else if ((rc = plan_execute(ctx, &j, &start_ops, NULL,
	    PLAN_EXEC_CONTINUE)) == 0)
		printf("switched to a new branch '%s' at %s\n",
		    short_ref(ref),
		    plan_get(&j.plan->steps[0].attrs, "base"));
out:
	if (rc < 0)
		repo_hint_index_lock(ctx);
	journal_release(&j);
	return rc;
}
