/*
 * Step 1 of a rollback, every check without side effects (the lease is
 * looked at with ls-remote), and what is shown of the plan: the --dry-run
 * output, the question on a terminal and the undo line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "component.h"
#include "deploylog.h"
#include "env.h"
#include "hook.h"
#include "push.h"
#include "plan.h"
#include "rollback-int.h"
#include "banned.h"

static int
ref_exists(struct ctx *ctx, const char *refname)
{
	git_oid id;

	if (git_reference_name_to_id(&id, ctx->repo, refname) == 0)
		return 1;
	git_error_clear();
	return 0;
}

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

int
rollback_branch_name(char **out, struct ctx *ctx, const char *env,
    const char *from_tag, int remote)
{
	char *base;
	int n, valid = 0;

	/* production's is rollback/<tag>, another's rollback/<env>/<tag> */
	base = strcmp(env, DEFAULT_ENV) == 0 ?
	    xstrfmt("%s%s", ctx->set.rollback_prefix, from_tag) :
	    xstrfmt("%s%s/%s", ctx->set.rollback_prefix, env, from_tag);
	*out = NULL;
	for (n = 1; n < 1000; n++) {
		char *refname;
		git_oid id;
		int found = 0, rc = 0;

		free(*out);
		*out = n == 1 ? xstrdup(base) : xstrfmt("%s-%d", base, n);
		refname = xstrfmt("refs/heads/%s", *out);
		if (n == 1 && (git_reference_name_is_valid(&valid,
		    refname) < 0 || !valid)) {
			free(refname);
			rc = error_fatal("'%s' is not a valid branch name",
			    *out);
			free(*out);
			*out = NULL;
			free(base);
			return rc;
		}
		if (ref_exists(ctx, refname))
			found = 1;
		else if (remote)
			rc = remote_ref(&id, &found, ctx, ctx->set.remote,
			    refname);
		free(refname);
		if (rc < 0) {
			free(*out);
			*out = NULL;
			free(base);
			return rc;
		}
		if (!found) {
			free(base);
			return 0;
		}
	}
	free(*out);
	*out = NULL;
	free(base);
	return error("no free rollback branch name for '%s'", from_tag);
}

/*
 * rollback/<running> for production, rollback/<env>/<running> for any
 * other environment, or -2, -3... when taken here or on the remote
 */
static int
plan_branch(struct rb *rb)
{
	int rc;

	if ((rc = rollback_branch_name(&rb->branch, rb->ctx, rb->o->env,
	    rb->from->tag, rb->o->push)) < 0)
		return rc;
	rb->refname = xstrfmt("refs/heads/%s", rb->branch);
	git_oid_cpy(&rb->new, &rb->to->commit);
	return 0;
}

/* "  abc1234 subject" for each commit a reset would drop */
void
rollback_list_drops(FILE *fp, const char *lead, struct rb *rb,
    const struct target_branch *b)
{
	size_t i;

	for (i = 0; i < b->drops_nr; i++) {
		git_commit *c = NULL;
		char *subject;

		if (git_commit_lookup(&c, rb->ctx->repo, &b->drops[i]) < 0) {
			git_error_clear();
			continue;
		}
		subject = message_subject(git_commit_message(c));
		fprintf(fp, "%s  %.7s %s\n", lead, hexid(&b->drops[i]).s,
		    subject);
		free(subject);
		git_commit_free(c);
	}
}

/*
 * What the check said, enforced: a reset never drops commits the
 * running release lacks unless --force (or a yes on a terminal); a
 * revert needs the running release on the branch to revert it there.
 */
static int
check_env_branch(struct rb *rb, const struct target_branch *b)
{
	const struct rollback_opts *o = rb->o;
	size_t n = b->drops_nr;

	if (!b->contains_running && !git_oid_equal(&b->tip, &rb->to->commit)) {
		warning("'%s' does not contain the running release '%s' "
		    "(it is at %.7s)", rb->branch, rb->from->tag,
		    hexid(&b->tip).s);
		if (o->strategy == ROLLBACK_REVERT) {
			error("nothing of '%s' is on '%s' to revert: nothing "
			    "changed", rb->from->tag, rb->branch);
			hint("roll back with --branch, or --reset to point "
			    "'%s' at '%s'", rb->branch, rb->to->tag);
			return E_REFUSED;
		}
	}
	if (o->strategy != ROLLBACK_RESET || n == 0)
		return 0;
	if (o->force) {
		warning("resetting '%s' drops %zu commit%s not in '%s' "
		    "(--force; the undo line restores them):", rb->branch, n,
		    n == 1 ? "" : "s", rb->from->tag);
		rollback_list_drops(stderr, "warning: ", rb, b);
		return 0;
	}
	/* on a terminal the plan shows them and the question covers them */
	if (!o->yes && !o->dry_run && interactive())
		return 0;
	error("resetting '%s' to '%s' would drop %zu commit%s that '%s' "
	    "does not have: nothing changed", rb->branch, rb->to->tag, n,
	    n == 1 ? "" : "s", rb->from->tag);
	rollback_list_drops(stderr, "hint: ", rb, b);
	hint("roll back with --revert or --branch to keep them, or add "
	    "--force to drop them (the undo line restores them)");
	return E_REFUSED;
}

