/*
 * The automatic rollback after a deploy that did not verify: the
 * failed release is marked bad, the environment rolled back once,
 * deploy-only, to what ran before (or the last good release), and that
 * verified within its own budget.  Never a second one: whatever
 * happens here ends the command with the environment's state told.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "checklist.h"
#include "hold.h"
#include "rollback.h"
#include "target.h"
#include "verify.h"
#include "verify-int.h"
#include "banned.h"

/* what ran before if it is good, else the last good release below e */
static int
pick_target(const struct release **out, struct ctx *ctx,
    const struct release_list *l, const struct marks *marks,
    const char *previous, const char *failed)
{
	const struct release *r;

	*out = NULL;
	if (previous != NULL && strcmp(previous, failed) != 0 &&
	    marks_reason(marks, previous) == NULL &&
	    (r = release_find(l, ctx, previous)) != NULL) {
		*out = r;
		return 0;
	}
	if ((r = release_find(l, ctx, failed)) == NULL)
		return error_fatal("'%s' is no release here", failed);
	*out = rollback_default_target(l, marks, r);
	return 0;
}

/* the migrations between target and the failed release */
static int
migrations_between(size_t *n, struct ctx *ctx, const char *env,
    const char *failed, const char *target)
{
	struct checklist cl = CHECKLIST_INIT;
	int rc;

	cl.range.from = failed;
	rc = checklist_load(&cl, ctx, env, target, RANGE_ALLOW_BAD);
	*n = rc == 0 ? cl.migrations.nr : 0;
	checklist_release(&cl);
	return rc;
}

struct trigger_walk {
	const char	*trigger;
	git_oid		*out;
	int		 found;
};

/* the rollback entry whose trigger is the failed entry */
static int
trigger_one(const struct deploy_entry *e, void *payload)
{
	struct trigger_walk *w = payload;

	if (e->kind == DEPLOY_KIND_DEPLOY)
		return 1;	/* the failed deploy itself: none after it */
	if (e->kind != DEPLOY_KIND_ROLLBACK || e->trigger == NULL ||
	    strcmp(e->trigger, w->trigger) != 0)
		return 0;
	*w->out = e->id;
	w->found = 1;
	return 1;
}

static void
manual_hint(const struct deploy_entry *e, const char *target,
    const char *extra)
{
	hint("roll back by hand: git rollback %s --env %s --deploy-only "
	    "-m 'verification of %s failed'%s", target, e->env, e->tag,
	    extra);
}

int
verify_auto_rollback(struct verify_outcome *out, struct ctx *ctx,
    const struct verify_deploy_opts *o, const struct deploy_entry *e)
{
	struct release_list l = RELEASE_LIST_INIT;
	struct marks marks = MARKS_INIT;
	struct rollback_opts ro = ROLLBACK_OPTS_INIT;
	const struct release *target = NULL;
	char *reason = NULL, *reflog = NULL, trigger[GIT_OID_HEXSZ + 1];
	struct trigger_walk tw = { NULL, NULL, 0 };
	struct hold h;
	size_t migrations = 0;
	int ret, rc;

	memset(&h, 0, sizeof(h));
	reason = xstrfmt("verification failed: %s", out->vr.first_line ?
	    out->vr.first_line : "?");
	reflog = xstrfmt("deploy: %s did not verify on %s", e->tag, e->env);
	/* the mark names the environment the release failed on */
	if ((ret = marks_add(ctx, e->tag, e->env, reason, reflog)) < 0)
		goto out;
	info("marked %s bad on '%s': %s", e->tag, e->env, reason);
	if ((ret = release_list_load(&l, ctx)) < 0 ||
	    (ret = marks_load(&marks, ctx)) < 0 ||
	    (ret = pick_target(&target, ctx, &l, &marks, o->previous,
	    e->tag)) < 0)
		goto out;
	if (target == NULL) {
		out->kind = VERIFY_OUTCOME_NOT_ROLLED_BACK;
		error("no good release to roll '%s' back to: %s stays "
		    "deployed, unverified", e->env, e->tag);
		ret = 0;
		goto out;
	}
	if ((ret = migrations_between(&migrations, ctx, e->env, e->tag,
	    target->tag)) < 0) {
		/* a target the checks refuse: a person decides */
		out->kind = VERIFY_OUTCOME_NOT_ROLLED_BACK;
		ret = 0;
		goto out;
	}
	if (migrations > 0 && !o->vc->rollback_migrate) {
		out->kind = VERIFY_OUTCOME_MIGRATIONS_BLOCK;
		error("%zu migration%s between %s and %s: no automatic "
		    "rollback (deploy.%s.rollbackOnFailureMigrate)", migrations,
		    migrations == 1 ? "" : "s", target->tag, e->tag, e->env);
		hint("%s stays deployed, unverified, and is marked bad",
		    e->tag);
		manual_hint(e, target->tag, " --migrate");
		ret = 0;
		goto out;
	}
	git_oid_tostr(trigger, sizeof(trigger), &e->id);
	ro.target = target->tag;
	ro.env = e->env;
	ro.reason = reason;
	ro.strategy = ROLLBACK_DEPLOY_ONLY;
	ro.migrate = migrations > 0;
	ro.force = 1;		/* its mark, if any, was judged above */
	ro.no_hook = o->no_hook;
	ro.no_fetch = 1;
	ro.yes = 1;
	ro.from = e->tag;
	ro.trigger = trigger;
	ro.verify_timeout_ms = o->vc->rollback_timeout_ms;
	ro.automatic = 1;
	info("rolling '%s' back to %s automatically", e->env, target->tag);
	rc = rollback_run(ctx, &ro);
	out->rollback_to = xstrdup(target->tag);
	tw.trigger = trigger;
	tw.out = &out->rollback_entry;
	if ((ret = deploylog_walk(ctx, e->env, trigger_one, &tw)) < 0)
		goto out;
	out->rolled = tw.found;
	/* the rollback held env at its target */
	if ((ret = hold_state(&h, ctx, e->env)) < 0)
		goto out;
	if (out->rolled && h.held && strcmp(h.tag, target->tag) == 0) {
		out->held = 1;
		out->hold_entry = h.id;
	}
	if (rc == 0) {
		out->kind = VERIFY_OUTCOME_ROLLED_BACK;
		info("rolled '%s' back to %s, verified; %s is marked bad",
		    e->env, target->tag, e->tag);
	} else {
		/* never a second automatic rollback: say where things are */
		out->kind = VERIFY_OUTCOME_ROLLBACK_FAILED;
		if (out->rolled)
			error("the automatic rollback failed: '%s' runs %s, "
			    "which did not verify either; %s is marked bad; "
			    "nothing more is done automatically", e->env,
			    target->tag, e->tag);
		else
			error("the automatic rollback to %s stopped before "
			    "its record: '%s' may still run %s, unverified "
			    "and marked bad; nothing more is done "
			    "automatically", target->tag, e->env, e->tag);
		hint("check '%s', then deploy a release that works: "
		    "git release deploy <tag> --env %s%s", e->env, e->env,
		    out->held ? " --lift-hold" : "");
	}
	ret = 0;
out:
	hold_release(&h);
	marks_release(&marks);
	release_list_release(&l);
	free(reason);
	free(reflog);
	return ret;
}
