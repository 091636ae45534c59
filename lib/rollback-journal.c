/*
 * A rollback under way is the journal (journal.h), op "rollback": what
 * it was asked and what it planned as the operation's attributes (the
 * ref, its old and new ids, the log and marks before it), and one step
 * per part of DESIGN.md's order of effects, each with a "part"
 * attribute naming it (git, push, migrate, hook, record, mark, hold,
 * log-push).  The plan is written by journal_begin before the first
 * side effect; a part begun carries "started" (what a process killed
 * meanwhile may or may not have made: the part finds out), a part made
 * is marked done, so that a rollback killed anywhere can be finished or
 * undone by "git rollback --continue | --abort" in a new process.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "checklist.h"
#include "component.h"
#include "hook.h"
#include "revert.h"
#include "rollback-int.h"
#include "banned.h"

static const struct {
	const char	*name;
	unsigned	 bit;
} parts[] = {
	{ "git", RB_GIT },
	{ "push", RB_PUSH },
	{ "migrate", RB_MIGRATE },
	{ "hook", RB_HOOK },
	{ "record", RB_RECORD },
	{ "mark", RB_MARK },
	{ "hold", RB_HOLD },
	{ "log-push", RB_LOG_PUSH },
};

static unsigned
part_bit(const struct plan_step *s)
{
	const char *v = plan_get(&s->attrs, "part");
	size_t i;

	for (i = 0; v != NULL && i < sizeof(parts) / sizeof(parts[0]); i++)
		if (strcmp(v, parts[i].name) == 0)
			return parts[i].bit;
	return 0;
}

static const char *
part_name(unsigned bit)
{
	size_t i;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (parts[i].bit == bit)
			return parts[i].name;
	return "?";
}

static struct plan_step *
add_part(struct plan *p, enum plan_kind kind, unsigned bit)
{
	struct plan_step *s = plan_add(p, kind);

	plan_set(&s->attrs, "part", part_name(bit));
	return s;
}

static void
set_flag(struct plan_attrs *a, const char *key, int v)
{
	plan_set(a, key, v ? "1" : "0");
}

static void
set_oid_or_none(struct plan_attrs *a, const char *key, const git_oid *id)
{
	plan_set_oid(a, key, git_oid_is_zero(id) ? NULL : id);
}

/* the operation's attributes, as rb holds them now */
static void
sync_attrs(struct plan *p, struct rb *rb)
{
	const struct rollback_opts *o = rb->o;
	struct plan_attrs *a = &p->attrs;

	plan_set(a, "target", rb->to->tag);
	plan_set(a, "from", rb->from->tag);
	plan_set(a, "env", o->env);
	plan_set(a, "reason", rb->reason);
	plan_set(a, "strategy", rollback_strategy_name(o->strategy));
	set_flag(a, "squash", o->squash);
	set_flag(a, "migrate", o->migrate);
	set_flag(a, "ignore-migrations", o->ignore_migrations);
	set_flag(a, "force", o->force);
	set_flag(a, "no-hook", o->no_hook);
	set_flag(a, "no-verify", o->no_verify);
	set_flag(a, "push", o->push);
	set_flag(a, "no-hold", o->no_hold);
	plan_set(a, "trigger", o->trigger);
	plan_set(a, "refname", rb->refname);
	plan_set(a, "branch", rb->branch);
	plan_set_oid(a, "old", &rb->old);
	plan_set_oid(a, "new", &rb->new);
	plan_set_oid(a, "log-old", &rb->log_old);
	plan_set_oid(a, "marks-old", &rb->marks_old);
	set_flag(a, "checked-out", rb->checked_out);
	set_flag(a, "deployed-existed", rb->deployed_existed);
	plan_set_oid(a, "hold", rb->held ? &rb->hold : NULL);
}