/* env's branch: exists, not checked out elsewhere, safe to move */
static int
plan_production(struct rb *rb)
{
	struct target_branch b = TARGET_BRANCH_INIT;
	git_reference *ref = NULL;
	char *head = NULL;
	int rc;

	if ((rc = target_branch_load(&b, rb->ctx, rb->o->env, rb->from)) < 0)
		goto out;
	if (b.name == NULL || !b.exists) {
		if (b.name == NULL)
			error("environment '%s' has no branch to %s",
			    rb->o->env, rollback_strategy_name(rb->o->strategy));
		else
			error("branch '%s' does not exist", b.name);
		hint("set deploy.%s.branch (rollback.branch for production), "
		    "or use --branch or --deploy-only", rb->o->env);
		rc = E_REFUSED;
		goto out;
	}
	rb->branch = xstrdup(b.name);
	rb->refname = xstrdup(b.refname);
	git_oid_cpy(&rb->old, &b.tip);
	if (git_reference_lookup(&ref, rb->ctx->repo, rb->refname) < 0) {
		rc = error_git(E_FATAL, "cannot read '%s'", rb->branch);
		goto out;
	}
	head = repo_head_branch(rb->ctx);
	rb->checked_out = head != NULL && strcmp(head, rb->refname) == 0;
	if (!rb->checked_out && git_branch_is_checked_out(ref) == 1) {
		rc = error("branch '%s' is checked out in another worktree",
		    rb->branch);
		goto out;
	}
	if ((rc = check_env_branch(rb, &b)) < 0)
		goto out;
	if (rb->o->strategy == ROLLBACK_RESET)
		git_oid_cpy(&rb->new, &rb->to->commit);
	rb->eb = b;
	b = (struct target_branch)TARGET_BRANCH_INIT;
	rc = 0;
out:
	git_reference_free(ref);
	free(head);
	target_branch_release(&b);
	return rc;
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
		    "nothing changed", remote, hexid(&theirs).s, rb->branch,
		    hexid(&rb->old).s);
		hint("look at what was pushed (git fetch %s) before rolling "
		    "back", remote);
		return E_REFUSED;
	}
	return 0;
}

/*
 * The production branch holds every component: moving it back for one
 * would take the others' commits back with it.
 */
static int
check_component_reset(struct rb *rb)
{
	const struct component *c = rb->ctx->set.component;
	size_t n = rb->cl.range.others_nr;

	if (rb->o->strategy != ROLLBACK_RESET || c == NULL || n == 0)
		return 0;
	error("--reset would take back %zu commit%s of other components "
	    "than '%s' between %s and %s", n, n == 1 ? "" : "s", c->name,
	    rb->to->tag, rb->from->tag);
	hint("use --revert (it reverts only '%s' commits), --branch or "
	    "--deploy-only", c->name);
	return E_REFUSED;
}

