/*
 * git release yank: check, plan (one mark step per mark added or
 * lifted, then the push), journal, run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "deploy-int.h"
#include "deploylog.h"
#include "env.h"
#include "journal.h"
#include "push.h"
#include "banned.h"

/* the marks of tag that --undo [--env] [-m] lifts */
static void
yank_matches(struct mark_list *out, const struct mark_list *all,
    const struct yank_opts *o)
{
	size_t i;

	for (i = 0; all != NULL && i < all->nr; i++) {
		const struct mark *m = &all->items[i];

		if (o->env != NULL && (m->env == NULL ||
		    strcmp(m->env, o->env) != 0))
			continue;
		if (o->reason != NULL && strcmp(m->reason, o->reason) != 0)
			continue;
		mark_list_add(out, m->env, m->reason);
	}
}

/* "mark v1 bad from production: why", "lift the bad mark on ..." */
static char *
mark_what(const char *tag, const char *env, const char *reason, int lift,
    int past)
{
	if (lift)
		return xstrfmt("%s the bad mark on %s%s%s: %s",
		    past ? "lifted" : "lift", tag, env ? " from " : "",
		    env ? env : "", reason);
	return xstrfmt("%s %s bad%s%s: %s", past ? "marked" : "mark", tag,
	    env ? " from " : "", env ? env : "", reason);
}

static void
add_mark_step(struct plan *p, const char *tag, const char *env,
    const char *reason, int lift)
{
	struct plan_step *s = plan_add(p, PLAN_MARK);
	char *what = mark_what(tag, env, reason, lift, 0);

	plan_set(&s->attrs, "ref", DEPLOY_MARKS_REF);
	plan_set(&s->attrs, "tag", tag);
	if (env != NULL)
		plan_set(&s->attrs, "env", env);
	plan_set(&s->attrs, "reason", reason);
	plan_set(&s->attrs, "action", lift ? "lift" : "add");
	plan_set(&s->attrs, "what", what);
	free(what);
}

/* is the mark (env, reason) on tag now? */
static int
mark_there(int *out, struct ctx *ctx, const char *tag, const char *env,
    const char *reason)
{
	struct marks m = MARKS_INIT;
	const struct mark_list *l;
	int rc;

	*out = 0;
	if ((rc = marks_load(&m, ctx)) < 0)
		return rc;
	l = marks_of(&m, tag);
	*out = l != NULL && mark_list_find(l, env, reason) >= 0;
	marks_release(&m);
	return 0;
}

/*
 * Add or lift one mark.  A resumed step may find it done already: the
 * mark there (add) or gone (lift) is done, whatever ran before.
 */
static int
yank_step_mark(struct plan_exec *x, struct plan_step *s)
{
	const char *tag = plan_get(&s->attrs, "tag");
	const char *env = plan_get(&s->attrs, "env");
	const char *reason = plan_get(&s->attrs, "reason");
	int lift = strcmp(plan_get(&s->attrs, "action"), "lift") == 0;
	char *reflog = NULL, *what = NULL;
	int there, rc;

	if (tag == NULL || reason == NULL)
		return error_fatal("a mark step without a tag or reason");
	if ((rc = mark_there(&there, x->ctx, tag, env, reason)) < 0)
		return rc;
	if ((rc = deploy_step_begin(x, s)) < 0)
		return rc;
	if (there != lift)
		goto done;
	reflog = xstrfmt("yank%s: %s", lift ? " --undo" : "", tag);
	rc = lift ? marks_lift(x->ctx, tag, env, reason, reflog) :
	    marks_add(x->ctx, tag, env, reason, reflog);
	if (rc < 0)
		goto out;
done:
	if ((rc = deploy_step_record_ref(x->ctx, s, "new")) < 0)
		goto out;
	what = mark_what(tag, env, reason, lift, 1);
	printf("%s\n", what);
out:
	free(what);
	free(reflog);
	return rc;
}

static int
yank_step_run(struct plan_exec *x, struct plan_step *s)
{
	if (s->kind == PLAN_MARK)
		return yank_step_mark(x, s);
	if (s->kind == PLAN_PUSH)
		return deploy_step_push(x, s);
	return PLAN_DEFAULT;
}

static int
yank_step_undo(struct plan_exec *x, struct plan_step *s)
{
	int rc;

	if (s->kind == PLAN_MARK && (rc = deploy_step_adopt(x, s)) < 0)
		return rc;
	/* the first mark: the ref goes, its reflog stays */
	if (s->kind == PLAN_MARK && plan_get(&s->attrs, "old") == NULL)
		return deploy_step_delete_first(x, s, "release --abort: the "
		    "first mark taken back");
	return PLAN_DEFAULT;
}

const struct plan_ops yank_ops = {
	"yank", yank_step_run, yank_step_undo, "git release",
};

