/*
 * The rollback itself.  One struct carries the plan through the five
 * steps of DESIGN.md's order of effects; each step either completes or
 * leaves the ones after it undone, and says how to go on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ask.h"
#include "component.h"
#include "deploylog.h"
#include "hold.h"
#include "hook.h"
#include "push.h"
#include "revert.h"
#include "rollback-int.h"
#include "banned.h"

const char *
rollback_strategy_name(enum rollback_strategy s)
{
	switch (s) {
	case ROLLBACK_BRANCH:
		return "branch";
	case ROLLBACK_RESET:
		return "reset";
	case ROLLBACK_REVERT:
		return "revert";
	case ROLLBACK_DEPLOY_ONLY:
		return "deploy-only";
	}
	return "?";
}

/* --- step 2: the git change and its push --- */

static int
checkout_commit(struct rb *rb, const git_oid *id)
{
	git_checkout_options co = GIT_CHECKOUT_OPTIONS_INIT;
	git_commit *c = NULL;
	int rc = 0;

	co.checkout_strategy = GIT_CHECKOUT_SAFE;
	if (git_commit_lookup(&c, rb->ctx->repo, id) < 0 ||
	    git_checkout_tree(rb->ctx->repo, (git_object *)c, &co) < 0)
		rc = error_git(E_REFUSED, "cannot check out %s", hexid(id).s);
	git_commit_free(c);
	return rc;
}

/* move refname from -> to (compare and swap), the worktree with it */
static int
move_branch(struct rb *rb, const git_oid *to, const git_oid *from,
    const char *msg)
{
	git_reference *ref = NULL;
	int rc;

	if (rb->checked_out && (rc = checkout_commit(rb, to)) < 0)
		return rc;
	rc = git_reference_create_matching(&ref, rb->ctx->repo, rb->refname,
	    to, 1, from, msg);
	git_reference_free(ref);
	if (rc < 0) {
		rc = error_git(E_REFUSED, "cannot move '%s'", rb->branch);
		if (rb->checked_out)
			checkout_commit(rb, from);
	}
	return rc;
}

/*
 * What the rollback still has to do after its reverts, should they stop
 * on a conflict: "key value" lines that rollback_resume() reads back.
 */
static char *
then_text(struct rb *rb)
{
	const struct rollback_opts *o = rb->o;
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "target %s\nenv %s\nold %s\n", rb->to->tag, o->env,
	    hexid(&rb->old).s);
	strbuf_addf(&sb, "squash %d\nmigrate %d\nignore-migrations %d\n"
	    "force %d\nno-hook %d\npush %d\nno-hold %d\n", o->squash,
	    o->migrate, o->ignore_migrations, o->force, o->no_hook, o->push,
	    o->no_hold);
	/* last: the reason may hold newlines */
	strbuf_addf(&sb, "reason %s", rb->reason);
	return strbuf_detach(&sb, NULL);
}

static int
apply_revert(struct rb *rb)
{
	struct revert_opts ro = REVERT_OPTS_INIT;
	struct revert_result res = REVERT_RESULT_INIT;
	char *then;
	int rc;

	if (rb->o->resumed != NULL)	/* git rollback --continue made them */
		return 0;

	ro.branch = rb->refname;
	ro.reason = rb->reason;
	ro.rollback_from = rb->from->tag;
	ro.rollback_to = rb->to->tag;
	ro.reflog = rb->reflog;
	ro.squash = rb->o->squash;
	ro.first_parent = 1;
	ro.then = then = then_text(rb);
	rc = revert_rollback(&res, rb->ctx, &rb->to->commit,
	    &rb->from->commit, &ro);
	free(then);
	if (rc < 0) {
		if (res.stopped)
			hint("'git rollback --continue' then finishes the "
			    "rollback: %s%shook and record",
			    rb->o->push ? "push, " : "",
			    rb->o->migrate ? "migrations, " : "");
		return rc;
	}
	git_oid_cpy(&rb->old, &res.old_tip);
	git_oid_cpy(&rb->new, &res.new_tip);
	return 0;
}

