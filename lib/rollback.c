/*
 * The rollback itself.  One struct carries the plan through the five
 * steps of DESIGN.md's order of effects; each step either completes or
 * leaves the ones after it undone, and says how to go on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ask.h"
#include "deploylog.h"
#include "hook.h"
#include "push.h"
#include "revert.h"
#include "rollback.h"
#include "banned.h"

struct rb {
	struct ctx		*ctx;
	const struct rollback_opts *o;
	struct checklist	 cl;
	const struct release	*from;		/* the running version */
	const struct release	*to;		/* the target */
	char			*reason;
	char			*reflog;	/* "rollback: v1.2.3 -> v1.2.2" */
	char			*refname;	/* the branch created or moved */
	char			*branch;	/* its short name */
	git_oid			 old;		/* refname before (zero: new) */
	git_oid			 new;		/* refname after */
	int			 checked_out;	/* refname is HEAD here */
	int			 pushed;	/* the git change is on the remote */
	char			 to_hex[GIT_OID_HEXSZ + 1];
};

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

static const char *
hex(const git_oid *id)
{
	/* one static buffer per call site would be needed: callers copy */
	static char buf[4][GIT_OID_HEXSZ + 1];
	static int n;

	n = (n + 1) % 4;
	git_oid_tostr(buf[n], sizeof(buf[n]), id);
	return buf[n];
}

static int
ref_exists(struct ctx *ctx, const char *refname)
{
	git_oid id;

	if (git_reference_name_to_id(&id, ctx->repo, refname) == 0)
		return 1;
	git_error_clear();
	return 0;
}

/* --- step 1: every check without side effects --- */

static int
check_migrations(struct rb *rb)
{
	const struct migration_list *l = &rb->cl.migrations;
	size_t i;

	for (i = 0; i < rb->cl.migrations_modified.nr; i++)
		warning("migration '%s' was modified between '%s' and '%s' "
		    "and is not undone", rb->cl.migrations_modified.items[i],
		    rb->to->tag, rb->from->tag);
	if (l->nr == 0 || rb->o->ignore_migrations)
		return 0;
	if (!rb->o->migrate) {
		error("%zu migration%s between '%s' and '%s' would stay "
		    "applied", l->nr, l->nr == 1 ? "" : "s", rb->to->tag,
		    rb->from->tag);
		for (i = 0; i < l->nr; i++)
			hint("  %s", l->items[i].id);
		hint("undo them with --migrate (rollback.migrateDownCommand) "
		    "or keep them with --ignore-migrations");
		return E_REFUSED;
	}
	if (rb->ctx->set.migrate_down == NULL) {
		error("--migrate needs rollback.migrateDownCommand");
		hint("git config rollback.migrateDownCommand "
		    "'<command using $MIGRATION_ID or $MIGRATION_VERSION>'");
		return E_REFUSED;
	}
	return 0;
}

/* rollback/<running>, or -2, -3... when taken here or on the remote */
static int
plan_branch(struct rb *rb)
{
	const char *remote = rb->ctx->set.remote;
	int n, valid = 0;

	for (n = 1; n < 1000; n++) {
		git_oid id;
		int found = 0, rc;

		free(rb->branch);
		free(rb->refname);
		rb->branch = n == 1 ? xstrfmt("%s%s",
		    rb->ctx->set.rollback_prefix, rb->from->tag) :
		    xstrfmt("%s%s-%d", rb->ctx->set.rollback_prefix,
		    rb->from->tag, n);
		rb->refname = xstrfmt("refs/heads/%s", rb->branch);
		if (n == 1 && (git_reference_name_is_valid(&valid,
		    rb->refname) < 0 || !valid))
			return error_fatal("'%s' is not a valid branch name",
			    rb->branch);
		if (ref_exists(rb->ctx, rb->refname))
			continue;
		if (rb->o->push) {
			rc = remote_ref(&id, &found, rb->ctx, remote,
			    rb->refname);
			if (rc < 0)
				return rc;
			if (found)
				continue;
		}
		git_oid_cpy(&rb->new, &rb->to->commit);
		return 0;
	}
	return error("no free rollback branch name for '%s'", rb->from->tag);
}