int
rollback_check_all(struct rb *rb)
{
	const struct rollback_opts *o = rb->o;
	int rc;

	if ((rc = repo_require_no_operation(rb->ctx, "roll back")) < 0)
		return rc;
	if ((o->strategy == ROLLBACK_RESET || o->strategy == ROLLBACK_REVERT)
	    && (rc = repo_require_clean(rb->ctx, "roll back")) < 0)
		return rc;
	rb->cl.range.from = o->from;
	if ((rc = checklist_load(&rb->cl, rb->ctx, o->env, o->target,
	    o->force ? RANGE_ALLOW_BAD : 0)) < 0)
		return rc;
	rb->from = rb->cl.range.running;
	rb->to = rb->cl.range.target;
	git_oid_tostr(rb->to_hex, sizeof(rb->to_hex), &rb->to->commit);
	rb->reflog = xstrfmt("rollback: %s -> %s on %s", rb->from->tag,
	    rb->to->tag, o->env);
	if (rb->cl.range.target_bad != NULL)
		warning("'%s' is marked bad (%s): rolling back to it because "
		    "of --force", rb->to->tag, rb->cl.range.target_bad);
	if ((rc = check_migrations(rb)) < 0 ||
	    (rc = check_component_reset(rb)) < 0)
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

int
rollback_check_resumed(struct rb *rb, const struct rollback_saved *s)
{
	const struct rollback_opts *o = rb->o;
	int rc;

	/* from the release it rolled back from, whatever runs now */
	rb->cl.range.from = s->from;
	if ((rc = checklist_load(&rb->cl, rb->ctx, o->env, o->target,
	    RANGE_ALLOW_BAD)) < 0)
		return rc;
	rb->from = rb->cl.range.running;
	rb->to = rb->cl.range.target;
	git_oid_tostr(rb->to_hex, sizeof(rb->to_hex), &rb->to->commit);
	rb->reflog = xstrfmt("rollback: %s -> %s on %s", rb->from->tag,
	    rb->to->tag, o->env);
	rb->reason = xstrdup(o->reason);
	rb->refname = s->refname ? xstrdup(s->refname) : NULL;
	rb->branch = s->branch ? xstrdup(s->branch) : NULL;
	rb->old = s->old;
	rb->new = s->new;
	rb->log_old = s->log_old;
	rb->marks_old = s->marks_old;
	rb->checked_out = s->checked_out;
	rb->deployed_existed = s->deployed_existed;
	rb->held = s->held;
	rb->hold = s->hold;
	rb->done = s->done;
	rb->migrations_ran = s->migrations_ran;
	rb->resuming = 1;
	if (o->strategy != ROLLBACK_DEPLOY_ONLY && rb->refname == NULL)
		return error_fatal("the rollback's state names no branch");
	return 0;
}

void
rollback_push_ref(struct rb *rb, struct push_ref *p)
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

	rollback_push_ref(rb, &p);
	push_command(&argv, rb->ctx->set.remote, &p, 1);
	fputs("push:", fp);
	for (i = 0; i < argv.nr; i++)
		fprintf(fp, " %s", argv.items[i]);
	fputc('\n', fp);
	strlist_release(&argv);
}

static int
log_plan(struct rb *rb)
{
	struct strlist refs = STRLIST_INIT;
	struct deploy_entry e;
	int rc;

	rollback_entry(&e, rb);
	if ((rc = deploylog_plan(rb->ctx, &e)) < 0 || !rb->o->push)
		return rc;
	rollback_log_refs(&refs, rb, 1);
	rc = deploylog_push_plan(rb->ctx, (const char *const *)refs.items);
	strlist_release(&refs);
	return rc;
}

int
rollback_print_plan(FILE *fp, struct rb *rb, int exact)
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
		    hexid(&rb->old).s, rb->to_hex, rb->to->tag,
		    rb->checked_out ? ", worktree too" : "");
		if (rb->eb.drops_nr > 0) {
			fprintf(fp, "drops %zu commit%s not in %s%s:\n",
			    rb->eb.drops_nr, rb->eb.drops_nr == 1 ? "" : "s",
			    rb->from->tag, o->force ? " (--force)" : "");
			rollback_list_drops(fp, "", rb, &rb->eb);
		}
		break;
	case ROLLBACK_REVERT:
		fprintf(fp, "revert on %s from %s, %zu commit%s%s\n",
		    rb->refname, hexid(&rb->old).s, rb->cl.commit_ids.nr,
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
	if (!o->no_hold)
		fprintf(fp, "hold: %s at %s (--no-hold: none)\n", o->env,
		    rb->to->tag);
	strbuf_release(&sb);
	if (!exact) {
		if (o->push)
			fprintf(fp, "push: the deployment log to %s\n",
			    rb->ctx->set.remote);
		return 0;
	}
	/* the deployment log's own plan: its ref with old and new ids */
	fflush(fp);
	return log_plan(rb);
}

void
rollback_entry(struct deploy_entry *e, struct rb *rb)
{
	memset(e, 0, sizeof(*e));
	e->env = (char *)rb->o->env;
	e->tag = (char *)rb->to->tag;
	git_oid_cpy(&e->commit, &rb->to->commit);
	e->kind = DEPLOY_KIND_ROLLBACK;
	e->reason = rb->reason;
	e->from = (char *)rb->from->tag;
	e->strategy = (char *)rollback_strategy_name(rb->o->strategy);
	e->trigger = (char *)rb->o->trigger;
	if (rb->ctx->set.component != NULL)
		e->component = rb->ctx->set.component->name;
}