/* each step's status and the ids it made, from rb->done */
static void
sync_steps(struct plan *p, struct rb *rb)
{
	size_t i, mig = 0;
	int first_pending = 1;

	for (i = 0; i < p->nr; i++) {
		struct plan_step *s = &p->steps[i];
		unsigned bit = part_bit(s);
		int done, started;

		if (bit == 0)
			continue;
		done = (rb->done & bit) != 0;
		started = (rb->done & RB_STARTED(bit)) != 0;
		if (bit == RB_MIGRATE) {
			/* one step a down command: done as it ran */
			done = done || mig < rb->migrations_ran;
			started = started && !done && first_pending;
			if (!done)
				first_pending = 0;
			mig++;
		}
		if (bit == RB_GIT && s->kind != PLAN_CHECK) {
			if (!git_oid_is_zero(&rb->new) &&
			    (done || s->kind != PLAN_REVERT))
				plan_set_oid(&s->attrs, "new", &rb->new);
		}
		if (bit == RB_RECORD && s->kind == PLAN_DEPLOYED_TAG) {
			git_oid id;

			/* the entry may not make it (one not in effect) */
			rollback_ref_id(&id, rb->ctx, plan_get(&s->attrs, "ref"));
			if (done && !git_oid_is_zero(&rb->entry))
				plan_set_oid(&s->attrs, "target", &rb->entry);
			set_oid_or_none(&s->attrs, "new", &id);
			s->status = done && !git_oid_is_zero(&id) ? PLAN_DONE :
			    PLAN_PENDING;
			plan_set(&s->attrs, "started", NULL);
			continue;
		}
		if (bit == RB_RECORD && done && !git_oid_is_zero(&rb->entry))
			plan_set_oid(&s->attrs, "new", &rb->entry);
		if (bit == RB_HOOK && done && rb->vc.command != NULL)
			plan_set(&s->attrs, "verify", rb->o->no_verify ?
			    "skipped" : rb->vr.passed ? "passed" : "failed");
		if (bit == RB_PUSH && done && rb->pushed)
			plan_setf(&s->attrs, "pushed", "%s %s %s", rb->refname,
			    hexid(&rb->old).s, hexid(&rb->new).s);
		if (bit == RB_MARK && done && !git_oid_is_zero(&rb->marks_new))
			plan_set_oid(&s->attrs, "new", &rb->marks_new);
		if (bit == RB_HOLD && rb->held) {
			set_oid_or_none(&s->attrs, "old", &rb->entry);
			plan_set_oid(&s->attrs, "new", &rb->hold);
		}
		/* a git change that moved nothing has nothing to push */
		if (bit == RB_PUSH && (rb->done & RB_GIT) &&
		    git_oid_equal(&rb->old, &rb->new))
			done = 1;
		s->status = done ? PLAN_DONE : bit == RB_GIT && rb->stopped ?
		    PLAN_STOPPED : PLAN_PENDING;
		plan_set(&s->attrs, "started", !done && started ? "1" : NULL);
	}
}

