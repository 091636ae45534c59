/*
 * git rollback --continue | --abort for a rollback that was killed or
 * stopped: its journal (rollback-journal.c) says what it was asked and
 * which steps it made.  --continue makes the rest, each step first
 * finding out whether the process killed had made it; --abort puts back
 * what was made, newest first: the bad mark, the log entry and its
 * deployed- tag, the environment (the hook deploys the release rolled
 * back from again), the push, the git change.  Nothing is undone that
 * someone else may already have: a record on the remote stops the
 * abort, said, and --continue then finishes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "component.h"
#include "deploylog.h"
#include "hook.h"
#include "push.h"
#include "revert.h"
#include "plan.h"
#include "rollback-int.h"
#include "banned.h"

/* the state read back into rb (which borrows s), its journal in rb->j */
static int
load(struct rb *rb, struct rollback_saved *s, struct ctx *ctx,
    const char *what)
{
	struct journal j = JOURNAL_INIT;
	int rc;

	if ((rc = repo_require_worktree(ctx, what)) < 0 ||
	    (rc = repo_lock(ctx)) < 0)
		return rc;
	if ((rc = rollback_state_load(s, &j, ctx)) == 1 || rc == 2) {
		journal_release(&j);
		error("no rollback in progress");
		return E_REFUSED;
	}
	if (rc < 0) {
		journal_release(&j);
		return rc;
	}
	s->o.from = s->from;
	s->o.yes = 1;
	s->o.no_fetch = 1;
	rollback_init(rb, ctx, &s->o);
	rb->j = j;
	rb->saved = 1;
	/* the target's prefix says which component was rolled back */
	if ((rc = component_select(ctx, NULL, s->o.target, 0)) < 0 ||
	    (rc = verify_config_load(&rb->vc, ctx, s->o.env)) < 0)
		return rc;
	return rollback_check_resumed(rb, s);
}

int
rollback_continue(struct ctx *ctx, int sequence_ended, struct plan **out)
{
	struct rollback_saved s;
	struct rb rb;
	int rc;

	memset(&s, 0, sizeof(s));
	rollback_init(&rb, ctx, &s.o);
	if ((rc = load(&rb, &s, ctx, "continue")) < 0)
		goto out;
	rb.sequence_ended = sequence_ended;
	info("finishing the rollback of %s from %s to %s", s.o.env,
	    rb.from->tag, rb.to->tag);
	rc = rollback_steps(&rb);
	if (out != NULL)
		*out = rollback_take_plan(&rb, rc, 0);
out:
	rollback_release(&rb);
	rollback_saved_release(&s);
	return rc;
}

/* --- --abort --- */

/* refname from cur back to old (zero old: deleted), compare and swap */
static int
ref_back(struct ctx *ctx, const char *refname, const git_oid *old,
    const git_oid *cur, const char *msg)
{
	git_reference *ref = NULL;
	int rc = 0;

	if (git_oid_equal(old, cur))
		return 0;
	if (git_oid_is_zero(old)) {
		if (git_reference_lookup(&ref, ctx->repo, refname) < 0 ||
		    !git_oid_equal(git_reference_target(ref), cur) ||
		    git_reference_delete(ref) < 0)
			rc = error_git(E_REFUSED, "cannot delete '%s'",
			    refname);
	} else if (git_reference_create_matching(&ref, ctx->repo, refname,
	    old, 1, cur, msg) < 0)
		rc = error_git(E_REFUSED, "cannot put '%s' back", refname);
	git_reference_free(ref);
	return rc;
}

/* is ancestor (zero: none) below or at tip? */
static int
below(struct ctx *ctx, const git_oid *ancestor, const git_oid *tip)
{
	if (git_oid_is_zero(ancestor) || git_oid_equal(ancestor, tip))
		return 1;
	return git_graph_descendant_of(ctx->repo, tip, ancestor) == 1;
}

/* one ref of the record, on the remote too when it holds what we made */
struct record_ref {
	char		*refname;
	git_oid		 ours;		/* what we made it (zero: untouched) */
	git_oid		 back;		/* what it goes back to (zero: none) */
	int		 on_remote;	/* the remote holds ours */
};