static int
push_change(struct rb *rb)
{
	const char *remote = rb->ctx->set.remote;
	struct strbuf why = STRBUF_INIT;
	struct push_ref p;
	git_oid theirs;
	int found = 0, rc;

	rollback_push_ref(rb, &p);
	rc = push_refs(rb->ctx, remote, &p, 1, 0, &why);
	if (rc == 0) {
		rb->pushed = 1;
		goto out;
	}
	/* put the local branch back: nothing else happens */
	if (rb->o->strategy == ROLLBACK_BRANCH) {
		git_reference *ref = NULL;

		if (git_reference_lookup(&ref, rb->ctx->repo,
		    rb->refname) == 0)
			git_reference_delete(ref);
		git_reference_free(ref);
	} else {
		char *msg = xstrfmt("rollback: push refused, back to %s",
		    rb->from->tag);

		move_branch(rb, &rb->old, &rb->new, msg);
		free(msg);
	}
	if (remote_ref(&theirs, &found, rb->ctx, remote, rb->refname) == 0
	    && found && !git_oid_equal(&theirs, &rb->old))
		error("remote '%s' holds %s at '%s', not %s: the push was "
		    "refused", remote, hexid(&theirs).s, rb->branch,
		    git_oid_is_zero(&rb->old) ? "nothing" : hexid(&rb->old).s);
	else
		error("the push of '%s' to '%s' was refused%s%s", rb->branch,
		    remote, why.len ? ": " : "", why.buf);
	if (rb->o->strategy == ROLLBACK_BRANCH)
		hint("the local branch '%s' was removed again; nothing changed",
		    rb->branch);
	else
		hint("the local branch '%s' is back at %s; nothing else "
		    "changed", rb->branch, hexid(&rb->old).s);
	rc = E_REFUSED;
out:
	strbuf_release(&why);
	return rc;
}

static int
apply_git(struct rb *rb)
{
	git_reference *ref = NULL;
	int rc = 0;

	switch (rb->o->strategy) {
	case ROLLBACK_BRANCH:
		if (git_reference_create(&ref, rb->ctx->repo, rb->refname,
		    &rb->new, 0, rb->reflog) < 0)
			return error_git(E_REFUSED, "cannot create '%s'",
			    rb->branch);
		git_reference_free(ref);
		info("created %s at %s", rb->branch, rb->to->tag);
		break;
	case ROLLBACK_RESET:
		if (git_oid_equal(&rb->old, &rb->new)) {
			info("%s is at %s already", rb->branch, rb->to->tag);
			return 0;
		}
		if ((rc = move_branch(rb, &rb->new, &rb->old,
		    rb->reflog)) < 0)
			return rc;
		info("moved %s from %.7s to %s", rb->branch, hexid(&rb->old).s,
		    rb->to->tag);
		break;
	case ROLLBACK_REVERT:
		if ((rc = apply_revert(rb)) < 0)
			return rc;
		if (git_oid_equal(&rb->old, &rb->new))
			return 0;
		break;
	case ROLLBACK_DEPLOY_ONLY:
		return 0;
	}
	if (rb->o->push)
		rc = push_change(rb);
	return rc;
}

/* --- steps 3 to 5 --- */

static int
migrate_down(struct rb *rb)
{
	struct migration_tree t = MIGRATION_TREE_INIT;
	int rc;

	if (!rb->o->migrate || rb->cl.migrations.nr == 0)
		return 0;
	/* the running release's files, even when the worktree moved on */
	if ((rc = migration_tree_prepare(&t, rb->ctx, &rb->from->commit)) < 0)
		return rc;
	rc = migrations_run_down(&rb->migrations_ran, &rb->cl.migrations,
	    rb->ctx->set.migrate_down, t.dir);
	migration_tree_remove(&t);
	return rc;
}