/* the git change as a step (none for --deploy-only) */
static void
git_step(struct plan *p, struct rb *rb)
{
	const struct rollback_opts *o = rb->o;
	struct plan_step *s;

	switch (o->strategy) {
	case ROLLBACK_BRANCH:
		s = add_part(p, PLAN_REF, RB_GIT);
		plan_setf(&s->attrs, "what", "create %s at %s", rb->branch,
		    rb->to->tag);
		plan_set(&s->attrs, "ref", rb->refname);
		plan_set_oid(&s->attrs, "new", &rb->new);
		plan_set(&s->attrs, "reflog", rb->reflog);
		break;
	case ROLLBACK_RESET:
		s = add_part(p, PLAN_REF, RB_GIT);
		plan_setf(&s->attrs, "what", "move %s to %s", rb->branch,
		    rb->to->tag);
		plan_set(&s->attrs, "ref", rb->refname);
		plan_set_oid(&s->attrs, "old", &rb->old);
		plan_set_oid(&s->attrs, "new", &rb->new);
		plan_set(&s->attrs, "reflog", rb->reflog);
		if (rb->checked_out)
			plan_set(&s->attrs, "worktree", "1");
		break;
	case ROLLBACK_REVERT:
		s = add_part(p, PLAN_REVERT, RB_GIT);
		plan_setf(&s->attrs, "what", "revert %s..%s on %s%s",
		    rb->to->tag, rb->from->tag, rb->branch,
		    o->squash ? ", squashed" : "");
		plan_set(&s->attrs, "ref", rb->refname);
		plan_set_oid(&s->attrs, "old", &rb->old);
		plan_setf(&s->attrs, "range", "%s..%s",
		    hexid(&rb->to->commit).s, hexid(&rb->from->commit).s);
		break;
	case ROLLBACK_DEPLOY_ONLY:
		break;
	}
	if (!o->push || o->strategy == ROLLBACK_DEPLOY_ONLY ||
	    (o->strategy == ROLLBACK_RESET && git_oid_equal(&rb->old,
	    &rb->new)))
		return;
	s = add_part(p, PLAN_PUSH, RB_PUSH);
	plan_set(&s->attrs, "remote", rb->ctx->set.remote);
	plan_setf(&s->attrs, "refspec", "%s:%s", rb->refname, rb->refname);
	plan_setf(&s->attrs, "lease", "%s:%s", rb->refname,
	    git_oid_is_zero(&rb->old) ? "" : hexid(&rb->old).s);
}

void
rollback_plan_build(struct plan *p, struct rb *rb)
{
	const struct rollback_opts *o = rb->o;
	const struct migration_list *l = &rb->cl.migrations;
	const char *hook = hook_command(rb->ctx, o->env);
	char *logref = xstrfmt(DEPLOY_LOG_PREFIX "%s", o->env);
	struct plan_step *s;
	size_t i;

	plan_begin(p, "rollback", rb->ctx->cmdline);
	/* the checks ran already: marked done once the journal is there */
	s = plan_add(p, PLAN_CHECK);
	plan_setf(&s->attrs, "what", "the rollback of %s from %s to %s",
	    o->env, rb->from->tag, rb->to->tag);
	plan_set(&s->attrs, "env", o->env);
	plan_set(&s->attrs, "from", rb->from->tag);
	plan_set(&s->attrs, "to", rb->to->tag);
	plan_set(&s->attrs, "strategy", rollback_strategy_name(o->strategy));
	plan_set(&s->attrs, "reason", rb->reason);
	git_step(p, rb);
	for (i = 0; o->migrate && i < l->nr; i++) {
		s = add_part(p, PLAN_MIGRATION, RB_MIGRATE);
		/* its MIGRATION_VERSION is not a release's: not "version" */
		plan_set(&s->attrs, "id", l->items[i].id);
	}
	s = add_part(p, PLAN_HOOK, RB_HOOK);
	plan_set(&s->attrs, "env", o->env);
	plan_set(&s->attrs, "tag", rb->to->tag);
	plan_set_oid(&s->attrs, "commit", &rb->to->commit);
	if (hook != NULL)
		plan_set(&s->attrs, "command", hook);
	if (o->no_hook)
		plan_set(&s->attrs, "skip", "no-hook");
	else if (hook == NULL)
		plan_set(&s->attrs, "skip", "none");
	plan_set(&s->attrs, "previous", rb->from->tag);
	s = add_part(p, PLAN_LOG, RB_RECORD);
	plan_set(&s->attrs, "ref", logref);
	set_oid_or_none(&s->attrs, "old", &rb->log_old);
	plan_set(&s->attrs, "env", o->env);
	plan_set(&s->attrs, "tag", rb->to->tag);
	plan_set(&s->attrs, "entry", "rollback");
	/* made with the entry, when production had none at the target */
	if (strcmp(o->env, DEFAULT_ENV) == 0 && !rb->deployed_existed) {
		s = add_part(p, PLAN_DEPLOYED_TAG, RB_RECORD);
		plan_setf(&s->attrs, "ref", "refs/tags/" DEPLOYED_TAG_PREFIX
		    "%s", rb->to->tag);
	}
	s = add_part(p, PLAN_MARK, RB_MARK);
	plan_set(&s->attrs, "ref", DEPLOY_MARKS_REF);
	set_oid_or_none(&s->attrs, "old", &rb->marks_old);
	plan_set(&s->attrs, "tag", rb->from->tag);
	plan_set(&s->attrs, "env", o->env);
	plan_set(&s->attrs, "reason", rb->reason);
	plan_set(&s->attrs, "action", "add");
	if (!o->no_hold) {
		s = add_part(p, PLAN_LOG, RB_HOLD);
		plan_setf(&s->attrs, "what", "hold %s at %s", o->env,
		    rb->to->tag);
		plan_set(&s->attrs, "ref", logref);
		plan_set(&s->attrs, "env", o->env);
		plan_set(&s->attrs, "tag", rb->to->tag);
		plan_set(&s->attrs, "entry", "hold");
	}
	if (o->push) {
		s = add_part(p, PLAN_PUSH, RB_LOG_PUSH);
		plan_set(&s->attrs, "remote", rb->ctx->set.remote);
		plan_set(&s->attrs, "via", "deploylog");
		plan_setf(&s->attrs, "refspec", "%s:%s", logref, logref);
		plan_add_attr(&s->attrs, "refspec",
		    DEPLOY_MARKS_REF ":" DEPLOY_MARKS_REF);
	}
	sync_attrs(p, rb);
	free(logref);
}