static int
record_ref_check(struct rb *rb, struct record_ref *r, int *moved)
{
	git_oid theirs;
	int found = 0, rc;

	if (git_oid_is_zero(&r->ours))
		return 0;
	if ((rc = remote_ref(&theirs, &found, rb->ctx, rb->ctx->set.remote,
	    r->refname)) < 0)
		return rc;
	if (found && git_oid_equal(&theirs, &r->ours))
		r->on_remote = 1;
	else if (found ? !git_oid_equal(&theirs, &r->back) :
	    !git_oid_is_zero(&r->back))
		*moved = 1;
	return 0;
}

/*
 * The record's push began: does the remote hold what we made, or what
 * was there before?  A remote that moved on since (a colleague's entry
 * on ours) stops the abort before anything is put back: the rollback
 * is then finished and undone by its undo line.
 */
static int
record_remote_check(struct rb *rb, struct record_ref *refs, size_t n)
{
	size_t i;
	int moved = 0, rc = 0;

	for (i = 0; i < n && rc == 0; i++)
		rc = record_ref_check(rb, &refs[i], &moved);
	if (rc < 0)
		return rc;
	if (moved) {
		error("the record of this rollback is on '%s' and others "
		    "came after it: it cannot be aborted", rb->ctx->set.remote);
		hint("finish it with \"git rollback --continue\", then undo "
		    "it with the undo line it prints");
		return E_REFUSED;
	}
	return 0;
}

/*
 * What reached the remote goes back there too, from the refs put back
 * here, each with a lease on what we pushed, in one atomic push.
 */
static int
record_remote_back(struct rb *rb, struct record_ref *refs, size_t n)
{
	struct push_ref p[3];
	struct strbuf why = STRBUF_INIT;
	size_t i, np = 0;
	int rc = 0;

	memset(p, 0, sizeof(p));
	for (i = 0; i < n; i++) {
		if (!refs[i].on_remote)
			continue;
		p[np].src = git_oid_is_zero(&refs[i].back) ? NULL :
		    refs[i].refname;
		p[np].dst = refs[i].refname;
		p[np].lease = 1;
		git_oid_cpy(&p[np].expect, &refs[i].ours);
		np++;
	}
	if (np > 0 && push_refs(rb->ctx, rb->ctx->set.remote, p, np, 0,
	    &why) < 0) {
		error("cannot take the record back from '%s'%s%s",
		    rb->ctx->set.remote, why.len ? ": " : "", why.buf);
		hint("it is taken back here; push that with \"git push "
		    "--force-with-lease\" once '%s' answers",
		    rb->ctx->set.remote);
		rc = E_REFUSED;
	} else if (np > 0)
		info("took the record back from '%s'", rb->ctx->set.remote);
	strbuf_release(&why);
	return rc;
}