static int
run_hook(struct rb *rb)
{
	struct deploy_entry e;
	struct hook_vars v;
	int waits = rb->vc.command != NULL && !rb->o->no_verify, rc;

	memset(&v, 0, sizeof(v));
	v.env = rb->o->env;
	v.tag = rb->to->tag;
	v.v = &rb->to->v;
	v.commit = rb->to_hex;
	v.kind = "rollback";
	v.reason = rb->reason;
	v.from = rb->from->tag;
	/* with something to wait for, the attempt is on record first */
	rollback_entry(&e, rb);
	if ((rc = verify_attempt_start(&rb->att, rb->ctx, &e, waits)) < 0)
		return rc;
	if (!rb->o->no_hook && (rc = hook_run(rb->ctx, &v)) < 0) {
		if (rb->att.has_started) {
			e.status = DEPLOY_STATUS_FAILED;
			e.verify = "failed";
			e.verify_output = "the deploy hook failed";
			if (verify_attempt_finish(&e.id, rb->ctx, &rb->att, &e,
			    NULL) == 0)
				hint("recorded as a failed attempt (%.7s)",
				    git_oid_tostr_s(&e.id));
		}
		return rc;
	}
	if (!waits)
		return 0;
	if ((rc = verify_run(&rb->vr, rb->ctx, &rb->vc, &v,
	    rb->o->verify_timeout_ms ? rb->o->verify_timeout_ms :
	    rb->vc.timeout_ms)) < 0)
		return rc;
	rb->verify_failed = !rb->vr.passed;
	return 0;
}

static int
record(struct rb *rb)
{
	struct strlist refs = STRLIST_INIT;
	struct deploy_entry e;
	git_oid id;
	int created = 0, rc;

	rollback_entry(&e, rb);
	if (rb->vc.command != NULL && rb->o->no_verify)
		e.verify = "skipped";
	else if (rb->vc.command != NULL) {
		e.verify = rb->vr.passed ? "passed" : "failed";
		e.verify_output = rb->vr.first_line;
		e.verify_attempts = rb->vr.attempts;
		e.verify_ms = rb->vr.elapsed_ms;
		if (!rb->vr.passed)
			e.status = DEPLOY_STATUS_FAILED;
	}
	if ((rc = verify_attempt_finish(&id, rb->ctx, &rb->att, &e,
	    &created)) < 0 ||
	    (rc = marks_add(rb->ctx, rb->from->tag, rb->o->env, rb->reason,
	    rb->reflog)) < 0)
		return rc;
	rb->recorded = 1;
	/* automation must not deploy past it: hold env at the target */
	if (!rb->o->no_hold && (rc = hold_after_rollback(&rb->hold, &rb->held,
	    rb->ctx, rb->o->env, rb->to, rb->from->tag)) < 0)
		return rc;
	if (!rb->o->push)
		return 0;
	rollback_log_refs(&refs, rb, 0);
	rc = deploylog_push(rb->ctx, (const char *const *)refs.items);
	strlist_release(&refs);
	return rc;
}

/*
 * What to do when a step after the git change failed: run the rollback
 * again (it finds its git change made and goes on from there; a new
 * rollback branch would be a second one, so that one is removed first),
 * never a plain deploy that would skip the migration gate.  Down
 * commands that ran are not run twice: the ones left are printed to
 * run by hand, and the retry leaves migrations alone.
 */
static void
after_failure(struct rb *rb, const char *what, int migrations_failed)
{
	const struct migration_list *l = &rb->cl.migrations;
	struct strbuf undo = STRBUF_INIT, retry = STRBUF_INIT;
	int ran_some = rb->o->migrate && rb->migrations_ran > 0;
	size_t i;

	hint("%s: nothing was recorded as deployed", what);
	rollback_undo_git(&undo, rb);
	if (rb->o->strategy == ROLLBACK_BRANCH && undo.len > 0)
		strbuf_addf(&retry, "%s && ", undo.buf);
	rollback_command(&retry, rb, ran_some || (rb->o->migrate &&
	    !migrations_failed));
	if (migrations_failed && ran_some) {
		hint("undo the migrations left by hand once the failure is "
		    "understood:");
		for (i = rb->migrations_ran; i < l->nr; i++) {
			struct strbuf cmd = STRBUF_INIT;

			checklist_down_command(&cmd, &l->items[i],
			    rb->ctx->set.migrate_down);
			hint("  %s", cmd.buf);
			strbuf_release(&cmd);
		}
		hint("then finish the rollback: %s", retry.buf);
	} else
		hint("retry the rollback: %s", retry.buf);
	if (undo.len > 0)
		hint("or undo the git change: %s", undo.buf);
	strbuf_release(&undo);
	strbuf_release(&retry);
}