/* the production branch: exists, not checked out elsewhere */
static int
plan_production(struct rb *rb)
{
	git_reference *ref = NULL;
	char *head = NULL;
	int rc;

	rb->branch = xstrdup(rb->ctx->set.rollback_branch);
	rb->refname = xstrfmt("refs/heads/%s", rb->branch);
	if (git_reference_lookup(&ref, rb->ctx->repo, rb->refname) < 0) {
		git_error_clear();
		error("branch '%s' does not exist", rb->branch);
		hint("set rollback.branch, or use --branch or --deploy-only");
		return E_REFUSED;
	}
	git_oid_cpy(&rb->old, git_reference_target(ref));
	head = repo_head_branch(rb->ctx);
	rb->checked_out = head != NULL && strcmp(head, rb->refname) == 0;
	rc = 0;
	if (!rb->checked_out && git_branch_is_checked_out(ref) == 1)
		rc = error("branch '%s' is checked out in another worktree",
		    rb->branch);
	git_reference_free(ref);
	free(head);
	if (rc < 0)
		return rc;
	if (rb->o->strategy == ROLLBACK_RESET)
		git_oid_cpy(&rb->new, &rb->to->commit);
	return 0;
}

/* the lease: the remote must hold what we hold, looked at now */
static int
check_lease(struct rb *rb)
{
	const char *remote = rb->ctx->set.remote;
	git_oid theirs;
	int found = 0, rc;

	if ((rc = remote_ref(&theirs, &found, rb->ctx, remote,
	    rb->refname)) < 0)
		return rc;
	if (!found) {
		error("remote '%s' has no branch '%s' to push with a lease",
		    remote, rb->branch);
		hint("push the branch first, or roll back without --push");
		return E_REFUSED;
	}
	if (!git_oid_equal(&theirs, &rb->old)) {
		error("remote '%s' holds %s at '%s', not %s as here: "
		    "nothing changed", remote, hex(&theirs), rb->branch,
		    hex(&rb->old));
		hint("look at what was pushed (git fetch %s) before rolling "
		    "back", remote);
		return E_REFUSED;
	}
	return 0;
}

static int
check_all(struct rb *rb)
{
	const struct rollback_opts *o = rb->o;
	int rc;

	if ((rc = repo_require_no_operation(rb->ctx, "roll back")) < 0)
		return rc;
	if ((o->strategy == ROLLBACK_RESET || o->strategy == ROLLBACK_REVERT)
	    && (rc = repo_require_clean(rb->ctx, "roll back")) < 0)
		return rc;
	if ((rc = checklist_load(&rb->cl, rb->ctx, o->env, o->target,
	    o->force ? RANGE_ALLOW_BAD : 0)) < 0)
		return rc;
	rb->from = rb->cl.range.running;
	rb->to = rb->cl.range.target;
	git_oid_tostr(rb->to_hex, sizeof(rb->to_hex), &rb->to->commit);
	rb->reflog = xstrfmt("rollback: %s -> %s", rb->from->tag,
	    rb->to->tag);
	if (rb->cl.range.target_bad != NULL)
		warning("'%s' is marked bad (%s): rolling back to it because "
		    "of --force", rb->to->tag, rb->cl.range.target_bad);
	if ((rc = check_migrations(rb)) < 0)
		return rc;
	if (o->push && !remote_exists(rb->ctx, rb->ctx->set.remote))
		return error("cannot push: no remote '%s'",
		    rb->ctx->set.remote);
	switch (o->strategy) {
	case ROLLBACK_BRANCH:
		return plan_branch(rb);
	case ROLLBACK_RESET:
	case ROLLBACK_REVERT:
		if ((rc = plan_production(rb)) < 0)
			return rc;
		return o->push ? check_lease(rb) : 0;
	case ROLLBACK_DEPLOY_ONLY:
		return 0;
	}
	return 0;
}

/* --- the plan, for --dry-run and for the question --- */

static void
push_ref_of(struct rb *rb, struct push_ref *p)
{
	memset(p, 0, sizeof(*p));
	p->src = rb->refname;
	p->dst = rb->refname;
	p->lease = 1;
	git_oid_cpy(&p->expect, &rb->old);
}

static void
print_push(FILE *fp, struct rb *rb)
{
	struct strlist argv = STRLIST_INIT;
	struct push_ref p;
	size_t i;

	push_ref_of(rb, &p);
	push_command(&argv, rb->ctx->set.remote, &p, 1);
	fputs("push:", fp);
	for (i = 0; i < argv.nr; i++)
		fprintf(fp, " %s", argv.items[i]);
	fputc('\n', fp);
	strlist_release(&argv);
}