/* the log entries and the mark made, and a deployed- tag made with them */
static int
undo_record(struct rb *rb, const char *msg)
{
	struct record_ref refs[3];
	char *tagref = xstrfmt("refs/tags/" DEPLOYED_TAG_PREFIX "%s",
	    rb->to->tag);
	git_reference *tag = NULL;
	git_commit *c = NULL;
	size_t i;
	int rc = 0;

	memset(refs, 0, sizeof(refs));
	refs[0].refname = xstrfmt(DEPLOY_LOG_PREFIX "%s", rb->o->env);
	rollback_ref_id(&refs[0].ours, rb->ctx, refs[0].refname);
	refs[0].back = rb->log_old;
	refs[1].refname = xstrdup(DEPLOY_MARKS_REF);
	rollback_ref_id(&refs[1].ours, rb->ctx, refs[1].refname);
	refs[1].back = rb->marks_old;
	refs[2].refname = tagref;
	tagref = NULL;
	if (!rb->deployed_existed)
		rollback_ref_id(&refs[2].ours, rb->ctx, refs[2].refname);
	for (i = 0; i < 3; i++)
		if (git_oid_equal(&refs[i].ours, &refs[i].back))
			memset(&refs[i].ours, 0, sizeof(refs[i].ours));
	if (!(rb->done & (RB_STARTED(RB_RECORD) | RB_RECORD)))
		memset(&refs[1].ours, 0, sizeof(refs[1].ours));
	/* the mark: one commit of ours on what was there */
	if (!git_oid_is_zero(&refs[1].ours) &&
	    (git_commit_lookup(&c, rb->ctx->repo, &refs[1].ours) < 0 ||
	    (git_commit_parentcount(c) > 0 ?
	    !git_oid_equal(git_commit_parent_id(c, 0), &rb->marks_old) :
	    !git_oid_is_zero(&rb->marks_old)))) {
		rc = error("'%s' moved since the rollback: not putting it "
		    "back", DEPLOY_MARKS_REF);
		goto out;
	}
	if (!git_oid_is_zero(&refs[0].ours) &&
	    !below(rb->ctx, &rb->log_old, &refs[0].ours)) {
		rc = error("'%s' moved since the rollback: not putting it "
		    "back", refs[0].refname);
		goto out;
	}
	if ((rb->done & RB_STARTED(RB_LOG_PUSH)) &&
	    (rc = record_remote_check(rb, refs, 3)) < 0)
		goto out;
	if (!git_oid_is_zero(&refs[1].ours)) {
		if ((rc = ref_back(rb->ctx, DEPLOY_MARKS_REF, &rb->marks_old,
		    &refs[1].ours, msg)) < 0)
			goto out;
		info("lifted the mark on %s", rb->from->tag);
	}
	if (!git_oid_is_zero(&refs[0].ours)) {
		if ((rc = ref_back(rb->ctx, refs[0].refname, &rb->log_old,
		    &refs[0].ours, msg)) < 0)
			goto out;
		info("removed the rollback's entry from %s", refs[0].refname);
	}
	/* deployed-<tag> did not exist before: made with our entry */
	if (!git_oid_is_zero(&refs[2].ours) &&
	    git_reference_lookup(&tag, rb->ctx->repo, refs[2].refname) == 0 &&
	    git_reference_delete(tag) < 0)
		rc = error_git(E_REFUSED, "cannot delete '%s'",
		    refs[2].refname);
	git_error_clear();
	if (rc == 0 && (rb->done & RB_STARTED(RB_LOG_PUSH)))
		rc = record_remote_back(rb, refs, 3);
out:
	git_commit_free(c);
	git_reference_free(tag);
	for (i = 0; i < 3; i++)
		free(refs[i].refname);
	return rc;
}

/* the environment as the record says again: the release rolled back from */
static int
undo_hook(struct rb *rb)
{
	struct hook_vars v;
	char hex[GIT_OID_HEXSZ + 1];

	if (rb->o->no_hook || hook_command(rb->ctx, rb->o->env) == NULL)
		return 0;
	git_oid_tostr(hex, sizeof(hex), &rb->from->commit);
	memset(&v, 0, sizeof(v));
	v.env = rb->o->env;
	v.tag = rb->from->tag;
	v.v = &rb->from->v;
	v.commit = hex;
	v.kind = "deploy";
	v.reason = "rollback aborted";
	info("deploying %s to %s again (the rollback's hook ran)",
	    rb->from->tag, rb->o->env);
	return hook_run(rb->ctx, &v);
}

/* what the push made, put back with a lease on what we pushed */
static int
undo_push(struct rb *rb)
{
	const char *remote = rb->ctx->set.remote;
	struct strbuf why = STRBUF_INIT;
	struct push_ref p;
	git_oid theirs;
	int found = 0, rc;

	if ((rc = remote_ref(&theirs, &found, rb->ctx, remote,
	    rb->refname)) < 0)
		return rc;
	if (!found || !git_oid_equal(&theirs, &rb->new))
		return 0;
	memset(&p, 0, sizeof(p));
	p.dst = rb->refname;
	p.lease = 1;
	git_oid_cpy(&p.expect, &rb->new);
	if (rb->o->strategy != ROLLBACK_BRANCH)
		p.src = rb->refname;	/* back at old already */
	if ((rc = push_refs(rb->ctx, remote, &p, 1, 0, &why)) < 0) {
		error("cannot put '%s' back on '%s'%s%s", rb->branch, remote,
		    why.len ? ": " : "", why.buf);
		rc = E_REFUSED;
	} else
		info("put '%s' back on '%s'", rb->branch, remote);
	strbuf_release(&why);
	return rc;
}