static int
get_reason(struct rb *rb)
{
	char *about;
	int rc;

	if (rb->o->reason != NULL) {
		rb->reason = xstrdup(rb->o->reason);
		return 0;
	}
	if (!interactive())
		return E_USAGE;
	about = xstrfmt("\n# Why is %s rolled back from %s to %s?\n"
	    "# Lines starting with '#' are ignored; an empty reason "
	    "aborts.\n", rb->o->env, rb->from->tag, rb->to->tag);
	rc = edit_text(&rb->reason, rb->ctx, "ROLLBACK_REASON", about);
	free(about);
	if (rc < 0)
		return rc;
	if (str_blank(rb->reason)) {
		error("empty reason: rollback aborted");
		return E_USAGE;
	}
	return 0;
}

int
rollback_run(struct ctx *ctx, const struct rollback_opts *o)
{
	struct rb rb;
	struct strbuf undo = STRBUF_INIT;
	int rc;

	memset(&rb, 0, sizeof(rb));
	rb.ctx = ctx;
	rb.o = o;
	rb.cl = (struct checklist)CHECKLIST_INIT;
	ctx->read_only = o->dry_run;
	rb.eb = (struct target_branch)TARGET_BRANCH_INIT;
	if (o->reason == NULL && (o->dry_run || !interactive())) {
		rc = error("a reason is required: -m <reason>");
		rc = E_USAGE;
		goto out;
	}
	/* a malformed duration stops us before anything happens */
	if ((rc = verify_config_load(&rb.vc, ctx, o->env)) < 0)
		goto out;
	if (!o->dry_run && (rc = repo_lock(ctx)) < 0)
		goto out;
	if (!o->dry_run && !o->no_fetch)
		deploylog_fetch(ctx);
	/* 1. every check without side effects */
	if ((rc = rollback_check_all(&rb)) < 0 || (rc = get_reason(&rb)) < 0)
		goto out;
	if (o->dry_run) {
		rollback_print_plan(stdout, &rb, 1);
		if (o->strategy == ROLLBACK_REVERT) {
			struct revert_opts ro = REVERT_OPTS_INIT;
			struct revert_result res = REVERT_RESULT_INIT;

			ro.branch = rb.refname;
			ro.reason = rb.reason;
			ro.rollback_from = rb.from->tag;
			ro.rollback_to = rb.to->tag;
			ro.squash = o->squash;
			ro.first_parent = 1;
			ro.dry_run = 1;
			fflush(stdout);
			rc = revert_rollback(&res, ctx, &rb.to->commit,
			    &rb.from->commit, &ro);
			if (rc < 0)
				goto out;
		}
		rc = 0;
		goto out;
	}
	if (o->strategy == ROLLBACK_RESET && !o->yes && interactive()) {
		char *q;
		int yes;

		rollback_print_plan(stderr, &rb, 0);
		q = xstrfmt("Roll back %s, moving branch %s%s?", o->env,
		    rb.branch, rb.eb.drops_nr > 0 && !o->force ?
		    ", and drop those commits" : "");
		yes = ask_yes(q);
		free(q);
		if (!yes) {
			rc = error("rollback not confirmed: nothing changed");
			goto out;
		}
	}
	/* 2. the git change, pushed atomically */
	if ((rc = apply_git(&rb)) < 0)
		goto out;
	/* 3. migrations down */
	if ((rc = migrate_down(&rb)) < 0) {
		after_failure(&rb, "the migrations stopped", 1);
		goto out;
	}
	/* 4. the deploy hook, and verification when configured */
	if ((rc = run_hook(&rb)) < 0) {
		after_failure(&rb, "the deploy hook failed", 0);
		goto out;
	}
	/* 5. the record and the bad mark; a failed push of them is told */
	if ((rc = record(&rb)) < 0 && !rb.recorded)
		goto out;
	if (rb.verify_failed) {
		/* never a second rollback: say where things stand */
		rc = error("the rollback of %s to %s did not verify: %s",
		    o->env, rb.to->tag, rb.vr.first_line ?
		    rb.vr.first_line : "?");
		if (!o->automatic)
			hint("%s was deployed but is not healthy; it is "
			    "recorded as a failed rollback and %s is "
			    "still marked bad", rb.to->tag, rb.from->tag);
		goto out;
	}
	if (o->automatic)
		goto out;
	rollback_undo_git(&undo, &rb);
	/* deploying what ran before lifts the hold this put */
	strbuf_addf(&undo, "%sgit release deploy %s --env %s --force%s",
	    undo.len ? " && " : "", rb.from->tag, o->env,
	    rb.held ? " --lift-hold" : "");
	if (!err_quiet() && rb.held)
		printf("rolled back %s from %s to %s (%s)\nheld %s at %s "
		    "(log entry %.7s)\nundo: %s\n", o->env,
		    rb.from->tag, rb.to->tag,
		    rollback_strategy_name(o->strategy), o->env, rb.to->tag,
		    git_oid_tostr_s(&rb.hold), undo.buf);
	else if (!err_quiet())
		printf("rolled back %s from %s to %s (%s)\nundo: %s\n",
		    o->env, rb.from->tag, rb.to->tag,
		    rollback_strategy_name(o->strategy), undo.buf);
out:
	checklist_release(&rb.cl);
	target_branch_release(&rb.eb);
	verify_result_release(&rb.vr);
	strbuf_release(&undo);
	free(rb.reason);
	free(rb.reflog);
	free(rb.refname);
	free(rb.branch);
	return rc;
}