int
rollback_journal_begin(struct rb *rb)
{
	int rc;

	/* a step of another plan (deploy's automatic rollback): its own */
	if (rb->ctx->journal_active)
		return 0;
	rollback_plan_build(&rb->plan, rb);
	sync_steps(&rb->plan, rb);
	if ((rc = journal_begin(&rb->j, rb->ctx, &rb->plan)) < 0)
		return rc;
	rb->saved = 1;
	return journal_mark(&rb->j, 0, PLAN_DONE);
}

int
rollback_state_save(struct rb *rb)
{
	if (!rb->saved)
		return 0;
	sync_attrs(rb->j.plan, rb);
	sync_steps(rb->j.plan, rb);
	return journal_save(&rb->j);
}

int
rollback_state_made(struct rb *rb, unsigned bit)
{
	struct plan *p = rb->j.plan;
	size_t i;
	int found = 0, rc;

	if (!rb->saved)
		return 0;
	sync_attrs(p, rb);
	sync_steps(p, rb);
	/* each step of the part, in order (a kill may come after any) */
	for (i = 0; i < p->nr; i++)
		if (part_bit(&p->steps[i]) == bit) {
			found = 1;
			if ((rc = journal_mark(&rb->j, i,
			    p->steps[i].status)) < 0)
				return rc;
		}
	return found ? 0 : journal_save(&rb->j);
}

static int
get_str(const char **field, const struct plan_attrs *a, const char *key)
{
	const char *v = plan_get(a, key);

	free((char *)*field);
	*field = v != NULL ? xstrdup(v) : NULL;
	return 0;
}

static int
get_flag(const struct plan_attrs *a, const char *key)
{
	const char *v = plan_get(a, key);

	return v != NULL && strcmp(v, "1") == 0;
}

static int
parse_strategy(enum rollback_strategy *out, const char *v)
{
	enum rollback_strategy s;

	for (s = ROLLBACK_BRANCH; v != NULL && s <= ROLLBACK_DEPLOY_ONLY; s++)
		if (strcmp(v, rollback_strategy_name(s)) == 0) {
			*out = s;
			return 0;
		}
	return -1;
}

static int
get_oid(git_oid *out, const struct plan_attrs *a, const char *key)
{
	memset(out, 0, sizeof(*out));
	if (plan_get(a, key) == NULL)
		return 0;
	return plan_get_oid(out, a, key) ? 0 : -1;
}