static int
undo_git(struct rb *rb, const char *msg)
{
	git_oid cur;
	int rc;

	if (rb->o->strategy == ROLLBACK_DEPLOY_ONLY)
		return 0;
	rollback_ref_id(&cur, rb->ctx, rb->refname);
	if (rb->o->strategy == ROLLBACK_BRANCH) {
		if (git_oid_is_zero(&cur))
			return 0;
		if (!git_oid_equal(&cur, &rb->new))
			return error("'%s' moved since the rollback: not "
			    "deleting it", rb->branch);
		return ref_back(rb->ctx, rb->refname, &rb->old, &cur, msg);
	}
	if (!git_oid_equal(&cur, &rb->old) && (git_oid_is_zero(&rb->new) ||
	    !git_oid_equal(&cur, &rb->new))) {
		error("'%s' moved since the rollback (it is at %.7s)",
		    rb->branch, hexid(&cur).s);
		hint("put it back at %s by hand, then run \"git rollback "
		    "--abort\" again", hexid(&rb->old).s);
		return E_REFUSED;
	}
	/* the worktree first: a kill may have left half a checkout */
	if (rb->checked_out && !git_oid_is_zero(&rb->new) &&
	    (rc = rollback_checkout_recover(rb, &rb->new, &rb->old)) < 0)
		return rc;
	return ref_back(rb->ctx, rb->refname, &rb->old, &cur, msg);
}

int
rollback_abort(struct ctx *ctx, struct plan **out)
{
	struct rollback_saved s;
	struct rb rb;
	char *msg = NULL;
	size_t i, n;
	int rc;

	memset(&s, 0, sizeof(s));
	rollback_init(&rb, ctx, &s.o);
	if ((rc = load(&rb, &s, ctx, "abort")) < 0)
		goto out;
	msg = xstrfmt("rollback --abort: %s back to %s", s.o.env,
	    rb.from->tag);
	if ((rc = undo_record(&rb, msg)) < 0)
		goto out;
	if ((s.done & (RB_STARTED(RB_HOOK) | RB_HOOK)) &&
	    (rc = undo_hook(&rb)) < 0)
		goto out;
	/* a down command killed may or may not have run */
	n = s.migrations_ran + ((s.done & RB_STARTED(RB_MIGRATE)) &&
	    !(s.done & RB_MIGRATE) && s.o.migrate);
	if (n > rb.cl.migrations.nr)
		n = rb.cl.migrations.nr;
	if (n > 0)
		warning("down commands are not taken back; migrate up again "
		    "by hand what ran of:");
	for (i = 0; i < n; i++)
		warning("  %s", rb.cl.migrations.items[i].id);
	/* the local ref first: the push back pushes it, with a lease */
	if ((rc = undo_git(&rb, msg)) < 0)
		goto out;
	if ((s.done & (RB_STARTED(RB_PUSH) | RB_PUSH)) &&
	    (rc = undo_push(&rb)) < 0)
		goto out;
	rollback_state_remove(&rb);
	if (!err_quiet())
		printf("aborted the rollback of %s from %s to %s: nothing of "
		    "it is left\n", s.o.env, rb.from->tag, rb.to->tag);
	rc = 0;
out:
	if (out != NULL && rb.j.plan != NULL)
		*out = rollback_take_plan(&rb, rc, 1);
	free(msg);
	rollback_release(&rb);
	rollback_saved_release(&s);
	return rc;
}

/* an older version's stopped rollback or revert: never ours to delete */
static int
refuse_legacy(struct ctx *ctx)
{
	char *dir = repo_state_path(ctx, STATE_ROLLBACK_OLD, NULL);

	error("'%s' is the state of a rollback or revert stopped by an "
	    "older version", dir);
	hint("finish or abort it with \"git rollback --continue\" or "
	    "\"git rollback --abort\" of the version that started it, or "
	    "remove that directory");
	free(dir);
	return E_REFUSED;
}

static int
legacy_state(struct ctx *ctx)
{
	char *a = repo_state_path(ctx, STATE_ROLLBACK_OLD, "rollback");
	char *b = repo_state_path(ctx, STATE_ROLLBACK_OLD, "state");
	int rc = access(a, F_OK) == 0 || access(b, F_OK) == 0;

	free(a);
	free(b);
	return rc;
}