static void
print_plan(FILE *fp, struct rb *rb)
{
	const struct rollback_opts *o = rb->o;
	const struct migration_list *l = &rb->cl.migrations;
	const char *hook = hook_command(rb->ctx, o->env);
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	fprintf(fp, "rollback %s: %s -> %s (%s)\n", o->env, rb->from->tag,
	    rb->to->tag, rollback_strategy_name(o->strategy));
	if (rb->reason != NULL)
		fprintf(fp, "reason: %s\n", rb->reason);
	switch (o->strategy) {
	case ROLLBACK_BRANCH:
		fprintf(fp, "create %s at %s (%s)\n", rb->refname,
		    rb->to_hex, rb->to->tag);
		break;
	case ROLLBACK_RESET:
		fprintf(fp, "move %s from %s to %s (%s)%s\n", rb->refname,
		    hex(&rb->old), rb->to_hex, rb->to->tag,
		    rb->checked_out ? ", worktree too" : "");
		break;
	case ROLLBACK_REVERT:
		fprintf(fp, "revert on %s from %s, %zu commit%s%s\n",
		    rb->refname, hex(&rb->old), rb->cl.commit_ids.nr,
		    rb->cl.commit_ids.nr == 1 ? "" : "s",
		    o->squash ? ", squashed" : "");
		break;
	case ROLLBACK_DEPLOY_ONLY:
		fputs("no git change\n", fp);
		break;
	}
	if (o->push && o->strategy != ROLLBACK_DEPLOY_ONLY)
		print_push(fp, rb);
	if (l->nr == 0)
		fputs("migrations: none\n", fp);
	else if (o->ignore_migrations)
		fprintf(fp, "migrations: %zu left applied "
		    "(--ignore-migrations)\n", l->nr);
	else
		fprintf(fp, "migrations down: %zu, newest first\n", l->nr);
	for (i = 0; o->migrate && i < l->nr; i++) {
		strbuf_reset(&sb);
		checklist_down_command(&sb, &l->items[i],
		    rb->ctx->set.migrate_down);
		fprintf(fp, "  %s\n", sb.buf);
	}
	if (o->no_hook)
		fputs("hook: skipped (--no-hook)\n", fp);
	else if (hook == NULL)
		fprintf(fp, "hook: none (deploy.%s.command)\n", o->env);
	else
		fprintf(fp, "hook: %s\n", hook);
	fprintf(fp, "record: %s%s rollback %s -> %s, mark %s bad\n",
	    DEPLOY_LOG_PREFIX, o->env, rb->from->tag, rb->to->tag,
	    rb->from->tag);
	if (o->push)
		fprintf(fp, "push: the deployment log to %s\n",
		    rb->ctx->set.remote);
	strbuf_release(&sb);
}

/* --- the one line that undoes it --- */