static int
parse_plan(struct rollback_saved *s, const struct plan *p)
{
	const struct plan_attrs *a = &p->attrs;
	struct rollback_opts *o = &s->o;
	unsigned all = 0, some = 0;
	size_t i;
	int bad = 0;

	get_str(&o->target, a, "target");
	get_str((const char **)&s->from, a, "from");
	get_str(&o->env, a, "env");
	get_str(&o->reason, a, "reason");
	get_str(&o->trigger, a, "trigger");
	get_str((const char **)&s->refname, a, "refname");
	get_str((const char **)&s->branch, a, "branch");
	if (parse_strategy(&o->strategy, plan_get(a, "strategy")) < 0)
		return -1;
	o->squash = get_flag(a, "squash");
	o->migrate = get_flag(a, "migrate");
	o->ignore_migrations = get_flag(a, "ignore-migrations");
	o->force = get_flag(a, "force");
	o->no_hook = get_flag(a, "no-hook");
	o->no_verify = get_flag(a, "no-verify");
	o->push = get_flag(a, "push");
	o->no_hold = get_flag(a, "no-hold");
	s->checked_out = get_flag(a, "checked-out");
	s->deployed_existed = get_flag(a, "deployed-existed");
	bad |= get_oid(&s->old, a, "old") < 0;
	bad |= get_oid(&s->new, a, "new") < 0;
	bad |= get_oid(&s->log_old, a, "log-old") < 0;
	bad |= get_oid(&s->marks_old, a, "marks-old") < 0;
	bad |= get_oid(&s->hold, a, "hold") < 0;
	s->held = !git_oid_is_zero(&s->hold);
	/* a part is made when all its steps are, begun when one is */
	all = ~0u;
	for (i = 0; i < p->nr; i++) {
		const struct plan_step *st = &p->steps[i];
		unsigned bit = part_bit(st);

		/* the deployed- tag is the record's, made or not with it */
		if (bit == 0 || st->kind == PLAN_DEPLOYED_TAG)
			continue;
		if (st->status == PLAN_DONE) {
			some |= bit;
			if (bit == RB_MIGRATE)
				s->migrations_ran++;
		} else {
			all &= ~bit;
			if (st->status == PLAN_STOPPED ||
			    plan_get(&st->attrs, "started") != NULL)
				some |= bit;
		}
	}
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		unsigned bit = parts[i].bit;
		int has = 0;
		size_t k;

		for (k = 0; k < p->nr; k++)
			if (part_bit(&p->steps[k]) == bit)
				has = 1;
		if (has && (all & bit))
			s->done |= bit | RB_STARTED(bit);
		else if (some & bit)
			s->done |= RB_STARTED(bit);
	}
	return bad ? -1 : 0;
}

int
rollback_state_load(struct rollback_saved *out, struct journal *j,
    struct ctx *ctx)
{
	char *path = journal_file_path(ctx, JOURNAL_FILE);
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->o = (struct rollback_opts)ROLLBACK_OPTS_INIT;
	if (!journal_exists(ctx)) {
		rc = 1;
		goto out;
	}
	if ((rc = journal_load(j, ctx)) < 0)
		goto out;
	if (j->plan->op == NULL || strcmp(j->plan->op, "rollback") != 0) {
		rc = 2;
		goto out;
	}
	if (parse_plan(out, j->plan) < 0 || out->o.target == NULL ||
	    out->from == NULL || out->o.env == NULL || out->o.reason == NULL)
		rc = error_fatal("'%s' is not the journal of a rollback", path);
out:
	if (rc < 0)
		hint("remove '%s' to give the rollback up", path);
	free(path);
	return rc;
}

void
rollback_saved_release(struct rollback_saved *s)
{
	free((char *)s->o.target);
	free((char *)s->o.env);
	free((char *)s->o.reason);
	free((char *)s->o.trigger);
	free(s->from);
	free(s->refname);
	free(s->branch);
	memset(s, 0, sizeof(*s));
}