void
rollback_log_refs(struct strlist *refs, struct rb *rb, int planned)
{
	char *tagref = xstrfmt("refs/tags/" DEPLOYED_TAG_PREFIX "%s",
	    rb->to->tag);

	/* a new environment's log does not exist yet when planning */
	if (planned)
		strlist_add_nodup(refs, xstrfmt(DEPLOY_LOG_PREFIX "%s",
		    rb->o->env));
	if (strcmp(rb->o->env, DEFAULT_ENV) == 0 &&
	    (planned || ref_exists(rb->ctx, tagref)))
		strlist_add_nodup(refs, tagref);
	else
		free(tagref);
	/* the release rolled back to, when the remote lacks it */
	deploylog_add_missing_tag(refs, rb->ctx, rb->to->tag);
}

/* " word", quoted for sh */
static void
word(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, ' ');
	sh_quote(sb, s);
}

void
rollback_undo_git_as(struct strbuf *sb, struct rb *rb, int pushed,
    const char *new)
{
	const char *remote = rb->ctx->set.remote;
	char *spec;

	switch (rb->o->strategy) {
	case ROLLBACK_BRANCH:
		strbuf_addstr(sb, "git branch -D");
		word(sb, rb->branch);
		if (pushed) {
			strbuf_addstr(sb, " && git push");
			word(sb, remote);
			strbuf_addstr(sb, " --delete");
			word(sb, rb->refname);
		}
		break;
	case ROLLBACK_RESET:
		if (rb->checked_out)
			strbuf_addf(sb, "git reset --keep %s", hexid(&rb->old).s);
		else {
			strbuf_addstr(sb, "git branch -f");
			word(sb, rb->branch);
			strbuf_addf(sb, " %s", hexid(&rb->old).s);
		}
		if (pushed) {
			spec = xstrfmt("--force-with-lease=%s:%s", rb->refname,
			    hexid(&rb->new).s);
			strbuf_addstr(sb, " && git push");
			word(sb, spec);
			free(spec);
			word(sb, remote);
			spec = xstrfmt("%s:%s", hexid(&rb->old).s, rb->refname);
			word(sb, spec);
			free(spec);
		}
		break;
	case ROLLBACK_REVERT:
		if (new == NULL && git_oid_equal(&rb->old, &rb->new))
			break;
		if (pushed || !rb->checked_out) {
			strbuf_addstr(sb, "git switch");
			word(sb, rb->branch);
			strbuf_addstr(sb, " && ");
		}
		/* new: the branch, in a dry run (its revert ids unknown) */
		spec = xstrfmt("%s..%s", hexid(&rb->old).s, new != NULL ? new :
		    hexid(&rb->new).s);
		strbuf_addstr(sb, "git revert --no-edit");
		word(sb, spec);
		free(spec);
		if (pushed) {
			strbuf_addstr(sb, " && git push");
			word(sb, remote);
			word(sb, rb->refname);
		}
		break;
	case ROLLBACK_DEPLOY_ONLY:
		break;
	}
}

void
rollback_undo_git(struct strbuf *sb, struct rb *rb)
{
	rollback_undo_git_as(sb, rb, rb->pushed, NULL);
}

void
rollback_command(struct strbuf *sb, struct rb *rb, int ignore_migrations)
{
	const struct rollback_opts *o = rb->o;

	strbuf_addstr(sb, "git rollback ");
	sh_quote(sb, rb->to->tag);
	strbuf_addstr(sb, " -m ");
	sh_quote(sb, rb->reason);
	strbuf_addf(sb, " --%s", rollback_strategy_name(o->strategy));
	if (o->squash)
		strbuf_addstr(sb, " --squash");
	strbuf_addstr(sb, " --env ");
	sh_quote(sb, o->env);
	if (rb->cl.migrations.nr > 0 && (ignore_migrations ||
	    o->ignore_migrations))
		strbuf_addstr(sb, " --ignore-migrations");
	else if (rb->cl.migrations.nr > 0 && o->migrate)
		strbuf_addstr(sb, " --migrate");
	if (o->force)
		strbuf_addstr(sb, " --force");
	if (o->no_hook)
		strbuf_addstr(sb, " --no-hook");
	if (o->push)
		strbuf_addstr(sb, " --push");
}