/* --json: the plan of a revert's own journal, as the command left it */
static void
revert_json_plan(struct plan *p, const struct revert_result *res, int mode,
    int rc)
{
	struct plan_step *s = &p->steps[0];

	if (mode == REVERT_ABORT && rc == 0 && s->status != PLAN_PENDING)
		s->status = PLAN_UNDONE;
	if (mode != REVERT_ABORT && rc == 0 && !res->stopped)
		s->status = PLAN_DONE;
	if (!git_oid_is_zero(&res->new_tip) && !res->stopped)
		plan_set_oid(&s->attrs, "new", &res->new_tip);
	plan_set(&p->attrs, "undo", res->stopped || (rc < 0 &&
	    s->status != PLAN_PENDING) ? "git rollback --abort" :
	    mode != REVERT_ABORT && res->undo ? res->undo : "");
}

int
rollback_finish(struct ctx *ctx, int mode, int json)
{
	struct journal j = JOURNAL_INIT;
	struct revert_result res = REVERT_RESULT_INIT;
	struct plan *p = NULL;
	FILE *fp = NULL;
	const char *op;
	int seq, rc;

	if ((rc = repo_require_worktree(ctx, mode == REVERT_ABORT ? "abort" :
	    "continue")) < 0 || (rc = repo_lock(ctx)) < 0)
		return rc;
	if (!journal_exists(ctx)) {
		if (legacy_state(ctx))
			return refuse_legacy(ctx);
		error("no rollback revert in progress");
		return E_REFUSED;
	}
	if ((rc = journal_load(&j, ctx)) < 0)
		return rc;
	/* a push the killed run started ends first (push.h) */
	if ((rc = push_wait_inflight(ctx)) < 0) {
		journal_release(&j);
		return rc;
	}
	if (json)
		fp = plan_json_stdout();
	op = j.plan->op;
	if (strcmp(op, "revert") == 0 || strcmp(op, "restore") == 0) {
		rc = revert_journal_finish(&res, ctx, &j, mode);
		if (fp != NULL) {
			revert_json_plan(j.plan, &res, mode, rc);
			plan_print_json(fp, j.plan, 0);
		}
		goto out;
	}
	if (strcmp(op, "rollback") != 0) {
		const char *finish = journal_finish_command(op);

		rc = error("no rollback in progress: the operation in progress "
		    "is %s", j.plan->cmdline ? j.plan->cmdline : op);
		hint("finish it with \"%s --continue\" or \"%s --abort\"",
		    finish, finish);
		goto out;
	}
	journal_release(&j);
	seq = sequencer_in_progress(ctx);
	if (mode == REVERT_SKIP && !seq) {
		error("there is no conflict to skip: the rollback was "
		    "interrupted, not stopped");
		hint("finish it with \"git rollback --continue\" or undo it "
		    "with \"git rollback --abort\"");
		rc = E_REFUSED;
		goto out;
	}
	if (seq) {
		rc = mode == REVERT_ABORT ? sequencer_abort(ctx) :
		    mode == REVERT_CONTINUE ? sequencer_continue(&res, ctx) :
		    sequencer_skip(&res, ctx);
		if (rc < 0 || res.stopped) {
			/* stopped again, or refused: the journal as it is */
			if (fp != NULL && journal_load(&j, ctx) == 0) {
				plan_set(&j.plan->attrs, "undo",
				    "git rollback --abort");
				plan_print_json(fp, j.plan, 0);
			}
			goto out;
		}
	}
	/* the rollback around it: its push, migrations, hook and record */
	rc = mode == REVERT_ABORT ? rollback_abort(ctx, fp ? &p : NULL) :
	    rollback_continue(ctx, seq, fp ? &p : NULL);
	if (fp != NULL && p != NULL)
		plan_print_json(fp, p, 0);
out:
	if (fp != NULL)
		plan_json_stdout_close(fp);
	if (p != NULL) {
		plan_release(p);
		free(p);
	}
	journal_release(&j);
	revert_result_release(&res);
	return rc;
}