void
rollback_state_remove(struct rb *rb)
{
	if (!rb->saved)
		return;
	journal_remove(&rb->j);
	rb->saved = 0;
}

void
rollback_ref_id(git_oid *out, struct ctx *ctx, const char *refname)
{
	if (git_reference_name_to_id(out, ctx->repo, refname) < 0) {
		git_error_clear();
		memset(out, 0, sizeof(*out));
	}
}

static int
took_effect(const struct plan_step *s, int as_planned)
{
	return as_planned || s->status == PLAN_DONE ||
	    s->status == PLAN_STOPPED;
}

void
rollback_undo_line(struct strbuf *sb, struct rb *rb, const struct plan *p,
    int as_planned)
{
	const struct rollback_opts *o = rb->o;
	int git = 0, pushed = 0, deployed = 0, held = 0;
	size_t i;

	for (i = 0; i < p->nr; i++) {
		const struct plan_step *s = &p->steps[i];

		if (!took_effect(s, as_planned))
			continue;
		switch (part_bit(s)) {
		case RB_GIT:
			git = 1;
			break;
		case RB_PUSH:
			pushed = 1;
			break;
		case RB_HOOK:
		case RB_RECORD:
		case RB_MARK:
			deployed = 1;
			break;
		case RB_HOLD:
			/* a hold found already there is not this one's */
			held = as_planned || rb->held;
			break;
		default:
			break;
		}
	}
	if (git)
		rollback_undo_git_as(sb, rb, pushed, as_planned &&
		    o->strategy == ROLLBACK_REVERT ? rb->branch : NULL);
	if (!deployed)
		return;
	/* deploying what ran before lifts the hold this put */
	if (sb->len)
		strbuf_addstr(sb, " && ");
	strbuf_addstr(sb, "git release deploy ");
	sh_quote(sb, rb->from->tag);
	strbuf_addstr(sb, " --env ");
	sh_quote(sb, o->env);
	strbuf_addstr(sb, " --force");
	if (held)
		strbuf_addstr(sb, " --lift-hold");
}

/* what only the dry run shows: commands, drops, the entry to be made */
static int
dry_run_details(struct plan *p, struct rb *rb)
{
	const struct migration_list *l = &rb->cl.migrations;
	struct strbuf sb = STRBUF_INIT;
	struct deploy_entry e;
	size_t i, mig = 0;
	git_oid id;
	int rc = 0;

	for (i = 0; i < p->nr; i++) {
		struct plan_step *s = &p->steps[i];

		switch (part_bit(s)) {
		case RB_GIT:
			if (rb->o->strategy == ROLLBACK_RESET &&
			    rb->eb.drops_nr > 0) {
				strbuf_reset(&sb);
				strbuf_addf(&sb, "drops %zu commit%s not in %s%s",
				    rb->eb.drops_nr, rb->eb.drops_nr == 1 ?
				    "" : "s", rb->from->tag, rb->o->force ?
				    " (--force)" : "");
				plan_add_attr(&s->attrs, "note", sb.buf);
			}
			break;
		case RB_MIGRATE:
			strbuf_reset(&sb);
			strbuf_addstr(&sb, "  ");
			checklist_down_command(&sb, &l->items[mig++],
			    rb->ctx->set.migrate_down);
			plan_add_attr(&s->attrs, "note", sb.buf);
			break;
		case RB_RECORD:
			/* the very entry the run makes (its time is now's) */
			rollback_entry(&e, rb);
			if ((rc = deploylog_entry_id(&id, rb->ctx, &e)) < 0)
				goto out;
			plan_set_oid(&s->attrs, "new", &id);
			break;
		default:
			break;
		}
	}
	if (rb->o->strategy == ROLLBACK_RESET && rb->eb.drops_nr > 0)
		for (i = 0; i < rb->eb.drops_nr; i++) {
			git_commit *c = NULL;
			char *subject;

			if (git_commit_lookup(&c, rb->ctx->repo,
			    &rb->eb.drops[i]) < 0) {
				git_error_clear();
				continue;
			}
			subject = message_subject(git_commit_message(c));
			strbuf_reset(&sb);
			strbuf_addf(&sb, "  %.7s %s", hexid(&rb->eb.drops[i]).s,
			    subject);
			free(subject);
			git_commit_free(c);
			for (mig = 0; mig < p->nr; mig++)
				if (part_bit(&p->steps[mig]) == RB_GIT)
					plan_add_attr(&p->steps[mig].attrs,
					    "note", sb.buf);
		}
out:
	strbuf_release(&sb);
	return rc;
}

