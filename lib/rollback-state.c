/*
 * The state of a rollback under way, "<git dir>/rollback-state/rollback":
 * what it was asked, what it planned (the ref, its old and new ids, the
 * log and marks before it) and the steps it has made, one "key value"
 * line each, values escaped as the journal's (journal_add_line).
 * Written whole (mkstemp, fsync, rename) before the first side effect
 * and after every step, so that a rollback killed anywhere can be
 * finished or undone by "git rollback --continue | --abort" in a new
 * process.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "component.h"
#include "revert.h"
#include "rollback-int.h"
#include "journal.h"
#include "banned.h"

#define STATE_FILE	"rollback"

static void
add_oid(struct strbuf *sb, const char *key, const git_oid *id)
{
	strbuf_addf(sb, "%s %s\n", key, hexid(id).s);
}

int
rollback_state_save(struct rb *rb)
{
	const struct rollback_opts *o = rb->o;
	struct strbuf sb = STRBUF_INIT;
	int rc;

	journal_add_line(&sb, "target", rb->to->tag);
	journal_add_line(&sb, "from", rb->from->tag);
	journal_add_line(&sb, "env", o->env);
	journal_add_line(&sb, "reason", rb->reason);
	journal_add_line(&sb, "strategy", rollback_strategy_name(o->strategy));
	strbuf_addf(&sb, "squash %d\nmigrate %d\nignore-migrations %d\n"
	    "force %d\nno-hook %d\nno-verify %d\npush %d\nno-hold %d\n",
	    o->squash, o->migrate, o->ignore_migrations, o->force,
	    o->no_hook, o->no_verify, o->push, o->no_hold);
	if (rb->held)
		add_oid(&sb, "hold", &rb->hold);
	journal_add_line(&sb, "trigger", o->trigger);
	journal_add_line(&sb, "refname", rb->refname);
	journal_add_line(&sb, "branch", rb->branch);
	add_oid(&sb, "old", &rb->old);
	add_oid(&sb, "new", &rb->new);
	add_oid(&sb, "log-old", &rb->log_old);
	add_oid(&sb, "marks-old", &rb->marks_old);
	strbuf_addf(&sb, "checked-out %d\ndeployed-existed %d\ndone %u\n"
	    "migrations-ran %zu\n", rb->checked_out, rb->deployed_existed,
	    rb->done, rb->migrations_ran);
	rc = repo_state_write(rb->ctx, STATE_ROLLBACK, STATE_FILE, &sb);
	strbuf_release(&sb);
	if (rc == 0)
		rb->saved = 1;
	return rc;
}

static int
set_str(const char **field, const char *v)
{
	return journal_set_value((char **)field, v);
}

static int
flag(const char *v)
{
	return strcmp(v, "1") == 0;
}

static int
parse_strategy(enum rollback_strategy *out, const char *v)
{
	enum rollback_strategy s;

	for (s = ROLLBACK_BRANCH; s <= ROLLBACK_DEPLOY_ONLY; s++)
		if (strcmp(v, rollback_strategy_name(s)) == 0) {
			*out = s;
			return 0;
		}
	return -1;
}

static int
parse_line(struct rollback_saved *s, const char *k, const char *v)
{
	struct rollback_opts *o = &s->o;
	const char *errstr = NULL;

	if (!strcmp(k, "target"))
		return set_str(&o->target, v);
	else if (!strcmp(k, "from"))
		return set_str((const char **)&s->from, v);
	else if (!strcmp(k, "env"))
		return set_str(&o->env, v);
	else if (!strcmp(k, "reason"))
		return set_str(&o->reason, v);
	else if (!strcmp(k, "strategy"))
		return parse_strategy(&o->strategy, v);
	else if (!strcmp(k, "squash"))
		o->squash = flag(v);
	else if (!strcmp(k, "migrate"))
		o->migrate = flag(v);
	else if (!strcmp(k, "ignore-migrations"))
		o->ignore_migrations = flag(v);
	else if (!strcmp(k, "force"))
		o->force = flag(v);
	else if (!strcmp(k, "no-hook"))
		o->no_hook = flag(v);
	else if (!strcmp(k, "no-verify"))
		o->no_verify = flag(v);
	else if (!strcmp(k, "push"))
		o->push = flag(v);
	else if (!strcmp(k, "no-hold"))
		o->no_hold = flag(v);
	else if (!strcmp(k, "hold")) {
		s->held = 1;
		return git_oid_fromstr(&s->hold, v);
	}
	else if (!strcmp(k, "trigger"))
		return set_str(&o->trigger, v);
	else if (!strcmp(k, "refname"))
		return set_str((const char **)&s->refname, v);
	else if (!strcmp(k, "branch"))
		return set_str((const char **)&s->branch, v);
	else if (!strcmp(k, "old"))
		return git_oid_fromstr(&s->old, v);
	else if (!strcmp(k, "new"))
		return git_oid_fromstr(&s->new, v);
	else if (!strcmp(k, "log-old"))
		return git_oid_fromstr(&s->log_old, v);
	else if (!strcmp(k, "marks-old"))
		return git_oid_fromstr(&s->marks_old, v);
	else if (!strcmp(k, "checked-out"))
		s->checked_out = flag(v);
	else if (!strcmp(k, "deployed-existed"))
		s->deployed_existed = flag(v);
	else if (!strcmp(k, "done"))
		s->done = (unsigned)strtonum(v, 0, 0xffff, &errstr);
	else if (!strcmp(k, "migrations-ran"))
		s->migrations_ran = (size_t)strtonum(v, 0, 1000000, &errstr);
	return errstr != NULL ? -1 : 0;
}

int
rollback_state_load(struct rollback_saved *out, struct ctx *ctx)
{
	struct strbuf sb = STRBUF_INIT;
	char *path = repo_state_path(ctx, STATE_ROLLBACK, STATE_FILE);
	char *cur, *k, *v;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->o = (struct rollback_opts)ROLLBACK_OPTS_INIT;
	if (strbuf_read_file(&sb, path) < 0) {
		rc = errno == ENOENT ? 1 : error_fatal("cannot read '%s': %s",
		    path, strerror(errno));
		goto out;
	}
	for (cur = sb.buf; kv_next(&cur, &k, &v);)
		if (parse_line(out, k, v) < 0) {
			rc = error_fatal("'%s' is corrupt (%s)", path, k);
			goto out;
		}
	if (out->o.target == NULL || out->from == NULL ||
	    out->o.env == NULL || out->o.reason == NULL)
		rc = error_fatal("'%s' is corrupt", path);
out:
	if (rc < 0)
		hint("remove '%s' to give the rollback up", path);
	free(path);
	strbuf_release(&sb);
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

int
rollback_state_exists(struct ctx *ctx)
{
	char *path = repo_state_path(ctx, STATE_ROLLBACK, STATE_FILE);
	int rc = access(path, F_OK) == 0;

	free(path);
	return rc;
}

void
rollback_state_remove(struct ctx *ctx)
{
	/* a sequence's state killed before its first rename: its temp */
	if (!sequencer_in_progress(ctx))
		repo_state_remove(ctx, STATE_ROLLBACK, "state");
	repo_state_remove(ctx, STATE_ROLLBACK, STATE_FILE);
}

void
rollback_ref_id(git_oid *out, struct ctx *ctx, const char *refname)
{
	if (git_reference_name_to_id(out, ctx->repo, refname) < 0) {
		git_error_clear();
		memset(out, 0, sizeof(*out));
	}
}
