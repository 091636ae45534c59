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
#include "plan.h"
#include "revert.h"
#include "rollback-int.h"
#include "tag.h"
#include "treediff.h"
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

int
rollback_checkout_recover(struct rb *rb, const git_oid *from,
    const git_oid *to)
{
	git_checkout_options co = GIT_CHECKOUT_OPTIONS_INIT;
	struct strlist paths = STRLIST_INIT;
	git_repository *repo = rb->ctx->repo;
	git_commit *a = NULL, *b = NULL;
	int rc = 0;

	if (git_commit_lookup(&a, repo, from) < 0 ||
	    git_commit_lookup(&b, repo, to) < 0 ||
	    tree_changed_paths(&paths, repo, git_commit_tree_id(a),
	    git_commit_tree_id(b)) < 0) {
		rc = error_git(E_FATAL, "cannot read %s and %s",
		    hexid(from).s, hexid(to).s);
		goto out;
	}
	if (paths.nr == 0)
		goto out;
	co.checkout_strategy = GIT_CHECKOUT_FORCE |
	    GIT_CHECKOUT_REMOVE_UNTRACKED |
	    GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
	co.paths.strings = paths.items;
	co.paths.count = paths.nr;
	if (git_checkout_tree(repo, (git_object *)b, &co) < 0)
		rc = error_git(E_FATAL, "cannot check out %s", hexid(to).s);
out:
	strlist_release(&paths);
	git_commit_free(a);
	git_commit_free(b);
	return rc;
}