int
rollback_dry_run(struct rb *rb)
{
	struct plan p = PLAN_INIT;
	struct strbuf undo = STRBUF_INIT;
	int rc;

	rollback_plan_build(&p, rb);
	if ((rc = dry_run_details(&p, rb)) < 0)
		goto out;
	rollback_undo_line(&undo, rb, &p, 1);
	plan_set(&p.attrs, "undo", undo.buf);
	if (!rb->o->json)
		printf("rollback %s: %s -> %s (%s)\nreason: %s\n", rb->o->env,
		    rb->from->tag, rb->to->tag,
		    rollback_strategy_name(rb->o->strategy), rb->reason);
	plan_print_dry_run(stdout, &p, rb->o->json);
out:
	strbuf_release(&undo);
	plan_release(&p);
	return rc;
}

void
rollback_undo_done(struct strbuf *sb, struct rb *rb)
{
	struct plan p = PLAN_INIT;

	if (rb->saved) {
		sync_steps(rb->j.plan, rb);
		rollback_undo_line(sb, rb, rb->j.plan, 0);
		return;
	}
	/* no journal of its own (inside another plan): the same steps */
	rollback_plan_build(&p, rb);
	sync_steps(&p, rb);
	rollback_undo_line(sb, rb, &p, 0);
	plan_release(&p);
}

struct plan *
rollback_take_plan(struct rb *rb, int rc, int aborted)
{
	struct strbuf undo = STRBUF_INIT;
	struct plan *p;
	size_t i;

	if (rb->j.plan == NULL)
		return NULL;
	p = rb->j.plan;
	if (!aborted)
		sync_steps(p, rb);
	else if (rc == 0)
		for (i = 0; i < p->nr; i++) {
			struct plan_step *s = &p->steps[i];

			if (s->kind != PLAN_CHECK && (s->status != PLAN_PENDING ||
			    plan_get(&s->attrs, "started") != NULL))
				s->status = PLAN_UNDONE;
		}
	if (aborted)
		strbuf_addstr(&undo, rc < 0 ? "git rollback --abort" : "");
	else if (rc < 0)
		strbuf_addstr(&undo, journal_exists(rb->ctx) ?
		    "git rollback --abort" : "");
	else
		rollback_undo_line(&undo, rb, p, 0);
	plan_set(&p->attrs, "undo", undo.buf);
	strbuf_release(&undo);
	/* the caller's now: plan_release() and free() it */
	if (rb->j.owned) {
		rb->j.plan = NULL;
		rb->j.owned = 0;
		rb->ctx->journal_active = 0;
		return p;
	}
	return NULL;
}

void
rollback_print_run_json(FILE *fp, struct rb *rb, const char *undo)
{
	struct plan tmp = PLAN_INIT, *p = rb->j.plan;

	/* no journal of its own (inside another plan): the same steps */
	if (p == NULL) {
		rollback_plan_build(&tmp, rb);
		p = &tmp;
	}
	sync_steps(p, rb);
	plan_set(&p->attrs, "undo", undo);
	plan_print_json(fp, p, 0);
	plan_set(&p->attrs, "undo", NULL);
	plan_release(&tmp);
}