static void
undo_git(struct strbuf *sb, struct rb *rb)
{
	const char *remote = rb->ctx->set.remote;

	switch (rb->o->strategy) {
	case ROLLBACK_BRANCH:
		strbuf_addf(sb, "git branch -D %s", rb->branch);
		if (rb->pushed)
			strbuf_addf(sb, " && git push %s --delete %s", remote,
			    rb->refname);
		break;
	case ROLLBACK_RESET:
		if (rb->checked_out)
			strbuf_addf(sb, "git reset --keep %s", hex(&rb->old));
		else
			strbuf_addf(sb, "git branch -f %s %s", rb->branch,
			    hex(&rb->old));
		if (rb->pushed)
			strbuf_addf(sb, " && git push --force-with-lease="
			    "%s:%s %s %s:%s", rb->refname, hex(&rb->new),
			    remote, hex(&rb->old), rb->refname);
		break;
	case ROLLBACK_REVERT:
		if (git_oid_equal(&rb->old, &rb->new))
			break;
		if (rb->pushed || !rb->checked_out)
			strbuf_addf(sb, "git switch %s && ", rb->branch);
		strbuf_addf(sb, "git revert --no-edit %s..%s", hex(&rb->old),
		    hex(&rb->new));
		if (rb->pushed)
			strbuf_addf(sb, " && git push %s %s", remote,
			    rb->refname);
		break;
	case ROLLBACK_DEPLOY_ONLY:
		break;
	}
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
		rc = error_git(E_REFUSED, "cannot check out %s", hex(id));
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
	rc = revert_rollback(&res, rb->ctx, &rb->to->commit,
	    &rb->from->commit, &ro);
	if (rc < 0) {
		if (res.stopped)
			hint("after 'git rollback --continue', record the "
			    "rollback: git rollback %s --deploy-only -m <reason>"
			    " --env %s", rb->to->tag, rb->o->env);
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

	push_ref_of(rb, &p);
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
		    "refused", remote, hex(&theirs), rb->branch,
		    git_oid_is_zero(&rb->old) ? "nothing" : hex(&rb->old));
	else
		error("the push of '%s' to '%s' was refused%s%s", rb->branch,
		    remote, why.len ? ": " : "", why.buf);
	if (rb->o->strategy == ROLLBACK_BRANCH)
		hint("the local branch '%s' was removed again; nothing changed",
		    rb->branch);
	else
		hint("the local branch '%s' is back at %s; nothing else "
		    "changed", rb->branch, hex(&rb->old));
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
		info("moved %s from %.7s to %s", rb->branch, hex(&rb->old),
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
	const char *dir = git_repository_workdir(rb->ctx->repo);
	size_t ran;

	if (!rb->o->migrate || rb->cl.migrations.nr == 0)
		return 0;
	return migrations_run_down(&ran, &rb->cl.migrations,
	    rb->ctx->set.migrate_down, dir);
}

static int
run_hook(struct rb *rb)
{
	struct hook_vars v;

	if (rb->o->no_hook)
		return 0;
	memset(&v, 0, sizeof(v));
	v.env = rb->o->env;
	v.tag = rb->to->tag;
	v.commit = rb->to_hex;
	v.kind = "rollback";
	v.reason = rb->reason;
	v.from = rb->from->tag;
	return hook_run(rb->ctx, &v);
}

static int
record(struct rb *rb)
{
	struct deploy_entry e;
	char *tagref = NULL;
	const char *extra[2] = { NULL, NULL };
	git_oid id;
	int created = 0, rc;

	memset(&e, 0, sizeof(e));
	e.env = (char *)rb->o->env;
	e.tag = (char *)rb->to->tag;
	git_oid_cpy(&e.commit, &rb->to->commit);
	e.kind = DEPLOY_KIND_ROLLBACK;
	e.reason = rb->reason;
	e.from = (char *)rb->from->tag;
	e.strategy = (char *)rollback_strategy_name(rb->o->strategy);
	if ((rc = deploylog_append(&id, rb->ctx, &e, &created)) < 0 ||
	    (rc = marks_set(rb->ctx, rb->from->tag, rb->reason)) < 0)
		return rc;
	if (!rb->o->push)
		return 0;
	if (created) {
		tagref = xstrfmt("refs/tags/deployed-%s:refs/tags/deployed-%s",
		    rb->to->tag, rb->to->tag);
		extra[0] = tagref;
	}
	rc = deploylog_push(rb->ctx, extra);
	free(tagref);
	return rc;
}

/* what to do when a step after the git change failed */
static void
after_failure(struct rb *rb, const char *what)
{
	struct strbuf sb = STRBUF_INIT;

	hint("%s: nothing was recorded as deployed", what);
	hint("retry the deployment: git release deploy %s --env %s%s",
	    rb->to->tag, rb->o->env,
	    rb->cl.range.target_bad != NULL ? " --force" : "");
	undo_git(&sb, rb);
	if (sb.len > 0)
		hint("or undo the git change: %s", sb.buf);
	strbuf_release(&sb);
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
	if (*rb->reason == '\0') {
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
	if (o->reason == NULL && (o->dry_run || !interactive())) {
		rc = error("a reason is required: -m <reason>");
		rc = E_USAGE;
		goto out;
	}
	if (!o->dry_run && (rc = repo_lock(ctx)) < 0)
		goto out;
	if (!o->dry_run && !o->no_fetch)
		deploylog_fetch(ctx);
	/* 1. every check without side effects */
	if ((rc = check_all(&rb)) < 0 || (rc = get_reason(&rb)) < 0)
		goto out;
	if (o->dry_run) {
		print_plan(stdout, &rb);
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
		print_plan(stderr, &rb);
		if (!ask_yes("Roll back?")) {
			rc = error("rollback not confirmed: nothing changed");
			goto out;
		}
	}
	/* 2. the git change, pushed atomically */
	if ((rc = apply_git(&rb)) < 0)
		goto out;
	/* 3. migrations down */
	if ((rc = migrate_down(&rb)) < 0) {
		after_failure(&rb, "the migrations stopped");
		goto out;
	}
	/* 4. the deploy hook */
	if ((rc = run_hook(&rb)) < 0) {
		after_failure(&rb, "the deploy hook failed");
		goto out;
	}
	/* 5. the record and the bad mark */
	if ((rc = record(&rb)) < 0)
		goto out;
	undo_git(&undo, &rb);
	strbuf_addf(&undo, "%sgit release deploy %s --env %s --force",
	    undo.len ? " && " : "", rb.from->tag, o->env);
	if (!err_quiet())
		printf("rolled back %s from %s to %s (%s)\nundo: %s\n",
		    o->env, rb.from->tag, rb.to->tag,
		    rollback_strategy_name(o->strategy), undo.buf);
	rc = 0;
out:
	checklist_release(&rb.cl);
	strbuf_release(&undo);
	free(rb.reason);
	free(rb.reflog);
	free(rb.refname);
	free(rb.branch);
	return rc;
}