/* the plan of a yank whose checks passed */
static void
yank_plan(struct plan *p, struct ctx *ctx, const struct yank_opts *o,
    const char *tag, const struct mark_list *lift, int marked)
{
	struct strlist refs = STRLIST_INIT;
	struct plan_step *s;
	size_t i;

	plan_begin(p, "yank", ctx->cmdline);
	plan_set(&p->attrs, "tag", tag);
	if (ctx->set.component != NULL)
		plan_set(&p->attrs, "component", ctx->set.component->name);
	s = plan_add(p, PLAN_CHECK);
	if (o->undo)
		plan_setf(&s->attrs, "what", "%s has %zu mark%s to lift", tag,
		    lift->nr, lift->nr == 1 ? "" : "s");
	else if (marked)
		plan_setf(&s->attrs, "what", "%s is already marked bad%s%s: "
		    "%s", tag, o->env ? " from " : "", o->env ? o->env : "",
		    o->reason);
	else
		plan_setf(&s->attrs, "what", "%s is not yet marked bad%s%s "
		    "with that reason", tag, o->env ? " from " : "",
		    o->env ? o->env : "");
	for (i = 0; i < lift->nr; i++)
		add_mark_step(p, tag, lift->items[i].env,
		    lift->items[i].reason, 1);
	if (!o->undo && !marked)
		add_mark_step(p, tag, o->env, o->reason, 0);
	if (o->push) {
		strlist_add(&refs, DEPLOY_MARKS_REF);
		deploy_plan_push(p, ctx, &refs);
	}
	strlist_release(&refs);
}

/* what the run leaves for people: the undo line, when anything changed */
static void
print_undo(const struct plan *p)
{
	struct strbuf undo = STRBUF_INIT;

	plan_undo_line(&undo, p);
	if (undo.len)
		printf("undo: %s\n", undo.buf);
	strbuf_release(&undo);
}

int
yank_release(struct ctx *ctx, const struct yank_opts *o, const char *name)
{
	struct release_list l = RELEASE_LIST_INIT;
	struct marks marks = MARKS_INIT;
	struct mark_list lift = MARK_LIST_INIT;
	struct plan p = PLAN_INIT;
	struct journal j = JOURNAL_INIT;
	const struct mark_list *was;
	const struct release *r;
	FILE *fp = NULL;
	int ret, marked = 0;

	ctx->read_only = o->dry_run;
	if ((ret = release_list_load(&l, ctx)) < 0 ||
	    (ret = release_lookup(&r, &l, ctx, name)) < 0 ||
	    (o->env != NULL && (ret = env_require(ctx, o->env, 0)) < 0))
		goto out;
	if (o->push && !remote_exists(ctx, ctx->set.remote)) {
		ret = error("cannot push: remote '%s' does not exist",
		    ctx->set.remote);
		goto out;
	}
	if ((ret = repo_require_no_operation(ctx, "yank a release")) < 0 ||
	    (!o->dry_run && (ret = repo_lock(ctx)) < 0) ||
	    (o->push && !o->dry_run && (ret = deploylog_fetch(ctx)) < 0) ||
	    (ret = marks_load(&marks, ctx)) < 0)
		goto out;
	was = marks_of(&marks, r->tag);
	if (o->undo) {
		yank_matches(&lift, was, o);
		if (lift.nr == 0) {
			if (was == NULL)
				ret = error("release '%s' is not marked bad",
				    r->tag);
			else
				ret = error("release '%s' has no bad mark%s%s%s"
				    "%s", r->tag, o->env ? " from '" : "",
				    o->env ? o->env : "", o->env ? "'" : "",
				    o->reason ? " with that reason" : "");
			hint("its marks: %s", was ? marks_reason(&marks,
			    r->tag) : "none");
			goto out;
		}
	} else if (was != NULL && mark_list_find(was, o->env, o->reason) >= 0) {
		if (o->json)	/* the object says it on stdout */
			info("%s is already marked bad%s%s: %s", r->tag,
			    o->env ? " from " : "", o->env ? o->env : "",
			    o->reason);
		else
			printf("%s is already marked bad%s%s: %s\n", r->tag,
			    o->env ? " from " : "", o->env ? o->env : "",
			    o->reason);
		/* marked here, maybe not yet there: --push still pushes */
		marked = 1;
		ret = 0;
		if (!o->push && !o->json)
			goto out;
	}
	yank_plan(&p, ctx, o, r->tag, &lift, marked);
	if (o->dry_run) {
		plan_print_dry_run(stdout, &p, o->json);
		ret = 0;
		goto out;
	}
	if (marked && !o->push) {
		/* --json, nothing to do: the check alone, done */
		p.steps[0].status = PLAN_DONE;
		plan_print_json(stdout, &p, 0);
		goto out;
	}
	/* from here on stdout is the one JSON object's, the text stderr's */
	if (o->json)
		fp = plan_json_stdout();
	if ((ret = journal_begin(&j, ctx, &p)) < 0)
		goto out;
	ret = plan_execute(ctx, &j, &yank_ops, NULL, PLAN_EXEC_NO_HINT);
	if (ret < 0 && deploy_push_failed(&p))
		journal_remove(&j);
	else if (ret < 0)
		hint("the rest of the plan is kept: \"git release --continue\" "
		    "finishes it, \"git release --abort\" undoes what was "
		    "done");
	if (fp != NULL && ret < 0 && journal_exists(ctx))
		plan_set(&p.attrs, "undo", "git release --abort");
	if (fp != NULL)
		plan_print_json(fp, &p, 0);
	else if (ret == 0)
		print_undo(&p);
out:
	if (fp != NULL)
		plan_json_stdout_close(fp);
	journal_release(&j);
	plan_release(&p);
	mark_list_release(&lift);
	marks_release(&marks);
	release_list_release(&l);
	return ret;
}