int
rollback_resume(struct ctx *ctx, const char *then)
{
	struct rollback_opts o = ROLLBACK_OPTS_INIT;
	struct strbuf text = STRBUF_INIT;
	char *target = NULL, *env = NULL, *cur, *line, *v, *reason;
	git_oid old;
	int have_old = 0, rc;

	strbuf_addstr(&text, then);
	if ((reason = strstr(text.buf, "\nreason ")) != NULL) {
		*reason = '\0';
		o.reason = reason + 8;
	}
	for (cur = text.buf; kv_next(&cur, &line, &v);) {
		if (strcmp(line, "target") == 0)
			target = v;
		else if (strcmp(line, "env") == 0)
			env = v;
		else if (strcmp(line, "old") == 0)
			have_old = git_oid_fromstr(&old, v) == 0;
		else if (strcmp(line, "squash") == 0)
			o.squash = atoi(v);
		else if (strcmp(line, "migrate") == 0)
			o.migrate = atoi(v);
		else if (strcmp(line, "ignore-migrations") == 0)
			o.ignore_migrations = atoi(v);
		else if (strcmp(line, "force") == 0)
			o.force = atoi(v);
		else if (strcmp(line, "no-hook") == 0)
			o.no_hook = atoi(v);
		else if (strcmp(line, "push") == 0)
			o.push = atoi(v);
		else if (strcmp(line, "no-hold") == 0)
			o.no_hold = atoi(v);
	}
	if (target == NULL || env == NULL || !have_old || o.reason == NULL) {
		rc = error_fatal("the stopped rollback's state is corrupt");
		goto out;
	}
	o.target = target;
	o.env = env;
	/* the target's prefix says which component was rolled back */
	if ((rc = component_select(ctx, NULL, target, 0)) < 0)
		goto out;
	o.strategy = ROLLBACK_REVERT;
	o.resumed = &old;
	o.yes = 1;
	o.no_fetch = 1;
	rc = rollback_run(ctx, &o);
out:
	strbuf_release(&text);
	return rc;
}