/* move refname from -> to (compare and swap), the worktree with it */
static int
move_branch(struct rb *rb, const git_oid *to, const git_oid *from,
    const char *msg)
{
	git_reference *ref = NULL;
	int rc;

	/* resumed: the worktree may hold half a checkout, ours */
	if (rb->checked_out && (rc = rb->resuming ?
	    rollback_checkout_recover(rb, from, to) :
	    checkout_commit(rb, to)) < 0)
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

static int
apply_revert(struct rb *rb)
{
	struct revert_opts ro = REVERT_OPTS_INIT;
	struct revert_result res = REVERT_RESULT_INIT;
	int rc;

	ro.branch = rb->refname;
	ro.reason = rb->reason;
	ro.rollback_from = rb->from->tag;
	ro.rollback_to = rb->to->tag;
	ro.reflog = rb->reflog;
	ro.squash = rb->o->squash;
	ro.first_parent = 1;
	/* the sequence's state is a file beside our journal */
	rc = revert_rollback(&res, rb->ctx, &rb->to->commit,
	    &rb->from->commit, &ro);
	if (rc < 0) {
		rb->stopped = res.stopped;
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
git_change_revert(struct rb *rb)
{
	git_oid cur;

	if (rb->resuming) {
		rollback_ref_id(&cur, rb->ctx, rb->refname);
		/*
		 * The sequence ended, here by --continue or --skip, or
		 * before the kill: what it made is the change.
		 */
		if (rb->sequence_ended || !git_oid_equal(&cur, &rb->old)) {
			git_oid_cpy(&rb->new, &cur);
			return 0;
		}
	}
	return apply_revert(rb);
}

static int
git_change(struct rb *rb)
{
	git_reference *ref = NULL;
	git_oid cur;

	rollback_ref_id(&cur, rb->ctx, rb->refname);
	switch (rb->o->strategy) {
	case ROLLBACK_BRANCH:
		if (rb->resuming && git_oid_equal(&cur, &rb->new))
			return 0;
		if (git_reference_create(&ref, rb->ctx->repo, rb->refname,
		    &rb->new, 0, rb->reflog) < 0)
			return error_git(E_REFUSED, "cannot create '%s'",
			    rb->branch);
		git_reference_free(ref);
		info("created %s at %s", rb->branch, rb->to->tag);
		return 0;
	case ROLLBACK_RESET:
		if (git_oid_equal(&rb->old, &rb->new)) {
			info("%s is at %s already", rb->branch, rb->to->tag);
			return 0;
		}
		/* made before the kill: only the worktree may be behind */
		if (rb->resuming && git_oid_equal(&cur, &rb->new))
			return rb->checked_out ? rollback_checkout_recover(rb,
			    &rb->old, &rb->new) : 0;
		if (move_branch(rb, &rb->new, &rb->old, rb->reflog) < 0)
			return E_REFUSED;
		info("moved %s from %.7s to %s", rb->branch, hexid(&rb->old).s,
		    rb->to->tag);
		return 0;
	case ROLLBACK_REVERT:
		return git_change_revert(rb);
	case ROLLBACK_DEPLOY_ONLY:
		return 0;
	}
	return 0;
}

/* a refused push: the local branch as it was, nothing else happens */
static void
put_back(struct rb *rb)
{
	git_reference *ref = NULL;
	git_oid cur;

	rollback_ref_id(&cur, rb->ctx, rb->refname);
	if (!git_oid_equal(&cur, &rb->new))
		return;
	if (rb->o->strategy == ROLLBACK_BRANCH) {
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
	rb->done &= ~RB_GIT;
}

static int
push_change(struct rb *rb)
{
	const char *remote = rb->ctx->set.remote;
	struct strbuf why = STRBUF_INIT;
	struct push_ref p;
	git_oid theirs;
	int found = 0, rc;

	/* killed while pushing: the remote says whether it got there */
	if (rb->resuming && (rb->done & RB_STARTED(RB_PUSH))) {
		if ((rc = remote_ref(&theirs, &found, rb->ctx, remote,
		    rb->refname)) < 0)
			return rc;
		if (found && git_oid_equal(&theirs, &rb->new)) {
			rb->pushed = 1;
			return 0;
		}
	}
	rollback_push_ref(rb, &p);
	rc = push_refs(rb->ctx, remote, &p, 1, 0, &why);
	if (rc == 0) {
		rb->pushed = 1;
		goto out;
	}
	put_back(rb);
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

/* --- steps 3 to 5 --- */

static int
migrate_down(struct rb *rb)
{
	struct migration_tree t = MIGRATION_TREE_INIT;
	struct migration_list left = MIGRATION_LIST_INIT;
	const struct migration_list *l = &rb->cl.migrations;
	size_t ran = 0;
	int rc;

	if (!rb->o->migrate || rb->migrations_ran >= l->nr)
		return 0;
	if (rb->resuming && (rb->done & RB_STARTED(RB_MIGRATE)))
		warning("the rollback was killed while its down commands "
		    "ran: running them again from '%s'",
		    l->items[rb->migrations_ran].id);
	/* the running release's files, even when the worktree moved on */
	if ((rc = migration_tree_prepare(&t, rb->ctx, &rb->from->commit)) < 0)
		return rc;
	left.items = l->items + rb->migrations_ran;
	left.nr = l->nr - rb->migrations_ran;
	rc = migrations_run_down(&ran, &left, rb->ctx->set.migrate_down,
	    t.dir);
	rb->migrations_ran += ran;
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

/*
 * The log's tip is this rollback's entry, made before a kill: 1, and
 * the deployed- tag that goes with it made if the kill came first.
 */
static int
recorded_already(struct rb *rb)
{
	struct deploy_entry e;
	struct strbuf msg = STRBUF_INIT;
	git_commit *c = NULL;
	char *logref = xstrfmt(DEPLOY_LOG_PREFIX "%s", rb->o->env);
	char *tag = xstrfmt(DEPLOYED_TAG_PREFIX "%s", rb->to->tag);
	git_oid tip, id;
	int ours = 0;

	memset(&e, 0, sizeof(e));
	rollback_ref_id(&tip, rb->ctx, logref);
	if (!git_oid_is_zero(&tip) && !git_oid_equal(&tip, &rb->log_old) &&
	    git_commit_lookup(&c, rb->ctx->repo, &tip) == 0 &&
	    deploy_entry_parse(&e, git_commit_message(c)) == 0)
		ours = e.kind == DEPLOY_KIND_ROLLBACK &&
		    e.status != DEPLOY_STATUS_STARTED &&
		    e.tag != NULL && strcmp(e.tag, rb->to->tag) == 0 &&
		    e.from != NULL && strcmp(e.from, rb->from->tag) == 0;
	git_error_clear();
	if (ours && !rb->deployed_existed && deploy_entry_in_effect(&e) &&
	    strcmp(rb->o->env, DEFAULT_ENV) == 0) {
		char *tagref = xstrfmt("refs/tags/%s", tag);

		rollback_ref_id(&id, rb->ctx, tagref);
		free(tagref);
		deploy_tag_message(&msg, rb->o->env, e.time);
		if (git_oid_is_zero(&id) && tag_create(&id, rb->ctx, tag,
		    &rb->to->commit, msg.buf, NULL) < 0)
			ours = -1;
	}
	strbuf_release(&msg);
	deploy_entry_release(&e);
	git_commit_free(c);
	free(logref);
	free(tag);
	return ours;
}

static int
record_entry(struct rb *rb)
{
	struct deploy_entry e;
	git_oid id;
	int created = 0, rc;

	if (rb->resuming && (rb->done & RB_STARTED(RB_RECORD)) &&
	    (rc = recorded_already(rb)) != 0)
		return rc < 0 ? E_FATAL : 0;
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
	return verify_attempt_finish(&id, rb->ctx, &rb->att, &e, &created);
}

/*
 * The hold at the target.  Resumed, a hold the killed process put is
 * found at the log's tip (hold_after_rollback() puts none when env is
 * held there already), so the report and the undo say it as the run
 * not killed would.
 */
static int
hold_step(struct rb *rb)
{
	struct deploy_entry e;
	git_commit *c = NULL;
	char *logref;
	git_oid tip;
	int rc;

	if ((rc = hold_after_rollback(&rb->hold, &rb->held, rb->ctx,
	    rb->o->env, rb->to, rb->from->tag)) < 0 || rb->held ||
	    !(rb->resuming && (rb->done & RB_STARTED(RB_HOLD))))
		return rc;
	memset(&e, 0, sizeof(e));
	logref = xstrfmt(DEPLOY_LOG_PREFIX "%s", rb->o->env);
	rollback_ref_id(&tip, rb->ctx, logref);
	if (!git_oid_equal(&tip, &rb->log_old) &&
	    git_commit_lookup(&c, rb->ctx->repo, &tip) == 0 &&
	    deploy_entry_parse(&e, git_commit_message(c)) == 0 &&
	    e.kind == DEPLOY_KIND_HOLD && e.tag != NULL &&
	    strcmp(e.tag, rb->to->tag) == 0) {
		rb->held = 1;
		git_oid_cpy(&rb->hold, &tip);
	}
	git_error_clear();
	deploy_entry_release(&e);
	git_commit_free(c);
	free(logref);
	return 0;
}

static int
push_record(struct rb *rb)
{
	struct strlist refs = STRLIST_INIT;
	int rc;

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

	rb->retry_told = 1;
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

/* mark bit begun, on disk before it has any effect */
static int
begin(struct rb *rb, unsigned bit)
{
	rb->done |= RB_STARTED(bit);
	return rollback_state_save(rb);
}

/* bit made, its step marked done in the journal */
static int
made(struct rb *rb, unsigned bit)
{
	rb->done |= bit;
	return rollback_state_made(rb, bit);
}

/*
 * Steps 2 to 5, each one not made yet, the state saved around each, then
 * the report and the undo line.  The state goes when the rollback ends,
 * done or failed with its message; it stays only for a revert stopped
 * on a conflict and, of course, when the process is killed.
 */
int
rollback_steps(struct rb *rb)
{
	const struct rollback_opts *o = rb->o;
	struct strbuf undo = STRBUF_INIT;
	char *logref;
	int rc;

	/* 2. the git change, pushed atomically */
	if (!(rb->done & RB_GIT)) {
		if ((rc = begin(rb, RB_GIT)) < 0 ||
		    (rc = git_change(rb)) < 0 || (rc = made(rb, RB_GIT)) < 0)
			goto out;
	}
	if (o->push && o->strategy != ROLLBACK_DEPLOY_ONLY &&
	    !git_oid_equal(&rb->old, &rb->new)) {
		if (rb->done & RB_PUSH)
			rb->pushed = 1;
		else if ((rc = begin(rb, RB_PUSH)) < 0 ||
		    (rc = push_change(rb)) < 0 ||
		    (rc = made(rb, RB_PUSH)) < 0)
			goto out;
	}
	/* 3. migrations down */
	if (!(rb->done & RB_MIGRATE)) {
		if ((rc = begin(rb, RB_MIGRATE)) < 0)
			goto out;
		if ((rc = migrate_down(rb)) < 0) {
			after_failure(rb, "the migrations stopped", 1);
			goto out;
		}
		if ((rc = made(rb, RB_MIGRATE)) < 0)
			goto out;
	}
	/* 4. the deploy hook, and verification when configured */
	if (!(rb->done & RB_HOOK)) {
		if ((rc = begin(rb, RB_HOOK)) < 0)
			goto out;
		if ((rc = run_hook(rb)) < 0) {
			after_failure(rb, "the deploy hook failed", 0);
			goto out;
		}
		if ((rc = made(rb, RB_HOOK)) < 0)
			goto out;
	}
	/* 5. the record and the bad mark; a failed push of them is told */
	if (!(rb->done & RB_RECORD) && ((rc = begin(rb, RB_RECORD)) < 0 ||
	    (rc = record_entry(rb)) < 0 || (rc = made(rb, RB_RECORD)) < 0))
		goto out;
	logref = xstrfmt(DEPLOY_LOG_PREFIX "%s", o->env);
	rollback_ref_id(&rb->entry, rb->ctx, logref);
	free(logref);
	if (!(rb->done & RB_MARK) && ((rc = marks_add(rb->ctx,
	    rb->from->tag, o->env, rb->reason, rb->reflog)) < 0 ||
	    (rc = made(rb, RB_MARK)) < 0))
		goto out;
	rollback_ref_id(&rb->marks_new, rb->ctx, DEPLOY_MARKS_REF);
	rb->recorded = 1;
	/* automation must not deploy past it: hold env at the target */
	if (!o->no_hold && !(rb->done & RB_HOLD) && ((rc = begin(rb,
	    RB_HOLD)) < 0 || (rc = hold_step(rb)) < 0 ||
	    (rc = made(rb, RB_HOLD)) < 0))
		goto out;
	rc = 0;
	if (o->push && !(rb->done & RB_LOG_PUSH)) {
		if ((rc = begin(rb, RB_LOG_PUSH)) < 0)
			goto out;
		if ((rc = push_record(rb)) == 0)
			rc = made(rb, RB_LOG_PUSH);
	}
	if (rb->verify_failed) {
		/* never a second rollback: say where things stand */
		rc = error("the rollback of %s to %s did not verify: %s",
		    o->env, rb->to->tag, rb->vr.first_line ?
		    rb->vr.first_line : "?");
		if (!o->automatic)
			hint("%s was deployed but is not healthy; it is "
			    "recorded as a failed rollback and %s is "
			    "still marked bad", rb->to->tag, rb->from->tag);
		goto out;
	}
	if (o->automatic)
		goto out;
	/* from the steps done, every word quoted for sh */
	rollback_undo_done(&undo, rb);
	if (o->json) {
		FILE *fp = plan_json_stdout();

		rollback_print_run_json(fp, rb, undo.buf);
		plan_json_stdout_close(fp);
	} else if (!err_quiet() && rb->held)
		printf("rolled back %s from %s to %s (%s)\nheld %s at %s "
		    "(log entry %.7s)\nundo: %s\n", o->env,
		    rb->from->tag, rb->to->tag,
		    rollback_strategy_name(o->strategy), o->env, rb->to->tag,
		    git_oid_tostr_s(&rb->hold), undo.buf);
	else if (!err_quiet())
		printf("rolled back %s from %s to %s (%s)\nundo: %s\n",
		    o->env, rb->from->tag, rb->to->tag,
		    rollback_strategy_name(o->strategy), undo.buf);
out:
	/* a revert stopped on a conflict: where it stands, the undo */
	if (o->json && rb->stopped) {
		FILE *fp = plan_json_stdout();

		rollback_print_run_json(fp, rb, "git rollback --abort");
		plan_json_stdout_close(fp);
	}
	/*
	 * A revert stopped on a conflict goes on with --continue, and so
	 * does a rollback that failed half made (a .lock in the way, say)
	 * unless the retry was told; a complete or undone one is over.
	 */
	if (rb->saved && !sequencer_in_progress(rb->ctx)) {
		/* recorded here, marked and held: only a push may be left */
		int recorded = (rb->done & RB_MARK) &&
		    (o->no_hold || (rb->done & RB_HOLD));

		if (rc < 0 && !rb->retry_told && !recorded &&
		    ((rb->done & RB_GIT) || rb->resuming))
			hint("then finish the rollback with \"git rollback "
			    "--continue\", or undo it with \"git rollback "
			    "--abort\"");
		else
			rollback_state_remove(rb);
	} else if (rb->saved && rb->stopped) {
		/* the journal says so: its git step stopped */
		rollback_state_save(rb);
	}
	strbuf_release(&undo);
	return rc;
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
	char *logref;
	git_oid id;
	int rc;

	rollback_init(&rb, ctx, o);
	ctx->read_only = o->dry_run;
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
	/* the record before it: the plan's, the dry run's as the run's */
	logref = xstrfmt(DEPLOY_LOG_PREFIX "%s", o->env);
	rollback_ref_id(&rb.log_old, ctx, logref);
	free(logref);
	rollback_ref_id(&rb.marks_old, ctx, DEPLOY_MARKS_REF);
	logref = xstrfmt("refs/tags/" DEPLOYED_TAG_PREFIX "%s", rb.to->tag);
	rollback_ref_id(&id, ctx, logref);
	free(logref);
	rb.deployed_existed = !git_oid_is_zero(&id);
	if (o->dry_run) {
		/* the plan the run would write as its journal */
		if ((rc = rollback_dry_run(&rb)) < 0)
			goto out;
		if (o->strategy == ROLLBACK_REVERT && !o->json) {
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
	/* what a new process needs to finish or undo it, on disk first */
	if ((rc = rollback_journal_begin(&rb)) < 0)
		goto out;
	rc = rollback_steps(&rb);
out:
	rollback_release(&rb);
	return rc;
}

void
rollback_init(struct rb *rb, struct ctx *ctx, const struct rollback_opts *o)
{
	memset(rb, 0, sizeof(*rb));
	rb->ctx = ctx;
	rb->o = o;
	rb->cl = (struct checklist)CHECKLIST_INIT;
	rb->eb = (struct target_branch)TARGET_BRANCH_INIT;
}

void
rollback_release(struct rb *rb)
{
	checklist_release(&rb->cl);
	target_branch_release(&rb->eb);
	verify_result_release(&rb->vr);
	free(rb->reason);
	free(rb->reflog);
	free(rb->refname);
	free(rb->branch);
	rb->reason = rb->reflog = rb->refname = rb->branch = NULL;
	journal_release(&rb->j);
	plan_release(&rb->plan);
}
